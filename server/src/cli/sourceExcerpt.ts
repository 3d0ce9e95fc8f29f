// The source line under a finding, with its range underlined, as compilers and the best linters
// show it. The line comes from a file in a repository, so it is untrusted twice over: it may
// hold terminal controls (shown as escapes, like every other output; core/util/visible.ts) and
// it may be key material pasted into a configuration, which must never reach a CI log. A file
// that is key material shows no line at all; PEM blocks and base64 runs inside a configuration
// are blanked (pki/sniff.ts), and a line that still holds something key-like (quote.ts
// elideSecretLooking, or a run of hex bytes) is shown cut, without the underline that would
// measure it.
import { embeddedSecretSpans, blankSpans, sniffCryptoMaterial } from '../core/pki/sniff';
import { elideSecretLooking } from '../core/quote';
import { LineIndex } from '../core/text';
import type { Range } from '../core/types';
import { visibleControls } from '../core/util/visible';

/** Display cells of a source line shown at most; a longer line is cut around the range. */
export const MAX_EXCERPT_CELLS = 120;
const TAB = '    ';

export interface Excerpt {
  /** 1-based line number. */
  line: number;
  text: string;
  /** Spaces, then carets under the range; undefined when the line was cut for a secret. */
  underline?: string;
}

/** A file's lines as they may be shown, or undefined when nothing of it may be. */
export class ShownSource {
  private constructor(private readonly lines: LineIndex) {}

  static of(text: string): ShownSource | undefined {
    if (sniffCryptoMaterial(text) !== undefined) return undefined;
    return new ShownSource(new LineIndex(blankSpans(text, embeddedSecretSpans(text))));
  }

  excerpt(range: Range): Excerpt | undefined {
    const line = range.start.line;
    if (line < 0 || line >= this.lines.lineCount) return undefined;
    const raw = this.lines.lineText(line).replace(/\r$/, '');
    if (raw.trim() === '') return undefined;
    const elided = elideHexRuns(elideSecretLooking(raw));
    if (elided !== raw) return { line: line + 1, text: cutToWidth(cells(elided), 0).text };
    const start = Math.min(range.start.character, raw.length);
    const end = range.end.line > line ? raw.length : Math.max(start, Math.min(range.end.character, raw.length));
    return { line: line + 1, ...underlined(cells(raw), start, end) };
  }
}

/**
 * Eight or more hex bytes in a row (with or without ':' or spaces between them) are cut to their
 * first byte: `openssl pkey -text` prints a private key's components that way, and a dump pasted
 * into a configuration below its first line is not recognised as material by the file's start.
 */
const HEX_RUN = /(?:[0-9a-fA-F]{2}[:\s]?){8,}/g;

function elideHexRuns(text: string): string {
  return text.replace(HEX_RUN, (run) => `${run.slice(0, 2)}…`);
}

/** One displayed piece per UTF-16 index range of the line: a character as it is shown. */
interface Cell {
  from: number;
  shown: string;
}

function cells(text: string): Cell[] {
  const out: Cell[] = [];
  let at = 0;
  for (const ch of text) {
    out.push({ from: at, shown: ch === '\t' ? TAB : visibleControls(ch) });
    at += ch.length;
  }
  return out;
}

function underlined(line: Cell[], start: number, end: number): { text: string; underline: string } {
  const first = line.findIndex((c) => c.from >= start);
  const a = first === -1 ? line.length : first;
  const after = line.findIndex((c) => c.from >= end);
  const b = Math.max(a, after === -1 ? line.length : after);
  const cut = cutToWidth(line, a);
  const width = (cs: Cell[]): number => cs.reduce((n, c) => n + Array.from(c.shown).length, 0);
  const lead = width(cut.cells.slice(0, a - cut.from));
  // An empty range (a missing token, a whole-file note) still points somewhere: one caret.
  const marks = Math.max(1, width(cut.cells.slice(a - cut.from, b - cut.from)));
  return { text: cut.text, underline: ' '.repeat(cut.prefix.length + lead) + '^'.repeat(marks) };
}

/** The cells from the range start on when the line is too long, with an ellipsis for what is cut. */
function cutToWidth(line: Cell[], a: number): { cells: Cell[]; from: number; prefix: string; text: string } {
  const total = line.reduce((n, c) => n + Array.from(c.shown).length, 0);
  if (total <= MAX_EXCERPT_CELLS) return { cells: line, from: 0, prefix: '', text: line.map((c) => c.shown).join('') };
  // Keep a little context before the range, then as much as fits.
  const from = Math.max(0, Math.min(a - 10, line.length - 1));
  const kept: Cell[] = [];
  let width = 0;
  for (let i = from; i < line.length && width < MAX_EXCERPT_CELLS; i++) {
    kept.push(line[i]!);
    width += Array.from(line[i]!.shown).length;
  }
  const prefix = from > 0 ? '…' : '';
  const suffix = from + kept.length < line.length ? '…' : '';
  return { cells: kept, from, prefix, text: prefix + kept.map((c) => c.shown).join('') + suffix };
}
