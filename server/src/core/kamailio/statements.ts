// A tolerant parser for the statements of kamailio.cfg (the `statement` rule of cfg.y): core
// parameters, module statements, flag declarations and route blocks. It reads tokens from a
// TokenSource — the raw tokens of one file (parseKamailioFile) or the active, define-expanded
// tokens of a whole deployment (evaluateKamailioConfig) — and never stops at an error: a
// statement it cannot read is skipped up to the next line, so a bad line never hides the next.
// Statements need no terminator in Kamailio; `;` is an empty statement. A value therefore ends
// where the next line begins, unless the grammar clearly continues (a trailing ':' or ',', an
// `advertise`/`name`/`virtual`/`desc` word, an open parenthesis or a `{ … }` block).
import type { RouteKind } from './model';
import type { Token } from './tokens';
import { isPunct } from './tokens';
import { quoted } from '../quote';

/** A token of the active stream; expansion and substitution leave their marks here. */
export interface SrcToken extends Token {
  /** The #!define (or #!substdef) whose value produced the token; start/end are then the name's. */
  fromDefine?: string;
  /** A #!subst rule changed the string value. */
  substituted?: boolean;
  /** It came from a define whose value is a deployment-time placeholder (empty, `[XXX]`, `<ip>`, `$def()` of a missing name). */
  placeholderDefine?: string;
  /** A define right before it (same line) expanded to nothing: its name and offsets. */
  afterEmptyDefine?: { name: string; start: number; end: number };
}

export interface TokenSource {
  peek(k?: number): SrcToken | undefined;
  next(): SrcToken | undefined;
}

interface ItemBase {
  first: SrcToken;
  last: SrcToken;
}

export interface AssignItem extends ItemBase {
  type: 'assign';
  /** `name`, `group.var`, `kemi.x`, or `group[1].var`. */
  name: string;
  nameTokens: SrcToken[];
  value: SrcToken[];
  /** `desc "…"` of a custom cfg variable. */
  description?: SrcToken;
}

export interface LoadModuleItem extends ItemBase {
  type: 'loadmodule';
  extended: boolean;
  keyword: SrcToken;
  path?: SrcToken;
  options?: SrcToken;
}

export interface LoadPathItem extends ItemBase {
  type: 'loadpath';
  keyword: SrcToken;
  path?: SrcToken;
}

export interface ModparamItem extends ItemBase {
  type: 'modparam';
  extended: boolean;
  keyword: SrcToken;
  module?: SrcToken;
  param?: SrcToken;
  value: SrcToken[];
}

export interface CfgEngineItem extends ItemBase {
  type: 'cfgengine';
  keyword: SrcToken;
  engine?: SrcToken;
}

export interface FlagsItem extends ItemBase {
  type: 'flags';
  keyword: SrcToken;
  names: SrcToken[];
}

export interface RouteItem extends ItemBase {
  type: 'route';
  keyword: SrcToken;
  kind: RouteKind;
  name?: SrcToken;
  open?: SrcToken;
  close?: SrcToken;
  calls: { name: string; token: SrcToken }[];
}

export interface ImportFilesItem extends ItemBase {
  type: 'import_files';
  keyword: SrcToken;
  target?: SrcToken;
}

/** Preprocessor tokens passed through by a raw (per-file) source. */
export interface PreprocessorItem extends ItemBase {
  type: 'directive' | 'include';
  token: SrcToken;
}

export type StatementItem =
  | AssignItem
  | LoadModuleItem
  | LoadPathItem
  | ModparamItem
  | CfgEngineItem
  | FlagsItem
  | RouteItem
  | ImportFilesItem
  | PreprocessorItem;

export interface StatementProblem {
  token: SrcToken;
  message: string;
}

const ROUTE_KEYWORDS: ReadonlySet<string> = new Set([
  'request_route',
  'route',
  'failure_route',
  'branch_route',
  'reply_route',
  'onreply_route',
  'onsend_route',
  'event_route',
]);
const MODULE_KEYWORDS: ReadonlySet<string> = new Set(['loadmodule', 'loadmodulex', 'modparam', 'modparamx']);
/** Words that can begin a top-level statement or end a route body (see blockInterrupted). */
export function isStructuralWord(word: string): boolean {
  return ROUTE_KEYWORDS.has(word) || MODULE_KEYWORDS.has(word) || word === 'loadpath' || word === 'mpath' || word === 'cfgengine';
}
const CONTINUE_AFTER_WORDS: ReadonlySet<string> = new Set(['advertise', 'ADVERTISE', 'name', 'NAME', 'desc', 'descr', 'description']);
const CONTINUE_BEFORE_WORDS: ReadonlySet<string> = new Set(['advertise', 'ADVERTISE', 'name', 'NAME', 'virtual', 'desc', 'descr', 'description']);
const CONTINUE_AFTER_PUNCT: ReadonlySet<string> = new Set([':', ',', '(', '=', '-', '.', '[']);
const CONTINUE_BEFORE_PUNCT: ReadonlySet<string> = new Set([':', ',', ')', ']', '.']);
const DESC_WORDS: ReadonlySet<string> = new Set(['desc', 'descr', 'description']);

