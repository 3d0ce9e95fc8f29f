// The text of the checked files for the source lines under findings: read once per file,
// bounded (a huge file shows its findings without lines), decoded as the checker decodes it.
import { closeSync, openSync, readSync } from 'node:fs';
import { decodeText } from '../core/text';
import { ShownSource } from './sourceExcerpt';

/** Files larger than this show no source lines (the checker itself bounds what it reads). */
const MAX_SOURCE_BYTES = 8 * 1024 * 1024;

/** `texts`: files whose checked text is not the disk's (`--fix-dry-run`'s fixed texts). */
export function sourcesOf(files: readonly string[], stdin?: { file: string; text: string }, texts?: ReadonlyMap<string, string>): (file: string) => ShownSource | undefined {
  const checked = new Set(files);
  const cache = new Map<string, ShownSource | undefined>();
  for (const [file, text] of texts ?? []) cache.set(file, ShownSource.of(text));
  // The buffer read from standard input stands for its file, whatever the disk holds.
  if (stdin) cache.set(stdin.file, ShownSource.of(stdin.text));
  return (file) => {
    if (!checked.has(file)) return undefined;
    if (!cache.has(file)) cache.set(file, load(file));
    return cache.get(file);
  };
}

function load(file: string): ShownSource | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buffer = Buffer.alloc(MAX_SOURCE_BYTES + 1);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    if (n > MAX_SOURCE_BYTES) return undefined;
    return ShownSource.of(decodeText(buffer.subarray(0, n)));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
