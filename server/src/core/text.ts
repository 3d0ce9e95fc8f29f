// Offsets ↔ LSP positions. Every parser works on the JavaScript string (UTF-16), so an offset is
// already a UTF-16 index; only the line split needs computing. Lines end at '\n' (a '\r' before
// it stays part of the line: both Kamailio lexers treat it as white space).
import type { Position, Range } from './types';

export class LineIndex {
  /** Offset of the first character of each line. */
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - this.starts[lo]! };
  }

  offsetAt(p: Position): number {
    if (p.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, p.line)]!;
    const end = p.line + 1 < this.starts.length ? this.starts[p.line + 1]! - 1 : this.text.length;
    return Math.min(start + Math.max(0, p.character), end);
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))]!;
  }

  /** The text of a line without its terminating '\n' (a trailing '\r' is kept). */
  lineText(line: number): string {
    const start = this.lineStart(line);
    const end = line + 1 < this.starts.length ? this.starts[line + 1]! - 1 : this.text.length;
    return this.text.slice(start, end);
  }
}

/** Decode file bytes as UTF-8; invalid sequences become U+FFFD (Kamailio rejects them anyway). */
export function decodeText(bytes: Uint8Array): string {
  // Keep a byte order mark: Kamailio's lexers reject it ("Invalid character 0xef").
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}