export class StatementParser {
  constructor(
    private readonly src: TokenSource,
    private readonly emit: (item: StatementItem) => void,
    private readonly report: (problem: StatementProblem) => void,
    /** 1-based line of a token, for messages. */
    private readonly lineOf: (t: SrcToken) => number = () => 0,
  ) {}

  run(): void {
    for (;;) {
      const t = this.src.peek();
      if (!t) return;
      this.statement(t);
    }
  }

  private statement(t: SrcToken): void {
    const src = this.src;
    if (t.kind === 'directive' || t.kind === 'include') {
      src.next();
      this.emit({ type: t.kind, token: t, first: t, last: t });
      return;
    }
    if (isPunct(t, ';')) {
      src.next();
      return;
    }
    if (isPunct(t, '}')) {
      src.next();
      this.report({ token: t, message: "Unbalanced braces: this '}' closes no block, so Kamailio stops with a syntax error here." });
      return;
    }
    if (t.kind === 'word') {
      const w = t.text;
      if (w === 'loadmodule' || w === 'loadmodulex') return this.loadModule();
      if (w === 'loadpath' || w === 'mpath') return this.loadPath();
      if (w === 'modparam' || w === 'modparamx') return this.modparam();
      if (w === 'cfgengine') return this.cfgEngine();
      if (w === 'flags' || w === 'bool' || w === 'avpflags') return this.flags();
      if (ROUTE_KEYWORDS.has(w) && !isPunct(src.peek(1), '=')) return this.route();
      if (w === 'import_files' && src.peek(1)?.kind === 'string') {
        const keyword = src.next()!;
        const target = src.next()!;
        this.emit({ type: 'import_files', keyword, target, first: keyword, last: target });
        return;
      }
      const assign = this.assignName();
      if (assign) return this.assign(assign);
    }
    this.skipLine();
  }

  /** Tokens of `name`, `a.b`, or `a[N].b` when an `=` follows; undefined otherwise. */
  private assignName(): SrcToken[] | undefined {
    const s = this.src;
    const a = s.peek(0)!;
    if (isPunct(s.peek(1), '=')) return [a];
    const b = s.peek(1);
    const c = s.peek(2);
    if (isPunct(b, '.') && c && (c.kind === 'word' || c.kind === 'number') && isPunct(s.peek(3), '=')) return [a, b!, c];
    if (isPunct(b, '[') && s.peek(2)?.kind === 'number' && isPunct(s.peek(3), ']') && isPunct(s.peek(4), '.') && s.peek(5)?.kind === 'word' && isPunct(s.peek(6), '='))
      return [a, b!, s.peek(2)!, s.peek(3)!, s.peek(4)!, s.peek(5)!];
    return undefined;
  }

