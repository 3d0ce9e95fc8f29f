// An in-memory Host for unit tests and for the fuzzer: files, directories, special files and
// permission errors are all simulated, and the clock is fixed.
import type { FileError, FileKind, FileStat, Host, ReadResult, StatResult } from './host';

interface Entry {
  kind: FileKind;
  bytes: Uint8Array;
  readable: boolean;
  mtimeMs: number;
  mode: number;
}

export class MemoryHost implements Host {
  private readonly entries = new Map<string, Entry>();
  private readonly errors = new Map<string, FileError>();
  private clock: Date;
  private readonly tracked = new Map<string, ReadonlySet<string>>();
  /** How often trackedFiles was asked, per root (a test proves what was never asked). */
  readonly trackedAsked = new Map<string, number>();

  constructor(files: Record<string, string | Uint8Array> = {}, now = new Date('2026-01-15T12:00:00Z')) {
    this.clock = now;
    for (const [path, content] of Object.entries(files)) this.writeFile(path, content);
  }

  writeFile(path: string, content: string | Uint8Array, options: { readable?: boolean; mode?: number } = {}): void {
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    this.entries.set(path, {
      kind: 'file',
      bytes,
      readable: options.readable ?? true,
      mtimeMs: this.clock.getTime(),
      mode: options.mode ?? 0o644,
    });
    this.errors.delete(path);
    this.addParents(path);
  }

  addSpecial(path: string, kind: FileKind): void {
    this.entries.set(path, { kind, bytes: new Uint8Array(), readable: true, mtimeMs: 0, mode: 0o644 });
    this.addParents(path);
  }

  addError(path: string, error: FileError): void {
    this.errors.set(path, error);
  }

  remove(path: string): void {
    this.entries.delete(path);
  }

  /** The files git tracks in the work tree at `root` (absolute paths); a new set each call. */
  setTracked(root: string, files: readonly string[]): void {
    this.tracked.set(root, new Set(files));
  }

  setNow(now: Date): void {
    this.clock = now;
  }

  private addParents(path: string): void {
    let dir = path;
    for (;;) {
      const cut = dir.lastIndexOf('/');
      if (cut <= 0) break;
      dir = dir.slice(0, cut);
      if (!this.entries.has(dir)) {
        this.entries.set(dir, { kind: 'directory', bytes: new Uint8Array(), readable: true, mtimeMs: 0, mode: 0o755 });
      }
    }
  }

  stat(path: string): StatResult {
    const err = this.errors.get(path);
    if (err) return err;
    const e = this.entries.get(path);
    if (!e) return { error: 'not-found', detail: `ENOENT: no such file or directory, stat '${path}'` };
    return { kind: e.kind, size: e.bytes.length, mtimeMs: e.mtimeMs, readable: e.readable, mode: e.mode };
  }

  readFile(path: string, maxBytes: number): ReadResult {
    const st = this.stat(path);
    if ('error' in st) return st;
    if (st.kind !== 'file') return { refused: `it is a ${st.kind.replace('-', ' ')}, not a regular file`, stat: st };
    if (st.size > maxBytes) return { refused: `it is ${st.size} bytes, more than the ${maxBytes}-byte limit`, stat: st };
    if (!st.readable) return { error: 'permission-denied', detail: `EACCES: permission denied, open '${path}'` };
    const stat: FileStat = st;
    return { bytes: this.entries.get(path)!.bytes, stat };
  }

  readDir(path: string): string[] | FileError {
    const st = this.stat(path);
    if ('error' in st) return st;
    if (st.kind !== 'directory') return { error: 'io-error', detail: `ENOTDIR: not a directory, scandir '${path}'` };
    const prefix = path.endsWith('/') ? path : path + '/';
    const names = new Set<string>();
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix)) {
        const rest = key.slice(prefix.length);
        if (rest && !rest.includes('/')) names.add(rest);
      }
    }
    return [...names].sort();
  }

  now(): Date {
    return this.clock;
  }

  trackedFiles(root: string): ReadonlySet<string> | undefined {
    this.trackedAsked.set(root, (this.trackedAsked.get(root) ?? 0) + 1);
    return this.tracked.get(root);
  }
}
