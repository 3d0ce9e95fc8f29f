// What a check may read. A repository describes a deployment somewhere else: a path it names
// outside the repository (`/etc/kamailio/tls.cfg`, `/etc/letsencrypt/live/…`) is a file of that
// deployment, not of the machine running the check, so it is never read from this machine — the
// FileProbe refuses it (fileProbe.ts) and the rules say it is provided at deploy time. Checking
// the live configuration on the server itself (`/etc/kamailio` open) has no scope: every path is
// the real one.
import * as posix from 'node:path/posix';

export interface FileScope {
  /** The repository (or the folder checked): everything below it is read. */
  root: string;
  /** Files and folders outside the root the user named (command-line flags, editor settings). */
  allowed: readonly string[];
  /** How the root was chosen, for messages ("the repository", "the folder checked"). */
  rootReason: string;
}

export function isInside(path: string, folder: string): boolean {
  if (folder === '/') return path.startsWith('/');
  return path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
}

/** Whether a check with this scope may read `path` (undefined scope: the live server, everything). */
export function inScope(scope: FileScope | undefined, path: string): boolean {
  if (!scope) return true;
  const p = posix.normalize(path);
  if (isInside(p, scope.root)) return true;
  return scope.allowed.some((a) => isInside(p, a));
}

/** A stable key of a scope, for caches whose results depend on it. */
export function scopeKey(scope: FileScope | undefined): string {
  return scope ? `${scope.root}\0${scope.allowed.join('\0')}` : '';
}
