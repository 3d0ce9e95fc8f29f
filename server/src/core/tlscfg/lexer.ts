// A faithful port of Kamailio's standalone config lexer (src/core/cfg_parser.c, cfg_get_token),
// which reads tls.cfg. Reference §1.2. The quirks that matter:
// - '#' starts a comment anywhere outside quotes, even right after an unquoted value;
//   a backslash inside a comment escapes the next character, so a comment ending in '\'
//   swallows the following line.
// - In "extended alpha" mode (values of string, boolean and enum options) delimiters and quotes
//   are part of the word, so `/etc/x.pem` and `HIGH:!aNULL` are one token; in normal mode
//   (keys, headers, integer values) every delimiter is a token of its own, so `-1` is '-' then '1'.
// - Quoted strings may span lines; a missing closing quote is only noticed at end of file.
// - A token longer than 512 bytes fails ("Token too long").
import { quoted } from '../quote';

export const MAX_TOKEN_BYTES = 512;

export type TokenType = 'alpha' | 'string' | 'eol' | 'delim';

export interface Token {
  type: TokenType;
  /** Token value after unescaping (for 'delim' and 'eol' the character itself). */
  value: string;
  /** Offset of the first character (the opening quote for strings). */
  start: number;
  /** Offset just after the last character (after the closing quote for strings). */
  end: number;
}

export interface LexError {
  message: string;
  offset: number;
  /** Offset where the lexer stopped (for recovery). */
  at: number;
}

export type LexResult = Token | LexError | 'eof';

export function isLexError(r: LexResult): r is LexError {
  return typeof r === 'object' && 'message' in r;
}

const DELIMS = new Set(['=', ':', ';', '.', ',', '?', '[', ']', '/', '@', '!', '$', '%', '&', '*', '(', ')', '-', '+', '|', "'"]);

function isAlpha(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_';
}
function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r';
}
function isDelim(c: string): boolean {
  return DELIMS.has(c);
}

function describeChar(c: string): string {
  // Kamailio reads bytes: a UTF-8 byte order mark shows as its first byte.
  if (c === '\ufeff') return '0xef (a UTF-8 byte order mark)';
  const code = c.codePointAt(0) ?? 0;
  if (code > 0x7f) return `0x${Buffer.from(c, 'utf8')[0]!.toString(16)} (non-ASCII ${quoted(c)})`;
  return `0x${code.toString(16)}`;
}

/**
 * UTF-8 bytes counted for one UTF-16 unit: a high surrogate counts the 4 bytes of its pair; the
 * low surrogate that follows then counts 3 more (conservative for the 512-byte limit).
 */
function charBytes(code: number): number {
  if (code < 0x80) return 1;
  if (code < 0x800) return 2;
  return code >= 0xd800 && code <= 0xdbff ? 4 : 3;
}

export class TlsCfgLexer {
  offset = 0;

  constructor(readonly text: string) {}

  /** Move to the start of the line after `offset` (error recovery). */
  skipToNextLine(offset: number): void {
    const nl = this.text.indexOf('\n', offset);
    this.offset = nl === -1 ? this.text.length : nl + 1;
  }

