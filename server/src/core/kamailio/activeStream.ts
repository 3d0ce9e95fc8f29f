// The active token stream of a kamailio.cfg deployment: the main file and everything it
// includes, read in Kamailio's order with one preprocessor state (defines, #!subst rules, the
// #!ifdef stack — all global across files, as in cfg.lex). Reference §4.2.
//
// How it mirrors Kamailio:
// - Active text is read token by token from each file's lexing; a false #!ifdef switches to the
//   IFDEF_SKIP scan (preprocessor.ts) until the matching #!else/#!endif, then reading resumes —
//   with a fresh lexing from that offset when the full-file lexing had a string or comment
//   running across it.
// - An ID token that names a define is replaced by its value, re-lexed (cfg.lex unputs the value);
//   #!subst rules rewrite string tokens, pseudo-variables and include file names.
// - include_file/import_file push the target file at that point (nesting ≤ 10, a file already on
//   the include stack is not entered again). A relative name is looked up beside the including
//   file, then beside the main file (Kamailio 5.6.3 tries its working directory first, which for a
//   checked workspace is best approximated by the main file's folder; 6.0.1 reads the file beside
//   the including one, proven in the Debian 13 oracle); an absolute one through the path mapping.
// `#!ifexp` expressions this checker cannot evaluate count as false.
import * as posix from 'node:path/posix';
import { isRenderedTemplate, standInFor } from '../project/standIns';
import type { Range } from '../types';
import type { KamailioVersion } from '../version';
import { kamailioName, versionAtLeast } from '../version';
import type { SourceReader } from './index';
import type { DefineInfo, IncludeStatement, KamailioFileInfo, ParseProblem, RouteBlock } from './model';
import { firstTokenAt, insideLexeme, lexKamailio, type LexResult } from './lexer';
import type { ParsedKamailioFile } from './parser';
import { DefineTable, nextSkipEvent, parseCommandLineDefine, type DefineEntry } from './preprocessor';
import { expressionIsTrue, evaluateExpression, formatExprValue } from './expression';
import { readSubstRule, substDefineValue } from './subst';
import { SUBST_LIMITS, SubstRunner } from './substRunner';
import type { ImportFilesItem, SrcToken } from './statements';
import { isIdWord, type Token } from './tokens';
import { contentRange, spanRange, type RangeOf } from './values';
import { SYNTAX_FEATURES } from './coreParams';
import { excerpt, quoted } from '../quote';
import { failureSummary } from '../limits';

const SYNTAX = 'kamcfg.syntax';
const UNPAIRED = 'kamcfg.unpaired-directive';
const CHECK_LIMIT = 'project.check-limit';
const INTERNAL_ERROR = 'project.internal-error';
const MAX_INCLUDE_DEPTH = 10;
const MAX_EXPANSION_DEPTH = 16;
/**
 * Tokens one source token may expand to. The depth limit alone does not bound the work: a define
 * that names itself more than once (`#!define A A A`) doubles at every level, 2^16 tokens and
 * more, which hung the checker. Real expansions are a handful of tokens.
 */
const MAX_EXPANDED_TOKENS = 1024;
/** Expanded tokens for a whole deployment, so that many such uses stay cheap too. */
const MAX_EXPANDED_TOKENS_TOTAL = 65_536;
/**
 * Text read through include_file/import_file/import_files in one deployment. Kamailio reads a
 * file as often as it is included, so 3,000 includes of a 400 KB fragment are 1.2 GB of
 * configuration (16 s here); the largest real deployment in the corpus includes under 2 MB.
 */
export const MAX_INCLUDED_CHARS = 64 * 1024 * 1024;

interface IfEntry {
  value: boolean;
  /**
   * This entry or one below it is false (the text is skipped). Kept per entry so that "is any
   * condition false?" is a look at the top, not a scan of the stack: with 30,000 nested
   * #!ifdef the scan made evaluation quadratic (seconds).
   */
  blocked?: boolean;
  file: string;
  range: Range;
  kind: string;
}

/** A directive that pairs with nothing; its code depends on the final count (see complete()). */
interface UnpairedDirective {
  file: string;
  range: Range;
  /** `stray`: an #!endif with no open #!ifdef; `ignored`: an #!endif Kamailio reads as a comment. */
  kind: 'stray' | 'ignored';
  /** The directive as written, e.g. `#!endif`. */
  spelling: string;
  message?: string;
}

interface Segment {
  lex: LexResult;
  start: number;
  end: number;
}

interface FileData {
  parsed: ParsedKamailioFile;
  problems: ParseProblem[];
  inactive: Range[];
  routes: RouteBlock[];
  defines: DefineInfo[];
  includes: IncludeStatement[];
  segments: Segment[];
}

interface Frame {
  file: string;
  data: FileData;
  lex: LexResult;
  idx: number;
  /** Offset up to which the file has been consumed. */
  pos: number;
  /** Start of the active segment being read. */
  segStart: number;
  /** Where the current skipped region began (valid while skipping). */
  skipFrom: number;
  /** A define value opened a line comment: drop the rest of the source line. */
  dropLine: boolean;
}

interface Pending {
  tok: SrcToken;
  depth: number;
}

