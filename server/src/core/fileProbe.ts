// File facts for the rules. stat() results are memoised for the duration of one check run
// (a run asks about the same certificate from several profiles); facts derived from file
// contents are cached across runs by (path, size, mtime), so an unchanged certificate is never
// parsed twice and a renewed one is re-read at once.
import type { FileError, Host, ReadResult, StatResult } from './host';
import { inScope, scopeKey, type FileScope } from './scope';

/**
 * Every file-system question a stretch of rule code asked, with the answer it got, and the
 * instant until which its clock-dependent findings hold. Checker uses it to reuse the findings
 * of a rule run while every answer is still the same (see check.ts).
 */
export class ProbeRecording {
  readonly stats = new Map<string, StatResult>();
  readonly dirs = new Map<string, string[] | FileError>();
  /** Work tree root → the tracked-files answer (compared by identity, see Host.trackedFiles). */
  readonly tracked = new Map<string, ReadonlySet<string> | undefined>();
  /** The clock reading the run saw (host.now()). */
  readonly now: number;
  /** Findings that compare dates with `now` hold while the clock stays below this (exclusive). */
  validUntil = Infinity;

  constructor(now: number) {
    this.now = now;
  }
}

/** What every scoped view of one FileProbe shares: the caches and the recordings running. */
class ProbeState {
  stats = new Map<string, { st: StatResult; at: number }>();
  /** Path → kind of fact → the fact and the (size, mtime) it was computed for. */
  readonly derived = new Map<string, Map<string, { size: number; mtimeMs: number; value: unknown }>>();
  /** The recordings running, outermost first (a rule run, and one profile's rules inside it). */
  readonly recordings: ProbeRecording[] = [];
  statTtlMs = 0;
  readonly views = new Map<string, FileProbe>();
}

export class FileProbe {
  private readonly state: ProbeState;
  /** What this view may read (scope.ts); undefined: everything (the live server, unit tests). */
  readonly scope: FileScope | undefined;
  /** The host as the rules see it: directory listings are recorded while a recording runs. */
  readonly host: Host;

  constructor(
    readonly baseHost: Host,
    state?: ProbeState,
    scope?: FileScope,
  ) {
    this.state = state ?? new ProbeState();
    this.scope = scope;
    this.host = {
      stat: (p) => (this.refuses(p) ? outside(p) : baseHost.stat(p)),
      readFile: (p, max) => (this.refuses(p) ? outside(p) : baseHost.readFile(p, max)),
      readDir: (p) => {
        if (this.refuses(p)) return outside(p);
        const r = baseHost.readDir(p);
        this.recordDir(p, r);
        return r;
      },
      now: () => baseHost.now(),
      trackedFiles: (root) => this.trackedFiles(root),
      // stat answers keep their identity as they are; realPath is passed on when the host has it.
      ...(baseHost.realPath ? { realPath: (p: string) => (this.refuses(p) ? outside(p) : baseHost.realPath!(p)) } : {}),
    };
  }

  /**
   * The same probe (caches, recordings) restricted to a scope: what a deployment of a repository
   * sees. Every question about a path outside the scope is answered 'outside-scope' without
   * touching the file system.
   */
  scoped(scope: FileScope | undefined): FileProbe {
    if (scopeKey(scope) === scopeKey(this.scope)) return this;
    const key = scopeKey(scope);
    let view = this.state.views.get(key);
    if (!view) {
      view = new FileProbe(this.baseHost, this.state, scope);
      if (this.state.views.size > 64) this.state.views.clear();
      this.state.views.set(key, view);
    }
    return view;
  }

  private refuses(path: string): boolean {
    return this.scope !== undefined && !inScope(this.scope, path);
  }

  /**
   * How long (wall clock, ms) a stat result outlives the run that made it. 0 (the CLI, tests of
   * the core): every run stats afresh. The language server sets about a second: it is told of
   * changes by file-watch events (invalidate), and re-stat'ing 400 certificate and key files on
   * every keystroke cost several milliseconds; a change nobody reports shows within the TTL.
   */
  get statTtlMs(): number {
    return this.state.statTtlMs;
  }

  set statTtlMs(ms: number) {
    this.state.statTtlMs = ms;
  }

  /** Start a new check run: stat results may have changed on disk. */
  beginRun(): void {
    const state = this.state;
    if (state.statTtlMs <= 0) {
      state.stats = new Map();
      return;
    }
    const now = performance.now();
    for (const [path, e] of state.stats) if (now - e.at > state.statTtlMs) state.stats.delete(path);
  }

  stat(path: string): StatResult {
    // Outside the scope the answer depends on the scope alone (part of the settings every reuse
    // compares), never on the file system: nothing to cache or record.
    if (this.refuses(path)) return outside(path);
    let e = this.state.stats.get(path);
    if (!e) {
      e = { st: this.baseHost.stat(path), at: performance.now() };
      this.state.stats.set(path, e);
    }
    for (const r of this.state.recordings) r.stats.set(path, e.st);
    return e.st;
  }