  private assign(nameTokens: SrcToken[]): void {
    const s = this.src;
    for (let i = 0; i < nameTokens.length; i++) s.next();
    const eq = s.next()!;
    const name = nameTokens.map((t) => t.text).join('');
    const value: SrcToken[] = [];
    let depth = 0;
    for (;;) {
      const t = s.peek();
      if (!t || t.kind === 'directive' || t.kind === 'include') break;
      if (isPunct(t, ';') && depth === 0) {
        s.next();
        break;
      }
      const prev = value.length > 0 ? value[value.length - 1]! : undefined;
      if (t.newlineBefore && depth === 0) {
        if (prev ? !continues(prev, t) : startsStatement(t, s.peek(1))) break;
      }
      if (isPunct(t, '{') && value.length === 0) {
        // socket = { … } (5.7+): the block is the value.
        this.block(value);
        break;
      }
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) depth = Math.max(0, depth - 1);
      value.push(s.next()!);
    }
    let description: SrcToken | undefined;
    const n = value.length;
    if (n >= 2 && value[n - 2]!.kind === 'word' && DESC_WORDS.has(value[n - 2]!.text) && value[n - 1]!.kind === 'string') {
      description = value[n - 1]!;
      value.length = n - 2;
    }
    const last = description ?? value[value.length - 1] ?? eq;
    const item: AssignItem = { type: 'assign', name, nameTokens, value, first: nameTokens[0]!, last };
    if (description) item.description = description;
    this.emit(item);
  }

  /** Reads a `{ … }` block (braces included) into `out`. */
  private block(out: SrcToken[]): void {
    let depth = 0;
    for (;;) {
      const t = this.src.peek();
      if (!t) {
        const open = out[0];
        if (open) this.report({ token: open, message: "Unbalanced braces: this '{' is never closed, so Kamailio stops with a syntax error at the end of the file." });
        return;
      }
      this.src.next();
      out.push(t);
      if (isPunct(t, '{')) depth++;
      else if (isPunct(t, '}')) {
        depth--;
        if (depth === 0) return;
      }
    }
  }

  private loadModule(): void {
    const s = this.src;
    const keyword = s.next()!;
    const item: LoadModuleItem = { type: 'loadmodule', extended: keyword.text === 'loadmodulex', keyword, first: keyword, last: keyword };
    const t = s.peek();
    if (t?.kind === 'string') {
      item.path = s.next()!;
      item.last = item.path;
    } else if (isPunct(t, '(')) {
      s.next();
      if (s.peek()?.kind === 'string') item.path = s.next()!;
      if (isPunct(s.peek(), ',') && s.peek(1)?.kind === 'string') {
        s.next();
        item.options = s.next()!;
      }
      if (isPunct(s.peek(), ')')) item.last = s.next()!;
      else item.last = item.options ?? item.path ?? keyword;
    }
    this.emit(item);
    if (!item.path) this.skipLine();
  }

  private loadPath(): void {
    const s = this.src;
    const keyword = s.next()!;
    if (isPunct(s.peek(), '=')) s.next();
    const item: LoadPathItem = { type: 'loadpath', keyword, first: keyword, last: keyword };
    if (s.peek()?.kind === 'string') {
      item.path = s.next()!;
      item.last = item.path;
    }
    this.emit(item);
  }

  private cfgEngine(): void {
    const s = this.src;
    const keyword = s.next()!;
    if (isPunct(s.peek(), '=')) s.next();
    const item: CfgEngineItem = { type: 'cfgengine', keyword, first: keyword, last: keyword };
    if (s.peek()?.kind === 'string') {
      item.engine = s.next()!;
      item.last = item.engine;
    }
    this.emit(item);
  }

  private modparam(): void {
    const s = this.src;
    const keyword = s.next()!;
    const item: ModparamItem = { type: 'modparam', extended: keyword.text === 'modparamx', keyword, value: [], first: keyword, last: keyword };
    if (!isPunct(s.peek(), '(')) {
      this.emit(item);
      this.skipLine();
      return;
    }
    s.next();
    const args: SrcToken[][] = [[]];
    let depth = 1;
    for (;;) {
      const t = s.peek();
      if (!t || t.kind === 'directive' || t.kind === 'include') break;
      // A new statement at the start of a line means the ')' is missing.
      if (t.newlineBefore && startsStatement(t, s.peek(1))) break;
      s.next();
      item.last = t;
      if (isPunct(t, '(')) depth++;
      else if (isPunct(t, ')')) {
        depth--;
        if (depth === 0) break;
      } else if (isPunct(t, ',') && depth === 1) {
        args.push([]);
        continue;
      }
      args[args.length - 1]!.push(t);
    }
    const [m, p, ...rest] = args;
    if (m && m.length === 1 && m[0]!.kind === 'string') item.module = m[0];
    if (p && p.length === 1 && p[0]!.kind === 'string') item.param = p[0];
    item.value = rest.flat();
    this.emit(item);
  }

  private flags(): void {
    const s = this.src;
    const keyword = s.next()!;
    const names: SrcToken[] = [];
    let last = keyword;
    for (;;) {
      const t = s.peek();
      if (!t || (t.newlineBefore && !isPunct(last, ','))) break;
      if (t.kind === 'directive' || t.kind === 'include') break;
      s.next();
      last = t;
      if (isPunct(t, ';')) break;
      if (t.kind === 'word' || t.kind === 'string') names.push(t);
    }
    this.emit({ type: 'flags', keyword, names, first: keyword, last });
  }

  private route(): void {
    const s = this.src;
    const keyword = s.next()!;
    const item: RouteItem = { type: 'route', keyword, kind: keyword.text as RouteKind, calls: [], first: keyword, last: keyword };
    if (isPunct(s.peek(), '[')) {
      s.next();
      const n = s.peek();
      if (n && !isPunct(n, ']') && !isPunct(n, '{')) {
        item.name = s.next()!;
        item.last = item.name;
      }
      if (isPunct(s.peek(), ']')) item.last = s.next()!;
    }
    if (!isPunct(s.peek(), '{')) {
      // `route(NAME)` at top level, a broken header…: Kamailio reports "invalid route statement".
      this.emit(item);
      this.skipLine();
      return;
    }
    const open = s.next()!;
    item.open = open;
    item.last = open;
    let depth = 1;
    for (;;) {
      const t = s.peek();
      if (!t) {
        this.report({ token: open, message: `Unbalanced braces: the '{' of this ${describeRoute(item)} is never closed, so Kamailio stops with a syntax error at the end of the file.` });
        break;
      }
      if (t.newlineBefore && blockInterrupted(t, s.peek(1))) {
        this.report({
          token: open,
          message: `Unbalanced braces: the '{' of this ${describeRoute(item)} is not closed before ${quoted(t.text)} on line ${this.lineOf(t)}, so Kamailio stops with a syntax error there.`,
        });
        break;
      }
      s.next();
      item.last = t;
      if (t.kind === 'directive' || t.kind === 'include') {
        this.emit({ type: t.kind, token: t, first: t, last: t });
        continue;
      }
      if (isPunct(t, '{')) depth++;
      else if (isPunct(t, '}')) {
        depth--;
        if (depth === 0) {
          item.close = t;
          break;
        }
      } else if (t.kind === 'word' && t.text === 'route' && isPunct(s.peek(), '(')) {
        const n = s.peek(1);
        if (n && (n.kind === 'word' || n.kind === 'number' || n.kind === 'string') && isPunct(s.peek(2), ')')) {
          item.calls.push({ name: n.kind === 'string' ? n.value ?? n.text : n.kind === 'number' ? n.value ?? n.text : n.text, token: n });
        }
      }
    }
    this.emit(item);
  }

  /** Skips the rest of the current statement line (recovery). */
  private skipLine(): void {
    const s = this.src;
    const first = s.next();
    if (!first) return;
    for (;;) {
      const t = s.peek();
      if (!t || t.newlineBefore || t.kind === 'directive' || t.kind === 'include') return;
      s.next();
    }
  }
}