export class ActiveStream {
  private readonly defines = new DefineTable();
  private readonly substs = new SubstRunner((stop) => this.problem(stop.subst.file, stop.subst.range, stop.message, stop.code));
  /** Files already told that a define expansion budget ran out (one finding each). */
  private readonly expansionLimitReported = new Set<string>();
  private readonly ifStack: IfEntry[] = [];
  /**
   * Kamailio counts the directives instead of pairing them (cfg.lex pp_ifdef_type and pp_endif
   * update pp_ifdef_level; ppcfg.c pp_ifdef_level_check at the end): every #!ifdef/#!ifndef adds
   * one — also in a skipped region — and every #!endif takes one away, also a stray one, which
   * only logs "invalid position for preprocessor directive 'endif'" and leaves the stack alone.
   * Only a count other than 0 at the end is fatal (verified on 5.6.3, ORACLE-NOTES.md).
   */
  private ifdefLevel = 0;
  private readonly unpaired: UnpairedDirective[] = [];
  private readonly frames: Frame[] = [];
  /**
   * Expanded tokens still to deliver, in reverse order (the next one last): pop and push are
   * O(1), where shift/unshift(...spread) were O(n) each and overflowed the call stack for a
   * define whose value has a hundred thousand tokens.
   */
  private readonly pending: Pending[] = [];
  private readonly fileData = new Map<string, FileData>();
  private readonly fileOrder: string[] = [];
  private readonly expansionCache = new Map<string, LexResult>();
  private order = 0;
  private skipping = false;
  /** What is left of MAX_EXPANDED_TOKENS for the source token being expanded. */
  private expansionBudget = MAX_EXPANDED_TOKENS;
  private expansionTotal = MAX_EXPANDED_TOKENS_TOTAL;
  /** Characters of included text read so far, and whether the budget was said (once). */
  private includedChars = 0;
  private includeBudgetSaid = false;
  /** A define just expanded to nothing; remembered for the next token of the same line. */
  private emptyExpansion: { name: string; file: string; start: number; end: number } | undefined;
  /** Defines whose value is a deployment placeholder (see placeholderLike). */
  private readonly placeholderDefines = new Set<string>();

  /** Every include statement of the active text, in evaluation order. */
  readonly includes: IncludeStatement[] = [];

  readonly rangeOf: RangeOf = (file, start, end) => {
    const lines = this.fileData.get(file)?.parsed.lines;
    if (!lines) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return lines.rangeOf(start, end);
  };

  constructor(
    readonly mainFile: string,
    private readonly reader: SourceReader,
    private readonly version: KamailioVersion,
    private readonly mapPath: (p: string) => string,
    private readonly parse: (file: string, text: string) => ParsedKamailioFile,
    commandLineDefines: readonly string[],
    private readonly environment: Readonly<Record<string, string>>,
  ) {
    this.builtinDefines(commandLineDefines);
  }

  // ---- defines ---------------------------------------------------------------------------

  private builtinDefines(commandLine: readonly string[]): void {
    const { major, minor } = this.version;
    const put = (name: string, value?: string) => {
      const info: DefineInfo = { name };
      if (value !== undefined) info.value = value;
      const e: DefineEntry = { name, info };
      if (value !== undefined) e.value = value;
      this.defines.set(e);
    };
    // ppcfg.c pp_define_core: KAMAILIO_<maj>, _<maj>_<min>, _<maj>_<min>_<patch> (patch 0 here),
    // KAMAILIO_VERSION (a value since the #!ifexp era; 5.6.3 has it without one) and OS_NAME.
    put(`KAMAILIO_${major}`);
    put(`KAMAILIO_${major}_${minor}`);
    put(`KAMAILIO_${major}_${minor}_0`);
    put('KAMAILIO_VERSION', versionAtLeast(this.version, SYNTAX_FEATURES.ifexp.since) ? String(major * 1000000 + minor * 1000) : undefined);
    put('OS_NAME', 'linux');
    for (const spec of commandLine) {
      const d = parseCommandLineDefine(spec);
      if (!d) continue;
      // Kamailio refuses a second -A of the same name; the checker lets the later one win.
      if (this.defines.has(d.name)) this.defines.delete(d.name);
      put(d.name, d.value);
    }
  }

  private defineLookup = (name: string): { defined: false } | { defined: true; value?: string } => {
    const e = this.defines.get(name);
    if (!e) return { defined: false };
    return e.value === undefined ? { defined: true } : { defined: true, value: e.value };
  };

  private defineValue = (name: string): string | undefined => this.defines.valueOf(name);

  // ---- files ---------------------------------------------------------------------------

  private dataFor(file: string, text: string): FileData {
    let d = this.fileData.get(file);
    if (!d) {
      d = { parsed: this.parse(file, text), problems: [], inactive: [], routes: [], defines: [], includes: [], segments: [] };
      this.fileData.set(file, d);
      this.fileOrder.push(file);
    }
    return d;
  }

  private pushFrame(file: string, text: string): void {
    const data = this.dataFor(file, text);
    this.frames.push({ file, data, lex: data.parsed.lexed, idx: 0, pos: 0, segStart: 0, skipFrom: 0, dropLine: false });
  }

  /** Position in evaluation order across the deployment (statements and includes share it). */
  nextOrder(): number {
    return this.order++;
  }

  /** cfg.lex/sr_module.c: every loaded module defines MOD_<name> right away. */
  defineModule(module: string): void {
    const name = `MOD_${module}`;
    if (!this.defines.has(name)) this.defines.set({ name, info: { name } });
  }

  addRoute(block: RouteBlock): void {
    this.fileData.get(block.file)?.routes.push(block);
  }

