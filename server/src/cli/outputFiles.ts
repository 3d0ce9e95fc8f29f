// Every file a command writes (lab, fullchain, init, and the editor's Generate Lab PKI) goes
// through here, in two steps, so that a half-written result or a write through a planted link
// cannot happen:
//   1. plan: every output path is examined with lstat before anything is written — a symbolic
//      link counts as an existing entry even when it dangles (it is never written through), a
//      folder or a device at an output path is never replaced, a missing or non-folder parent is
//      said up front;
//   2. commit: the files are written into a temporary folder beside the destination (same file
//      system) with their final modes (private keys 0600 from the first byte), then linked into
//      place — link(2) never replaces an entry, so one created meanwhile is not clobbered — after
//      moving confirmed replacements aside; any failure puts everything back. All or nothing.
// Every file-system failure becomes an OutputError with a one-line message.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listingOf } from '../core/listing';

export interface OutputFile {
  /** Absolute path. */
  path: string;
  content: string;
  /** A private key: mode 0600. */
  secret: boolean;
}

/** What is at an output path now. */
export type Occupant =
  | { kind: 'file' }
  | { kind: 'symlink'; target: string; dangling: boolean };

export interface OutputPlan {
  files: OutputFile[];
  /** The one folder every file goes to. */
  folder: string;
  /** Folders to create (missing), outermost first. */
  createFolders: string[];
  /** Entries that exist and would be replaced (only with explicit confirmation). */
  replaces: { path: string; occupant: Occupant }[];
  /** Why nothing can be written (one line each); empty when the plan can be committed. */
  blockers: string[];
}

/** A file-system failure, said in one line. */
export class OutputError extends Error {}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is not a folder',
  EISDIR: 'is a folder',
  EEXIST: 'already exists',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EXDEV: 'not on the same file system',
  EIO: 'input/output error',
};

function isErrno(e: unknown): e is NodeJS.ErrnoException {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string';
}

/** "permission denied (EACCES)" — never the whole Node message (it repeats paths and syscalls). */
export function describeFsError(e: unknown): string {
  if (!isErrno(e)) return e instanceof Error ? e.message.split('\n')[0]! : String(e);
  const code = e.code!;
  return `${ERRNO_WORDS[code] ?? e.message.split('\n')[0]!.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*$/, '')} (${code})`;
}

/** A file-system error thrown anywhere in a command, as one line: "PATH: permission denied (EACCES)". */
export function fsErrorLine(e: unknown): string | undefined {
  if (e instanceof OutputError) return e.message;
  if (!isErrno(e) || !e.syscall) return undefined;
  return `${e.path ? `${e.path}: ` : ''}${describeFsError(e)}`;
}

function lstat(p: string): fs.Stats | undefined | NodeJS.ErrnoException {
  try {
    return fs.lstatSync(p);
  } catch (e) {
    if (isErrno(e) && e.code === 'ENOENT') return undefined;
    return e as NodeJS.ErrnoException;
  }
}

