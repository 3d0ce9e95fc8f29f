// tls.cfg parser: Kamailio's sr_cfg_parse + ksr_tls_parse_domain (tls_config.c) with error
// recovery. Kamailio stops at the first error; we report it, skip to the next line and go on,
// so a bad line never hides findings on the next one. Value *types* (enum, boolean, integer)
// are validated by the rules; this file reports what the lexer and header grammar reject.
import * as posix from 'node:path/posix';
import { LineIndex } from '../text';
import type { Range } from '../types';
import type { ParseProblem } from '../kamailio/model';
import { TlsCfgLexer, isLexError, type LexError, type Token } from './lexer';
import { lookupOption } from './schema';
import type { ProfileRole, ProfileTarget, TlsConfigDocument, TlsOption, TlsProfile } from './model';
import { parseHeader } from './header';
import { quoted } from '../quote';
import { embeddedSecretSpans, sniffCryptoMaterial, type CryptoMaterial, type SecretSpan } from '../pki/sniff';
import { comparePositions } from '../types';

type Problem = ParseProblem;

/** Extended-alpha lexing is used for string, boolean and enum values (cfg_parse_*_opt). */
function usesExtendedValue(key: string): boolean {
  const spec = lookupOption(key);
  return !spec || (spec.type !== 'int' && spec.type !== 'server_name_mode');
}

