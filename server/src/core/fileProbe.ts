// File facts for the rules. stat() results are memoised for the duration of one check run
// (a run asks about the same certificate from several profiles); facts derived from file
// contents are cached across runs by (path, size, mtime), so an unchanged certificate is never
// parsed twice and a renewed one is re-read at once.
import type { Host, ReadResult, StatResult } from './host';

export class FileProbe {
  private stats = new Map<string, StatResult>();
  private readonly derived = new Map<string, { size: number; mtimeMs: number; value: unknown }>();

  constructor(readonly host: Host) {}

  /** Start a new check run: stat results may have changed on disk. */
  beginRun(): void {
    this.stats = new Map();
  }

  stat(path: string): StatResult {
    let st = this.stats.get(path);
    if (!st) {
      st = this.host.stat(path);
      this.stats.set(path, st);
    }
    return st;
  }

  read(path: string, maxBytes: number): ReadResult {
    return this.host.readFile(path, maxBytes);
  }

  /**
   * A fact computed from a file's contents, recomputed only when size or mtime changed.
   * `kind` separates different facts about the same file.
   */
  cached<T>(kind: string, path: string, compute: () => T): T {
    const st = this.stat(path);
    const key = `${kind}\0${path}`;
    if ('error' in st) return compute();
    const hit = this.derived.get(key);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.value as T;
    const value = compute();
    this.derived.set(key, { size: st.size, mtimeMs: st.mtimeMs, value });
    return value;
  }

  invalidate(path: string): void {
    this.stats.delete(path);
    for (const key of [...this.derived.keys()]) {
      if (key.endsWith(`\0${path}`)) this.derived.delete(key);
    }
  }

  now(): Date {
    return this.host.now();
  }
}