function specialKind(st: fs.Stats): string {
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function linkWords(p: string): { target: string; dangling: boolean } {
  let target = '?';
  try {
    target = fs.readlinkSync(p);
  } catch {
    // unreadable link: still a link
  }
  let dangling = false;
  try {
    fs.statSync(p);
  } catch {
    dangling = true;
  }
  return { target, dangling };
}

/** "a file", "a symbolic link to /x, which does not exist" */
export function describeOccupant(o: Occupant): string {
  if (o.kind === 'file') return 'a file';
  return `a symbolic link to ${o.target}${o.dangling ? ', which does not exist' : ''}`;
}

/** Where the folder stands: exists as a folder, missing (to create), or a blocker. */
function examineFolder(folder: string, mayCreate: boolean, plan: OutputPlan): void {
  const missing: string[] = [];
  let cur = folder;
  for (;;) {
    const st = lstat(cur);
    // ENOTDIR: a part of the path is a file; walking up names it.
    if (st === undefined || (st instanceof Error && st.code === 'ENOTDIR')) {
      missing.unshift(cur);
      const up = path.dirname(cur);
      if (up === cur) return void plan.blockers.push(`${cur}: no such folder`);
      cur = up;
      continue;
    }
    if (st instanceof Error) return void plan.blockers.push(`${cur}: ${describeFsError(st)}`);
    if (st.isSymbolicLink()) {
      const { target, dangling } = linkWords(cur);
      if (dangling) return void plan.blockers.push(`${cur} is a symbolic link to ${target}, which does not exist`);
    }
    let isDir = false;
    try {
      isDir = fs.statSync(cur).isDirectory();
    } catch (e) {
      return void plan.blockers.push(`${cur}: ${describeFsError(e)}`);
    }
    if (!isDir) return void plan.blockers.push(`${cur} is not a folder`);
    break;
  }
  if (missing.length > 0 && !mayCreate) return void plan.blockers.push(`the folder ${missing[missing.length - 1]} does not exist`);
  try {
    // The folder that will receive the temporary folder must be writable.
    fs.accessSync(cur, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    return void plan.blockers.push(`cannot write in ${cur}: ${describeFsError(e)}`);
  }
  plan.createFolders = missing;
}

/** Examine every output before anything is written. All files must go to one folder. */
export function planOutputs(files: OutputFile[], options: { createFolder: boolean }): OutputPlan {
  const folders = new Set(files.map((f) => path.dirname(f.path)));
  if (folders.size !== 1) throw new Error('planOutputs: the files of one command go to one folder');
  const folder = [...folders][0]!;
  const plan: OutputPlan = { files, folder, createFolders: [], replaces: [], blockers: [] };
  examineFolder(folder, options.createFolder, plan);
  if (plan.createFolders.length > 0 || plan.blockers.length > 0) return plan;
  for (const f of files) {
    const st = lstat(f.path);
    if (st === undefined) continue;
    if (st instanceof Error) plan.blockers.push(`${f.path}: ${describeFsError(st)}`);
    else if (st.isSymbolicLink()) plan.replaces.push({ path: f.path, occupant: { kind: 'symlink', ...linkWords(f.path) } });
    else if (st.isFile()) plan.replaces.push({ path: f.path, occupant: { kind: 'file' } });
    else plan.blockers.push(`${f.path} is ${specialKind(st)}: it is never replaced`);
  }
  return plan;
}

/**
 * Whether the plan may be committed as confirmed: `blocked` (never: the first reason), `exists`
 * (entries that only --force or the prompt may replace, listed with what they are), or
 * undefined (go ahead).
 */
export function planObstacle(plan: OutputPlan, replaceConfirmed: boolean): { kind: 'blocked'; reason: string } | { kind: 'exists'; entries: string } | undefined {
  if (plan.blockers.length > 0) return { kind: 'blocked', reason: plan.blockers[0]! };
  if (plan.replaces.length === 0 || replaceConfirmed) return undefined;
  const entries = listingOf(plan.replaces, (r) => (r.occupant.kind === 'file' ? r.path : `${r.path} (${describeOccupant(r.occupant)})`));
  return { kind: 'exists', entries };
}

function fail(what: string, e: unknown): never {
  throw new OutputError(`${what}: ${describeFsError(e)}`);
}

/**
 * Write the plan's files, all or nothing. `replaceConfirmed`: the user agreed to replace every
 * entry in `plan.replaces` (--force, or the editor's Replace prompt). Throws OutputError.
 */
export function commitOutputs(plan: OutputPlan, replaceConfirmed: boolean): void {
  if (plan.blockers.length > 0) throw new OutputError(plan.blockers[0]!);
  if (plan.replaces.length > 0 && !replaceConfirmed) throw new OutputError(`${plan.replaces[0]!.path} exists (${describeOccupant(plan.replaces[0]!.occupant)})`);
  if (plan.createFolders.length > 0) return commitIntoNewFolder(plan);
  return commitIntoFolder(plan);
}

/** Write the files into `dir` under their own names, with their final modes. */
function writeStaged(dir: string, files: OutputFile[]): string[] {
  return files.map((f) => {
    const staged = path.join(dir, path.basename(f.path));
    try {
      fs.writeFileSync(staged, f.content, { mode: f.secret ? 0o600 : 0o644, flag: 'wx' });
    } catch (e) {
      fail(`cannot write ${f.path}`, e);
    }
    return staged;
  });
}

function removeQuietly(p: string): void {
  try {
    fs.rmSync(p, { recursive: true, force: true });
  } catch {
    // best effort: a temporary folder left behind is named .sip-tls-*
  }
}

/** The folder exists: stage beside the files, move replaced entries aside, link the new ones in. */
function commitIntoFolder(plan: OutputPlan): void {
  let stage: string;
  try {
    stage = fs.mkdtempSync(path.join(plan.folder, '.sip-tls-'));
  } catch (e) {
    fail(`cannot write in ${plan.folder}`, e);
  }
  const movedAside: { from: string; to: string }[] = [];
  const placed: string[] = [];
  try {
    const fresh = path.join(stage, 'new');
    const old = path.join(stage, 'replaced');
    try {
      fs.mkdirSync(fresh);
      fs.mkdirSync(old);
    } catch (e) {
      fail(`cannot write in ${plan.folder}`, e);
    }
    const staged = writeStaged(fresh, plan.files);
    plan.replaces.forEach((r) => {
      const aside = path.join(old, path.basename(r.path));
      try {
        fs.renameSync(r.path, aside); // a link is moved itself, never its target
      } catch (e) {
        fail(`cannot replace ${r.path}`, e);
      }
      movedAside.push({ from: r.path, to: aside });
    });
    plan.files.forEach((f, i) => {
      placeFile(staged[i]!, f.path);
      placed.push(f.path);
    });
  } catch (e) {
    for (const p of placed.reverse()) removeQuietly(p);
    for (const m of movedAside.reverse()) {
      try {
        fs.renameSync(m.to, m.from);
      } catch {
        // nothing better to do: the temporary folder is kept below so that nothing is lost
        throw new OutputError(`${describeError(e)}; the replaced files are kept in ${stage}`);
      }
    }
    removeQuietly(stage);
    throw e instanceof OutputError ? e : new OutputError(describeError(e));
  }
  removeQuietly(stage);
}

function describeError(e: unknown): string {
  return e instanceof OutputError ? e.message : describeFsError(e);
}

/** link(2) never replaces an entry; a file system without hard links gets a checked rename. */
function placeFile(staged: string, target: string): void {
  try {
    fs.linkSync(staged, target);
    return;
  } catch (e) {
    if (!isErrno(e) || !['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK'].includes(e.code!)) {
      fail(isErrno(e) && e.code === 'EEXIST' ? `${target} appeared while writing; not replaced` : `cannot write ${target}`, e);
    }
  }
  if (lstat(target) !== undefined) throw new OutputError(`${target} appeared while writing; not replaced`);
  try {
    fs.renameSync(staged, target);
  } catch (e) {
    fail(`cannot write ${target}`, e);
  }
}

/**
 * The folder is missing: build it, with its missing parents and the files, inside a temporary
 * folder in the nearest existing ancestor, then rename the outermost new folder into place.
 */
function commitIntoNewFolder(plan: OutputPlan): void {
  const outermost = plan.createFolders[0]!;
  const ancestor = path.dirname(outermost);
  let stage: string;
  try {
    stage = fs.mkdtempSync(path.join(ancestor, '.sip-tls-'));
  } catch (e) {
    fail(`cannot create ${outermost}`, e);
  }
  try {
    const inner = path.join(stage, path.relative(ancestor, plan.folder));
    try {
      fs.mkdirSync(inner, { recursive: true });
    } catch (e) {
      fail(`cannot create ${plan.folder}`, e);
    }
    writeStaged(inner, plan.files);
    if (lstat(outermost) !== undefined) throw new OutputError(`${outermost} appeared while writing; not replaced`);
    try {
      fs.renameSync(path.join(stage, path.basename(outermost)), outermost);
    } catch (e) {
      fail(`cannot create ${outermost}`, e);
    }
  } finally {
    removeQuietly(stage);
  }
}
