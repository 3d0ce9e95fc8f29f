// Kamailio versions the checker knows, for gating options and syntax (reference §0).

export interface KamailioVersion {
  major: number;
  minor: number;
}

export const KNOWN_VERSIONS = ['5.4', '5.5', '5.6', '5.7', '5.8', '6.0', '6.1', '6.2'] as const;

/** The newest stable release the tool knows; 6.2 is still in development upstream. */
export const DEFAULT_VERSION = '6.1';

export function parseVersion(text: string): KamailioVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function versionAtLeast(v: KamailioVersion, required: string): boolean {
  const r = parseVersion(required);
  if (!r) throw new Error(`bad version literal ${required}`);
  return v.major > r.major || (v.major === r.major && v.minor >= r.minor);
}

export function formatVersion(v: KamailioVersion): string {
  return `${v.major}.${v.minor}`;
}
