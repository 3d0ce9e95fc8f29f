// Files Kamailio loads without being told to: the built-in default certificate and key
// `cert.pem` beside the main kamailio.cfg (tls_mod.c srv_defaults; reference §1.7).
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import { describeFileError } from '../host';
import { repositoryShouldHold } from './repositoryFiles';

export interface FileState {
  path: ResolvedPath;
  /** A readable regular file. */
  usable: boolean;
  /** Why not, in words ("does not exist", "is a directory", …). */
  reason?: string;
  /**
   * Absent from the repository being checked, which need not hold it (repositoryFiles.ts):
   * provided at deploy time, so nothing is claimed about it.
   */
  deployTime?: boolean;
}

export function probeFile(deployment: Deployment, path: ResolvedPath, expect: 'file' | 'directory' = 'file'): FileState {
  const st = deployment.probe.stat(path.local);
  if ('error' in st) return { path, usable: false, reason: st.error === 'not-found' ? 'it does not exist' : describeFileError(st) };
  if (st.kind !== expect) {
    const what = st.kind === 'file' ? 'a regular file' : st.kind === 'directory' ? 'a directory' : `a ${st.kind.replace('-', ' ')}`;
    return { path, usable: false, reason: `it is ${what}, not ${expect === 'file' ? 'a regular file' : 'a directory'}` };
  }
  if (!st.readable) return { path, usable: false, reason: 'permission denied' };
  return { path, usable: true };
}

export function implicitCertPem(deployment: Deployment): FileState {
  const path = deployment.resolve('cert.pem');
  const state = probeFile(deployment, path);
  if (state.usable) return state;
  const st = deployment.probe.stat(path.local);
  const absent = 'error' in st && (st.error === 'not-found' || st.error === 'outside-scope');
  if (absent && (st.error === 'outside-scope' || !repositoryShouldHold(deployment, path))) return { ...state, deployTime: true };
  return state;
}

export function fileDescription(state: FileState): string {
  return state.reason ?? 'it is usable';
}
