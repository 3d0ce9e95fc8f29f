// The kamailio.cfg scanner: a hand-written port of the INITIAL state of Kamailio's flex scanner
// (src/core/cfg.lex) for everything that decides what the grammar sees. Reference §4.1–§4.3.
// Quirks kept on purpose:
// - `#` and `//` start a line comment anywhere outside strings, pseudo-variables and block
//   comments; `/* */` nests (a counter is kept) and an unclosed one is fatal at EOF.
// - `#!`/`!!` + a known word is a directive; any other `#!word` is just a comment. `#!else` and
//   `#!endif` count only when nothing but white space follows before the newline, so
//   `#!endif # x` is a comment and closes nothing.
// - Double-quoted strings may span lines, know C escapes, and adjacent ones (separated only by
//   white space) are one string. Single-quoted strings are raw.
// - flex picks the longest match and, on a tie, the earlier rule: `5060x` is one NUM_ID, `::` is
//   an IPV6ADDR, `0.0.0` is NUMBER DOT NUMBER DOT NUMBER, `include_file` is a keyword.
// - Characters no rule matches (`?`, backquote, a lone backslash, non-ASCII) are echoed by flex
//   and otherwise ignored; they produce no token here either.
// The scanner is linear: every loop advances, and no regular expression is run on unbounded input.
import type { DirectiveName, DirectiveToken, IncludeToken, Span, Token, TokenKind } from './tokens';
import { ignoredDirectiveMessage } from './preprocessor';
import { quoted } from '../quote';

export type LexProblemKind =
  | 'unterminated-string'
  | 'unterminated-comment'
  | 'define-dash'
  | 'directive-name-missing'
  | 'ignored-directive'
  | 'bang-directive-with-text'
  | 'include-name'
  /** Key material pasted into the file, where Kamailio's grammar would read it (parser.ts). */
  | 'embedded-secret';

export interface LexProblem {
  kind: LexProblemKind;
  start: number;
  end: number;
  message: string;
  /** For an ignored `#!else`/`#!endif`: which one. */
  directive?: 'else' | 'endif';
}

export interface LexResult {
  tokens: Token[];
  /** Comment spans [start, end), in order; used to tell whether an offset lies inside one. */
  comments: number[];
  problems: LexProblem[];
  /** First `#!KAMAILIO`-style marker (followed directly by a newline), with its offset. */
  marker?: { name: string; start: number };
  /** The text ended inside a line comment that had no newline (matters for #!define values). */
  endsInLineComment: boolean;
}

const CH_NL = 10;
const CH_CR = 13;
const CH_TAB = 9;
const CH_BS = 8;
const CH_SPACE = 32;

