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
  /** Under a deploy-time path (settings.deployTimePaths): never mapped into the repository. */
  deployTime?: boolean;
}

export interface ResolutionBase {
  /** Folder of the main kamailio.cfg as deployed (after reverse mapping), e.g. /etc/kamailio. */
  deployedConfigDir: string;
  /** Kamailio's workdir (`workdir`, `-w`), default '/'. */
  workdir: string;
  mappings: PathMapping[];
  /** Deployed paths (prefixes or globs) that only exist once deployed. */
  deployTime: readonly string[];
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

/**
 * Where a deployed path is in the workspace: through the mappings, except under a deploy-time
 * path, which stays the deployed path — outside the repository, so a repository check never
 * reads it (scope.ts) while a check on the live server does.
 */
export function deployedToLocal(path: string, mappings: PathMapping[], deployTime: readonly string[]): string {
  const normalized = posix.normalize(path);
  return isDeployTimePath(normalized, deployTime) ? normalized : mapDeployedToLocal(normalized, mappings);
}

/** `path` is one of `patterns` or below one; `*` matches within a name, `**` across folders. */
export function isDeployTimePath(path: string, patterns: readonly string[]): boolean {
  for (const p of patterns) {
    if (!/[*?]/.test(p)) {
      const prefix = trimSlash(p);
      if (path === prefix || path.startsWith(prefix === '/' ? '/' : prefix + '/')) return true;
    } else if (globRegExp(p).test(path)) return true;
  }
  return false;
}

const globs = new Map<string, RegExp>();

function globRegExp(glob: string): RegExp {
  let re = globs.get(glob);
  if (!re) {
    let src = '';
    for (let i = 0; i < glob.length; i++) {
      const c = glob[i]!;
      if (c === '*' && glob[i + 1] === '*') {
        src += '.*';
        i++;
      } else if (c === '*') src += '[^/]*';
      else if (c === '?') src += '[^/]';
      else src += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    re = new RegExp(`^${src}(/.*)?$`);
    if (globs.size > 256) globs.clear();
    globs.set(glob, re);
  }
  return re;
}

export function resolveReferencedPath(value: string, base: ResolutionBase): ResolvedPath {
  const place = (deployed: string): { local: string; deployTime?: boolean } =>
    isDeployTimePath(posix.normalize(deployed), base.deployTime) ? { local: posix.normalize(deployed), deployTime: true } : { local: mapDeployedToLocal(posix.normalize(deployed), base.mappings) };
  if (value.startsWith('/')) {
    const notAFile = value.startsWith('/uri:') || value.startsWith('/engine:');
    const where = notAFile ? { local: value } : place(value);
    return { value, deployed: value, ...where, kind: 'absolute', how: 'absolute path', ...(notAFile ? { notAFile } : {}) };
  }
  if (value.startsWith('.')) {
    const deployed = posix.join(base.workdir || '/', value);
    return {
      value,
      deployed,
      ...place(deployed),
      kind: 'workdir-relative',
      how: `relative to Kamailio's working directory ${base.workdir || '/'}`,
    };
  }
  const deployed = posix.join(base.deployedConfigDir, value);
  return {
    value,
    deployed,
    ...place(deployed),
    kind: 'config-relative',
    how: `relative to ${base.baseDescription} (${base.deployedConfigDir})`,
  };
}
