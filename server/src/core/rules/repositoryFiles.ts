// Which files a repository should hold. Checking a repository (not the live server), a
// configuration file it names is expected in it, but a certificate or key mostly is not: keys
// are not committed, and certificates are issued where the server runs. An absent one is a
// problem only where the repository ships TLS files in that folder; a file git ignores is never
// expected.
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import { ignoredByGit } from '../project/gitignore';
import { isInside } from '../scope';

/** Certificate, key, CA and CRL files by name: what a folder that ships TLS files holds. */
export const PKI_FILE = /\.(pem|crt|cer|cert|key|der|p12|pfx|csr|crl)$/i;

/**
 * A certificate, key, CA or CRL file the repository itself should hold: checking a repository
 * (not the live server), an absent one is an error only when the repository ships TLS files in
 * that folder — otherwise it is provided at deploy time, as keys almost always are. A file git
 * ignores is never expected.
 */
export function repositoryShouldHold(deployment: Deployment, resolved: ResolvedPath): boolean {
  const scope = deployment.settings.scope;
  if (!scope) return true;
  // Quotes kept in the value (tls.cfg takes them literally) never name a deploy-time file.
  if (/^['"]|['"]$/.test(resolved.value)) return true;
  if (ignoredByGit(deployment.probe, scope.root, resolved.local)) return false;
  const names = deployment.probe.host.readDir(posix.dirname(resolved.local));
  if (!Array.isArray(names)) return false;
  const base = posix.basename(resolved.local);
  return names.some((n) => n !== base && PKI_FILE.test(n));
}

/**
 * A configuration file (tls.cfg, include_file) absent from the repository: expected, unless git
 * ignores it or it is reached only through a mapping sip-tls assumed (the repository provides
 * some files of that deployed folder, not necessarily all).
 */
export function repositoryShouldHoldConfig(deployment: Deployment, local: string): boolean {
  const scope = deployment.settings.scope;
  if (!scope) return true;
  if (deployment.settings.assumedLayout.some((m) => isInside(local, m.local))) return false;
  return !ignoredByGit(deployment.probe, scope.root, local);
}

