// Generated deployments whose kamailio.cfg starts with a chain of #!subst / #!substdef rules that
// grow, double, backtrack or fail, next to a REAL error elsewhere (TLS off under a TLS listener,
// a tls.cfg naming a missing certificate). Shared by the unit, CLI, language-server and fuzz
// tests: whatever the chain does, the real error is still reported and each rule that sip-tls
// cannot apply has a finding at its own line.
import { Rng } from './fuzz/prng';

/** A directive whose own line must carry a finding with one of these codes. */
export interface ExpectedFailure {
  line: number;
  codes: string[];
  kind: string;
}

export interface ChainCase {
  name: string;
  /** Relative path → content (the main file is `kamailio.cfg`). */
  files: Record<string, string>;
  /** 0-based lines of every #!subst/#!substdef of the main file. */
  directiveLines: number[];
  failures: ExpectedFailure[];
  /** The real error: one of `codes` at this line (a missing file outside a repository may be expected at deploy time). */
  real: { file: string; codes: string[]; line: number };
}

// The real error's strings use none of these letters, so no rule of the chain rewrites them
// ("tls.so", "tls", "config", "/etc/sip/tls.cfg", "/etc/sip/missing.pem").
const CHAIN_LETTERS = ['q', 'z', 'j', 'w', 'x', 'b', 'v'];

type RuleMaker = (letter: string, index: number) => { rule: string; directive?: string; fails?: string[]; before?: string };
type Rule = { directive: string; rule: string; fails?: string[]; kind: string; before?: string };

/** Rules the chain is built of; those that must fail say with which codes. */
const GROWING: Record<string, RuleMaker> = {
  grow: (l) => ({ rule: `/${l}/${l}${l}/g` }),
  alternation: (l) => ({ rule: `/(${l}|${l}${l}|${l}${l}${l})/${l}${l}${l}${l}/g` }),
  nested: (l) => ({ rule: `/((${l})(${l}?))+/\\1\\1/g` }),
  backreference: (l) => ({ rule: `/(${l})\\1/\\1\\1\\1/g` }),
  double: (l) => ({ rule: `/(${l}+)/\\1\\1/g` }),
  substdef: (l, i) => ({ rule: `/GROW${i}X/${l}${l}${l}${l}/g`, directive: 'substdef' }),
};

const FAILING: Record<string, RuleMaker> = {
  // Kamailio rejects these too: kamcfg.syntax ("bad subst expression", "already defined").
  invalid: (l) => ({ rule: `/(${l}/${l}/g`, fails: ['kamcfg.syntax'] }),
  unknownFlag: (l) => ({ rule: `/${l}/${l}/k`, fails: ['kamcfg.syntax'] }),
  // JavaScript would backtrack for minutes; sip-tls does not run it.
  hugeRepetition: (l) => ({ rule: `/(${l}{1,30000}){1,30000}Q/${l}/`, fails: ['project.check-limit'] }),
  nestedBackreference: (l) => ({ rule: `/(${l}*)*\\1Q/${l}/g`, fails: ['project.check-limit'] }),
  longPattern: (l) => ({ rule: `/${l.repeat(12_000)}/${l}/g`, fails: ['project.check-limit'] }),
  // Kamailio stops at a second definition of a name ("already defined").
  redefine: (l, i) => ({ before: `#!define REDEF${i}X 1`, rule: `/REDEF${i}X/${l}/`, directive: 'substdef', fails: ['kamcfg.syntax'] }),
  hugeDefine: (l, i) => ({ rule: `/HUGE${i}X/${l.repeat(70_000)}/`, directive: 'substdef', fails: ['project.check-limit'] }),
};

const REAL_ERRORS = ['tls-off', 'missing-certificate'] as const;

function realError(kind: (typeof REAL_ERRORS)[number], firstLine: number): { lines: string[]; files: Record<string, string>; real: ChainCase['real'] } {
  if (kind === 'tls-off') {
    return { lines: ['listen=tls:192.0.2.1:5061'], files: {}, real: { file: 'kamailio.cfg', codes: ['kamcfg.tls-module-missing'], line: firstLine } };
  }
  return {
    lines: ['enable_tls=yes', 'loadmodule "tls.so"', 'modparam("tls", "config", "/etc/sip/tls.cfg")', 'listen=tls:192.0.2.1:5061'],
    files: { 'tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/sip/missing.pem\nprivate_key = /etc/sip/missing.key\n' },
    real: { file: 'tls.cfg', codes: ['path.not-found', 'path.deploy-time'], line: 2 },
  };
}

/** The path mapping the cases need (`--map`, `pathMappings`): /etc/sip is the case's folder. */
export const DEPLOYED_DIR = '/etc/sip';

function build(name: string, rules: Rule[], real: (typeof REAL_ERRORS)[number], strings: string[]): ChainCase {
  const lines: string[] = [];
  const directiveLines: number[] = [];
  const failures: ExpectedFailure[] = [];
  for (const r of rules) {
    if (r.before) lines.push(r.before);
    directiveLines.push(lines.length);
    if (r.fails) failures.push({ line: lines.length, codes: r.fails, kind: r.kind });
    lines.push(`#!${r.directive} "${r.rule}"`);
  }
  const err = realError(real, lines.length);
  lines.push(...err.lines);
  lines.push('request_route {');
  for (const s of strings) lines.push(`    $var(s) = "${s}";`);
  lines.push('}');
  return { name, files: { 'kamailio.cfg': `${lines.join('\n')}\n`, ...err.files }, directiveLines, failures, real: err.real };
}

/** The reproduction of issue 11: 17 rules `/a/aa/g` (the real error's strings have no 'a'). */
export function aaChain(count = 17, real: (typeof REAL_ERRORS)[number] = 'missing-certificate'): ChainCase {
  const rules = Array.from({ length: count }, () => ({ directive: 'subst', rule: '/a/aa/g', kind: 'grow' }));
  return build(`${count} × /a/aa/g (${real})`, rules, real, ['a', 'banana', 'a'.repeat(200)]);
}

/**
 * Case `index` of a run: n rules (1..25 over the indexes) of growing kinds on one letter, with
 * failing rules on letters of their own (so no other rule rewrites them), and a real error.
 */
export function chainCase(seed: number, index: number): ChainCase {
  const rng = Rng.forInput(seed, index);
  const n = 1 + (index % 25);
  const letter = CHAIN_LETTERS[rng.int(CHAIN_LETTERS.length)]!;
  const growing = Object.keys(GROWING);
  const failing = Object.keys(FAILING);
  const rules: Rule[] = [];
  let own = 0;
  for (let i = 0; i < n; i++) {
    const fail = rng.int(4) === 0;
    const kind = fail ? failing[rng.int(failing.length)]! : growing[rng.int(growing.length)]!;
    // A failing rule's letter is upper case and its own: the chain's rules never touch it.
    const l = fail ? String.fromCharCode(65 + (own++ % 20)) : letter;
    const made = (fail ? FAILING : GROWING)[kind]!(l, i);
    // A #!substdef's pattern is a define name: only the rules on a name are substdefs.
    rules.push({ directive: made.directive ?? 'subst', rule: made.rule, kind, ...(made.fails ? { fails: made.fails } : {}), ...(made.before ? { before: made.before } : {}) });
  }
  const real = REAL_ERRORS[rng.int(REAL_ERRORS.length)]!;
  const strings = [letter, letter.repeat(1 + rng.int(50)), `${letter}-${letter}${letter}`];
  return build(`seed ${seed} case ${index}: ${rules.map((r) => r.kind).join(', ')} (${real})`, rules, real, strings);
}
