// Expected ranges computed from the text itself, so that tests state what they mean
// ("the value on line 3") instead of magic numbers.
import type { Range } from 'vscode-languageserver-protocol';

/** The range of `needle` on line `line` of `text` (0-based), its `occurrence`-th match. */
export function rangeOf(text: string, line: number, needle: string, occurrence = 0): Range {
  const lineText = text.split('\n')[line];
  if (lineText === undefined) throw new Error(`no line ${line}`);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = lineText.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`'${needle}' not found (${occurrence}) on line ${line}: ${lineText}`);
  }
  return { start: { line, character: at }, end: { line, character: at + needle.length } };
}

/** The line number (0-based) of the first line that contains `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i === -1) throw new Error(`'${needle}' not found`);
  return i;
}