function describeRoute(item: RouteItem): string {
  if (!item.name) return item.kind;
  return `${item.kind}[${item.name.kind === 'string' ? item.name.value ?? item.name.text : item.name.text}]`;
}

/** Whether a value that ended with `prev` goes on with `t` on the next line. */
function continues(prev: SrcToken, t: SrcToken): boolean {
  if (prev.kind === 'punct' && CONTINUE_AFTER_PUNCT.has(prev.text)) return true;
  if (prev.kind === 'word' && CONTINUE_AFTER_WORDS.has(prev.text)) return true;
  if (t.kind === 'punct' && CONTINUE_BEFORE_PUNCT.has(t.text)) return true;
  if (t.kind === 'word' && CONTINUE_BEFORE_WORDS.has(t.text)) return true;
  return false;
}

/** A token that begins a new top-level statement (used to end values and argument lists). */
function startsStatement(t: SrcToken, next: SrcToken | undefined): boolean {
  if (t.kind === 'directive' || t.kind === 'include') return true;
  if (t.kind !== 'word') return false;
  if (isPunct(next, '=')) return true;
  if (MODULE_KEYWORDS.has(t.text) || t.text === 'loadpath' || t.text === 'mpath' || t.text === 'cfgengine') return true;
  return ROUTE_KEYWORDS.has(t.text) && (isPunct(next, '{') || isPunct(next, '['));
}

/** Inside a route body: a line that can only start a new top-level block or module statement. */
function blockInterrupted(t: SrcToken, next: SrcToken | undefined): boolean {
  if (t.kind !== 'word') return false;
  if (MODULE_KEYWORDS.has(t.text)) return isPunct(next, '(') || next?.kind === 'string';
  if (!ROUTE_KEYWORDS.has(t.text)) return false;
  if (t.text === 'route') return isPunct(next, '[');
  return isPunct(next, '{') || isPunct(next, '[');
}