  readonly sourceOf = (file: string): string => this.fileData.get(file)?.parsed.text ?? '';

  lineOf = (t: SrcToken): number => this.lineAt(t.file, t.start);

  /** 1-based line of an offset, as messages name it. */
  private lineAt(file: string, offset: number): number {
    return (this.fileData.get(file)?.parsed.lines.positionAt(offset).line ?? 0) + 1;
  }

  problem(file: string, range: Range, message: string, code = SYNTAX): void {
    const d = this.fileData.get(file);
    if (d) d.problems.push({ code, range, message });
  }

  start(): void {
    const text = this.reader.readText(this.mainFile) ?? '';
    this.pushFrame(this.mainFile, text);
    const material = this.fileData.get(this.mainFile)?.parsed.cryptoMaterial;
    if (material) {
      // Verified on 5.6.3 (ORACLE-NOTES.md, "Key material read as configuration"): cfg.y stops
      // at the first lines of a key, a certificate, a JWK or base64.
      this.problem(
        this.mainFile,
        { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        `This file holds ${material.description}, not a kamailio.cfg: Kamailio stops with "parse error in config file …/${posix.basename(this.mainFile)}" and does not start.`,
      );
    }
  }

  // ---- the active token stream ---------------------------------------------------------

  private closeSegment(f: Frame, end: number): void {
    if (end > f.segStart) f.data.segments.push({ lex: f.lex, start: f.segStart, end });
    f.segStart = end;
  }

  private enterSkip(f: Frame, from: number): void {
    this.closeSegment(f, from);
    f.skipFrom = from;
    f.pos = from;
  }

  private resumeAt(f: Frame, offset: number): void {
    f.pos = offset;
    f.segStart = offset;
    if (insideLexeme(f.lex, offset)) {
      f.lex = f.data.parsed.lexFrom(offset);
      f.idx = 0;
    } else {
      f.idx = firstTokenAt(f.lex.tokens, offset);
    }
  }

  private popFrame(): void {
    const f = this.frames.pop()!;
    if (!this.skipping) this.closeSegment(f, f.data.parsed.text.length);
    const parent = this.frames[this.frames.length - 1];
    if (parent && this.skipping) this.enterSkip(parent, parent.pos);
  }

  private pushIf(entry: IfEntry): void {
    entry.blocked = !entry.value || this.anyFalse();
    this.ifStack.push(entry);
    this.ifdefLevel++;
  }

  /** #!endif: counted whether or not it closes something. */
  private endif(file: string, range: Range, spelling: string): boolean {
    this.ifdefLevel--;
    if (this.ifStack.pop()) return true;
    this.unpaired.push({ file, range, kind: 'stray', spelling });
    return false;
  }

  /** #!else: the innermost condition turns over. */
  private flipTop(): void {
    const top = this.ifStack[this.ifStack.length - 1];
    if (!top) return;
    top.value = !top.value;
    top.blocked = !top.value || (this.ifStack[this.ifStack.length - 2]?.blocked ?? false);
  }

  /** Some open condition is false: the text is skipped. */
  private anyFalse(): boolean {
    return this.ifStack[this.ifStack.length - 1]?.blocked ?? false;
  }

  private updateSkipping(f: Frame, lineAfter: number): void {
    const now = this.anyFalse();
    if (now && !this.skipping) this.enterSkip(f, lineAfter);
    this.skipping = now;
  }

  /** Scans a skipped region of the top frame; false when the file ended inside it. */
  private skipInFrame(f: Frame): boolean {
    const text = f.data.parsed.text;
    const ifexp = versionAtLeast(this.version, SYNTAX_FEATURES.ifexp.since);
    for (;;) {
      const ev = nextSkipEvent(text, f.pos, ifexp);
      if (!ev) {
        f.data.inactive.push(this.rangeOf(f.file, f.skipFrom, text.length));
        f.pos = text.length;
        return false;
      }
      f.pos = ev.end;
      const range = this.rangeOf(f.file, ev.start, ev.kind === 'ignored' ? ev.end : ev.keywordEnd);
      switch (ev.kind) {
        case 'ignored':
          if (ev.directive === 'endif') this.unpaired.push({ file: f.file, range, kind: 'ignored', spelling: text.slice(ev.start, ev.keywordEnd), message: ev.message ?? '' });
          else this.problem(f.file, range, ev.message ?? '', UNPAIRED);
          continue;
        case 'ifdef':
        case 'ifndef':
          this.pushIf({ value: ev.id ? this.defines.has(ev.id.text) === (ev.kind === 'ifdef') : false, file: f.file, range, kind: ev.kind });
          break;
        case 'ifexp':
          this.pushIf({ value: expressionIsTrue(ev.expression ?? '', this.defineLookup), file: f.file, range, kind: ev.kind });
          break;
        case 'else': {
          this.flipTop();
          break;
        }
        case 'endif':
          this.endif(f.file, range, text.slice(ev.start, ev.keywordEnd));
          break;
      }
      if (!this.anyFalse()) {
        this.skipping = false;
        f.data.inactive.push(this.rangeOf(f.file, f.skipFrom, ev.start));
        this.resumeAt(f, ev.end);
        return true;
      }
    }
  }

  /** The next active, expanded token of the deployment. */
  nextToken(): SrcToken | undefined {
    for (;;) {
      const p = this.pending.pop();
      if (p) {
        const out = this.finish(p.tok, p.depth);
        if (out) return out;
        continue;
      }
      const f = this.frames[this.frames.length - 1];
      if (!f) return undefined;
      if (this.skipping) {
        if (!this.skipInFrame(f)) this.popFrame();
        continue;
      }
      if (f.idx >= f.lex.tokens.length) {
        this.popFrame();
        continue;
      }
      const raw = f.lex.tokens[f.idx++]!;
      f.pos = raw.end;
      if (f.dropLine) {
        if (!raw.newlineBefore) continue;
        f.dropLine = false;
      }
      if (raw.kind === 'directive' || raw.kind === 'include') {
        // One directive that sip-tls fails on is a finding at its line; reading goes on after it.
        try {
          if (raw.kind === 'directive') this.directive(f, raw);
          else this.include(f, raw);
        } catch (error) {
          this.failedOn(f.file, raw, `this ${quoted(raw.directive?.keyword.text ?? raw.include?.directive ?? raw.text)}`, error);
        }
        continue;
      }
      this.expansionBudget = MAX_EXPANDED_TOKENS;
      let out: SrcToken | undefined;
      try {
        out = this.finish(raw, 0);
      } catch (error) {
        this.failedOn(f.file, raw, `the token ${quoted(raw.text)}`, error);
        out = raw;
      }
      if (out) return out;
    }
  }

  private failedOn(file: string, tok: Token, what: string, error: unknown): void {
    this.problem(
      file,
      this.rangeOf(file, tok.start, tok.end),
      `sip-tls failed on ${what} (${failureSummary(error)}): it was taken as written, and the rest of the configuration was checked.`,
      INTERNAL_ERROR,
    );
  }

  /** A define left unexpanded because an expansion budget ran out: said once per file. */
  private expansionLimit(t: SrcToken): void {
    if (this.expansionLimitReported.has(t.file)) return;
    this.expansionLimitReported.add(t.file);
    const budget =
      this.expansionTotal <= 0
        ? `the ${MAX_EXPANDED_TOKENS_TOTAL.toLocaleString('en-US')} tokens defines may expand to in a whole deployment`
        : `the ${MAX_EXPANDED_TOKENS.toLocaleString('en-US')} tokens one name may expand to`;
    this.problem(
      t.file,
      this.rangeOf(t.file, t.start, t.end),
      `sip-tls did not expand ${quoted(t.text)} here: the expansion is over ${budget}. It was checked as written, as were the define names left after it in this file.`,
      CHECK_LIMIT,
    );
  }

  private markAfterEmpty(t: SrcToken): SrcToken {
    const e = this.emptyExpansion;
    if (!e) return t;
    this.emptyExpansion = undefined;
    if (t.newlineBefore || t.file !== e.file) return t;
    return { ...t, afterEmptyDefine: { name: e.name, start: e.start, end: e.end } };
  }

  /** Define expansion and #!subst on one token; undefined when it expanded (see pending). */
  private finish(t: SrcToken, depth: number): SrcToken | undefined {
    // Past a budget a name is left as it is, as past the depth limit.
    if (t.kind === 'word' && depth < MAX_EXPANSION_DEPTH && isIdWord(t.text)) {
      const e = this.defines.get(t.text);
      if (e && e.fromEnvironment === undefined) {
        if (this.expansionBudget > 0 && this.expansionTotal > 0) {
          this.expand(t, e, depth);
          return undefined;
        }
        this.expansionLimit(t);
      }
    }
    if ((t.kind === 'string' || t.kind === 'pvar') && this.substs.count > 0) {
      const before = t.kind === 'string' ? t.value ?? '' : t.text;
      const after = this.substs.apply(before, { file: t.file, line: this.lineOf(t) }, this.defineValue);
      if (after !== before) {
        if (t.kind === 'string') return this.markAfterEmpty({ ...t, value: after, substituted: true });
        return this.markAfterEmpty({ ...t, text: after, substituted: true });
      }
    }
    return this.markAfterEmpty(t);
  }

  private expand(t: SrcToken, e: DefineEntry, depth: number): void {
    const value = e.value ?? '';
    if (value.trim() === '') {
      this.emptyExpansion = { name: t.fromDefine ?? e.name, file: t.file, start: t.start, end: t.end };
      return;
    }
    const placeholder = t.placeholderDefine ?? (this.placeholderDefines.has(e.name) || placeholderLike(value) ? e.name : undefined);
    let lexed = this.expansionCache.get(value);
    if (!lexed) {
      lexed = lexKamailio(value);
      this.expansionCache.set(value, lexed);
    }
    this.expansionBudget -= lexed.tokens.length;
    this.expansionTotal -= lexed.tokens.length;
    if (lexed.endsInLineComment) {
      const f = this.frames[this.frames.length - 1];
      if (f) f.dropLine = true;
    }
    const out: Pending[] = [];
    let prev: Token | undefined;
    for (const v of lexed.tokens) {
      if (v.kind === 'directive' || v.kind === 'include') continue;
      const s: SrcToken = {
        ...v,
        file: t.file,
        start: t.start,
        end: t.end,
        newlineBefore: out.length === 0 ? t.newlineBefore : false,
        spaceBefore: out.length === 0 ? t.spaceBefore : !prev || prev.end < v.start,
        fromDefine: t.fromDefine ?? e.name,
      };
      if (placeholder) s.placeholderDefine = placeholder;
      prev = v;
      out.push({ tok: s, depth: depth + 1 });
    }
    for (let i = out.length - 1; i >= 0; i--) this.pending.push(out[i]!);
  }

  // ---- preprocessor directives -----------------------------------------------------------

  private nextLineStart(text: string, p: number): number {
    const nl = text.indexOf('\n', p);
    return nl === -1 ? text.length : nl + 1;
  }

  private recordDefine(f: Frame, name: string, value: string | undefined, idStart: number, idEnd: number, extra: Partial<DefineEntry> = {}): void {
    const info: DefineInfo = { name, file: f.file, range: this.rangeOf(f.file, idStart, idEnd) };
    const shown = value?.trim();
    if (shown) info.value = shown;
    if (extra.fromEnvironment !== undefined) info.fromEnvironment = extra.fromEnvironment;
    const entry: DefineEntry = { name, info, ...extra };
    if (value !== undefined) entry.value = value;
    this.defines.set(entry);
    f.data.defines.push(info);
  }

  private alreadyDefined(f: Frame, name: string, start: number, end: number): void {
    const prev = this.defines.get(name)!;
    const where = prev.info.file ? '' : ' (it is given with -A / sipTls.defines or built in)';
    this.problem(
      f.file,
      this.rangeOf(f.file, start, end),
      `already defined: ${name}${where} — Kamailio stops at a second #!define of the same name; use #!trydef to define it only when it is missing, or #!redefine to replace it.`,
    );
  }

  /** A directive the target version does not know: cfg.lex reads `#!word …` as a comment. */
  private tooNew(f: Frame, range: Range, written: string, since: string | undefined, consequence: string): void {
    this.problem(
      f.file,
      range,
      `${kamailioName(this.version)} does not know ${quoted(written)}${since ? ` (it arrived in ${since})` : ''}: it reads the line as a comment, ${consequence}.`,
      'kamcfg.version-gated',
    );
  }

  private directive(f: Frame, tok: Token): void {
    const d = tok.directive!;
    const text = f.data.parsed.text;
    const keyRange = this.rangeOf(f.file, d.keyword.start, d.keyword.end);
    switch (d.name) {
      case 'define':
      case 'trydef':
      case 'redefine':
      case 'defexp':
      case 'defexps': {
        if (d.fatal || !d.id) return;
        if ((d.name === 'defexp' || d.name === 'defexps') && !versionAtLeast(this.version, SYNTAX_FEATURES.defexp.since)) {
          this.tooNew(f, keyRange, d.keyword.text, SYNTAX_FEATURES.defexp.since, `so ${d.id.text} stays undefined`);
          return;
        }
        const name = d.id.text;
        if (this.defines.has(name)) {
          if (d.name === 'trydef') return;
          if (d.name !== 'redefine') {
            this.alreadyDefined(f, name, d.id.start, d.id.end);
            return;
          }
        }
        let value = d.value?.text;
        if ((d.name === 'defexp' || d.name === 'defexps') && value !== undefined) {
          const v = evaluateExpression(value, this.defineLookup);
          value = v === undefined ? undefined : d.name === 'defexps' ? `"${formatExprValue(v)}"` : formatExprValue(v);
        }
        this.recordDefine(f, name, value, d.id.start, d.id.end);
        return;
      }
      case 'undef':
      case 'tryundef':
        if (!d.id) return;
        if (!versionAtLeast(this.version, SYNTAX_FEATURES.undef.since)) {
          // Verified on 5.6.3 only: report it where the comment reading is certain.
          if (!versionAtLeast(this.version, '5.7')) this.tooNew(f, keyRange, d.keyword.text, undefined, `so ${d.id.text} stays defined`);
          return;
        }
        this.defines.delete(d.id.text);
        return;
      case 'defenv':
      case 'defenvs':
      case 'trydefenv':
      case 'trydefenvs': {
        if (!d.id) return;
        const eq = d.id.text.indexOf('=');
        const name = eq === -1 ? d.id.text : d.id.text.slice(0, eq);
        const env = eq === -1 ? d.id.text : d.id.text.slice(eq + 1);
        if (this.defines.has(name)) {
          this.alreadyDefined(f, name, d.id.start, d.id.start + name.length);
          return;
        }
        // The deployment's environment is known only as far as its variables were given (--var,
        // "vars"): otherwise the name is defined and its value unknown.
        const known = this.environment[env];
        if (known !== undefined && known !== '') {
          this.recordDefine(f, name, d.name.endsWith('s') ? `"${known.replace(/"/g, '\\"')}"` : known, d.id.start, d.id.start + name.length);
          return;
        }
        this.recordDefine(f, name, undefined, d.id.start, d.id.start + name.length, { fromEnvironment: env });
        return;
      }
      case 'subst':
      case 'substdef':
      case 'substdefs': {
        const next = f.lex.tokens[f.idx];
        if (!next || next.kind !== 'string') {
          this.problem(f.file, keyRange, `${quoted(d.keyword.text)} needs a quoted rule such as "/regex/replacement/g": Kamailio stops with "invalid ${d.name} preprocess statement".`);
          return;
        }
        f.idx++;
        f.pos = next.end;
        const ruleRange = this.rangeOf(f.file, next.start, next.end);
        const source = this.substs.apply(next.value ?? '', { file: f.file, line: this.lineAt(f.file, next.start) }, this.defineValue);
        const reading = readSubstRule(source);
        if ('malformed' in reading) {
          this.problem(f.file, ruleRange, `Kamailio cannot read this ${d.name} rule ("bad subst expression"): it must be "/regex/replacement/flags" with the same separator three times and flags among i, g.`);
          return;
        }
        const directive = `#!${d.name}`;
        if ('engine' in reading) {
          // A JavaScript limit, not Kamailio's: its POSIX regcomp may well take the pattern.
          const still = d.name === 'subst' ? '' : ' (its define is not made either)';
          this.problem(
            f.file,
            ruleRange,
            `sip-tls could not compile the pattern of this ${directive} rule (JavaScript: ${excerpt(reading.engine, 120)}): it was not applied${still}, and the rest of the configuration was checked without it.`,
            INTERNAL_ERROR,
          );
          return;
        }
        const rule = reading.rule;
        if (d.name !== 'subst') {
          const name = rule.pattern;
          if (this.defines.has(name)) {
            this.alreadyDefined(f, name, next.start, next.end);
          } else {
            let missing = false;
            const v = substDefineValue(rule, (n) => {
              const got = this.defineValue(n);
              if (got === undefined) missing = true;
              return got;
            });
            if (v.length > SUBST_LIMITS.defineValueChars) {
              this.problem(
                f.file,
                ruleRange,
                `sip-tls did not apply this ${directive}: the value of ${quoted(name)} has ${v.length.toLocaleString('en-US')} characters, over the ${SUBST_LIMITS.defineValueChars.toLocaleString('en-US')} it keeps for a define. Neither the define nor the rule was used; the rest of the configuration was checked without them.`,
                CHECK_LIMIT,
              );
              return;
            }
            if (missing || placeholderLike(v)) this.placeholderDefines.add(name);
            this.recordDefine(f, name, d.name === 'substdefs' ? `"${v}"` : v, next.start, next.end);
          }
        }
        const refusal = this.substs.refusal(rule, directive);
        if (refusal) {
          this.problem(f.file, ruleRange, refusal, CHECK_LIMIT);
          return;
        }
        this.substs.add({ rule, file: f.file, range: ruleRange, directive });
        return;
      }
      case 'ifdef':
      case 'ifndef':
      case 'ifexp': {
        if (d.name === 'ifexp' && !versionAtLeast(this.version, SYNTAX_FEATURES.ifexp.since)) {
          this.tooNew(f, keyRange, d.keyword.text, SYNTAX_FEATURES.ifexp.since, "so the lines below are always used and the matching '#!endif' has nothing to close");
          return;
        }
        const value =
          d.name === 'ifexp' ? expressionIsTrue(d.expression?.text ?? '', this.defineLookup) : d.id ? this.defines.has(d.id.text) === (d.name === 'ifdef') : false;
        this.pushIf({ value, file: f.file, range: keyRange, kind: d.name });
        this.updateSkipping(f, this.nextLineStart(text, tok.end));
        return;
      }
      case 'else': {
        const top = this.ifStack[this.ifStack.length - 1];
        if (!top) {
          this.problem(
            f.file,
            keyRange,
            `This ${quoted(d.keyword.text)} has no open #!ifdef/#!ifndef: Kamailio only warns ("invalid position for preprocessor directive 'else'") and ignores it, so the lines after it are always used.`,
            UNPAIRED,
          );
          return;
        }
        this.flipTop();
        this.updateSkipping(f, this.nextLineStart(text, tok.end));
        return;
      }
      case 'endif': {
        if (!this.endif(f.file, keyRange, d.keyword.text)) return;
        this.updateSkipping(f, this.nextLineStart(text, tok.end));
        return;
      }
    }
  }

  // ---- includes ----------------------------------------------------------------------------

  private candidates(target: string, includingFile: string): string[] {
    if (posix.isAbsolute(target)) return [this.mapPath(target)];
    const out = [posix.join(posix.dirname(includingFile), target), posix.join(posix.dirname(this.mainFile), target)];
    return [...new Set(out)];
  }

  private include(f: Frame, tok: Token): void {
    const inc = tok.include!;
    if (!inc.name) return;
    const raw = this.substs.apply(inc.name.text, { file: f.file, line: this.lineAt(f.file, inc.name.start) }, this.defineValue);
    const isQuoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
    const target = isQuoted ? unescapeIncludeName(raw.slice(1, -1)) : raw;
    const nameRange = isQuoted && raw === inc.name.text ? this.rangeOf(f.file, inc.name.start + 1, inc.name.end - 1) : this.rangeOf(f.file, inc.name.start, inc.name.end);
    const stmt: IncludeStatement = {
      file: f.file,
      range: this.rangeOf(f.file, tok.start, tok.end),
      order: this.nextOrder(),
      directive: inc.directive,
      target,
      targetRange: nameRange,
      quoted: isQuoted,
      resolved: [],
      triedPaths: [],
    };
    this.includes.push(stmt);
    f.data.includes.push(stmt);
    if (!isQuoted) {
      const semicolon = inc.name.text.endsWith(';') && inc.name.text.startsWith('"');
      this.problem(
        f.file,
        this.rangeOf(f.file, inc.name.start, inc.name.end),
        semicolon
          ? `Kamailio reads the whole ${quoted(inc.name.text)} as the file name (everything up to white space), so the ';' breaks it and Kamailio exits with "included file name must be between quotes". Remove the ';'.`
          : `The file name of ${inc.directive} must be in double quotes: Kamailio exits with "included file name must be between quotes: ${excerpt(inc.name.text)}".`,
      );
      return;
    }
    if (raw.length >= 128) {
      this.problem(f.file, nameRange, `Kamailio exits with "included file name too long": include names are limited to 127 characters.`);
      return;
    }
    this.follow(f, stmt, this.candidates(target, f.file));
  }

  private follow(f: Frame, stmt: IncludeStatement, tried: string[]): void {
    stmt.triedPaths = tried;
    for (const p of tried) {
      const text = this.reader.readText(p);
      if (text === undefined) continue;
      stmt.resolved = [p];
      this.enter(f, stmt, p, text);
      return;
    }
    // Not in the repository, but its template or sample is: the deployed file is made from it.
    // (Kamailio skips an import_file of a missing file: only a template a deploy step renders
    // every time stands in for one, not a sample that may stay unused.)
    for (const p of tried) {
      const standIn = standInFor(p, (c) => this.reader.readText(c) !== undefined);
      if (!standIn || (stmt.directive !== 'include_file' && !isRenderedTemplate(standIn))) continue;
      stmt.resolved = [standIn];
      stmt.standInFor = p;
      this.enter(f, stmt, standIn, this.reader.readText(standIn)!);
      return;
    }
  }

  private enter(f: Frame, stmt: IncludeStatement, path: string, text: string): void {
    const material = this.parse(path, text).cryptoMaterial;
    if (material) {
      // Never parsed (parser.ts): one finding on the name that pulls it in. Kamailio 5.6.3 stops
      // at its first lines, for include_file and import_file alike (ORACLE-NOTES.md).
      this.problem(
        f.file,
        stmt.targetRange,
        `${path} holds ${material.description}, not kamailio.cfg text: ${stmt.directive} makes Kamailio parse it, and it stops with "parse error in config file …/${posix.basename(path)}" and does not start.`,
      );
      return;
    }
    const chain = this.frames.map((x) => x.file);
    if (chain.includes(path)) {
      this.problem(
        f.file,
        stmt.targetRange,
        `${quoted(stmt.target)} is already being read (${[...chain, path].map((x) => posix.basename(x)).join(' → ')}): Kamailio would include it again and again until it stops with "too many includes" (the nesting limit is ${MAX_INCLUDE_DEPTH}).`,
      );
      return;
    }
    if (this.frames.length > MAX_INCLUDE_DEPTH) {
      this.problem(f.file, stmt.targetRange, `Includes are nested more than ${MAX_INCLUDE_DEPTH} deep here: Kamailio stops with "too many includes".`);
      return;
    }
    if (this.includedChars + text.length > MAX_INCLUDED_CHARS) {
      if (!this.includeBudgetSaid) {
        this.includeBudgetSaid = true;
        this.problem(
          f.file,
          stmt.targetRange,
          `sip-tls stops following includes here: this deployment's included text would pass ${MAX_INCLUDED_CHARS / (1024 * 1024)} MiB (${this.includedChars.toLocaleString('en-US')} characters read so far). ${posix.basename(path)} and every include after it were not checked; Kamailio reads them all.`,
          CHECK_LIMIT,
        );
      }
      return;
    }
    this.includedChars += text.length;
    this.pushFrame(path, text);
  }

  /** `import_files "dir/*.cfg"`: not upstream Kamailio (coreParams SYNTAX_FEATURES.importFiles); followed for kazoo-style deployments. */
  importFiles(item: ImportFilesItem): void {
    const f = this.frames[this.frames.length - 1];
    const target = item.target;
    if (!target) return;
    const file = item.keyword.file;
    const pattern = target.value ?? '';
    const stmt: IncludeStatement = {
      file,
      range: spanRange(item.keyword, target, this.rangeOf),
      order: this.nextOrder(),
      directive: 'import_files',
      target: pattern,
      targetRange: contentRange(target, this.rangeOf),
      quoted: true,
      resolved: [],
      triedPaths: [],
    };
    this.includes.push(stmt);
    this.fileData.get(file)?.includes.push(stmt);
    const dirs = this.candidates(posix.dirname(pattern), file);
    const base = posix.basename(pattern);
    const re = globToRegExp(base);
    for (const dir of dirs) {
      stmt.triedPaths.push(posix.join(dir, base));
      const names = this.reader.listDir(dir);
      if (!names) continue;
      stmt.resolved = names
        .filter((n) => re.test(n))
        .sort()
        .map((n) => posix.join(dir, n));
      break;
    }
    if (!f) return;
    // Push in reverse so the first match is read first.
    for (const p of [...stmt.resolved].reverse()) {
      const text = this.reader.readText(p);
      if (text !== undefined) this.enter(f, stmt, p, text);
    }
  }

  // ---- result ------------------------------------------------------------------------------

  /** Problems that only the end of the text can tell (the directive count) and lexical ones of the active text. */
  complete(): void {
    // Lexical problems count only where Kamailio actually lexed the text (not in skipped regions).
    for (const d of this.fileData.values()) {
      const seen = new Set<string>();
      for (const seg of d.segments) {
        // The lexer reports problems in text order: start at the first one inside the segment.
        const list = seg.lex.problems;
        let lo = 0;
        let hi = list.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (list[mid]!.start < seg.start) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < list.length; i++) {
          const p = list[i]!;
          if (p.start >= seg.end) break;
          const key = `${p.kind}@${p.start}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const range = this.rangeOf(d.parsed.file, p.start, p.end);
          if (p.kind === 'ignored-directive') {
            const spelling = d.parsed.text.slice(p.start, p.start + 2) + (p.directive ?? '');
            if (p.directive === 'endif') this.unpaired.push({ file: d.parsed.file, range, kind: 'ignored', spelling, message: p.message });
            else d.problems.push({ code: UNPAIRED, range, message: p.message });
            continue;
          }
          // An unterminated block comment is only logged (CRITICAL) and Kamailio starts without
          // the rest of the file (verified on 5.6.3, ORACLE-NOTES.md D3): not a syntax error.
          const code = p.kind === 'unterminated-comment' ? 'kamcfg.unterminated-comment' : SYNTAX;
          d.problems.push({ code, range, message: p.message });
        }
      }
    }
    this.reportDirectiveCount();
    for (const d of this.fileData.values()) {
      d.problems.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    }
  }

  /**
   * The end-of-parse check (ppcfg.c pp_ifdef_level_check): Kamailio exits when the numbers of
   * #!if… and #!endif differ, and starts when they agree — also when a stray #!endif makes them
   * agree with an #!ifdef that is never closed (verified on 5.6.3, ORACLE-NOTES.md "Preprocessor
   * directives are counted").
   */
  private reportDirectiveCount(): void {
    const level = this.ifdefLevel;
    const strays = this.unpaired.filter((u) => u.kind === 'stray');
    if (level !== 0) {
      const numbers = level > 0 ? `${level} more #!if[n]def as #!endif` : `${-level} more #!endif as #!if[n]def`;
      const stops = `stops with "different number of preprocessor directives: ${numbers}"`;
      for (const e of this.ifStack) this.problem(e.file, e.range, `This #!${e.kind} has no matching #!endif: Kamailio ${stops}.`);
      for (const u of this.unpaired) {
        const message =
          u.kind === 'stray'
            ? `This '${u.spelling}' has no open #!ifdef/#!ifndef: Kamailio logs "invalid position for preprocessor directive 'endif'", still counts it, and ${stops}.`
            : `${u.message} The numbers of #!if… and #!endif then differ: Kamailio ${stops}.`;
        this.problem(u.file, u.range, message);
      }
      return;
    }
    // The numbers agree: Kamailio starts. What pairs with nothing is still worth a warning; the
    // n-th stray #!endif is named together with the n-th #!ifdef left open (there are as many).
    this.ifStack.forEach((e, i) => {
      const stray = strays[i];
      const by = stray ? `the stray '${stray.spelling}' at ${this.placeOf(stray, e.file)}` : 'a stray #!endif';
      const rest = e.value
        ? 'its lines are used to the end of the configuration'
        : 'its condition is false, so everything after it — the rest of the configuration — is skipped';
      this.problem(
        e.file,
        e.range,
        `This #!${e.kind} is never closed: Kamailio starts only because ${by} makes the numbers of #!if… and #!endif agree, and ${rest}. Add its #!endif where the region should end.`,
        UNPAIRED,
      );
    });
    for (const u of this.unpaired) {
      if (u.kind === 'ignored') {
        this.problem(u.file, u.range, u.message ?? '', UNPAIRED);
        continue;
      }
      const open = this.ifStack[strays.indexOf(u)];
      const balances = open ? ` so it balances the #!${open.kind} at ${this.placeOf(open, u.file)} that is never closed, and Kamailio starts` : ' and starts';
      this.problem(
        u.file,
        u.range,
        `This '${u.spelling}' has no open #!ifdef/#!ifndef: Kamailio logs "invalid position for preprocessor directive 'endif'" but still counts it,${balances}. Remove it, and close the #!ifdef where its region should end.`,
        UNPAIRED,
      );
    }
  }

  /** `line N`, or `file.cfg:N` for a place in another file than `from`. */
  private placeOf(place: { file: string; range: Range }, from: string): string {
    const line = place.range.start.line + 1;
    return place.file === from ? `line ${line}` : `${posix.basename(place.file)}:${line}`;
  }

  fileInfo(): Map<string, KamailioFileInfo> {
    const out = new Map<string, KamailioFileInfo>();
    for (const file of this.fileOrder) {
      const d = this.fileData.get(file)!;
      const info: KamailioFileInfo = {
        file,
        problems: d.problems,
        inactiveRanges: d.inactive,
        routes: d.routes,
        defines: d.defines,
        includes: d.includes,
      };
      const marker = d.parsed.lexed.marker;
      if (marker && d.parsed.lines.positionAt(marker.start).line === 0) info.marker = marker.name;
      out.set(file, info);
    }
    return out;
  }

  files(): string[] {
    return [...this.fileOrder];
  }

  defineInfos(): Map<string, DefineInfo> {
    return this.defines.infos();
  }

  definedNames(): ReadonlySet<string> {
    return this.defines.everDefined;
  }
}

/**
 * A define value that only a deployment step fills in: empty, `[KAM_PUBLIC_IP]`-style brackets
 * around something that is no IPv6 address, `<private_ip>`, `XXXX`, or a pseudo-variable.
 */
function placeholderLike(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^\[[^\]]*\]$/.test(v) && !/^\[[0-9a-fA-F:.]+\]$/.test(v)) return true;
  if (/^<[^>]*>$/.test(v)) return true;
  if (/XXX/.test(v)) return true;
  return /^\$/.test(v);
}

function unescapeIncludeName(s: string): string {
  // sr_push_yy_state: \t \n \r and \<any> → the character.
  return s.replace(/\\(.)/g, (_m, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

function globToRegExp(glob: string): RegExp {
  let re = '^';
  for (const c of glob) {
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}
