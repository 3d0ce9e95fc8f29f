// The preprocessor state of one evaluation: the define table (cfg.lex pp_define & co.) and the
// scanner Kamailio uses inside a switched-off #!ifdef region (the IFDEF_SKIP state).
// Reference §4.2.
import type { DefineInfo } from './model';
import { quoted } from '../quote';

export interface DefineEntry {
  name: string;
  /** Raw value text (what Kamailio re-lexes in place of the name); undefined = no value. */
  value?: string;
  /** Defined from the environment (#!defenv…): the value is only known at deployment. */
  fromEnvironment?: string;
  info: DefineInfo;
}

/** Kamailio keeps one flat table; names are case-sensitive. */
export class DefineTable {
  private readonly entries = new Map<string, DefineEntry>();
  /** Every name defined at some point, including those #!undef'd later. */
  readonly everDefined = new Set<string>();

  has(name: string): boolean {
    return this.entries.has(name);
  }

  get(name: string): DefineEntry | undefined {
    return this.entries.get(name);
  }

  set(entry: DefineEntry): void {
    this.entries.set(entry.name, entry);
    this.everDefined.add(entry.name);
  }

  delete(name: string): boolean {
    return this.entries.delete(name);
  }

  /** Value as a string for expressions and `$def()`: quotes kept as written. */
  valueOf(name: string): string | undefined {
    return this.entries.get(name)?.value;
  }

  infos(): Map<string, DefineInfo> {
    const out = new Map<string, DefineInfo>();
    for (const [k, v] of this.entries) out.set(k, v.info);
    return out;
  }
}

export type SkipEventKind = 'ifdef' | 'ifndef' | 'ifexp' | 'else' | 'endif' | 'ignored';

export interface SkipEvent {
  kind: SkipEventKind;
  /** Offset of the `#!`/`!!`. */
  start: number;
  /** Offset after the directive's line (scanning resumes here). */
  end: number;
  /** End of the directive keyword. */
  keywordEnd: number;
  /** ifdef/ifndef name. */
  id?: { text: string; start: number; end: number };
  /** ifexp expression. */
  expression?: string;
  /** For 'ignored': the `#!else`/`#!endif` spelling and why it does not count. */
  message?: string;
  /** For 'ignored': which directive it would have been. */
  directive?: 'else' | 'endif';
}

/**
 * Why Kamailio does not act on `#!endif`/`#!else` with text after it (or at the very end of the
 * file): cfg.lex only matches them when white space and a newline follow. With the `#!` prefix
 * the line is then a comment; with `!!` outside a skipped region the grammar sees it.
 */
export function ignoredDirectiveMessage(spelling: string, written: string, atEndOfFile: boolean, grammarSeesIt: boolean): string {
  const w = quoted(written);
  const k = quoted(spelling);
  if (grammarSeesIt) {
    return `${w} is no directive for Kamailio (${atEndOfFile ? 'it needs a newline after it' : `only white space may follow ${k}`}), and '!!' does not start a comment, so the line is a parse error ("syntax error"). Write ${k} alone on its line.`;
  }
  return atEndOfFile
    ? `Kamailio ignores ${k} at the very end of the file: the directive needs a newline after it, so it closes nothing.`
    : `Kamailio ignores ${k} followed by text: ${w} is read as a comment, so it closes nothing. Only white space may follow ${k}; move the text to its own comment line.`;
}

function isEatable(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 8;
}

function isIdChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function lineEndAfter(text: string, p: number): number {
  const nl = text.indexOf('\n', p);
  return nl === -1 ? text.length : nl + 1;
}

/**
 * The next directive Kamailio acts on inside a skipped region, from `from`. In IFDEF_SKIP every
 * character is eaten one by one except `#!ifdef`, `#!ifndef`, `#!ifexp` (5.7+), `#!else` and
 * `#!endif`, which are recognised anywhere — also inside what would otherwise be a comment or a
 * string, so a commented-out `// #!endif` still closes the region (verified with 5.6.3).
 */
export function nextSkipEvent(text: string, from: number, ifexpSupported: boolean): SkipEvent | undefined {
  const n = text.length;
  for (let p = from; p + 1 < n; p++) {
    const c = text.charCodeAt(p);
    // `#!` or `!!` (cfg.lex PREP_START)
    if ((c !== 35 && c !== 33) || text.charCodeAt(p + 1) !== 33) continue;
    let q = p + 2;
    while (q < n && text.charCodeAt(q) >= 97 && text.charCodeAt(q) <= 122) q++;
    const word = text.slice(p + 2, q);
    if (word === 'ifdef' || word === 'ifndef' || (word === 'ifexp' && ifexpSupported)) {
      if (q < n && isEatable(text.charCodeAt(q))) {
        let r = q;
        while (r < n && isEatable(text.charCodeAt(r))) r++;
        const ev: SkipEvent = { kind: word, start: p, end: lineEndAfter(text, r), keywordEnd: q };
        if (word === 'ifexp') {
          ev.expression = text.slice(r, ev.end).replace(/\r?\n$/, '');
        } else {
          let s = r;
          while (s < n && isIdChar(text.charCodeAt(s))) s++;
          if (s > r) ev.id = { text: text.slice(r, s), start: r, end: s };
        }
        return ev;
      }
    } else if (word === 'else' || word === 'endif') {
      let r = q;
      while (r < n && isEatable(text.charCodeAt(r))) r++;
      if (r < n && text.charCodeAt(r) === 10) return { kind: word, start: p, end: r + 1, keywordEnd: q };
      const e = text.indexOf('\n', p);
      const lineEnd = e === -1 ? n : e;
      const written = text.slice(p, lineEnd).trimEnd();
      // In IFDEF_SKIP every other character is eaten, so even `!!endif x` is harmless here.
      return { kind: 'ignored', start: p, end: lineEnd, keywordEnd: q, directive: word, message: ignoredDirectiveMessage(text.slice(p, q), written, r >= n, false) };
    }
  }
  return undefined;
}

/** Parses `-A NAME` / `-A NAME=VALUE` style defines. */
export function parseCommandLineDefine(spec: string): { name: string; value?: string } | undefined {
  const eq = spec.indexOf('=');
  const name = (eq === -1 ? spec : spec.slice(0, eq)).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return undefined;
  if (eq === -1) return { name };
  return { name, value: spec.slice(eq + 1) };
}