/** `server:default]`: a header whose '[' is missing (Kamailio: "Unsupported option 'server'"). */
const HEADER_WITHOUT_BRACKET = /^([ \t]*)((?:server|srv|s|client|cli|c)[ \t]*:[^\]#\n]*\])[ \t\r]*(?:#.*)?$/i;

export interface TlsParseOptions {
  /** What the file is, when the caller sniffed its bytes (a DER file's bytes do not survive decoding). */
  cryptoMaterial?: CryptoMaterial;
}

export function parseTlsConfig(file: string, text: string, options: TlsParseOptions = {}): TlsConfigDocument {
  const index = new LineIndex(text);
  // Key or certificate material is never lexed: every token of it would be quoted by a syntax
  // message (issue 11). The rules report the file as what it is (rules/tlscfg.ts).
  const material = options.cryptoMaterial ?? sniffCryptoMaterial(text);
  if (material) return { file, profiles: [], orphanOptions: [], problems: [], lineCount: index.lineCount, cryptoMaterial: material };
  const lexer = new TlsCfgLexer(text);
  const profiles: TlsProfile[] = [];
  const orphanOptions: TlsOption[] = [];
  const problems: Problem[] = [];
  let current: TlsProfile | undefined;

  const range = (start: number, end: number): Range => index.rangeOf(start, Math.max(end, start));
  const lineRangeAt = (offset: number): Range => {
    const line = index.positionAt(offset).line;
    const start = index.lineStart(line);
    const next = line + 1 < index.lineCount ? index.lineStart(line + 1) : text.length;
    return range(start, next);
  };
  const syntax = (message: string, start: number, end: number, extra: Partial<Problem> = {}): void => {
    problems.push({ code: 'tlscfg.syntax', range: range(start, end), message, ...extra });
  };
  const lexProblem = (err: LexError): void => {
    const end = err.message.startsWith('Premature end of file, missing closing quote')
      ? Math.min(text.indexOf('\n', err.offset) === -1 ? text.length : text.indexOf('\n', err.offset), text.length)
      : Math.max(err.offset + 1, Math.min(err.at, text.indexOf('\n', err.offset) === -1 ? text.length : text.indexOf('\n', err.offset)));
    syntax(`${describeLexError(err)}: Kamailio will refuse to start.`, err.offset, end);
  };
  const recover = (offset: number): void => lexer.skipToNextLine(offset);

  for (;;) {
    const t = lexer.next(false);
    if (t === 'eof') break;
    if (isLexError(t)) {
      if (t.offset === 0 && text.charCodeAt(0) === 0xfeff) {
        // Kamailio reads bytes and stops at the first one of the BOM (verified on 5.6.3; at the
        // start of kamailio.cfg and before a PEM block it is harmless). Only that is wrong: read
        // the rest of the line as if it were not there, so the header after it still counts.
        syntax(
          `The file starts with a UTF-8 byte order mark (bytes EF BB BF): Kamailio exits with "${posix.basename(file)}:1:1: Invalid character 0xef". Save it as UTF-8 without a byte order mark.`,
          0,
          1,
          { fixes: [{ title: 'Remove the byte order mark', isPreferred: true, edits: [{ range: range(0, 1), newText: '' }] }] },
        );
        lexer.offset = 1;
        continue;
      }
      lexProblem(t);
      // A string left open swallows the rest of the file in Kamailio; we resume after its line.
      recover(t.offset);
      continue;
    }
    if (t.type === 'eol') continue;

    if (t.type === 'delim' && t.value === '[') {
      const lineEnd = endOfLine(text, t.start);
      const header = parseHeader(text, t.start, lineEnd, index);
      if (header.problem) problems.push(header.problem);
      if (header.role) {
        current = newProfile(header.role, header.target ?? { kind: 'invalid' }, range(t.start, header.end), text.slice(t.start, header.end));
        profiles.push(current);
      }
      recover(t.start);
      continue;
    }

    if (t.type === 'alpha') {
      const line = lineAtOffset(text, t.start);
      const missingBracket = HEADER_WITHOUT_BRACKET.exec(line.text);
      if (missingBracket && !lookupOption(t.value)) {
        const headerStart = line.start + missingBracket[1]!.length;
        const headerText = missingBracket[2]!;
        const fixed = parseHeader(`[${headerText}`, 0, headerText.length + 1, new LineIndex(`[${headerText}`));
        problems.push({
          code: 'tlscfg.bad-header',
          range: range(headerStart, headerStart + headerText.length),
          message: `Profile header ${quoted(headerText)} is missing its opening '[': Kamailio reads it as an option and exits with "Unsupported option ${quoted(t.value)}".`,
          fixes: [{ title: `Change to ${quoted(`[${headerText}`)}`, isPreferred: true, edits: [{ range: range(headerStart, headerStart), newText: '[' }] }],
        });
        if (fixed.role) {
          current = newProfile(fixed.role, fixed.target ?? { kind: 'invalid' }, range(headerStart, headerStart + headerText.length), headerText);
          profiles.push(current);
        }
        recover(t.start);
        continue;
      }
      const option = parseOption(t);
      if (option) {
        if (current) current.options.push(option);
        else {
          orphanOptions.push(option);
          syntax(
            `Option ${quoted(option.key)} appears before the first profile header: Kamailio exits with "Unsupported option ${quoted(option.key)}". Options belong to a profile such as [server:default].`,
            t.start,
            t.end,
            { fixes: [{ title: 'Insert a [server:default] header above', edits: [{ range: range(line.start, line.start), newText: '[server:default]\n' }] }] },
          );
        }
      }
      continue;
    }

    // A string, or a delimiter other than '[' at the start of a statement.
    syntax(`Unexpected ${quoted(t.type === 'string' ? text.slice(t.start, t.end) : t.value)}: Kamailio expects an option (key = value) or a [profile] header here and exits with "Syntax error".`, t.start, t.end);
    recover(t.start);
  }
  if (current) current.lastLine = index.lineCount - 1;

  // The last line of each profile is the line before the next header.
  for (let i = 0; i < profiles.length - 1; i++) {
    profiles[i]!.lastLine = Math.max(profiles[i]!.headerRange.start.line, profiles[i + 1]!.headerRange.start.line - 1);
  }

  const doc: TlsConfigDocument = { file, profiles, orphanOptions, problems, lineCount: index.lineCount };
  const spans = embeddedSecretSpans(text);
  return spans.length > 0 ? withoutSecretSpans(doc, spans, index) : doc;

  function parseOption(keyToken: Token): TlsOption | undefined {
    // Report misspellings like `ca-list` as one key, not as 'ca' followed by junk.
    let keyEnd = keyToken.end;
    while (keyEnd < text.length && /[A-Za-z0-9_.\-]/.test(text[keyEnd]!)) keyEnd++;
    const key = text.slice(keyToken.start, keyEnd);
    if (keyEnd !== keyToken.end) lexer.offset = keyEnd;
    const spec = keyEnd === keyToken.end ? lookupOption(key) : undefined;

    const eq = lexer.next(false);
    if (eq === 'eof' || (!isLexError(eq) && eq.type === 'eol')) {
      const at = eq === 'eof' ? text.length : eq.start;
      syntax(`Missing '=' after ${quoted(key)}: Kamailio exits with "${eq === 'eof' ? "Delimiter '=' missing" : "Syntax error, '=' expected"}".`, keyToken.start, keyEnd);
      if (eq !== 'eof') recover(at - 1 < 0 ? 0 : at - 1);
      return undefined;
    }
    if (isLexError(eq)) {
      lexProblem(eq);
      recover(eq.offset);
      return undefined;
    }
    if (eq.type !== 'delim' || eq.value !== '=') {
      syntax(`Expected '=' after ${quoted(key)}, found ${quoted(text.slice(eq.start, eq.end))}: Kamailio exits with "Syntax error, '=' expected".`, eq.start, eq.end);
      recover(eq.start);
      return undefined;
    }

    const extended = spec ? usesExtendedValue(spec.name) : true;
    const v = lexer.next(extended);
    if (v === 'eof') {
      // Kamailio logs "Option value missing" at end of file but keeps going: nothing is set.
      return undefined;
    }
    if (isLexError(v)) {
      lexProblem(v);
      recover(v.offset);
      return undefined;
    }
    if (v.type === 'string' && text.slice(v.start, v.end).includes('\n')) {
      // Kamailio lets a quoted string run across lines; no option value wants a newline, so
      // this is an unclosed quote whose string swallowed the following lines.
      syntax(`The quoted value of ${quoted(key)} is not closed on its line: Kamailio continues the string onto the following lines up to the next '"'.`, v.start, endOfLine(text, v.start));
      recover(v.start);
      return undefined;
    }
    if (v.type === 'eol') {
      syntax(`${quoted(key)} has no value: Kamailio exits with "Invalid ${extended ? 'string' : 'integer'} value". Write a value, or "" for an explicitly empty one.`, keyToken.start, eq.end);
      return undefined;
    }
    let valueStart = v.start;
    let valueEnd = v.end;
    let value = v.value;
    let isQuoted = v.type === 'string';
    if (!extended && v.type === 'delim') {
      // Integers are read in normal mode, where '-' is a delimiter: `verify_depth = -1` fails
      // with "Invalid integer value '-'". Keep the whole number so the rule can say "negative".
      const rest = /^[ \t]*([0-9A-Za-z_]+)/.exec(text.slice(v.end, endOfLine(text, v.end)));
      if (v.value === '-' && rest) {
        valueEnd = v.end + rest[0].length;
        value = '-' + rest[1]!;
        lexer.offset = valueEnd;
      } else {
        value = v.value;
      }
      isQuoted = false;
    }
    const option: TlsOption = {
      key,
      keyRange: range(keyToken.start, keyEnd),
      ...(spec ? { name: spec.name } : {}),
      value,
      valueRange: range(valueStart, valueEnd),
      quoted: isQuoted,
      lineRange: lineRangeAt(keyToken.start),
      line: index.positionAt(keyToken.start).line,
    };

    const eol = lexer.next(false);
    if (eol !== 'eof') {
      if (isLexError(eol)) {
        lexProblem(eol);
        recover(eol.offset);
      } else if (eol.type !== 'eol') {
        const junkEnd = trailingJunkEnd(text, eol.start);
        const hint = !isQuoted && extended && /^[ \t]/.test(text.slice(valueEnd, valueEnd + 1))
          ? ' A value with spaces must be quoted.'
          : '';
        syntax(`Unexpected text ${quoted(text.slice(eol.start, junkEnd))} after the value of ${quoted(key)}: Kamailio exits with "End of line expected".${hint}`, eol.start, junkEnd);
        recover(eol.start);
      }
    }
    return option;
  }
}

function overlaps(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) < 0 && comparePositions(b.start, a.end) < 0;
}

/**
 * A key pasted into tls.cfg (a PEM block, bare base64 lines): the problems Kamailio's parser
 * meets there become one per key that quotes nothing of it, and no option read from its lines
 * stays (a base64 line ending in '=' reads as an option, `private_key = -----BEGIN …` as a
 * value). A key inside a quoted value Kamailio reads whole leaves the value alone: the rules
 * show values through quote.ts, which cuts what looks like a key.
 */
function withoutSecretSpans(doc: TlsConfigDocument, spans: readonly SecretSpan[], index: LineIndex): TlsConfigDocument {
  const ranges = spans.map((s) => index.rangeOf(s.start, s.end));
  const inSpan = (r: Range): number => ranges.findIndex((s) => overlaps(r, s));
  const hit = new Set<number>();
  const problems = doc.problems.filter((p) => {
    const i = inSpan(p.range);
    if (i !== -1) hit.add(i);
    return i === -1;
  });
  for (const i of [...hit].sort((a, b) => a - b)) {
    const span = spans[i]!;
    const lines = span.endLine > span.startLine ? `Lines ${span.startLine + 1}–${span.endLine + 1} hold` : `Line ${span.startLine + 1} holds`;
    const firstLineEnd = index.offsetAt({ line: span.startLine, character: Number.MAX_SAFE_INTEGER });
    problems.push({
      code: 'tlscfg.syntax',
      range: index.rangeOf(span.start, Math.min(span.end, Math.max(span.start + 1, firstLineEnd))),
      message: `${lines} ${span.description} pasted into the tls.cfg: Kamailio's tls.cfg parser cannot read it and exits. Put the key in a file of its own and name that file with private_key.`,
    });
  }
  problems.sort((a, b) => comparePositions(a.range.start, b.range.start));
  const keep = (o: TlsOption): boolean => inSpan(o.keyRange) === -1 && (!hit.has(inSpan(o.valueRange)) || inSpan(o.valueRange) === -1);
  for (const profile of doc.profiles) profile.options = profile.options.filter(keep);
  return { ...doc, problems, orphanOptions: doc.orphanOptions.filter(keep) };
}

function newProfile(role: ProfileRole, target: ProfileTarget, headerRange: Range, headerText: string): TlsProfile {
  return { role, target, headerRange, headerText, options: [], lastLine: headerRange.start.line };
}

function endOfLine(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl === -1 ? text.length : nl;
}

function lineAtOffset(text: string, offset: number): { start: number; text: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  return { start, text: text.slice(start, endOfLine(text, offset)) };
}

/** Trailing text up to a comment or the end of the line, without trailing blanks. */
function trailingJunkEnd(text: string, from: number): number {
  let end = endOfLine(text, from);
  // On this line only: a search to the end of the file per bad line would be quadratic.
  const hash = text.slice(from, end).indexOf('#');
  if (hash !== -1) end = from + hash;
  while (end > from && /[ \t\r]/.test(text[end - 1]!)) end--;
  return Math.max(end, from + 1);
}

function describeLexError(err: LexError): string {
  if (err.message.startsWith('Invalid character')) {
    return `${err.message} (only letters, digits, _ and = : ; . , ? [ ] / @ ! $ % & * ( ) - + | ' are allowed outside quotes; quote values with other characters)`;
  }
  if (err.message === 'Token too long') return 'Token too long (Kamailio reads at most 512 bytes per value)';
  if (err.message.startsWith('Premature end of file, missing closing quote')) return 'Missing closing quote (Kamailio reads to the end of the file: "Premature end of file, missing closing quote in string constant")';
  return err.message;
}