  read(path: string, maxBytes: number): ReadResult {
    if (this.refuses(path)) return outside(path);
    // Contents are judged by (size, mtime): record the stat so a reused result notices a change.
    if (this.state.recordings.length > 0) this.stat(path);
    return this.baseHost.readFile(path, maxBytes);
  }

  /**
   * A fact computed from a file's contents, recomputed only when size or mtime changed.
   * `kind` separates different facts about the same file.
   */
  cached<T>(kind: string, path: string, compute: () => T): T {
    const st = this.stat(path);
    if ('error' in st) return compute();
    let facts = this.state.derived.get(path);
    const hit = facts?.get(kind);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.value as T;
    const value = compute();
    if (!facts) {
      facts = new Map();
      this.state.derived.set(path, facts);
    }
    facts.set(kind, { size: st.size, mtimeMs: st.mtimeMs, value });
    return value;
  }

  /** A file-watch event for `path`: forget it, and everything under it when it is a folder. */
  invalidate(path: string): void {
    const below = path.endsWith('/') ? path : `${path}/`;
    const { stats, derived } = this.state;
    stats.delete(path);
    for (const key of [...stats.keys()]) if (key.startsWith(below)) stats.delete(key);
    for (const file of [...derived.keys()]) if (file === path || file.startsWith(below)) derived.delete(file);
  }

  now(): Date {
    return this.baseHost.now();
  }

  /** The files git tracks under `root` (Host.trackedFiles), recorded; none outside the scope. */
  trackedFiles(root: string): ReadonlySet<string> | undefined {
    if (this.refuses(root)) return undefined;
    const files = this.baseHost.trackedFiles(root);
    for (const r of this.state.recordings) r.tracked.set(root, files);
    return files;
  }

  /**
   * Record every question asked until the matching `stopRecording`. Recordings nest: a question
   * is recorded by every recording running.
   */
  startRecording(): ProbeRecording {
    const r = new ProbeRecording(this.baseHost.now().getTime());
    this.state.recordings.push(r);
    return r;
  }

  stopRecording(): void {
    this.state.recordings.pop();
  }

  /** A directory listing read through `host`: every recording running keeps a copy. */
  private recordDir(path: string, listing: string[] | FileError): void {
    for (const r of this.state.recordings) r.dirs.set(path, Array.isArray(listing) ? [...listing] : listing);
  }

  /**
   * The questions of an earlier recording whose answers are reused (a profile's findings): they
   * become questions of the recordings running, so a later change of those files is noticed.
   */
  replay(earlier: ProbeRecording): void {
    for (const r of this.state.recordings) {
      for (const [path, st] of earlier.stats) r.stats.set(path, st);
      for (const [path, listing] of earlier.dirs) r.dirs.set(path, listing);
      for (const [root, files] of earlier.tracked) r.tracked.set(root, files);
      if (earlier.validUntil < r.validUntil) r.validUntil = earlier.validUntil;
    }
  }

  /**
   * A finding compares `date` with the clock (expired, not yet valid, expires in N days): it
   * holds until the clock crosses `date` plus or minus a whole number of days.
   */
  dependsOnDate(date: Date): void {
    const DAY = 86_400_000;
    for (const r of this.state.recordings) {
      const offset = r.now - date.getTime();
      const rem = ((offset % DAY) + DAY) % DAY;
      // On a boundary already: the finding may differ a millisecond later.
      const next = rem === 0 ? r.now : r.now + (DAY - rem);
      if (next < r.validUntil) r.validUntil = next;
    }
  }

  /** Whether every answer recorded is still the answer (stats through the TTL cache). */
  stillHolds(r: ProbeRecording): boolean {
    const now = this.baseHost.now().getTime();
    if (now < r.now || now >= r.validUntil) return false;
    for (const [path, before] of r.stats) {
      if (!sameStat(before, this.stat(path))) return false;
    }
    for (const [path, before] of r.dirs) {
      const after = this.refuses(path) ? outside(path) : this.baseHost.readDir(path);
      if (Array.isArray(before) !== Array.isArray(after)) return false;
      if (Array.isArray(before) && Array.isArray(after)) {
        if (before.length !== after.length || before.some((n, i) => n !== after[i])) return false;
      } else if ((before as FileError).error !== (after as FileError).error) return false;
    }
    for (const [root, before] of r.tracked) if ((this.refuses(root) ? undefined : this.baseHost.trackedFiles(root)) !== before) return false;
    return true;
  }
}

function sameStat(a: StatResult, b: StatResult): boolean {
  if (a === b) return true;
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && a.error === b.error && a.detail === b.detail;
  return a.kind === b.kind && a.size === b.size && a.mtimeMs === b.mtimeMs && a.readable === b.readable && a.mode === b.mode;
}

function outside(path: string): FileError {
  return { error: 'outside-scope', detail: `${path} is outside the repository being checked` };
}
