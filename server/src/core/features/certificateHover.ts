// Certificate, chain and key details for hovers on path values (filled from the PKI layer).
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import type { TlsProfile } from '../tlscfg/model';

export type PathHoverKind = 'certificate' | 'key' | 'ca-list' | 'crl' | 'directory';

export function certificateHover(_deployment: Deployment, _path: ResolvedPath, _kind: PathHoverKind, _profile: TlsProfile | undefined): string {
  return '';
}

export function keyHover(_deployment: Deployment, _path: ResolvedPath, _profile: TlsProfile | undefined): string {
  return '';
}
