// The real file system behind the Host interface. Reads are bounded: only regular files are
// opened, with O_NONBLOCK so that a FIFO swapped in between stat and open cannot block us, and
// never more than the size cap. It runs no program unless told it may (`runGit`): only the CLI
// and a trusted workspace let it ask git which files a repository tracks.
import * as fs from 'node:fs';
import { GitTrackedFiles } from './nodeGit';
import type { FileError, FileErrorCode, FileKind, FileStat, Host, ReadResult, StatResult } from './host';

function errorFrom(e: unknown): FileError {
  const code = (e as NodeJS.ErrnoException)?.code;
  const detail = (e as Error)?.message ?? String(e);
  const map: Record<string, FileErrorCode> = {
    ENOENT: 'not-found',
    ENOTDIR: 'not-found',
    EACCES: 'permission-denied',
    EPERM: 'permission-denied',
    ELOOP: 'symlink-loop',
    ENAMETOOLONG: 'name-too-long',
  };
  return { error: (code && map[code]) || 'io-error', detail };
}

function kindOf(st: fs.Stats): FileKind {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isFIFO()) return 'fifo';
  if (st.isCharacterDevice()) return 'character-device';
  if (st.isBlockDevice()) return 'block-device';
  if (st.isSocket()) return 'socket';
  return 'other';
}

function isReadable(path: string): boolean {
  try {
    fs.accessSync(path, fs.constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Device and inode. Inode numbers above 2^53 (btrfs, XFS, NTFS) lose digits as a JavaScript
 * number, so two folders could look like one: those are read again as bigints.
 */
function identityOf(path: string, st: fs.Stats): string {
  if (Number.isSafeInteger(st.ino) && Number.isSafeInteger(st.dev)) return `${st.dev}:${st.ino}`;
  try {
    const big = fs.statSync(path, { bigint: true });
    return `${big.dev}:${big.ino}`;
  } catch {
    return `${st.dev}:${st.ino}`;
  }
}

export interface NodeHostOptions {
  /** May run git (`git ls-files`) to learn which files a repository tracks. Default: no. */
  runGit?: boolean;
}

export class NodeHost implements Host {
  private readonly git: GitTrackedFiles | undefined;

  constructor(
    private readonly clock: () => Date = () => new Date(),
    options: NodeHostOptions = {},
  ) {
    this.git = options.runGit === true ? new GitTrackedFiles() : undefined;
  }

  stat(path: string): StatResult {
    try {
      const st = fs.statSync(path);
      return {
        kind: kindOf(st),
        size: st.size,
        mtimeMs: st.mtimeMs,
        readable: isReadable(path),
        mode: st.mode & 0o777,
        identity: identityOf(path, st),
      };
    } catch (e) {
      return errorFrom(e);
    }
  }

  readFile(path: string, maxBytes: number): ReadResult {
    const st = this.stat(path);
    if ('error' in st) return st;
    if (st.kind !== 'file') return { refused: `it is a ${st.kind.replace('-', ' ')}, not a regular file`, stat: st };
    if (st.size > maxBytes) return { refused: `it is ${st.size} bytes, more than the ${maxBytes}-byte limit`, stat: st };
    let fd: number | undefined;
    try {
      fd = fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
      const opened = fs.fstatSync(fd);
      if (!opened.isFile()) return { refused: 'it stopped being a regular file while being opened', stat: st };
      const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
      let total = 0;
      for (;;) {
        const n = fs.readSync(fd, buffer, total, buffer.length - total, null);
        if (n === 0) break;
        total += n;
        if (total > maxBytes) return { refused: `it grew beyond the ${maxBytes}-byte limit while being read`, stat: st };
        if (total === buffer.length) break;
      }
      const fresh: FileStat = { ...st, size: opened.size, mtimeMs: opened.mtimeMs };
      return { bytes: new Uint8Array(buffer.buffer, buffer.byteOffset, total), stat: fresh };
    } catch (e) {
      return errorFrom(e);
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  readDir(path: string): string[] | FileError {
    try {
      return fs.readdirSync(path);
    } catch (e) {
      return errorFrom(e);
    }
  }

  realPath(path: string): string | FileError {
    try {
      return fs.realpathSync.native(path);
    } catch (e) {
      return errorFrom(e);
    }
  }

  now(): Date {
    return this.clock();
  }

  trackedFiles(root: string): ReadonlySet<string> | undefined {
    return this.git?.files(root);
  }
}
