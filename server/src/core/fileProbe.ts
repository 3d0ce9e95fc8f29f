// File facts for the rules. stat() results are memoised for the duration of one check run
// (a run asks about the same certificate from several profiles); facts derived from file
// contents are cached across runs by (path, size, mtime), so an unchanged certificate is never
// parsed twice and a renewed one is re-read at once.
import type { FileError, Host, ReadResult, StatResult } from './host';

/**
 * Every file-system question a stretch of rule code asked, with the answer it got, and the
 * instant until which its clock-dependent findings hold. Checker uses it to reuse the findings
 * of a rule run while every answer is still the same (see check.ts).
 */
export class ProbeRecording {
  readonly stats = new Map<string, StatResult>();
  readonly dirs = new Map<string, string[] | FileError>();
  /** The clock reading the run saw (host.now()). */
  readonly now: number;
  /** Findings that compare dates with `now` hold while the clock stays below this (exclusive). */
  validUntil = Infinity;

  constructor(now: number) {
    this.now = now;
  }
}

export class FileProbe {
  private stats = new Map<string, { st: StatResult; at: number }>();
  /** Path → kind of fact → the fact and the (size, mtime) it was computed for. */
  private readonly derived = new Map<string, Map<string, { size: number; mtimeMs: number; value: unknown }>>();
  /** The recordings running, outermost first (a rule run, and one profile's rules inside it). */
  private readonly recordings: ProbeRecording[] = [];
  /** The host as the rules see it: directory listings are recorded while a recording runs. */
  readonly host: Host;

  /**
   * How long (wall clock, ms) a stat result outlives the run that made it. 0 (the CLI, tests of
   * the core): every run stats afresh. The language server sets about a second: it is told of
   * changes by file-watch events (invalidate), and re-stat'ing 400 certificate and key files on
   * every keystroke cost several milliseconds; a change nobody reports shows within the TTL.
   */
  statTtlMs = 0;

  constructor(readonly baseHost: Host) {
    this.host = {
      stat: (p) => baseHost.stat(p),
      readFile: (p, max) => baseHost.readFile(p, max),
      readDir: (p) => {
        const r = baseHost.readDir(p);
        this.recordDir(p, r);
        return r;
      },
      now: () => baseHost.now(),
    };
  }

  /** Start a new check run: stat results may have changed on disk. */
  beginRun(): void {
    if (this.statTtlMs <= 0) {
      this.stats = new Map();
      return;
    }
    const now = performance.now();
    for (const [path, e] of this.stats) if (now - e.at > this.statTtlMs) this.stats.delete(path);
  }

  stat(path: string): StatResult {
    let e = this.stats.get(path);
    if (!e) {
      e = { st: this.baseHost.stat(path), at: performance.now() };
      this.stats.set(path, e);
    }
    for (const r of this.recordings) r.stats.set(path, e.st);
    return e.st;
  }

  read(path: string, maxBytes: number): ReadResult {
    // Contents are judged by (size, mtime): record the stat so a reused result notices a change.
    if (this.recordings.length > 0) this.stat(path);
    return this.baseHost.readFile(path, maxBytes);
  }

  /**
   * A fact computed from a file's contents, recomputed only when size or mtime changed.
   * `kind` separates different facts about the same file.
   */
  cached<T>(kind: string, path: string, compute: () => T): T {
    const st = this.stat(path);
    if ('error' in st) return compute();
    let facts = this.derived.get(path);
    const hit = facts?.get(kind);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.value as T;
    const value = compute();
    if (!facts) {
      facts = new Map();
      this.derived.set(path, facts);
    }
    facts.set(kind, { size: st.size, mtimeMs: st.mtimeMs, value });
    return value;
  }

  /** A file-watch event for `path`: forget it, and everything under it when it is a folder. */
  invalidate(path: string): void {
    const below = path.endsWith('/') ? path : `${path}/`;
    this.stats.delete(path);
    for (const key of [...this.stats.keys()]) if (key.startsWith(below)) this.stats.delete(key);
    for (const file of [...this.derived.keys()]) if (file === path || file.startsWith(below)) this.derived.delete(file);
  }

  now(): Date {
    return this.baseHost.now();
  }

  /**
   * Record every question asked until the matching `stopRecording`. Recordings nest: a question
   * is recorded by every recording running.
   */
  startRecording(): ProbeRecording {
    const r = new ProbeRecording(this.baseHost.now().getTime());
    this.recordings.push(r);
    return r;
  }

  stopRecording(): void {
    this.recordings.pop();
  }

  /** A directory listing read through `host`: every recording running keeps a copy. */
  private recordDir(path: string, listing: string[] | FileError): void {
    for (const r of this.recordings) r.dirs.set(path, Array.isArray(listing) ? [...listing] : listing);
  }

  /**
   * The questions of an earlier recording whose answers are reused (a profile's findings): they
   * become questions of the recordings running, so a later change of those files is noticed.
   */
  replay(earlier: ProbeRecording): void {
    for (const r of this.recordings) {
      for (const [path, st] of earlier.stats) r.stats.set(path, st);
      for (const [path, listing] of earlier.dirs) r.dirs.set(path, listing);
      if (earlier.validUntil < r.validUntil) r.validUntil = earlier.validUntil;
    }
  }

  /**
   * A finding compares `date` with the clock (expired, not yet valid, expires in N days): it
   * holds until the clock crosses `date` plus or minus a whole number of days.
   */
  dependsOnDate(date: Date): void {
    const DAY = 86_400_000;
    for (const r of this.recordings) {
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
      const after = this.baseHost.readDir(path);
      if (Array.isArray(before) !== Array.isArray(after)) return false;
      if (Array.isArray(before) && Array.isArray(after)) {
        if (before.length !== after.length || before.some((n, i) => n !== after[i])) return false;
      } else if ((before as FileError).error !== (after as FileError).error) return false;
    }
    return true;
  }
}

function sameStat(a: StatResult, b: StatResult): boolean {
  if (a === b) return true;
  if ('error' in a || 'error' in b) return 'error' in a && 'error' in b && a.error === b.error && a.detail === b.detail;
  return a.kind === b.kind && a.size === b.size && a.mtimeMs === b.mtimeMs && a.readable === b.readable && a.mode === b.mode;
}
