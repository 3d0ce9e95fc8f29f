// Files Kamailio loads without being told to: the built-in default certificate and key
// `cert.pem` beside the main kamailio.cfg (tls_mod.c srv_defaults; reference §1.7).
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import { describeFileError } from '../host';
import { repositoryShouldHold } from './repositoryFiles';
import { loadPki } from '../pki/load';
import type { FixData } from '../types';
import type { TlsOption } from '../tlscfg/model';
import { edit, fix, lineStart } from './report';

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

/**
 * What Kamailio logs when the built-in cert.pem cannot stand in for what a server profile omits.
 * Certificates are loaded before keys (reference §6), so without `certificate` it is the
 * certificate line; with `certificate` set and only `private_key` omitted it is the key line —
 * also when the certificate file holds the key itself: the default private_key is cert.pem, not
 * the certificate file (verified on 5.6.3: "load_private_key(): TLSs<default>: Unable to load
 * private key '/etc/kamailio/cert.pem'" three times, then "… Unable to load private key file …").
 */
export function builtInDefaultLoadError(logName: string, missing: readonly string[], path: string): string {
  return missing.includes('certificate') ? `${logName}: Unable to load certificate file '${path}'` : `${logName}: Unable to load private key file '${path}'`;
}

/** The file a `certificate` value names also holds a private key (cert and key in one PEM). */
export function certificateHoldsKey(deployment: Deployment, value: string | undefined): boolean {
  if (!value) return false;
  const r = loadPki(deployment.probe, deployment.resolve(value).local, 'certificate');
  return r.ok && r.file.keys.length > 0;
}

/**
 * Only private_key omitted while the certificate file holds the key too (a combined PEM): Kamailio
 * still loads the key from the built-in cert.pem, so say so, and offer to name the file as key.
 */
export function combinedCertificateFix(
  deployment: Deployment,
  file: string,
  cert: { value: string; option?: TlsOption } | undefined,
  missing: readonly string[],
): { hint: string; fix?: FixData } | undefined {
  if (missing.includes('certificate') || !cert || !certificateHoldsKey(deployment, cert.value)) return undefined;
  const hint = ` ${cert.value} holds its private key too, but Kamailio never takes the key from the certificate file: set private_key = ${cert.value}.`;
  if (!cert.option) return { hint };
  const value = cert.option.quoted ? JSON.stringify(cert.value) : cert.value;
  return { hint, fix: fix(`Insert private_key = ${value}`, [edit(file, lineStart(cert.option.keyRange.start.line + 1), `private_key = ${value}\n`)], true) };
}
