// `#!subst "/regex/replacement/flags"` rules (reference §4.2; Kamailio ppcfg.c pp_subst_add,
// re.c subst_parser). The first character is the separator; the regex is a POSIX extended
// expression, `i` makes it case-insensitive and `g` replaces every match (default: the first).
// Kamailio runs every rule, in order, over each string token, pseudo-variable and include file
// name lexed after the rule (cfg.lex: pp_subst_run); identifiers are not touched.
// The replacement may use \1…\9 back-references and pseudo-variables; `$def(NAME)` (pv module)
// is the one that matters at config time and is expanded here, other variables stay as written.

import { setFlagsFromString } from 'node:v8';

// A #!subst pattern is the user's regex, run over every string of the configuration. JavaScript's
// backtracking engine takes exponential time on patterns like `(a*)*b` against "aaaa…" (found by
// the fuzzer: one such rule hung the checker), where Kamailio's POSIX regexec does not. V8 can
// switch such a regex to its linear-time engine once it backtracks excessively; results are the
// same, only the engine changes. The flag is process-wide and only affects that fallback.
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

export interface SubstRule {
  /** The rule as written between the quotes. */
  source: string;
  /** The regex part (separator escapes removed). */
  pattern: string;
  replacement: string;
  global: boolean;
  regex: RegExp;
}

export type DefineValueLookup = (name: string) => string | undefined;

/** Splits `/re/repl/flags` at unescaped separators; undefined when malformed. */
export function splitSubst(source: string): { pattern: string; replacement: string; flags: string } | undefined {
  if (source.length < 3) return undefined;
  const sep = source[0]!;
  if (sep === '\\') return undefined;
  const parts: string[] = [];
  let cur = '';
  let i = 1;
  for (; i < source.length && parts.length < 2; i++) {
    const c = source[i]!;
    if (c === '\\' && source[i + 1] === sep) {
      cur += sep;
      i++;
      continue;
    }
    if (c === sep) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (parts.length < 2) return undefined;
  return { pattern: parts[0]!, replacement: parts[1]!, flags: source.slice(i) };
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: 'A-Za-z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: ' \\t\\r\\n\\v\\f',
  blank: ' \\t',
  xdigit: '0-9A-Fa-f',
  punct: '!-\\/:-@\\[-`{-~',
};

/** POSIX ERE → JavaScript: bracket classes like [[:digit:]] are the only real difference. */
function toJsPattern(posix: string): string {
  return posix.replace(/\[:([a-z]+):\]/g, (m, name: string) => POSIX_CLASSES[name] ?? m);
}

/**
 * Why a rule was not made: `malformed` is what Kamailio rejects too ("bad subst expression");
 * `engine` is JavaScript failing on a pattern POSIX regcomp may well accept (V8's "Regular
 * expression too large", "Too many captures"), which says nothing about Kamailio.
 */
export type SubstReading = { rule: SubstRule } | { malformed: true } | { engine: string };

export function readSubstRule(source: string): SubstReading {
  const parts = splitSubst(source);
  if (!parts) return { malformed: true };
  let flags = '';
  let global = false;
  for (const f of parts.flags) {
    if (f === 'i') flags += 'i';
    else if (f === 'g') global = true;
    else if (f === 's' || f === 'm') continue;
    else return { malformed: true };
  }
  let regex: RegExp;
  try {
    regex = new RegExp(toJsPattern(parts.pattern), flags + (global ? 'g' : ''));
  } catch (error) {
    return isEngineLimit(error) ? { engine: engineMessage(error) } : { malformed: true };
  }
  try {
    // V8 compiles a pattern on its first use: a size limit shows here, not in the constructor.
    regex.test('');
  } catch (error) {
    return { engine: engineMessage(error) };
  }
  return { rule: { source, pattern: parts.pattern, replacement: parts.replacement, global, regex } };
}

export function parseSubstRule(source: string): SubstRule | undefined {
  const r = readSubstRule(source);
  return 'rule' in r ? r.rule : undefined;
}

function isEngineLimit(error: unknown): boolean {
  return !(error instanceof SyntaxError) || /too large|too many captures/i.test(error.message);
}

/** The engine's reason, without the pattern it repeats (which may be megabytes). */
export function engineMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const colon = text.lastIndexOf(': ');
  return colon === -1 ? text : text.slice(colon + 2);
}

/** The replacement text for one match. */
function expandReplacement(repl: string, groups: (string | undefined)[], lookup: DefineValueLookup): string {
  let out = '';
  for (let i = 0; i < repl.length; i++) {
    const c = repl[i]!;
    if (c === '\\' && i + 1 < repl.length) {
      const n = repl[i + 1]!;
      if (n >= '0' && n <= '9') out += groups[Number(n)] ?? '';
      else out += n;
      i++;
      continue;
    }
    if (c === '$') {
      const m = /^\$def[ns]?\(([A-Za-z_][A-Za-z0-9_]*)\)/.exec(repl.slice(i, i + 80));
      if (m) {
        const v = lookup(m[1]!);
        out += v === undefined ? '' : repl.startsWith('$defs', i) ? `"${v}"` : v;
        i += m[0].length - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

/**
 * The define value of `#!substdef`: the replacement as written (ppcfg.c pp_substdef_add keeps it
 * raw), with pseudo-variables evaluated when it contains a `$`.
 */
export function substDefineValue(rule: SubstRule, lookup: DefineValueLookup): string {
  const repl = rule.replacement;
  if (!repl.includes('$')) return repl;
  return repl.replace(/\$def([ns]?)\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (_m, kind: string, name: string) => {
    const v = lookup(name);
    if (v === undefined) return '';
    return kind === 's' ? `"${v}"` : v;
  });
}

/** Sees each replacement before it is used; may throw to abandon the substitution. */
export type ReplacementObserver = (replacement: string, match: string) => void;

/** Applies one rule; undefined when it does not match. */
export function applySubstRule(rule: SubstRule, input: string, lookup: DefineValueLookup, observe?: ReplacementObserver): string | undefined {
  rule.regex.lastIndex = 0;
  if (!rule.regex.test(input)) return undefined;
  rule.regex.lastIndex = 0;
  return input.replace(rule.regex, (...args: unknown[]) => {
    const groups: (string | undefined)[] = [];
    for (const a of args) {
      if (typeof a === 'number') break;
      groups.push(a as string | undefined);
    }
    const replacement = expandReplacement(rule.replacement, groups, lookup);
    observe?.(replacement, groups[0] ?? '');
    return replacement;
  });
}

/** Applies every rule in order (cfg.lex pp_subst_run). */
export function applySubstRules(rules: readonly SubstRule[], input: string, lookup: DefineValueLookup): string {
  let out = input;
  for (const r of rules) {
    const next = applySubstRule(r, out, lookup);
    if (next !== undefined) out = next;
  }
  return out;
}
