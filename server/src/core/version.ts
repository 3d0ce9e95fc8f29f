// Kamailio versions the checker knows, for gating options and syntax (reference §0).

export interface KamailioVersion {
  major: number;
  minor: number;
  /**
   * The patch release, when known (a platform's package, or `6.0.1` given in full). Some fixes
   * were backported within a branch: 6.0.2 changed where cipher_list goes (reference §0.1).
   */
  patch?: number;
  /** No platform or version was given: this is DEFAULT_VERSION, and messages say so. */
  assumed?: true;
}

export const KNOWN_VERSIONS = ['5.4', '5.5', '5.6', '5.7', '5.8', '6.0', '6.1', '6.2'] as const;

/** The newest stable release the tool knows; 6.2 is still in development upstream. */
export const DEFAULT_VERSION = '6.1';

/** A version of a branch the tool knows ('5.6', '6.0.1'), or undefined. */
export function parseKnownVersion(text: string): KamailioVersion | undefined {
  const v = parseVersion(text);
  return v && (KNOWN_VERSIONS as readonly string[]).includes(`${v.major}.${v.minor}`) ? v : undefined;
}

export function parseVersion(text: string): KamailioVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), ...(m[3] !== undefined ? { patch: Number(m[3]) } : {}) };
}

/**
 * Whether `v` is at least the patch release `required` (e.g. '6.0.2'): undefined when `v` is the
 * same branch without a known patch level, so the caller can say what depends on it.
 */
export function patchAtLeast(v: KamailioVersion, required: string): boolean | undefined {
  const r = parseVersion(required);
  if (!r || r.patch === undefined) throw new Error(`bad patch version literal ${required}`);
  if (v.major !== r.major || v.minor !== r.minor) return versionAtLeast(v, `${r.major}.${r.minor}`);
  return v.patch === undefined ? undefined : v.patch >= r.patch;
}

export function versionAtLeast(v: KamailioVersion, required: string): boolean {
  const r = parseVersion(required);
  if (!r) throw new Error(`bad version literal ${required}`);
  return v.major > r.major || (v.major === r.major && v.minor >= r.minor);
}

/**
 * "Kamailio 5.6.3" for messages about what the deployed Kamailio does; an assumed version says
 * that it is one, and how to give the real one.
 */
export function kamailioName(v: KamailioVersion): string {
  return `Kamailio ${formatVersion(v)}${v.assumed ? ' (assumed: no platform or kamailioVersion is set)' : ''}`;
}

export function formatVersion(v: KamailioVersion): string {
  return v.patch !== undefined ? `${v.major}.${v.minor}.${v.patch}` : `${v.major}.${v.minor}`;
}
