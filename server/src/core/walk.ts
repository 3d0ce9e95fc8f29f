// The one walk of a folder tree every search uses (configurations, build files, folders of
// issuers). A repository is untrusted input: symbolic links to `.` made the old recursive
// searches exponential (4 links: over two minutes, the language server stopped answering at
// start). So each real folder is entered once, known by its identity (device and inode, see
// Host FileStat.identity) whatever name reaches it; a link is followed only to a target inside
// the boundary; FIFOs, devices and sockets are stat'ed, never opened; and budgets of folders,
// entries, depth, time and candidate files bound the rest. What was left out is returned with
// the reason, so the faces can say it.
import * as posix from 'node:path/posix';
import type { FileStat, Host } from './host';
import { isInside } from './scope';

export interface WalkBudgets {
  /** Folders entered. */
  directories: number;
  /** Names listed, over all folders. */
  entries: number;
  /** Levels below the root (the root is level 0). */
  depth: number;
  /** Wall-clock milliseconds. */
  timeMs: number;
  /** Files kept (`accept` said yes). */
  files: number;
}

export const DEFAULT_WALK_BUDGETS: Readonly<WalkBudgets> = { directories: 10_000, entries: 200_000, depth: 12, timeMs: 2_000, files: 5_000 };

/** Folders no search enters: dependencies and version-control stores. */
export const SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface WalkOptions {
  budgets?: Partial<WalkBudgets>;
  /** Links are followed to targets inside this folder only (default: the root walked). */
  boundary?: string;
  /** Folders not entered, by name (default: SKIP_DIRS). Not reported: skipping them is the rule. */
  skipFolder?: (name: string) => boolean;
  /** A cheap test by name of a regular file (`siblings`: the names of its folder); default: none. */
  select?: (name: string, siblings: readonly string[]) => boolean;
  /** Whether a selected file is kept (it may be read: it is a regular file); default: yes. */
  accept?: (path: string, stat: FileStat) => boolean;
  /** Milliseconds, for the time budget; injectable for tests. */
  clock?: () => number;
}

export type WalkSkipReason =
  | 'loop' // a link to a folder on the way to it (`.`, `..`, the root), or ELOOP
  | 'duplicate' // a second name of a folder or file already walked
  | 'outside' // a link to a target outside the boundary
  | 'depth' // a folder below the depth budget
  | 'unreadable' // a dangling link, a permission error
  | 'special'; // a FIFO, device or socket: never opened

export interface WalkSkip {
  path: string;
  reason: WalkSkipReason;
  /** Where a link led, when known. */
  target?: string;
}

export type WalkBudgetName = Exclude<keyof WalkBudgets, 'depth'>;

/** The budget that ended the walk, and the path it was about to look at. */
export interface WalkStop {
  budget: WalkBudgetName;
  limit: number;
  at: string;
}

export interface WalkResult {
  /** Files kept, in walk order, each by the name it was first reached by (a real path first). */
  files: string[];
  /** Folders entered, the root first. */
  directories: string[];
  /** Names listed. */
  entries: number;
  /** What was left out, the first MAX_SKIPS_LISTED of them. */
  skipped: WalkSkip[];
  /** What was left out, all of it counted. */
  counts: Record<WalkSkipReason, number>;
  /** Set when a budget ended the walk early. */
  stopped?: WalkStop;
  /** The budgets the walk had. */
  budgets: WalkBudgets;
}

const MAX_SKIPS_LISTED = 200;
/** The clock is read once per folder and once per this many names. */
const CLOCK_EVERY = 256;

/** A link found on the way, followed once the real tree is walked (see walkTree). */
interface Deferred {
  path: string;
  real: string | undefined;
  identity: string;
  kind: 'directory' | 'file';
  depth: number;
  ancestors: readonly string[];
}

/**
 * Walk `root`. Real entries first, links after: a link to a folder inside the root names a
 * folder the walk reaches anyway, so it only adds what the real tree did not reach (a target
 * below the depth budget) and every file is reported by its real path when it has one.
 */
