// Patch releases, where a feature arrived inside a minor version (a backport): the checker's
// versions are major.minor (version.ts), so only a platform that packages one exact release can
// say which side of the backport a deployment is on. Sources: the `source` of each platform in
// platform.ts (packages.debian.org, packages.ubuntu.com).
import type { CheckSettings } from './settings';
import { formatVersion } from './version';

const PACKAGED_RELEASES: Record<string, string> = {
  'debian-11': '5.4.4',
  'debian-12': '5.6.3',
  'debian-13': '6.0.1',
  'ubuntu-22.04': '5.5.4',
  'ubuntu-24.04': '5.7.4',
};

/** The exact release checked against: the platform's package, unless another version was set. */
export function knownRelease(settings: Pick<CheckSettings, 'platform' | 'kamailioVersion'>): string | undefined {
  const { platform, kamailioVersion } = settings;
  const release = PACKAGED_RELEASES[platform.id];
  if (!release || !platform.kamailio || formatVersion(platform.kamailio) !== formatVersion(kamailioVersion)) return undefined;
  return release;
}

/** `a` is an earlier release than `b` (both `x.y.z`). */
export function releaseBefore(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) < (pb[i] ?? 0);
  }
  return false;
}
