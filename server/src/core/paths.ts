// Path resolution exactly as Kamailio does it (reference §1.9), followed by the user's path
// mappings (deployed path → workspace path).
//
// - '/x'     absolute, as is (also '/engine:…' and '/uri:…' key URIs, which are not files)
// - '.x'     untouched: OpenSSL opens it relative to the process working directory, which is
//            Kamailio's workdir (default '/') because daemonize chdir()s before module init
// - other    the folder of the MAIN kamailio.cfg + '/' + value (not tls.cfg's, not a fragment's)
import * as posix from 'node:path/posix';
import type { PathMapping } from './settings';

export type ResolutionKind = 'absolute' | 'workdir-relative' | 'config-relative';

export interface ResolvedPath {
  /** The value as written. */
  value: string;
  /** The path Kamailio opens on the deployed machine. */
  deployed: string;
  /** Where that file is in the workspace (after path mappings). */
  local: string;
  kind: ResolutionKind;
  /** A short explanation for messages and hovers. */
  how: string;
  /** `/uri:` or `/engine:` key reference: not a file. */
  notAFile?: boolean;
}

export interface ResolutionBase {
  /** Folder of the main kamailio.cfg as deployed (after reverse mapping), e.g. /etc/kamailio. */
  deployedConfigDir: string;
  /** Kamailio's workdir (`workdir`, `-w`), default '/'. */
  workdir: string;
  mappings: PathMapping[];
  /** What the base folder is, for messages: 'the folder of kamailio.cfg', 'the folder of tls.cfg'. */
  baseDescription: string;
}

/** Apply the longest matching mapping prefix (deployed → local). */
export function mapDeployedToLocal(path: string, mappings: PathMapping[]): string {
  let best: PathMapping | undefined;
  for (const m of mappings) {
    const prefix = trimSlash(m.deployed);
    if (path === prefix || path.startsWith(prefix + '/') || prefix === '') {
      if (!best || trimSlash(best.deployed).length < prefix.length) best = m;
    }
  }
  if (!best) return path;
  const prefix = trimSlash(best.deployed);
  return posix.join(best.local, path.slice(prefix.length));
}

/** The reverse: where a workspace file is deployed (longest matching local prefix). */
export function mapLocalToDeployed(path: string, mappings: PathMapping[]): string {
  let best: PathMapping | undefined;
  for (const m of mappings) {
    const prefix = trimSlash(m.local);
    if (path === prefix || path.startsWith(prefix + '/')) {
      if (!best || trimSlash(best.local).length < prefix.length) best = m;
    }
  }
  if (!best) return path;
  return posix.join(best.deployed, path.slice(trimSlash(best.local).length));
}

function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

export function resolveReferencedPath(value: string, base: ResolutionBase): ResolvedPath {
  if (value.startsWith('/')) {
    const notAFile = value.startsWith('/uri:') || value.startsWith('/engine:');
    const local = notAFile ? value : mapDeployedToLocal(posix.normalize(value), base.mappings);
    return { value, deployed: value, local, kind: 'absolute', how: 'absolute path', ...(notAFile ? { notAFile } : {}) };
  }
  if (value.startsWith('.')) {
    const deployed = posix.join(base.workdir || '/', value);
    return {
      value,
      deployed,
      local: mapDeployedToLocal(deployed, base.mappings),
      kind: 'workdir-relative',
      how: `relative to Kamailio's working directory ${base.workdir || '/'}`,
    };
  }
  const deployed = posix.join(base.deployedConfigDir, value);
  return {
    value,
    deployed,
    local: mapDeployedToLocal(deployed, base.mappings),
    kind: 'config-relative',
    how: `relative to ${base.baseDescription} (${base.deployedConfigDir})`,
  };
}
