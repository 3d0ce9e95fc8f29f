// Parsing a tls.cfg again after one edit without parsing it all: the language server does it on
// every keystroke, and a fleet's tls.cfg has 200 profiles. The result is always what
// parseTlsConfig gives for the new text (a differential test holds it to that); what changes is
// the work, and which objects stay the same — an unchanged document or profile keeps its object,
// so the rule runs keyed by them (check.ts) are reused.
import type { Range } from '../types';
import { lineAt, textChange, type TextChange } from '../util/textEdit';
import type { TlsConfigDocument, TlsOption, TlsProfile } from './model';
import { parseTlsConfig } from './parser';
import { embeddedSecretSpans, sniffCryptoMaterial } from '../pki/sniff';

/** The parse of `now`, given the parse `doc` of `old` (the previous text of the same file). */
export function reparseTlsConfig(doc: TlsConfigDocument, old: string, now: string): TlsConfigDocument {
  // Key or certificate material, or a key pasted in, before or after the edit: parsed anew (the
  // spans of a key are judged on the whole text, which a patch of one line does not see).
  if (doc.cryptoMaterial || sniffCryptoMaterial(now) || embeddedSecretSpans(now).length > 0 || embeddedSecretSpans(old).length > 0) return parseTlsConfig(doc.file, now);
  const change = textChange(old, now);
  if (commentLineEdit(doc, old, now, change)) return doc;
  const patched = profileBodyEdit(doc, now, change);
  if (patched) return patched;
  const value = parseTlsConfig(doc.file, now);
  // A keystroke in a blank line gives the same data (a document holds values and ranges, not
  // text): keep the previous object.
  return sameDocument(doc, value, change.line) ? doc : value;
}

/**
 * Whether the change is inside a `#` comment line, so that the parse stays `doc` (typing a note
 * above a profile). Conservative: the line must hold no quote or backslash (a comment's backslash
 * escapes the newline and swallows the next line; a quoted value may span lines), the edit must
 * come after the `#`, and no value, header or problem of the old parse may touch that line.
 */
function commentLineEdit(doc: TlsConfigDocument, old: string, now: string, change: TextChange): boolean {
  if (doc.problems.length > 0 || change.crossesLines) return false;
  const line = lineAt(now, change.lineStart);
  const hash = line.indexOf('#');
  if (!/^[ \t]*#[^\\"\r]*$/.test(line) || hash >= change.start - change.lineStart) return false;
  if (/[\\"\r\n]/.test(old.slice(change.start, change.oldEnd))) return false;
  const touches = (r: Range) => r.start.line <= change.line && change.line <= r.end.line;
  const optionTouches = (o: TlsOption) => touches(o.valueRange) || touches(o.keyRange);
  if (doc.orphanOptions.some(optionTouches)) return false;
  return !doc.profiles.some((pr) => touches(pr.headerRange) || pr.options.some(optionTouches));
}

/**
 * The new document when the change stays inside one line of a profile's body (below its header):
 * only that profile's lines are parsed again, and the result is moved down to its place. The text
 * before the profile is unchanged, so the lexer starts its header line as before; what the edited
 * line could do to the lines after it — a quote left open, a new header, a comment whose trailing
 * backslash swallows the next header — shows as a problem or a second profile in the part parsed,
 * or is refused (a backslash on the profile's last line). Undefined: parse everything.
 */
function profileBodyEdit(doc: TlsConfigDocument, now: string, change: TextChange): TlsConfigDocument | undefined {
  if (doc.problems.length > 0 || doc.orphanOptions.length > 0 || change.crossesLines) return undefined;
  const index = profileWithBodyLine(doc, change.line);
  if (index === undefined) return undefined;
  const before = doc.profiles[index]!;
  const isLast = index === doc.profiles.length - 1;
  if (change.line === before.lastLine && !isLast && lineAt(now, change.lineStart).includes('\\')) return undefined;

  const from = lineStartOffset(now, before.headerRange.start.line);
  // Up to and with the newline of the profile's last line, so that the line ranges of options
  // there end where they end in the whole file (at the start of the next line).
  const to = isLast ? now.length : lineStartOffset(now, before.lastLine + 1);
  if (from === undefined || to === undefined) return undefined;
  const part = parseTlsConfig(doc.file, now.slice(from, to));
  if (part.problems.length > 0 || part.orphanOptions.length > 0 || part.profiles.length !== 1) return undefined;
  const parsed = part.profiles[0]!;
  if (parsed.headerText !== before.headerText) return undefined;

  const after = shiftProfile(parsed, before.headerRange.start.line, before.lastLine);
  if (sameData(after, before)) return doc;
  const profiles = doc.profiles.slice();
  profiles[index] = after;
  return { file: doc.file, profiles, orphanOptions: doc.orphanOptions, problems: doc.problems, lineCount: doc.lineCount };
}

/** The profile whose body (the lines after its header, up to its last line) holds `line`. */
function profileWithBodyLine(doc: TlsConfigDocument, line: number): number | undefined {
  const ps = doc.profiles;
  let lo = 0;
  let hi = ps.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ps[mid]!.headerRange.start.line <= line) lo = mid;
    else hi = mid - 1;
  }
  const p = ps[lo]!;
  return p.headerRange.start.line < line && line <= p.lastLine && p.headerRange.end.line === p.headerRange.start.line ? lo : undefined;
}

/** Offset of the start of a 0-based line, undefined past the end. */
function lineStartOffset(text: string, line: number): number | undefined {
  let offset = 0;
  for (let n = 0; n < line; n++) {
    const nl = text.indexOf('\n', offset);
    if (nl === -1) return undefined;
    offset = nl + 1;
  }
  return offset;
}

/** A profile parsed from a text that started at `lines`, moved to where it is in the file. */
function shiftProfile(p: TlsProfile, lines: number, lastLine: number): TlsProfile {
  const range = (r: Range): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });
  return {
    ...p,
    headerRange: range(p.headerRange),
    options: p.options.map((o) => ({ ...o, keyRange: range(o.keyRange), valueRange: range(o.valueRange), lineRange: range(o.lineRange), line: o.line + lines })),
    lastLine,
  };
}

/**
 * Whether two parses of successive texts hold the same data. The profile around the changed line
 * is compared first: when a value was edited it differs, and the other profiles need no look.
 */
function sameDocument(a: TlsConfigDocument, b: TlsConfigDocument, changedLine: number): boolean {
  if (a.profiles.length !== b.profiles.length) return false;
  let i = -1;
  while (i + 1 < a.profiles.length && a.profiles[i + 1]!.headerRange.start.line <= changedLine) i++;
  if (i >= 0 && !sameData(a.profiles[i], b.profiles[i])) return false;
  return sameData(a, b);
}

/** Deep equality of plain parse data (objects, arrays, primitives), without allocating. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  // Plain objects only: a Map or a Date has no own keys and would compare equal to any other.
  const proto = Object.getPrototypeOf(a);
  if (Array.isArray(b) || (proto !== Object.prototype && proto !== null) || Object.getPrototypeOf(b) !== proto) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
