// All I/O of the core goes through a Host so that rules run against an in-memory file system
// in unit tests and against the real one in the faces. The Node implementation lives in
// nodeHost.ts; the core never imports node:fs directly.

export type FileKind = 'file' | 'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket' | 'other';

export type FileErrorCode =
  | 'not-found' // ENOENT, or ENOTDIR on a path component
  | 'permission-denied' // EACCES / EPERM
  | 'symlink-loop' // ELOOP
  | 'name-too-long' // ENAMETOOLONG
  | 'outside-scope' // not read: outside the repository being checked (scope.ts)
  | 'io-error'; // anything else

export interface FileError {
  error: FileErrorCode;
  /** Human-readable reason, e.g. the errno message. */
  detail: string;
}

export interface FileStat {
  kind: FileKind;
  size: number;
  mtimeMs: number;
  /** Readable by the user this process runs as. */
  readable: boolean;
  /** POSIX permission bits (mode & 0o777), when the file system has them. */
  mode?: number;
  /**
   * Which file this is, whatever name reached it: two paths with the same identity are one file
   * (a folder reached again through a symbolic link or a bind mount). Opaque: "dev:ino" on disk,
   * the resolved path in memory. Only compared for equality, by walks of folder trees (walk.ts).
   */
  identity?: string;
}

export type StatResult = FileStat | FileError;

export type ReadResult = { bytes: Uint8Array; stat: FileStat } | FileError | { refused: string; stat: FileStat };

export function isFileError(value: unknown): value is FileError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

export interface Host {
  /** stat() following symbolic links. */
  stat(path: string): StatResult;
  /**
   * Read a whole file, but only a regular file no larger than `maxBytes`; anything else is
   * refused with a reason (never blocks on a FIFO or a device).
   */
  readFile(path: string, maxBytes: number): ReadResult;
  /** Names (not paths) of the entries of a directory, or an error. */
  readDir(path: string): string[] | FileError;
  /**
   * The path with every symbolic link resolved (realpath(3)), or an error. Walks of folder trees
   * use it to follow a link only to a target inside the folder walked. Optional: without it a
   * walk treats every entry as what its name says (loops are still caught by `identity`).
   */
  realPath?(path: string): string | FileError;
  /** The current instant; injectable so that tests and `--now` control validity checks. */
  now(): Date;
  /**
   * The regular files git tracks in the work tree whose top folder is `root` (absolute paths),
   * or undefined when that is not known: `root` is not a git work tree, git is absent or failed,
   * or this host may not run programs (an untrusted workspace, `check --no-git`). The same set
   * object is returned while the repository's index is unchanged, so a caller can compare
   * answers by identity.
   */
  trackedFiles(root: string): ReadonlySet<string> | undefined;
}

/** Files larger than this are not read as configuration or certificate files. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024;

export function describeFileError(err: FileError): string {
  switch (err.error) {
    case 'not-found':
      return 'no such file or directory';
    case 'permission-denied':
      return 'permission denied';
    case 'symlink-loop':
      return 'too many levels of symbolic links';
    case 'name-too-long':
      return 'file name too long';
    case 'outside-scope':
      return 'outside the repository, not read';
    default:
      return err.detail;
  }
}
