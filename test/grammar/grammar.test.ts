// Grammar tests for syntaxes/kamailio.tmLanguage.json (source.kamailio) and
// syntaxes/tlscfg.tmLanguage.json (source.kamailio-tls) and their language configurations.
//
// 1. Static checks: both grammars are JSON, their scopeName matches package.json, every
//    "#include" points at a repository entry, every regex compiles with Oniguruma, every scope
//    name carries the language suffix. Language-configuration files are strict JSON with the
//    expected comment tokens, brackets, auto-closing pairs, word pattern and folding markers.
// 2. Scope assertions: the vscode-tmgrammar-test CLI runs over the sample files in this folder
//    (`*.test.cfg`, LF and a CRLF copy) and must pass every assertion; a control file with a
//    wrong assertion must make it fail, so a silently passing CLI is caught.
// 3. Consistency: every core parameter name in the linter's table is highlighted as one, and a
//    trailing \r on each line leaves every scope unchanged.
// 4. Robustness: every file of the real-world corpus (../shared/corpus from the repository
//    root, or $SIP_TLS_CORPUS) is tokenised by both grammars with a per-line time limit; no line
//    may stop early and the rule stack may not grow without bound. A missing corpus fails the
//    run when SIP_TLS_CORPUS names it and is skipped (with a warning) when no corpus is found.
//
// Run: node --import tsx --test test/grammar/grammar.test.ts
import { corpusLocation } from '../helpers/corpus';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const HERE = __dirname;
const SYNTAXES = join(ROOT, 'syntaxes');

interface GrammarSpec {
  language: string;
  scopeName: string;
  file: string;
  suffix: string;
  configuration: string;
}

const GRAMMARS: GrammarSpec[] = [
  {
    language: 'kamailio',
    scopeName: 'source.kamailio',
    file: join(SYNTAXES, 'kamailio.tmLanguage.json'),
    suffix: '.kamailio',
    configuration: join(SYNTAXES, 'kamailio.language-configuration.json'),
  },
  {
    language: 'kamailio-tls',
    scopeName: 'source.kamailio-tls',
    file: join(SYNTAXES, 'tlscfg.tmLanguage.json'),
    suffix: '.kamailio-tls',
    configuration: join(SYNTAXES, 'tlscfg.language-configuration.json'),
  },
];

/** Sample files with scope assertions, and the minimum number of assertion lines each must hold. */
const SAMPLES: { file: string; scopeName: string; minAssertions: number }[] = [
  { file: join(HERE, 'kamailio.test.cfg'), scopeName: 'source.kamailio', minAssertions: 300 },
  { file: join(HERE, 'tls.test.cfg'), scopeName: 'source.kamailio-tls', minAssertions: 150 },
];

// ---------------------------------------------------------------------------------------------
// helpers

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function readJson(path: string): Json {
  return JSON.parse(readFileSync(path, 'utf8')) as Json;
}