function isEatable(c: number): boolean {
  return c === CH_SPACE || c === CH_TAB || c === CH_CR || c === CH_BS;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isAlnum(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === 95;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Cheap test: an IPV6ADDR starting with hex digits needs 1–4 of them and then ':'. */
function mayStartIpv6(text: string, i: number, end: number): boolean {
  let n = 0;
  while (i + n < end && n < 5 && isHex(text.charCodeAt(i + n))) n++;
  return n >= 1 && n <= 4 && i + n < end && text.charCodeAt(i + n) === 58;
}

/** Length of the longest IPV6ADDR match of cfg.lex at `i` (0 when none). */
export function matchIpv6(text: string, i: number, end: number): number {
  const hexRun = (p: number): number => {
    let n = 0;
    while (p + n < end && isHex(text.charCodeAt(p + n))) n++;
    return n;
  };
  const colon = (p: number): boolean => p < end && text.charCodeAt(p) === 58;
  // A full "H:" group: 1–4 hex digits that a ':' follows.
  const group = (p: number): number => {
    const n = hexRun(p);
    return n >= 1 && n <= 4 && colon(p + n) ? p + n + 1 : -1;
  };
  // (":" H){1,7} from p; returns the end of the longest match or -1.
  const colonGroups = (p: number): number => {
    let best = -1;
    let q = p;
    for (let k = 0; k < 7; k++) {
      if (!colon(q)) break;
      const n = hexRun(q + 1);
      if (n === 0) break;
      best = q + 1 + Math.min(n, 4);
      if (n > 4) break;
      q = q + 1 + n;
    }
    return best;
  };
  let best = 0;
  // (H:){7}H, (H:){1,7}(:H){1,7}, (H:){1,7}:
  let p = i;
  for (let k = 1; k <= 7; k++) {
    const next = group(p);
    if (next < 0) break;
    p = next;
    if (k === 7) {
      const n = hexRun(p);
      if (n > 0) best = Math.max(best, p + Math.min(n, 4) - i);
    }
    const tail = colonGroups(p);
    if (tail > 0) best = Math.max(best, tail - i);
    if (colon(p)) best = Math.max(best, p + 1 - i);
  }
  // ":"(":"H){1,7} and "::"
  if (colon(i)) {
    const tail = colonGroups(i + 1);
    if (tail > 0) best = Math.max(best, tail - i);
    if (colon(i + 1)) best = Math.max(best, 2);
  }
  return best;
}

const DEFINE_FAMILY: Record<string, DirectiveName> = {
  define: 'define',
  def: 'define',
  trydef: 'trydef',
  trydefine: 'trydef',
  redefine: 'redefine',
  redef: 'redefine',
  defexp: 'defexp',
  defexps: 'defexps',
  // Not in cfg.lex of 5.6 (5.6.3 treats `#!undef X` as a comment); listed by the reference.
  undef: 'undef',
  undefine: 'undef',
  tryundef: 'tryundef',
  tryundefine: 'tryundef',
};
const PREFIX_MATCHED: [string, DirectiveName | 'include_file' | 'import_file'][] = [
  ['substdefs', 'substdefs'],
  ['substdef', 'substdef'],
  ['subst', 'subst'],
  ['trydefenvs', 'trydefenvs'],
  ['trydefenv', 'trydefenv'],
  ['defenvs', 'defenvs'],
  ['defenv', 'defenv'],
  ['include_file', 'include_file'],
  ['import_file', 'import_file'],
];
const MARKERS = new Set(['SER', 'KAMAILIO', 'OPENSER', 'MAXCOMPAT', 'ALL']);
const SPECIAL_COLON_WORDS = ['msg:len', 'uri:host', 'uri:port'];
const TWO_CHAR_OPS = new Set(['==', '!=', '=~', '+=', '>=', '<=', '<<', '>>', '&&', '||']);
const ONE_CHAR_OP_CODES = new Uint8Array(128);
for (const ch of '=><!&|~^+-*/%@.,;:(){}[]') ONE_CHAR_OP_CODES[ch.charCodeAt(0)] = 1;
/** First characters of the two-character operators. */
const TWO_CHAR_FIRST = new Set([...TWO_CHAR_OPS].map((o) => o.charCodeAt(0)));

/** Lexes `text` (of `file`) from `from` to `to`. */
export function lexKamailio(text: string, from = 0, to = text.length, file = ''): LexResult {
  return new Scanner(text, from, to, file).run();
}

class Scanner {
  private pos: number;
  private newline = true;
  private readonly tokens: Token[] = [];
  private readonly comments: number[] = [];
  private readonly problems: LexProblem[] = [];
  private marker: { name: string; start: number } | undefined;
  private endsInLineComment = false;

  private lastEnd = -1;

  constructor(
    private readonly text: string,
    from: number,
    private readonly end: number,
    private readonly file: string,
  ) {
    this.pos = from;
  }

  run(): LexResult {
    const t = this.text;
    const end = this.end;
    while (this.pos < end) {
      const c = t.charCodeAt(this.pos);
      if (c === CH_SPACE || c === CH_TAB || c === CH_CR) {
        this.pos++;
        continue;
      }
      if (c === CH_NL) {
        this.newline = true;
        this.pos++;
        continue;
      }
      this.step();
    }
    const result: LexResult = { tokens: this.tokens, comments: this.comments, problems: this.problems, endsInLineComment: this.endsInLineComment };
    if (this.marker) result.marker = this.marker;
    return result;
  }

  private code(p: number): number {
    return p < this.end ? this.text.charCodeAt(p) : -1;
  }

  private push(kind: TokenKind, start: number, end: number, extra?: { value?: string; directive?: DirectiveToken; include?: IncludeToken }): Token {
    const t: Token = { kind, start, end, text: this.text.slice(start, end), newlineBefore: this.newline, spaceBefore: this.lastEnd !== start, file: this.file };
    this.lastEnd = end;
    if (extra?.value !== undefined) t.value = extra.value;
    if (extra?.directive) t.directive = extra.directive;
    if (extra?.include) t.include = extra.include;
    this.tokens.push(t);
    this.newline = false;
    return t;
  }

  private problem(kind: LexProblemKind, start: number, end: number, message: string): void {
    this.problems.push({ kind, start, end, message });
  }

  private lineEnd(p: number): number {
    const nl = this.text.indexOf('\n', p);
    return nl === -1 || nl > this.end ? this.end : nl;
  }

  private step(): void {
    const t = this.text;
    const p = this.pos;
    const c = t.charCodeAt(p);
    if (c === CH_NL) {
      this.newline = true;
      this.pos++;
      return;
    }
    if (isEatable(c)) {
      this.pos++;
      return;
    }
    // A backslash right before a newline joins the lines (cfg.lex: <INITIAL>\\{CR}).
    if (c === 92) {
      this.pos += this.code(p + 1) === CH_NL ? 2 : 1;
      return;
    }
    if (c === 35 /* # */) {
      if (this.code(p + 1) === 33 /* ! */ && this.directive(p, 2)) return;
      this.lineComment(p);
      return;
    }
    if (c === 33 /* ! */ && this.code(p + 1) === 33 && this.directive(p, 2)) return;
    if (c === 47 /* / */) {
      const n = this.code(p + 1);
      if (n === 47) {
        if (this.code(p + 2) === 33) this.checkMarker(p, 3);
        this.lineComment(p);
        return;
      }
      if (n === 42) {
        this.blockComment(p);
        return;
      }
    }
    if (c === 34 /* " */) {
      this.doubleQuoted(p);
      return;
    }
    if (c === 39 /* ' */) {
      this.singleQuoted(p);
      return;
    }
    if (c === 36 /* $ */) {
      this.pvar(p);
      return;
    }
    if (isAlnum(c) || c === 58 /* : */) {
      if (this.wordOrNumber(p)) return;
    }
    if (c === 40 /* ( */) {
      // INTCAST/STRCAST are single tokens in cfg.lex.
      if (t.startsWith('(int)', p) || t.startsWith('(str)', p)) {
        this.push('punct', p, p + 5);
        this.pos = p + 5;
        return;
      }
    }
    if (TWO_CHAR_FIRST.has(c) && p + 2 <= this.end && TWO_CHAR_OPS.has(t.slice(p, p + 2))) {
      this.push('punct', p, p + 2);
      this.pos = p + 2;
      return;
    }
    if (c < 128 && ONE_CHAR_OP_CODES[c] === 1) {
      this.push('punct', p, p + 1);
      this.pos = p + 1;
      return;
    }
    // No rule matches: flex echoes the character and goes on.
    this.pos = p + 1;
  }

  private lineComment(p: number): void {
    const e = this.lineEnd(p);
    this.comments.push(p, e);
    if (e === this.end && (this.end === this.text.length || this.text.charCodeAt(this.end) !== CH_NL)) this.endsInLineComment = true;
    this.pos = e;
  }

  private checkMarker(p: number, wordStart: number): void {
    let q = p + wordStart;
    while (q < this.end && isLetter(this.text.charCodeAt(q))) q++;
    const word = this.text.slice(p + wordStart, q);
    if (MARKERS.has(word) && this.code(q) === CH_NL && !this.marker) this.marker = { name: word, start: p };
  }

  private blockComment(p: number): void {
    const t = this.text;
    let depth = 1;
    let q = p + 2;
    let sawNewline = false;
    while (q < this.end && depth > 0) {
      const c = t.charCodeAt(q);
      if (c === 47 && this.code(q + 1) === 42) {
        depth++;
        q += 2;
      } else if (c === 42 && this.code(q + 1) === 47) {
        depth--;
        q += 2;
      } else {
        if (c === CH_NL) sawNewline = true;
        q++;
      }
    }
    this.comments.push(p, q);
    if (depth > 0) {
      this.problem(
        'unterminated-comment',
        p,
        p + 2,
        `Unterminated block comment: Kamailio logs "unexpected EOF: ${depth} comments open" but starts, silently ignoring everything after this '/*' — routes and modules included (block comments nest, so every '/*' needs its own '*/').`,
      );
    }
    if (sawNewline) this.newline = true;
    this.pos = q;
  }

  /** STRING1 body from q: returns the closing quote's offset (-1 at EOF) and the unescaped text. */
  private stringBody(q: number): { close: number; value: string } {
    const t = this.text;
    let value = '';
    while (q < this.end) {
      const c = t.charCodeAt(q);
      if (c === 34) return { close: q, value };
      if (c === 92 && q + 1 < this.end) {
        const n = t[q + 1]!;
        const simple = n === 'n' ? '\n' : n === 'r' ? '\r' : n === 'a' ? '\x07' : n === 't' ? '\t' : n === '"' || n === '\\' ? n : undefined;
        if (simple !== undefined) {
          value += simple;
          q += 2;
          continue;
        }
        if (n === '\n') {
          q += 2;
          continue;
        }
        if (n === 'x' && isHex(this.code(q + 2))) {
          const len = isHex(this.code(q + 3)) ? 2 : 1;
          value += String.fromCharCode(parseInt(t.slice(q + 2, q + 2 + len), 16));
          q += 2 + len;
          continue;
        }
        // \ooo with 2 or 3 octal digits; a single digit stays (subst back-references).
        let oct = 0;
        while (oct < 3 && this.code(q + 1 + oct) >= 48 && this.code(q + 1 + oct) <= 55) oct++;
        if (oct >= 2) {
          value += String.fromCharCode(parseInt(t.slice(q + 1, q + 1 + oct), 8) & 0xff);
          q += 1 + oct;
          continue;
        }
        value += '\\';
        q++;
        continue;
      }
      value += t[q];
      q++;
    }
    return { close: -1, value };
  }

  private doubleQuoted(p: number): void {
    const t = this.text;
    let q = p + 1;
    let value = '';
    let lastClose = -1;
    for (;;) {
      const body = this.stringBody(q);
      if (body.close === -1) {
        if (lastClose === -1) {
          this.unterminated(p, '"');
        } else {
          // STR_BETWEEN found another quote and the joined string never closes.
          this.push('string', p, lastClose + 1, { value });
          this.unterminated(q - 1, '"');
        }
        return;
      }
      value += body.value;
      lastClose = body.close;
      // STR_BETWEEN: only white space (newlines included) may separate joined strings.
      let r = lastClose + 1;
      while (r < this.end && (isEatable(t.charCodeAt(r)) || t.charCodeAt(r) === CH_NL)) r++;
      if (r < this.end && t.charCodeAt(r) === 34) {
        q = r + 1;
        continue;
      }
      break;
    }
    this.push('string', p, lastClose + 1, { value });
    this.pos = lastClose + 1;
  }

  private unterminated(p: number, quote: string): void {
    // Kamailio reads to EOF looking for the closing quote. To keep checking the rest of the file
    // the token stops at the end of its line here.
    const e = this.lineEnd(p);
    // Strings may span lines, so one missing quote shifts every later pair: the first string
    // that runs across a line break is where the pairing most likely went wrong.
    const multi = this.tokens.find((t) => t.kind === 'string' && t.text.includes('\n') && t.start < p);
    const hint = multi ? ` The quotes stop pairing earlier: the string that starts on line ${lineNumber(this.text, multi.start)} runs across a line break.` : '';
    this.problem(
      'unterminated-string',
      p,
      e,
      `Unterminated string: no closing ${quote} before the end of the file, so Kamailio stops with "unexpected EOF in unclosed string" (strings may span lines, a missing quote swallows the rest of the file).${hint}`,
    );
    this.push('string', p, e, { value: this.text.slice(p + 1, e) });
    this.pos = e;
  }

  private singleQuoted(p: number): void {
    const close = this.text.indexOf("'", p + 1);
    if (close === -1 || close >= this.end) {
      this.unterminated(p, "'");
      return;
    }
    this.push('string', p, close + 1, { value: this.text.slice(p + 1, close) });
    this.pos = close + 1;
  }

  private balancedParens(q: number): number {
    // PVAR_P: everything up to the matching ')' belongs to the variable (no comments, no
    // strings inside); a newline ends it here for robustness.
    let depth = 1;
    while (q < this.end && depth > 0) {
      const c = this.text.charCodeAt(q);
      if (c === CH_NL) return q;
      if (c === 40) depth++;
      else if (c === 41) depth--;
      q++;
    }
    return q;
  }

  private pvar(p: number): void {
    const t = this.text;
    let q = p + 1;
    const c = this.code(q);
    if (c === 40) {
      q = this.balancedParens(q + 1);
    } else if (c === 63 /* ? */) {
      q++;
    } else if (isLetter(c) || c === 95) {
      while (q < this.end && isAlnum(t.charCodeAt(q))) q++;
      if (this.code(q) === 40) q = this.balancedParens(q + 1);
    }
    this.push('pvar', p, q);
    this.pos = q;
  }

  private wordOrNumber(p: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(p);
    let alnum = 0;
    while (p + alnum < this.end && isAlnum(t.charCodeAt(p + alnum))) alnum++;
    const v6 = c === 58 || mayStartIpv6(t, p, this.end) ? matchIpv6(t, p, this.end) : 0;
    if (c === 58) {
      if (v6 === 0) return false;
      this.push('ipv6', p, p + v6);
      this.pos = p + v6;
      return true;
    }
    if (isDigit(c)) {
      let numLen = 0;
      let value = 0;
      // DECNUMBER 0|[1-9][0-9]*
      let dec = 1;
      if (c !== 48) while (p + dec < this.end && isDigit(t.charCodeAt(p + dec))) dec++;
      numLen = dec;
      value = parseInt(t.slice(p, p + dec), 10);
      // HEXNUMBER 0x[0-9a-fA-F]+
      if (c === 48 && this.code(p + 1) === 120) {
        let h = 0;
        while (isHex(this.code(p + 2 + h))) h++;
        if (h > 0 && 2 + h > numLen) {
          numLen = 2 + h;
          value = parseInt(t.slice(p + 2, p + 2 + h), 16);
        }
      }
      // OCTNUMBER 0[0-7]+
      if (c === 48) {
        let o = 0;
        while (this.code(p + 1 + o) >= 48 && this.code(p + 1 + o) <= 55) o++;
        if (o > 0 && 1 + o > numLen) {
          numLen = 1 + o;
          value = parseInt(t.slice(p + 1, p + 1 + o), 8);
        }
      }
      // BINNUMBER [01]+b
      let b = 0;
      while (this.code(p + b) === 48 || this.code(p + b) === 49) b++;
      if (b > 0 && this.code(p + b) === 98 && b + 1 > numLen) {
        numLen = b + 1;
        value = parseInt(t.slice(p, p + b), 2);
      }
      if (v6 > numLen && v6 >= alnum) {
        this.push('ipv6', p, p + v6);
        this.pos = p + v6;
      } else if (numLen >= alnum) {
        this.push('number', p, p + numLen, { value: String(value) });
        this.pos = p + numLen;
      } else {
        this.push('word', p, p + alnum);
        this.pos = p + alnum;
      }
      return true;
    }
    for (const w of SPECIAL_COLON_WORDS) {
      if (t.startsWith(w, p) && !isAlnum(this.code(p + w.length)) && w.length >= v6) {
        this.push('word', p, p + w.length);
        this.pos = p + w.length;
        return true;
      }
    }
    if (v6 > alnum) {
      this.push('ipv6', p, p + v6);
      this.pos = p + v6;
      return true;
    }
    const word = t.slice(p, p + alnum);
    if (word === 'include_file' || word === 'import_file') {
      this.include(p, p + alnum, word, false);
      return true;
    }
    this.push('word', p, p + alnum);
    this.pos = p + alnum;
    if (word === 'event_route') this.eventRouteName();
    return true;
  }

  /** cfg.lex EVRTNAME state: `[` group:name `]`, white space and newlines between are eaten. */
  private eventRouteName(): void {
    const t = this.text;
    let q = this.pos;
    const skip = () => {
      while (q < this.end && (isEatable(t.charCodeAt(q)) || t.charCodeAt(q) === CH_NL)) q++;
    };
    skip();
    if (this.code(q) !== 91) return;
    const open = q;
    q++;
    skip();
    // EVENT_RT_NAME [a-zA-Z][0-9a-zA-Z-]*(":"[a-zA-Z][0-9a-zA-Z_-]*)+
    const nameStart = q;
    let r = q;
    let groups = 0;
    if (isLetter(this.code(r))) {
      r++;
      while (isLetter(this.code(r)) || isDigit(this.code(r)) || this.code(r) === 45) r++;
      for (;;) {
        if (this.code(r) !== 58 || !isLetter(this.code(r + 1))) break;
        r += 2;
        while (isAlnum(this.code(r)) || this.code(r) === 45) r++;
        groups++;
      }
    }
    if (groups === 0) return;
    this.push('punct', open, open + 1);
    this.push('event-name', nameStart, r);
    q = r;
    skip();
    if (this.code(q) === 93) {
      this.push('punct', q, q + 1);
      q++;
    }
    this.pos = q;
  }

  private include(p: number, keywordEnd: number, word: 'include_file' | 'import_file', prefixed: boolean): void {
    const t = this.text;
    // INCLF/IMPTF: blanks are eaten, then the name is everything up to white space.
    let q = keywordEnd;
    while (q < this.end && (isEatable(t.charCodeAt(q)) || t.charCodeAt(q) === CH_NL)) q++;
    const nameStart = q;
    while (q < this.end && !isEatable(t.charCodeAt(q)) && t.charCodeAt(q) !== CH_NL) q++;
    const inc: IncludeToken = { directive: word, prefixed };
    if (q > nameStart) inc.name = { text: t.slice(nameStart, q), start: nameStart, end: q };
    else this.problem('include-name', p, keywordEnd, `${quoted(word)} needs a file name in double quotes.`);
    this.push('include', p, q, { include: inc });
    this.pos = q;
  }

  /** Tries a `#!`/`!!` directive at p; false when it is none (then `#…` is a comment). */
  private directive(p: number, prefixLen: number): boolean {
    const t = this.text;
    let q = p + prefixLen;
    while (q < this.end && (isLetter(t.charCodeAt(q)) || t.charCodeAt(q) === 95)) q++;
    const word = t.slice(p + prefixLen, q);
    const prefix = t.charCodeAt(p) === 35 ? '#!' : '!!';
    if (prefix === '#!' && MARKERS.has(word)) {
      this.checkMarker(p, prefixLen);
      return false;
    }
    const keyword = (name: string): Span => ({ text: prefix + name, start: p, end: p + prefixLen + name.length });

    const family = DEFINE_FAMILY[word];
    if (family !== undefined || word === 'ifdef' || word === 'ifndef' || word === 'ifexp') {
      // These need at least one blank after the keyword (`{EAT_ABLE}+`).
      if (!isEatable(this.code(q))) return false;
      const d: DirectiveToken = {
        name: family ?? (word as DirectiveName),
        spelling: word,
        prefix,
        keyword: keyword(word),
      };
      let r = q;
      while (isEatable(this.code(r))) r++;
      if (word === 'ifexp') {
        const e = this.lineEnd(r);
        d.expression = { text: t.slice(r, e), start: r, end: e };
        this.push('directive', p, e, { directive: d });
        this.pos = e;
        return true;
      }
      const idStart = r;
      if (isLetter(this.code(r)) || this.code(r) === 95) {
        while (isAlnum(this.code(r))) r++;
        d.id = { text: t.slice(idStart, r), start: idStart, end: r };
        if (this.code(r) === 45 /* - */) {
          d.fatal = `Kamailio exits: '-' is not allowed in a ${word === 'ifdef' || word === 'ifndef' ? '#!ifdef' : 'define'} name ("error at … line …: '-' not allowed"); use '_' instead.`;
          this.problem('define-dash', idStart, r + 1, d.fatal);
        }
      } else {
        this.problem('directive-name-missing', p, r, `${quoted(prefix + word)} needs a name right after it.`);
      }
      let e = this.lineEnd(r);
      if (family === 'define' || family === 'trydef' || family === 'redefine' || family === 'defexp' || family === 'defexps') {
        // DEFINE_EOL / DEFINE_DATA: the value is the rest of the line; backslash-newline joins.
        let v = r;
        while (isEatable(this.code(v))) v++;
        let value = '';
        let w = v;
        while (w < this.end && t.charCodeAt(w) !== CH_NL) {
          if (t.charCodeAt(w) === 92 && this.code(w + 1) === CH_NL) {
            w += 2;
            continue;
          }
          value += t[w];
          w++;
        }
        e = w;
        if (w > v) d.value = { text: value, start: v, end: w };
      }
      this.push('directive', p, e, { directive: d });
      this.pos = e;
      return true;
    }
    if (word === 'else' || word === 'endif') {
      let r = q;
      while (isEatable(this.code(r))) r++;
      if (this.code(r) === CH_NL) {
        this.push('directive', p, q, { directive: { name: word, spelling: word, prefix, keyword: keyword(word) } });
        this.pos = r;
        return true;
      }
      const e = this.lineEnd(p);
      const written = t.slice(p, e).trimEnd();
      const bang = prefix === '!!';
      const message = ignoredDirectiveMessage(`${prefix}${word}`, written, r >= this.end, bang);
      this.problems.push({ kind: bang ? 'bang-directive-with-text' : 'ignored-directive', start: p, end: e, message, directive: word });
      if (bang) {
        // `!!` is no comment: the rest of the line reaches the grammar, a parse error (verified
        // on 5.6.3). Skip it here; the problem above already explains what is wrong.
        this.pos = e;
        return true;
      }
      return false;
    }
    for (const [spelling, name] of PREFIX_MATCHED) {
      if (!word.startsWith(spelling)) continue;
      if (name === 'include_file' || name === 'import_file') {
        if (word !== spelling) continue;
        this.include(p, q, name, true);
        return true;
      }
      const d: DirectiveToken = { name, spelling, prefix, keyword: keyword(spelling) };
      let r = p + prefixLen + spelling.length;
      if (name === 'defenv' || name === 'defenvs' || name === 'trydefenv' || name === 'trydefenvs') {
        while (this.code(r) === CH_SPACE || this.code(r) === CH_TAB) r++;
        const a = r;
        while (r < this.end && !isEatable(t.charCodeAt(r)) && t.charCodeAt(r) !== CH_NL) r++;
        if (r > a) d.id = { text: t.slice(a, r), start: a, end: r };
        else this.problem('directive-name-missing', p, r, `${quoted(prefix + spelling)} needs NAME or NAME=ENVVAR after it.`);
      }
      this.push('directive', p, r, { directive: d });
      this.pos = r;
      return true;
    }
    return false;
  }
}

/** 1-based line number of an offset (for messages). */
function lineNumber(text: string, offset: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Whether `offset` lies strictly inside a token or comment of `lexed` (not on a boundary). */
export function insideLexeme(lexed: LexResult, offset: number): boolean {
  const toks = lexed.tokens;
  let lo = 0;
  let hi = toks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const tk = toks[mid]!;
    if (tk.end <= offset) lo = mid + 1;
    else if (tk.start >= offset) hi = mid - 1;
    else return true;
  }
  const cs = lexed.comments;
  lo = 0;
  hi = cs.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = cs[mid * 2]!;
    const e = cs[mid * 2 + 1]!;
    if (e <= offset) lo = mid + 1;
    else if (s >= offset) hi = mid - 1;
    else return true;
  }
  return false;
}

/** Index of the first token starting at or after `offset`. */
export function firstTokenAt(tokens: Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
