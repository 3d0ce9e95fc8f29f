// The one change between two successive texts of a document, as the incremental shortcuts need
// it (route-body edits of kamailio.cfg, comment and single-profile edits of tls.cfg).

/** `old.slice(start, oldEnd)` became `now.slice(start, newEnd)`; the rest is the same. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
  /** 0-based line of `start` (the same in both texts). */
  line: number;
  /** Offset where that line starts (the same in both texts). */
  lineStart: number;
  /** Whether the change adds or removes a line break (then every later line moves). */
  crossesLines: boolean;
}

const CHUNK = 4096;

export function textChange(old: string, now: string): TextChange {
  const minLen = Math.min(old.length, now.length);
  // Whole chunks first: comparing two 4 KiB slices is one memory comparison, where a loop over
  // the characters of a 10,000-line file costs a millisecond on every keystroke.
  let start = 0;
  while (start + CHUNK <= minLen && old.slice(start, start + CHUNK) === now.slice(start, start + CHUNK)) start += CHUNK;
  while (start < minLen && old.charCodeAt(start) === now.charCodeAt(start)) start++;
  let same = 0;
  const room = minLen - start;
  while (same + CHUNK <= room && old.slice(old.length - same - CHUNK, old.length - same) === now.slice(now.length - same - CHUNK, now.length - same)) same += CHUNK;
  while (same < room && old.charCodeAt(old.length - 1 - same) === now.charCodeAt(now.length - 1 - same)) same++;
  const oldEnd = old.length - same;
  const newEnd = now.length - same;
  const lineStart = old.lastIndexOf('\n', start - 1) + 1;
  let line = 0;
  for (let i = old.indexOf('\n'); i !== -1 && i < lineStart; i = old.indexOf('\n', i + 1)) line++;
  const crossesLines = hasLineBreak(old, start, oldEnd) || hasLineBreak(now, start, newEnd);
  return { start, oldEnd, newEnd, line, lineStart, crossesLines };
}

function hasLineBreak(text: string, from: number, to: number): boolean {
  const i = text.indexOf('\n', from);
  return i !== -1 && i < to;
}

/** The text of the line starting at `lineStart`, without its '\n'. */
export function lineAt(text: string, lineStart: number): string {
  const nl = text.indexOf('\n', lineStart);
  return text.slice(lineStart, nl === -1 ? text.length : nl);
}