  /** The next token; `extended` selects Kamailio's CFG_EXTENDED_ALPHA mode. */
  next(extended: boolean): LexResult {
    const text = this.text;
    let state: 'S' | 'A' | 'AE' | 'Q' | 'QE' | 'C' | 'CE' | 'E' = 'S';
    // A token's value is the text from `run` on, after `value` (what came before the last
    // escape): slices, not one concatenation per character (a 2,000-line tls.cfg is lexed on
    // every keystroke).
    let value = '';
    let run = -1;
    let start = -1;
    let bytes = 0;

    while (this.offset < text.length) {
      const i = this.offset;
      const c = text[i]!;
      switch (state) {
        case 'S':
          if (isWhitespace(c)) {
            // skip
          } else if (isAlpha(c) || (extended && (c === '\\' || isDelim(c)))) {
            bytes += charBytes(text.charCodeAt(i));
            if (bytes > MAX_TOKEN_BYTES) return { message: 'Token too long', offset: i, at: i };
            start = i;
            run = i;
            state = 'A';
          } else if (c === '"') {
            start = i;
            run = i + 1;
            state = 'Q';
          } else if (c === '#') {
            state = 'C';
          } else if (!extended && c === '\\') {
            start = i;
            state = 'E';
          } else if (c === '\n') {
            this.offset = i + 1;
            return { type: 'eol', value: '\n', start: i, end: i + 1 };
          } else if (!extended && isDelim(c)) {
            this.offset = i + 1;
            return { type: 'delim', value: c, start: i, end: i + 1 };
          } else {
            return { message: `Invalid character ${describeChar(c)}`, offset: i, at: i };
          }
          break;
        case 'A':
          if (isAlpha(c) || (extended && (isDelim(c) || c === '"'))) {
            bytes += charBytes(text.charCodeAt(i));
            if (bytes > MAX_TOKEN_BYTES) return { message: 'Token too long', offset: start, at: i };
          } else if (c === '\\') {
            value += text.slice(run, i);
            state = 'AE';
          } else if (c === '#' || c === '\n' || isWhitespace(c) || (!extended && (isDelim(c) || c === '"'))) {
            // Kamailio keeps the character as look-ahead for the next token.
            this.offset = i;
            return { type: 'alpha', value: value + text.slice(run, i), start, end: i };
          } else {
            return { message: `Invalid character ${describeChar(c)}`, offset: i, at: i };
          }
          break;
        case 'AE': {
          const mapped = c === 'r' ? '\r' : c === 'n' ? '\n' : c === 't' ? '\t' : c === ' ' || c === '#' || c === '"' || c === '\\' ? c : c === '\n' ? '' : undefined;
          if (mapped === undefined) return { message: `Unsupported escape character ${describeChar(c)}`, offset: i - 1, at: i };
          if (mapped !== '') {
            bytes += 1;
            if (bytes > MAX_TOKEN_BYTES) return { message: 'Token too long', offset: start, at: i - 1 };
            value += mapped;
          }
          run = i + 1;
          state = 'A';
          break;
        }
        case 'Q':
          if (c === '"') {
            this.offset = i + 1;
            return { type: 'string', value: value + text.slice(run, i), start, end: i + 1 };
          } else if (c === '\\') {
            value += text.slice(run, i);
            state = 'QE';
          } else {
            bytes += charBytes(text.charCodeAt(i));
            if (bytes > MAX_TOKEN_BYTES) return { message: 'Token too long', offset: start, at: i };
          }
          break;
        case 'QE': {
          const mapped = c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '"' || c === '\\' ? c : c === '\n' ? '' : undefined;
          if (mapped === undefined) return { message: `Unsupported escape character ${describeChar(c)}`, offset: i - 1, at: i };
          bytes += mapped.length;
          if (bytes > MAX_TOKEN_BYTES) return { message: 'Token too long', offset: start, at: i };
          value += mapped;
          run = i + 1;
          state = 'Q';
          break;
        }
        case 'C':
          if (c === '\\') state = 'CE';
          else if (c === '\n') {
            // The end of line after a comment is returned as an EOL token.
            state = 'S';
            continue;
          }
          break;
        case 'CE':
          state = 'C';
          break;
        case 'E': {
          // A backslash at the start of a token in normal mode: the escaped character is a token.
          if (c === '\n') {
            state = 'S';
            start = -1;
            break;
          }
          const mapped = c === 'r' ? '\r' : c === 'n' ? '\n' : c === 't' ? '\t' : c === ' ' || c === '#' || c === '"' || c === '\\' ? c : undefined;
          if (mapped === undefined) return { message: `Unsupported escape character ${describeChar(c)}`, offset: i - 1, at: i };
          this.offset = i + 1;
          return mapped === '\n'
            ? { type: 'eol', value: '\n', start: i - 1, end: i + 1 }
            : { type: 'delim', value: mapped, start: i - 1, end: i + 1 };
        }
      }
      this.offset = i + 1;
    }

    switch (state) {
      case 'S':
      case 'C':
      case 'CE':
        return 'eof';
      case 'A':
        return { type: 'alpha', value: value + text.slice(run), start, end: text.length };
      case 'Q':
        return { message: 'Premature end of file, missing closing quote in string constant', offset: start, at: text.length };
      default:
        return { message: 'Premature end of file, missing escaped character', offset: Math.max(0, text.length - 1), at: text.length };
    }
  }
}
