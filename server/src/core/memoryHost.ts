// An in-memory Host for unit tests and for the fuzzer: files, directories, special files,
// symbolic links and permission errors are all simulated, and the clock is fixed.
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
  /** Symbolic links: path → target as written (absolute, or relative to the link's folder). */
  private readonly links = new Map<string, string>();
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

  /** A symbolic link at `path` to `target` (absolute, or relative to the link's folder; may dangle). */
  addSymlink(path: string, target: string): void {
    this.links.set(path, target);
    this.addParents(path);
  }

  addError(path: string, error: FileError): void {
    this.errors.set(path, error);
  }

  remove(path: string): void {
    this.entries.delete(path);
    this.links.delete(path);
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

  /**
   * `path` with every link resolved, as the kernel does it: component by component, `..` of a
   * link's target is the target's parent, and more than 40 links in one lookup is ELOOP.
   */
  realPath(path: string): string | FileError {
    if (this.links.size === 0) return path;
    const pending = path.split('/').filter((c) => c !== '');
    let resolved = '';
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '.') continue;
      if (part === '..') {
        resolved = resolved.slice(0, Math.max(0, resolved.lastIndexOf('/')));
        continue;
      }
      const next = `${resolved}/${part}`;
      const target = this.links.get(next);
      if (target === undefined) {
        resolved = next;
        continue;
      }
      if (++hops > 40) return { error: 'symlink-loop', detail: `ELOOP: too many symbolic links encountered, stat '${path}'` };
      pending.unshift(...target.split('/').filter((c) => c !== ''));
      if (target.startsWith('/')) resolved = '';
    }
    return resolved === '' ? '/' : resolved;
  }

  stat(path: string): StatResult {
    const err = this.errors.get(path);
    if (err) return err;
    const real = this.realPath(path);
    if (typeof real !== 'string') return real;
    const e = this.entries.get(real);
    if (!e) return { error: 'not-found', detail: `ENOENT: no such file or directory, stat '${path}'` };
    const st: FileStat = { kind: e.kind, size: e.bytes.length, mtimeMs: e.mtimeMs, readable: e.readable, mode: e.mode };
    // Without links every path is its own file: the field is left out, as before links existed.
    if (this.links.size > 0) st.identity = real;
    return st;
  }

  readFile(path: string, maxBytes: number): ReadResult {
    const st = this.stat(path);
    if ('error' in st) return st;
    if (st.kind !== 'file') return { refused: `it is a ${st.kind.replace('-', ' ')}, not a regular file`, stat: st };
    if (st.size > maxBytes) return { refused: `it is ${st.size} bytes, more than the ${maxBytes}-byte limit`, stat: st };
    if (!st.readable) return { error: 'permission-denied', detail: `EACCES: permission denied, open '${path}'` };
    const stat: FileStat = st;
    return { bytes: this.entries.get(this.realPath(path) as string)!.bytes, stat };
  }

  readDir(path: string): string[] | FileError {
    const st = this.stat(path);
    if ('error' in st) return st;
    if (st.kind !== 'directory') return { error: 'io-error', detail: `ENOTDIR: not a directory, scandir '${path}'` };
    const real = this.realPath(path) as string;
    const prefix = real.endsWith('/') ? real : real + '/';
    const names = new Set<string>();
    for (const key of [...this.entries.keys(), ...this.links.keys()]) {
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
