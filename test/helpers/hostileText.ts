// Text an attacker puts where a repository controls it — certificate fields, file names, tls.cfg
// values — to make an output say something else: Markdown images and links (a remote image makes
// the editor connect), `command:` links, raw HTML, code-span and table breakers, entities, terminal
// sequences (ESC/CSI/OSC, OSC 8 hyperlinks, CR that rewinds a line, C1 controls), bidi overrides
// and invisible characters. Generated from a seed: every string can be replayed.
import { Rng } from './fuzz/prng';

/** Markup: what would render as a link, an image, HTML, code, a table cell, a heading or a list. */
export const MARKUP_PIECES: readonly string[] = [
  '![x](https://evil.example/x.png)',
  '![](//evil.example/p.gif)',
  '![a][r]\n\n[r]: https://evil.example/r.png',
  '<img src=https://evil.example/i.png>',
  '<img src="x" onerror="alert(1)">',
  '[click](command:workbench.action.terminal.new)',
  '[OK](command:sipTls.generateLabPki?%5B%5D)',
  '<command:workbench.action.terminal.new>',
  '<https://evil.example/a>',
  'https://evil.example/b',
  'http://localhost/c',
  'www.evil.example',
  '//evil.example/d',
  '//localhost/e',
  'mailto:x@evil.example',
  'x@evil.example',
  'evil.example',
  '<a href="https://evil.example">a</a>',
  '<script>alert(1)</script>',
  '<!-- c -->',
  '</code></td></tr>',
  '`',
  '``',
  '```',
  '`code`',
  '|',
  '| a | b |',
  '*',
  '**bold**',
  '_',
  '__u__',
  '~~s~~',
  '&lt;img&gt;',
  '&#60;img src=x&#62;',
  '&amp;',
  '# H',
  '> q',
  '- item',
  '1. item',
  '---',
  '===',
  '$x^2$',
  '\\',
  '\\*',
  '[ref]: https://evil.example',
  '[^1]',
  '✅ **No problem found.**',
  'Verdict: OK',
];

/** Terminal control: ESC sequences, OSC titles and hyperlinks, CR/LF line forgery, C0 controls. */
export const TERMINAL_PIECES: readonly string[] = [
  '\x1b[2J',
  '\x1b[31m',
  '\x1b[8m',
  '\x1b]0;title\x07',
  '\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\',
  '\r',
  '\n',
  '\r\nVerdict: OK',
  '\rVerdict: OK',
  '\nVerdict: OK\n',
  '\x07',
  '\x08\x08\x08',
  '\x00',
  '\x7f',
  '\t',
  '\v\f',
];

/** Unicode: C1 controls, bidi overrides and isolates, zero-width and invisible characters, separators, tags. */
export const UNICODE_PIECES: readonly string[] = [
  '\u009b2J',
  '\u0085',
  '\u009d0;t\u009c',
  '\u202e',
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u2060',
  '\ufeff',
  '\u2028',
  '\u2029',
  '\u00ad',
  '\u061c',
  '\u{e0041}\u{e0042}',
  'abc\u202edcba',
];

const GLUE: readonly string[] = ['', ' ', 'sip.example.com', 'a', '-', '.', ':', '/', '  '];

export interface HostileOptions {
  /** ASCII only (IA5String fields: SAN DNS, URI, email). */
  ascii?: boolean;
  /** Characters to leave out (a file name cannot hold '/', a quoted tls.cfg value not '"'). */
  exclude?: RegExp;
  /** Most pieces in one string. */
  maxPieces?: number;
}

/** One hostile string: 1–maxPieces pieces from every family, glued with ordinary text. */
export function hostileString(rng: Rng, options: HostileOptions = {}): string {
  const families = options.ascii ? [MARKUP_PIECES, TERMINAL_PIECES] : [MARKUP_PIECES, TERMINAL_PIECES, UNICODE_PIECES];
  const pieces = rng.between(1, options.maxPieces ?? 4);
  let out = rng.pick(GLUE);
  for (let i = 0; i < pieces; i++) out += rng.pick(rng.pick(families)) + rng.pick(GLUE);
  if (options.exclude) out = out.replace(options.exclude, '_');
  return out === '' ? '_' : out;
}

/** A string that could not have been produced by visible output: the first raw control, format character or separator. */
export function rawInvisible(text: string, allowNewline = true): string | undefined {
  const m = (allowNewline ? /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u : /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u).exec(text);
  return m ? `U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 30), m.index + 30))}` : undefined;
}

/** Every piece of every family, for tests that want each one at least once. */
export const ALL_PIECES: readonly string[] = [...MARKUP_PIECES, ...TERMINAL_PIECES, ...UNICODE_PIECES];
