// Which edits of a kamailio.cfg leave its evaluation exactly as it was, so that a keystroke in a
// 10,000-line routing script need not re-lex, re-parse and re-evaluate it (~25 ms and most of the
// garbage of a keystroke). Route bodies contribute to the evaluation only their block structure
// (braces, and a line starting with a block or module keyword ends a body), their
// `route(NAME)` calls, their preprocessor directives and includes, and define expansions
// (a defined word may expand to a brace or a whole statement). Everything else written in a body
// — function calls, conditions, assignments, strings — is invisible to the evaluation and to
// the rules, which read the evaluation and (recorded) lines of text only.
//
// So an edit is accepted when it changes one line, strictly inside a route block of the
// evaluation, and that line, before and after, lexes on its own to tokens with no directive,
// include, structural keyword, defined name or lexer problem, with the same block structure and
// the same `route(NAME)` calls, without reaching into the neighbouring lines (a string joined
// across the line break, an unclosed comment or pseudo-variable), with no `route` among the three
// tokens before it (a call split over lines), and with no problem or skipped #!ifdef region of the
// evaluation on it (in a skipped region Kamailio sees `#!endif` even inside a string or comment).
// Line numbers never change under accepted edits, so the ranges of the evaluation stay right;
// the calls on the edited line are moved to their new columns.
import type { KamailioFileInfo } from './model';
import type { ParsedKamailioFile } from './parser';
import { firstTokenAt, insideLexeme, lexKamailio } from './lexer';
import { isStructuralWord } from './statements';
import type { Token } from './tokens';
import { lineAt, textChange } from '../util/textEdit';

/** The parse an evaluation used for one file, and the lines accepted as edited since. */
export interface BodyEditBase {
  parse: ParsedKamailioFile;
  /** Lines whose text differs from `parse` (each accepted by routeBodyLineEdit). */
  edited: Set<number>;
}

/**
 * The line of a change from `old` to `now` (successive texts of `base.parse.file`) that leaves
 * the evaluation as it is, or undefined when the file must be evaluated again. `old` is the
 * parse's text or that text with the edits in `base.edited`; an accepted line is added there.
 */
export function routeBodyLineEdit(base: BodyEditBase, old: string, now: string, info: KamailioFileInfo, definedNames: ReadonlySet<string>): number | undefined {
  const parse = base.parse;
  // Tokens of a re-lexed #!ifdef region are not those of `parse.lexed`: compare nothing then.
  if (parse.hasRelexed() || old === now) return undefined;

  const change = textChange(old, now);
  if (change.crossesLines) return undefined;
  const { line, lineStart } = change;
  const oldLine = lineAt(old, lineStart);
  const newLine = lineAt(now, lineStart);
  if (line >= parse.lines.lineCount) return undefined;

  const touches = (r: { start: { line: number }; end: { line: number } }) => r.start.line <= line && line <= r.end.line;
  if (info.problems.some((x) => touches(x.range)) || info.inactiveRanges.some(touches)) return undefined;
  const strictlyInside = (first: number, last: number) => first < line && line < last;
  if (!info.routes.some((r) => strictlyInside(r.range.start.line, r.range.end.line))) return undefined;

  const before = lexAlone(oldLine);
  const after = lexAlone(newLine);
  if (!before || !after) return undefined;
  if (!base.edited.has(line) && !standsAloneInParse(parse, line, before)) return undefined;
  if (!before.every((t) => invisible(t, definedNames)) || !after.every((t) => invisible(t, definedNames))) return undefined;
  if (!sameBlockStructure(braces(before), braces(after))) return undefined;
  if (!noRouteCallReachesLine(base, line)) return undefined;
  // The same calls, in the same order; the block's calls on this line move with the text.
  const oldCalls = routeCalls(before);
  const newCalls = routeCalls(after);
  if (!oldCalls || !newCalls || oldCalls.map((c) => c.name).join('\0') !== newCalls.map((c) => c.name).join('\0')) return undefined;
  const block = info.routes.find((r) => strictlyInside(r.range.start.line, r.range.end.line));
  const blockCalls = block ? block.calls.filter((c) => c.range.start.line === line) : [];
  if (blockCalls.length !== oldCalls.length || blockCalls.some((c, i) => c.name !== oldCalls[i]!.name)) return undefined;
  blockCalls.forEach((c, i) => {
    const t = newCalls[i]!.token;
    c.range = { start: { line, character: t.start }, end: { line, character: t.end } };
  });

  base.edited.add(line);
  return line;
}

/**
 * The `route(NAME)` calls of a line (as statements.ts reads them), with their name tokens;
 * undefined when a `route` word is not followed by a whole call on the line.
 */
