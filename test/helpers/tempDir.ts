// Temporary folders with files for tests that run the real tool on the real file system.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempDir {
  /** Absolute, symlink-free path of the folder. */
  path: string;
  /** Absolute path of a file in the folder. */
  file(relative: string): string;
  /** Write files (relative path → content); parent folders are created. Returns their paths. */
  write(files: Record<string, string | Uint8Array>): string[];
  remove(): void;
}

export function makeTempDir(prefix = 'sip-tls-test-'): TempDir {
  const path = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const file = (relative: string) => join(path, relative);
  return {
    path,
    file,
    write(files) {
      return Object.entries(files).map(([relative, content]) => {
        const target = file(relative);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
        return target;
      });
    },
    remove() {
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Text joined from lines, ending with a newline (configurations are written line by line). */
export function lines(...text: string[]): string {
  return text.join('\n') + '\n';
}