function isObject(x: Json | undefined): x is { [k: string]: Json } {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Calls fn for every rule object (an object with match/begin/include/patterns/...) in a grammar. */
function walkRules(node: Json, fn: (rule: { [k: string]: Json }, path: string) => void, path = '$'): void {
  if (Array.isArray(node)) {
    node.forEach((n, i) => walkRules(n, fn, `${path}[${i}]`));
  } else if (isObject(node)) {
    fn(node, path);
    for (const [k, v] of Object.entries(node)) walkRules(v, fn, `${path}.${k}`);
  }
}

interface Token {
  startIndex: number;
  endIndex: number;
  scopes: string[];
}
interface RuleStack {
  readonly depth: number;
}
interface TokenizeResult {
  tokens: Token[];
  ruleStack: RuleStack;
  stoppedEarly: boolean;
}
interface Grammar {
  tokenizeLine(line: string, prev: RuleStack | null, timeLimit?: number): TokenizeResult;
}
interface TextMate {
  INITIAL: RuleStack;
  Registry: new (opts: unknown) => { loadGrammar(scope: string): Promise<Grammar | null> };
  parseRawGrammar(content: string, path?: string): { scopeName: string };
}
interface Oniguruma {
  loadWASM(data: ArrayBuffer): Promise<void>;
  OnigScanner: new (patterns: string[]) => { dispose(): void };
  OnigString: new (s: string) => unknown;
}

// vscode-textmate and vscode-oniguruma are dependencies of vscode-tmgrammar-test: load them from
// there instead of adding direct dependencies.
const tmgPackageJson = join(ROOT, 'node_modules', 'vscode-tmgrammar-test', 'package.json');
const requireFromTmg = createRequire(tmgPackageJson);
const tm = requireFromTmg('vscode-textmate') as TextMate;
const onig = requireFromTmg('vscode-oniguruma') as Oniguruma;

let onigReady: Promise<void> | undefined;
function loadOniguruma(): Promise<void> {
  if (!onigReady) {
    const wasmPath = join(dirname(requireFromTmg.resolve('vscode-oniguruma')), 'onig.wasm');
    const buf = readFileSync(wasmPath);
    onigReady = onig.loadWASM(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
  }
  return onigReady;
}

const grammarCache = new Map<string, Promise<Grammar>>();
function loadGrammar(spec: GrammarSpec): Promise<Grammar> {
  let p = grammarCache.get(spec.scopeName);
  if (!p) {
    p = (async () => {
      await loadOniguruma();
      const registry = new tm.Registry({
        onigLib: Promise.resolve({
          createOnigScanner: (patterns: string[]) => new onig.OnigScanner(patterns),
          createOnigString: (s: string) => new onig.OnigString(s),
        }),
        loadGrammar: async (scopeName: string) => {
          const g = GRAMMARS.find((x) => x.scopeName === scopeName);
          return g ? tm.parseRawGrammar(readFileSync(g.file, 'utf8'), g.file) : null;
        },
      });
      const grammar = await registry.loadGrammar(spec.scopeName);
      assert.ok(grammar, `grammar ${spec.scopeName} did not load`);
      return grammar;
    })();
    grammarCache.set(spec.scopeName, p);
  }
  return p;
}

/** Source lines of a vscode-tmgrammar-test file: header and assertion lines removed. */
function sampleSourceLines(file: string): string[] {
  const lines = readFileSync(file, 'utf8').split(/\r\n|\n/);
  return lines.slice(1).filter((l) => !isAssertionLine(l));
}

function isAssertionLine(line: string): boolean {
  return /^#\s*(\^|<~*-+)/.test(line);
}

/** The vscode-tmgrammar-test CLI entry point shipped in node_modules. */
function tmgrammarTestCli(): string {
  const bin = join(ROOT, 'node_modules', '.bin', 'vscode-tmgrammar-test');
  if (process.platform !== 'win32' && existsSync(bin)) return bin;
  const pkg = readJson(tmgPackageJson);
  assert.ok(isObject(pkg) && isObject(pkg.bin) && typeof pkg.bin['vscode-tmgrammar-test'] === 'string');
  return join(dirname(tmgPackageJson), pkg.bin['vscode-tmgrammar-test']);
}

function runCli(files: string[]): { status: number | null; output: string } {
  const args = [tmgrammarTestCli(), ...GRAMMARS.flatMap((g) => ['-g', relative(ROOT, g.file)]), ...files];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { status: r.status, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 1. static checks

describe('grammar files', () => {
  const pkg = readJson(join(ROOT, 'package.json'));
  assert.ok(isObject(pkg) && isObject(pkg.contributes));
  const contributes = pkg.contributes;

  for (const spec of GRAMMARS) {
    test(`${basename(spec.file)} is JSON and matches package.json`, () => {
      const g = readJson(spec.file);
      assert.ok(isObject(g));
      assert.equal(g.scopeName, spec.scopeName);
      const grammars = contributes.grammars;
      assert.ok(Array.isArray(grammars));
      const entry = grammars.find((x) => isObject(x) && x.scopeName === spec.scopeName);
      assert.ok(isObject(entry), `package.json contributes no grammar with scopeName ${spec.scopeName}`);
      assert.equal(entry.language, spec.language);
      assert.equal(resolve(ROOT, String(entry.path)), spec.file, 'package.json grammar path');
      const languages = contributes.languages;
      assert.ok(Array.isArray(languages));
      const lang = languages.find((x) => isObject(x) && x.id === spec.language);
      assert.ok(isObject(lang), `package.json contributes no language ${spec.language}`);
      assert.equal(resolve(ROOT, String(lang.configuration)), spec.configuration, 'package.json language configuration path');
    });

    test(`${basename(spec.file)}: includes resolve, scopes carry the ${spec.suffix} suffix`, () => {
      const g = readJson(spec.file);
      assert.ok(isObject(g) && isObject(g.repository));
      const repo = g.repository;
      const problems: string[] = [];
      walkRules(g, (rule, path) => {
        if (typeof rule.include === 'string') {
          const inc = rule.include;
          if (inc.startsWith('#') && !(inc.slice(1) in repo)) problems.push(`${path}: unknown include ${inc}`);
          if (!inc.startsWith('#') && inc !== '$self' && inc !== '$base') problems.push(`${path}: external include ${inc}`);
        }
        for (const key of ['name', 'contentName'] as const) {
          const v = rule[key];
          if (path === '$') continue; // the grammar's display name, not a scope
          if (typeof v !== 'string') continue;
          for (const scope of v.split(/\s+/)) {
            if (!scope.endsWith(spec.suffix)) problems.push(`${path}.${key}: scope ${scope} lacks ${spec.suffix}`);
          }
        }
      });
      // every repository entry is used somewhere
      const text = readFileSync(spec.file, 'utf8');
      for (const key of Object.keys(repo)) {
        if (!text.includes(`"#${key}"`)) problems.push(`repository entry ${key} is never included`);
      }
      assert.deepEqual(problems, []);
    });

    test(`${basename(spec.file)}: every regex compiles with Oniguruma`, async () => {
      await loadOniguruma();
      const g = readJson(spec.file);
      const problems: string[] = [];
      let count = 0;
      walkRules(g, (rule, path) => {
        for (const key of ['match', 'begin', 'end', 'while'] as const) {
          const re = rule[key];
          if (typeof re !== 'string') continue;
          count++;
          try {
            new onig.OnigScanner([re]).dispose();
          } catch (e) {
            problems.push(`${path}.${key}: ${(e as Error).message}`);
          }
        }
      });
      assert.deepEqual(problems, []);
      assert.ok(count > 20, `only ${count} regexes found`);
    });
  }
});

describe('language configurations', () => {
  function load(path: string): { [k: string]: Json } {
    // strict JSON (VS Code would also accept comments, other tools might not)
    const c = readJson(path);
    assert.ok(isObject(c));
    return c;
  }
  function pairs(c: { [k: string]: Json }): string[] {
    assert.ok(Array.isArray(c.autoClosingPairs));
    return c.autoClosingPairs.map((p) => (isObject(p) ? String(p.open) : Array.isArray(p) ? String(p[0]) : ''));
  }
  function words(c: { [k: string]: Json }, text: string): string[] {
    assert.equal(typeof c.wordPattern, 'string');
    return text.match(new RegExp(String(c.wordPattern), 'g')) ?? [];
  }
  function markers(c: { [k: string]: Json }): { start: RegExp; end: RegExp } {
    assert.ok(isObject(c.folding) && isObject(c.folding.markers));
    return { start: new RegExp(String(c.folding.markers.start)), end: new RegExp(String(c.folding.markers.end)) };
  }

  test('kamailio: comments, brackets, auto-closing, words, folding', () => {
    const c = load(GRAMMARS[0].configuration);
    assert.ok(isObject(c.comments));
    assert.equal(c.comments.lineComment, '#');
    assert.deepEqual(c.comments.blockComment, ['/*', '*/']);
    assert.deepEqual(c.brackets, [['{', '}'], ['[', ']'], ['(', ')']]);
    for (const open of ['{', '[', '(', '"', "'"]) assert.ok(pairs(c).includes(open), `auto-closing ${open}`);

    assert.ok(!new RegExp(String(c.wordPattern)).test(''), 'wordPattern must not match the empty string');
    assert.deepEqual(words(c, '$var(x) = $(var(y){s.len}) + $ru;'), ['$var(x)', '$(var(y){s.len})', '$ru']);
    assert.deepEqual(words(c, 'modparam("tls", "config", "/etc/kamailio/tls.cfg")'), ['modparam', 'tls', 'config', '/etc/kamailio/tls.cfg']);
    assert.deepEqual(words(c, 'modparam("tls", "tls_method", "TLSv1.2+")'), ['modparam', 'tls', 'tls_method', 'TLSv1.2+']);
    assert.deepEqual(words(c, 'listen=tls:192.0.2.10:5061'), ['listen', 'tls', '192.0.2.10', '5061']);

    // Route blocks fold by indentation (VS Code has no brace-based folding rule in a language
    // configuration); #!ifdef/#!ifndef/#!ifexp ... #!endif regions fold through the markers.
    const m = markers(c);
    for (const l of ['#!ifdef WITH_TLS', '  #!ifndef WITH_NAT', '#!ifexp KAMAILIO_VERSION >= 5007000', '!!ifdef X', '#region', '// #region']) {
      assert.ok(m.start.test(l), `folding start: ${l}`);
    }
    for (const l of ['#!endif', '\t#!endif', '!!endif', '#endregion']) assert.ok(m.end.test(l), `folding end: ${l}`);
    for (const l of ['#!define WITH_TLS', '#!else', '# ifdef in a comment', 'route[X] {']) {
      assert.ok(!m.start.test(l) && !m.end.test(l), `no folding marker: ${l}`);
    }
  });

  test('tls.cfg: comments, brackets, auto-closing, words, folding', () => {
    const c = load(GRAMMARS[1].configuration);
    assert.ok(isObject(c.comments));
    assert.equal(c.comments.lineComment, '#');
    assert.equal(c.comments.blockComment, undefined, 'tls.cfg has no block comments');
    assert.deepEqual(c.brackets, [['[', ']']]);
    for (const open of ['[', '"']) assert.ok(pairs(c).includes(open), `auto-closing ${open}`);
    assert.ok(!pairs(c).includes("'"), "single quotes are ordinary characters in tls.cfg");

    assert.ok(!new RegExp(String(c.wordPattern)).test(''), 'wordPattern must not match the empty string');
    assert.deepEqual(words(c, 'method = TLSv1.2+ # comment'), ['method', 'TLSv1.2+', 'comment']);
    assert.deepEqual(words(c, 'certificate = /etc/kamailio/kamailio-selfsigned.pem'), ['certificate', '/etc/kamailio/kamailio-selfsigned.pem']);
    assert.deepEqual(words(c, '[server:192.0.2.10:5061]'), ['server', '192.0.2.10', '5061']);
    assert.deepEqual(words(c, 'cipher_list = HIGH:!aNULL'), ['cipher_list', 'HIGH', '!aNULL']);

    // Limitation: a profile runs from its [header] to the line before the next header, and that
    // cannot be expressed with a language configuration. Keys are not indented (so indentation
    // folding finds nothing, and offSide only changes how blank lines attach to an indented
    // block), VS Code's marker folding skips blank lines before testing the markers, and a line
    // is either a start or an end marker, never both. So the configuration only offers explicit
    // "# region" / "# endregion" markers; folding whole profiles needs a folding-range provider
    // (the language server's textDocument/foldingRange).
    const m = markers(c);
    assert.ok(m.start.test('# region carrier profiles'));
    assert.ok(m.end.test('# endregion'));
    assert.ok(!m.start.test('[server:default]') && !m.end.test('[server:default]'));
    assert.equal(isObject(c.folding) ? c.folding.offSide : undefined, undefined);
  });
});

// ---------------------------------------------------------------------------------------------
// 2. scope assertions through the vscode-tmgrammar-test CLI

describe('scope assertions (vscode-tmgrammar-test)', () => {
  let tmp = '';
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'sip-tls-grammar-'));
  });
  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  test('sample files carry their assertions', () => {
    for (const s of SAMPLES) {
      const lines = readFileSync(s.file, 'utf8').split(/\r\n|\n/);
      assert.match(lines[0], /^# SYNTAX TEST "[^"]+"/, `${s.file}: header`);
      assert.ok(lines[0].includes(`"${s.scopeName}"`), `${s.file}: header names ${s.scopeName}`);
      const n = lines.filter(isAssertionLine).length;
      assert.ok(n >= s.minAssertions, `${basename(s.file)}: ${n} assertion lines, expected at least ${s.minAssertions}`);
    }
    // every *.test.cfg in this folder is listed
    const onDisk = readdirSync(HERE).filter((f) => f.endsWith('.test.cfg')).sort();
    assert.deepEqual(onDisk, SAMPLES.map((s) => basename(s.file)).sort());
  });

  test('every sample file passes', () => {
    const files = SAMPLES.map((s) => relative(ROOT, s.file));
    const r = runCli(files);
    assert.equal(r.status, 0, r.output);
    for (const f of files) {
      assert.ok(r.output.includes(`${f} run successfuly`), `${f} was not reported as checked:\n${r.output}`);
    }
    assert.ok(!/ERROR|failed/.test(r.output), r.output);
  });

  test('every sample file passes with CRLF line endings', () => {
    const files: string[] = [];
    for (const s of SAMPLES) {
      const text = readFileSync(s.file, 'utf8').replace(/\r?\n/g, '\r\n');
      const out = join(tmp, basename(s.file).replace(/\.test\.cfg$/, '.crlf.test.cfg'));
      writeFileSync(out, text);
      files.push(out);
    }
    const r = runCli(files);
    assert.equal(r.status, 0, r.output);
    for (const f of files) assert.ok(r.output.includes(`${f} run successfuly`), r.output);
  });

  test('a wrong assertion makes the CLI fail (control)', () => {
    const bad = join(tmp, 'control.test.cfg');
    writeFileSync(bad, ['# SYNTAX TEST "source.kamailio" "control"', 'debug=2', '# <----- comment.line.number-sign.kamailio', ''].join('\n'));
    const r = runCli([bad]);
    assert.notEqual(r.status, 0, r.output);
    assert.match(r.output, /missing required scopes: comment\.line\.number-sign\.kamailio/);
  });
});

// ---------------------------------------------------------------------------------------------
// the grammar highlights exactly the core parameters the linter knows

describe('core parameter names', () => {
  test('every core parameter of the linter table is scoped as one', async () => {
    // loaded here, not at the top: if that module changes shape only this test fails
    const mod = require('../../server/src/core/kamailio/coreParams') as {
      coreParamSpecs(): readonly { name: string; aliases: readonly string[]; legacyTls?: string }[];
    };
    const grammar = await loadGrammar(GRAMMARS[0]);
    // module statements, scoped as keywords rather than as core parameters
    const moduleStatements = new Set(['loadpath', 'mpath']);
    const problems: string[] = [];
    let n = 0;
    for (const spec of mod.coreParamSpecs()) {
      for (const name of [spec.name, ...spec.aliases]) {
        if (moduleStatements.has(name)) continue;
        n++;
        const expected = spec.legacyTls ? 'invalid.deprecated.core-parameter.kamailio' : 'support.variable.core.kamailio';
        const line = name === 'socket' ? 'socket = {' : `${name} = 1`;
        // every token of the name (kemi.x: "kemi" "." "x") carries the scope, the dot excepted
        const tokens = grammar.tokenizeLine(line, tm.INITIAL).tokens.filter((t) => t.startIndex < name.length);
        const ok =
          tokens.length > 0 &&
          tokens[tokens.length - 1].endIndex === name.length &&
          tokens.every((t) => t.scopes.includes(expected) || t.scopes.includes('punctuation.accessor.kamailio'));
        if (!ok) problems.push(`${name}: ${tokens.map((t) => t.scopes.join(' ')).join(' | ')}`);
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(n > 200, `only ${n} names`);
  });
});

// ---------------------------------------------------------------------------------------------
// CR kept at the end of lines (files read by tools that split on \n only)

describe('carriage returns', () => {
  for (const [spec, sample] of [
    [GRAMMARS[0], SAMPLES[0]],
    [GRAMMARS[1], SAMPLES[1]],
  ] as const) {
    test(`${spec.scopeName}: a trailing \\r does not change any scope`, async () => {
      const grammar = await loadGrammar(spec);
      let plain: RuleStack | null = tm.INITIAL;
      let withCr: RuleStack | null = tm.INITIAL;
      const diffs: string[] = [];
      sampleSourceLines(sample.file).forEach((line, i) => {
        const a = grammar.tokenizeLine(line, plain);
        const b = grammar.tokenizeLine(`${line}\r`, withCr);
        plain = a.ruleStack;
        // Kamailio continues a #!define value only with a backslash directly before \n; with
        // \r in between the value ends, and so does the grammar's define scope: compare the
        // next line from the same state.
        withCr = line.endsWith('\\') ? a.ruleStack : b.ruleStack;
        if (line.endsWith('\\')) return;
        const at = (toks: Token[], col: number) => toks.find((t) => t.startIndex <= col && col < t.endIndex)?.scopes.join(' ');
        for (let col = 0; col < line.length; col++) {
          if (at(a.tokens, col) !== at(b.tokens, col)) {
            diffs.push(`line ${i + 1} col ${col}: ${at(a.tokens, col)} != ${at(b.tokens, col)}\n  ${line}`);
            break;
          }
        }
      });
      assert.deepEqual(diffs, []);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 4. real-world corpus

const corpus = corpusLocation();
const corpusDir = corpus.dir;

describe('corpus tokenisation', () => {
  const present = corpus.present;
  if (!present) {
    if (corpus.required) {
      test('corpus is present', () => {
        assert.fail(`corpus not found at ${corpusDir} (set SIP_TLS_CORPUS)`);
      });
    } else {
      console.warn(`\n*** grammar corpus tests SKIPPED: no corpus at ${corpusDir} (set SIP_TLS_CORPUS) ***\n`);
      test('corpus tokenisation', { skip: `no corpus at ${corpusDir}` }, () => {});
    }
    return;
  }

  const files = listFiles(corpusDir);
  // Per-line limit for the tokenizer: a line that needs longer is a pathological regex, not slowness.
  const LINE_TIME_LIMIT_MS = 2000;
  const MAX_DEPTH = 64;

  test('corpus has kamailio and tls files', () => {
    assert.ok(files.filter((f) => f.includes(`${join(corpusDir, 'kamailio')}`)).length >= 50);
    assert.ok(files.filter((f) => f.includes(`${join(corpusDir, 'tls')}`)).length >= 10);
  });

  for (const spec of GRAMMARS) {
    test(`${spec.scopeName} tokenises every corpus file`, { timeout: 300_000 }, async () => {
      const grammar = await loadGrammar(spec);
      const problems: string[] = [];
      let lines = 0;
      for (const file of files) {
        const text = readFileSync(file, 'utf8');
        let stack: RuleStack | null = tm.INITIAL;
        const fileLines = text.split(/\r\n|\r|\n/);
        for (let i = 0; i < fileLines.length; i++) {
          const line = fileLines[i];
          const r = grammar.tokenizeLine(line, stack, LINE_TIME_LIMIT_MS);
          lines++;
          const where = `${relative(corpusDir, file)}:${i + 1}`;
          if (r.stoppedEarly) problems.push(`${where}: stopped early`);
          if (r.tokens.length === 0 || r.tokens[r.tokens.length - 1].endIndex < line.length) problems.push(`${where}: tokens do not cover the line`);
          if (r.ruleStack.depth > MAX_DEPTH) problems.push(`${where}: rule stack depth ${r.ruleStack.depth}`);
          if (problems.length > 20) break;
          stack = r.ruleStack;
        }
      }
      assert.deepEqual(problems, []);
      assert.ok(lines > 1000, `only ${lines} lines tokenised`);
    });
  }
});