function routeCalls(tokens: Token[]): { name: string; token: Token }[] | undefined {
  const out: { name: string; token: Token }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || t.text !== 'route') continue;
    const open = tokens[i + 1];
    const n = tokens[i + 2];
    const close = tokens[i + 3];
    if (!open || open.kind !== 'punct' || open.text !== '(' || !close || close.kind !== 'punct' || close.text !== ')') return undefined;
    if (!n || (n.kind !== 'word' && n.kind !== 'number' && n.kind !== 'string')) return undefined;
    out.push({ name: n.kind === 'word' ? n.text : n.value ?? n.text, token: n });
  }
  return out;
}

/**
 * The tokens of one line lexed on its own between two sentinel strings, offsets relative to
 * the line; undefined when the line does not stand alone: a lexer problem (an unclosed string
 * or comment), or a sentinel joined with a string of the line (adjacent strings are one) or
 * swallowed by something left open at its end.
 */
function lexAlone(line: string): Token[] | undefined {
  const lexed = lexKamailio(`"s"\n${line}\n"s"`);
  const tokens = lexed.tokens;
  if (lexed.problems.length > 0 || tokens.length < 2) return undefined;
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const lastStart = line.length + 5;
  if (first.kind !== 'string' || first.start !== 0 || first.end !== 3) return undefined;
  if (last.kind !== 'string' || last.start !== lastStart || last.end !== lastStart + 3) return undefined;
  return tokens.slice(1, -1).map((t) => ({ ...t, start: t.start - 4, end: t.end - 4 }));
}

/**
 * Whether the parse lexed `line` as it lexes on its own: no string or comment runs into it or out
 * of it, and its tokens are `alone`. (A line inside a multi-line string may lex alone to nothing,
 * as a comment line does; a quote typed there would end the string.)
 */
function standsAloneInParse(parse: ParsedKamailioFile, line: number, alone: Token[]): boolean {
  if (insideLexeme(parse.lexed, parse.lines.lineStart(line))) return false;
  if (line + 1 < parse.lines.lineCount && insideLexeme(parse.lexed, parse.lines.lineStart(line + 1))) return false;
  return sameTokens(alone, tokensOfLine(parse, line));
}

/** The tokens of `line` in the parse, offsets relative to the line. */
function tokensOfLine(parse: ParsedKamailioFile, line: number): Token[] {
  const start = parse.lines.lineStart(line);
  const end = start + parse.lines.lineText(line).length;
  const tokens = parse.lexed.tokens;
  const out: Token[] = [];
  for (let i = firstTokenAt(tokens, start); i < tokens.length && tokens[i]!.start < end; i++) {
    const t = tokens[i]!;
    if (t.end > end) return [t]; // reaches into the next line: never the same as a lone lexing
    out.push({ ...t, start: t.start - start, end: t.end - start });
  }
  return out;
}

function sameTokens(a: Token[], b: Token[]): boolean {
  return a.length === b.length && a.every((t, i) => t.kind === b[i]!.kind && t.text === b[i]!.text && t.value === b[i]!.value && t.start === b[i]!.start && t.end === b[i]!.end);
}

/** A token the evaluation of a route body does not look at. */
function invisible(t: Token, definedNames: ReadonlySet<string>): boolean {
  if (t.kind === 'directive' || t.kind === 'include' || t.kind === 'event-name') return false;
  if (t.kind !== 'word') return true;
  if (definedNames.has(t.text)) return false;
  // `route(NAME)` is a call, checked by routeCalls; `route[NAME] {` would start a block.
  return t.text === 'route' || !isStructuralWord(t.text);
}

/**
 * Whether two brace sequences of a line leave the block structure as it is: the same sequence,
 * or both balanced (never below the depth the line starts at, so they cannot close the route).
 */
function sameBlockStructure(a: string, b: string): boolean {
  return a === b || (balanced(a) && balanced(b));
}

function balanced(seq: string): boolean {
  let depth = 0;
  for (const c of seq) {
    depth += c === '{' ? 1 : -1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function braces(tokens: Token[]): string {
  let out = '';
  for (const t of tokens) if (t.kind === 'punct' && (t.text === '{' || t.text === '}')) out += t.text;
  return out;
}

/**
 * `route ( NAME )` split over lines would take its name or parentheses from this line: the three
 * tokens before it must not hold `route` (and must come from unedited lines, whose tokens the
 * parse still knows).
 */
function noRouteCallReachesLine(base: BodyEditBase, line: number): boolean {
  const { parse } = base;
  const tokens = parse.lexed.tokens;
  const i = firstTokenAt(tokens, parse.lines.lineStart(line));
  for (let k = 1; k <= 3 && i - k >= 0; k++) {
    const t = tokens[i - k]!;
    if (base.edited.has(parse.lines.positionAt(t.start).line)) return false;
    if (t.kind === 'word' && t.text === 'route') return false;
  }
  return true;
}
