// The repository's own layout as a mapping: a kamailio.cfg that names /etc/kamailio/tls.cfg while
// a tls.cfg sits beside it in the repository is deployed to /etc/kamailio (the usual layout of a
// configuration repository), and a repository holding etc/kamailio/tls.cfg mirrors the
// deployed file system. Only for configuration files the main configuration names with an
// absolute path that no mapping covers; said once, as information (rules/project.ts).
import * as posix from 'node:path/posix';
import type { EffectiveConfig } from '../kamailio/model';
import type { AssumedMapping, CheckSettings } from '../settings';
import { lastTlsConfigModparam } from '../kamailio/tlsConfigParam';
import { isInside } from '../scope';
import { standInFor } from './standIns';

/** Trailing path components tried: /etc/kamailio/tls.cfg → tls.cfg, then kamailio/tls.cfg, … */
const MAX_COMPONENTS = 3;

export function layoutFromReferences(cfg: EffectiveConfig, settings: CheckSettings, exists: (local: string) => boolean): AssumedMapping[] {
  const scope = settings.scope;
  if (!scope) return [];
  const named: { path: string; what: string }[] = [];
  const config = lastTlsConfigModparam(cfg.modparams);
  if (config && config.value.kind === 'string' && config.value.text.startsWith('/')) named.push({ path: config.value.text, what: 'modparam("tls", "config", …)' });
  for (const inc of cfg.includes) {
    if (inc.resolved.length === 0 && inc.target.startsWith('/')) named.push({ path: inc.target, what: inc.directive });
  }
  const mainDir = posix.dirname(cfg.mainFile);
  const out: AssumedMapping[] = [];
  const mappings = [...settings.pathMappings];
  for (const { path, what } of named) {
    const deployedPath = posix.normalize(path);
    // Already a path of the repository, or covered by a mapping: nothing to assume.
    if (isInside(deployedPath, scope.root) || mappings.some((m) => isInside(deployedPath, m.deployed))) continue;
    const parts = deployedPath.split('/').filter((p) => p !== '');
    for (let k = 1; k <= Math.min(MAX_COMPONENTS, parts.length - 1); k++) {
      const rel = parts.slice(parts.length - k).join('/');
      const deployed = '/' + parts.slice(0, parts.length - k).join('/');
      const beside = posix.join(mainDir, rel);
      const mirrored = posix.join(scope.root, deployedPath);
      // The file, or its template or sample (tls.cfg.j2 beside kamailio.cfg.j2 in a role).
      const held = (p: string): string | undefined => (exists(p) ? p : standInFor(p, exists));
      const found = held(beside) ?? held(mirrored);
      if (!found) continue;
      const local = held(beside) ? mainDir : posix.join(scope.root, deployed);
      const m: AssumedMapping = {
        deployed,
        local,
        source: `${posix.basename(cfg.mainFile)} names ${deployedPath} (${what}) and the repository holds ${posix.relative(scope.root, found) || rel}`,
      };
      out.push(m);
      mappings.push(m);
      break;
    }
  }
  return out;
}