export function walkTree(host: Host, root: string, options: WalkOptions = {}): WalkResult {
  const budgets: WalkBudgets = { ...DEFAULT_WALK_BUDGETS, ...options.budgets };
  const clock = options.clock ?? (() => performance.now());
  const skipFolder = options.skipFolder ?? ((name: string) => SKIP_DIRS.has(name));
  const select = options.select ?? (() => false);
  const accept = options.accept ?? (() => true);
  const started = clock();
  const result: WalkResult = { budgets, files: [], directories: [], entries: 0, skipped: [], counts: { loop: 0, duplicate: 0, outside: 0, depth: 0, unreadable: 0, special: 0 } };
  const seenFolders = new Set<string>();
  const seenFiles = new Set<string>();
  const deferred: Deferred[] = [];

  const realOf = (path: string): string | undefined | null => {
    if (!host.realPath) return undefined;
    const r = host.realPath(path);
    return typeof r === 'string' ? r : null;
  };
  const rootStat = host.stat(root);
  const realRoot = realOf(root);
  if ('error' in rootStat || rootStat.kind !== 'directory' || realRoot === null) return result;
  const boundaryReal = options.boundary === undefined ? (realRoot ?? root) : (realOf(options.boundary) ?? options.boundary);

  const skip = (path: string, reason: WalkSkipReason, target?: string): void => {
    result.counts[reason]++;
    if (result.skipped.length < MAX_SKIPS_LISTED) result.skipped.push({ path, reason, ...(target !== undefined ? { target } : {}) });
  };
  const stop = (budget: WalkBudgetName, at: string): void => {
    result.stopped = { budget, limit: budgets[budget], at };
  };
  const outOfTime = (at: string): boolean => {
    if (clock() - started <= budgets.timeMs) return false;
    stop('timeMs', at);
    return true;
  };
  // The budget is checked before `accept`, which may read the file and keep what it learnt.
  const keep = (path: string, stat: FileStat): void => {
    if (result.files.length >= budgets.files) stop('files', path);
    else if (accept(path, stat)) result.files.push(path);
  };

  const enter = (dir: string, realDir: string | undefined, depth: number, ancestors: readonly string[]): void => {
    if (result.directories.length >= budgets.directories) return stop('directories', dir);
    if (outOfTime(dir)) return;
    result.directories.push(dir);
    const listing = host.readDir(dir);
    if (!Array.isArray(listing)) return skip(dir, 'unreadable');
    const names = [...listing].sort();
    for (const name of names) {
      if (result.stopped) return;
      const path = posix.join(dir, name);
      if (result.entries >= budgets.entries) return stop('entries', path);
      if (++result.entries % CLOCK_EVERY === 0 && outOfTime(path)) return;
      const st = host.stat(path);
      if ('error' in st) {
        skip(path, st.error === 'symlink-loop' ? 'loop' : 'unreadable');
        continue;
      }
      const isFolder = st.kind === 'directory';
      if (isFolder ? skipFolder(name) : st.kind === 'file' && !select(name, names)) continue;
      if (!isFolder && st.kind !== 'file') {
        skip(path, 'special');
        continue;
      }
      const real = realOf(path);
      if (real === null) {
        skip(path, 'unreadable');
        continue;
      }
      if (real !== undefined && !isInside(real, boundaryReal)) {
        skip(path, 'outside', real);
        continue;
      }
      const identity = st.identity ?? real ?? path;
      // Without realPath every entry counts as what its name says; identities still catch loops.
      const isLink = real !== undefined && realDir !== undefined && real !== posix.join(realDir, name);
      const kind = isFolder ? 'directory' : 'file';
      if (isLink) {
        deferred.push({ path, real, identity, kind, depth: depth + 1, ancestors });
        continue;
      }
      if (isFolder) folder(path, real, identity, depth + 1, ancestors);
      else file(path, identity, st);
    }
  };

  const folder = (path: string, real: string | undefined, identity: string, depth: number, ancestors: readonly string[]): void => {
    if (seenFolders.has(identity)) return skip(path, ancestors.includes(identity) ? 'loop' : 'duplicate', real);
    if (depth > budgets.depth) return skip(path, 'depth');
    seenFolders.add(identity);
    enter(path, real, depth, [...ancestors, identity]);
  };

  const file = (path: string, identity: string, st: FileStat): void => {
    if (seenFiles.has(identity)) return skip(path, 'duplicate');
    seenFiles.add(identity);
    keep(path, st);
  };

  const rootIdentity = rootStat.identity ?? realRoot ?? root;
  seenFolders.add(rootIdentity);
  enter(root, realRoot, 0, [rootIdentity]);
  // The links, in the order found; those inside a folder reached through a link come after.
  for (let i = 0; i < deferred.length && !result.stopped; i++) {
    const link = deferred[i]!;
    if (link.kind === 'directory') folder(link.path, link.real, link.identity, link.depth, link.ancestors);
    else {
      const st = host.stat(link.path);
      if (!('error' in st) && st.kind === 'file') file(link.path, link.identity, st);
    }
  }
  return result;
}

/** "3 loops, 1 link outside the folder" — what a walk left out, for a log line ('' when nothing). */
export function describeWalkSkips(result: WalkResult): string {
  const words: Record<WalkSkipReason, [string, string]> = {
    loop: ['link looping back', 'links looping back'],
    duplicate: ['second name of a folder or file', 'second names of folders or files'],
    outside: ['link to outside the folder', 'links to outside the folder'],
    depth: ['folder below the depth limit', 'folders below the depth limit'],
    unreadable: ['unreadable entry', 'unreadable entries'],
    special: ['FIFO, device or socket', 'FIFOs, devices or sockets'],
  };
  return (Object.keys(words) as WalkSkipReason[])
    .filter((r) => result.counts[r] > 0)
    .map((r) => `${result.counts[r]} ${words[r][result.counts[r] === 1 ? 0 : 1]}`)
    .join(', ');
}

const BUDGET_WORDS: Record<WalkBudgetName, (limit: number) => string> = {
  directories: (n) => `more than ${n.toLocaleString('en-US')} folders`,
  entries: (n) => `more than ${n.toLocaleString('en-US')} names listed`,
  timeMs: (n) => `more than ${(n / 1000).toLocaleString('en-US')} s`,
  files: (n) => `more than ${n.toLocaleString('en-US')} candidate configurations`,
};

/**
 * What of `root` a walk did not search because a budget was crossed, in words (undefined: it
 * searched everything it should). Loops and second names are not in it: they are normal.
 */
export function describeWalkLimit(result: WalkResult, root: string): string | undefined {
  const rel = (p: string): string => posix.relative(root, p) || '.';
  const parts: string[] = [];
  if (result.stopped) {
    const { budget, limit, at } = result.stopped;
    parts.push(`the search of ${root} stopped at ${rel(at)} after ${BUDGET_WORDS[budget](limit)}: what comes after it (in name order) was not searched for configurations`);
  }
  const deep = result.counts.depth;
  if (deep > 0) {
    const first = result.skipped.find((s) => s.reason === 'depth');
    parts.push(`${deep} folder${deep === 1 ? '' : 's'} more than ${result.budgets.depth} levels below ${root} ${deep === 1 ? 'was' : 'were'} not searched${first ? ` (first: ${rel(first.path)})` : ''}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
