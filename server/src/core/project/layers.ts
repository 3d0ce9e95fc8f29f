// The settings of one check, in layers: built-in defaults, then the project file, then what the
// user set in the editor or on the command line (on top), then what the repository's build files
// say about its layout where nothing declared covers it, and the scope (scope.ts) from the
// context. The CLI and the language server both build their settings here.
import * as posix from 'node:path/posix';
import { defaultSettings, type AssumedMapping, type CheckSettings, type PathMapping, type PeerDeclaration, type SeverityOverride } from '../settings';
import type { KamailioVersion } from '../version';
import type { Platform } from '../platform';
import { isInside } from '../scope';
import type { CheckContext } from './context';
import type { LayoutFact } from './dockerLayout';

/** What a user layer may set; absent fields leave the layer below as it is. */
export interface SettingsLayer {
  kamailioVersion?: KamailioVersion;
  platform?: Platform;
  /** Merged by deployed path: this layer's mapping wins. */
  pathMappings?: PathMapping[];
  /** Added to the project's. */
  defines?: string[];
  workdir?: string;
  expiryDays?: number;
  /** Added to the project's. */
  trustAnchors?: string[];
  /** Added to the project's. */
  sipDomains?: string[];
  /** Merged by code: this layer wins. */
  severity?: Record<string, SeverityOverride>;
  /** Merged by name: this layer wins. */
  vars?: Record<string, string>;
  /** Peers paired on the command line (`--peer NAME[=PROFILE]`). */
  peers?: PeerDeclaration[];
  /** Only these variants of the project file (by name); undefined: all of them. */
  variantNames?: string[];
}

function union(a: readonly string[], b: readonly string[] | undefined): string[] {
  return [...new Set([...a, ...(b ?? [])])];
}

function mergeMappings(below: readonly PathMapping[], above: readonly PathMapping[] | undefined): PathMapping[] {
  const byDeployed = new Map<string, PathMapping>();
  for (const m of below) byDeployed.set(m.deployed, m);
  for (const m of above ?? []) byDeployed.set(m.deployed, m);
  return [...byDeployed.values()];
}

/** Settings for a file in `context`, with `user` on top of the project file. */
export function layeredSettings(context: CheckContext, user: SettingsLayer): CheckSettings {
  const s = defaultSettings();
  const p = context.project;
  // The platform fixes the Kamailio version unless one is given explicitly, in any layer.
  s.platform = user.platform ?? p?.platform ?? s.platform;
  const given = user.kamailioVersion ?? p?.kamailioVersion;
  // "6.0" on Debian 13 is its 6.0.1: the platform's package gives the patch level of its branch.
  const packaged = s.platform.kamailio;
  const version =
    given && packaged && given.patch === undefined && given.major === packaged.major && given.minor === packaged.minor ? packaged : (given ?? packaged);
  if (version) s.kamailioVersion = version;
  if (p) {
    s.pathMappings = [...p.mappings];
    s.defines = [...p.defines];
    s.variants = p.variants.map((v) => ({ name: v.name, defines: [...v.defines], vars: { ...v.vars } }));
    s.vars = { ...p.vars };
    s.deployTimePaths = [...p.deployTimePaths];
    s.sipDomains = [...p.sipDomains];
    s.trustAnchors = [...p.trustAnchors];
    s.severity = { ...p.severity };
    if (p.workdir) s.workdir = p.workdir;
    if (p.expiryDays !== undefined) s.expiryDays = p.expiryDays;
    s.projectFile = p.file;
    s.peers = [...p.peers];
    s.customPeers = [...p.customPeers];
  }
  // --peer on top: a peer named there replaces the project file's pairing of it.
  if (user.peers) s.peers = [...s.peers.filter((d) => !user.peers!.some((u) => u.peer === d.peer)), ...user.peers];
  s.pathMappings = mergeMappings(s.pathMappings, user.pathMappings);
  s.defines = union(s.defines, user.defines);
  if (user.workdir !== undefined) s.workdir = user.workdir;
  if (user.expiryDays !== undefined) s.expiryDays = user.expiryDays;
  s.trustAnchors = union(s.trustAnchors, user.trustAnchors);
  s.sipDomains = union(s.sipDomains, user.sipDomains);
  s.severity = { ...s.severity, ...(user.severity ?? {}) };
  s.vars = { ...s.vars, ...(user.vars ?? {}) };
  if (user.variantNames) s.variants = s.variants.filter((v) => user.variantNames!.includes(v.name));

  if (!context.live) {
    const { mappings, deployTime } = assumeDockerLayout(context.layout, s.pathMappings);
    s.assumedLayout = mappings;
    s.pathMappings = [...s.pathMappings, ...mappings.map(({ deployed, local }) => ({ deployed, local }))];
    s.deployTimePaths = union(s.deployTimePaths, deployTime);
    // What the user named outside the repository (editor settings, command line) may be read;
    // a project file cannot name anything outside its folder (projectFile.ts).
    const allowed = [...(user.pathMappings ?? []).map((m) => m.local), ...(user.trustAnchors ?? [])].filter((x) => !isInside(x, context.root));
    s.scope = { root: context.root, allowed: [...new Set(allowed)], rootReason: context.rootReason };
  }
  return s;
}

/** Whether `deployed` is covered by one of `mappings` (a prefix of it, or it). */
function covered(deployed: string, mappings: readonly PathMapping[]): boolean {
  return mappings.some((m) => isInside(deployed, m.deployed));
}

/**
 * Mappings read from compose files and Dockerfiles, for deployed paths nothing declared covers.
 * When several services mount different folders at the same path, the Kamailio service wins
 * (by its name); a bind mount of a host path outside the repository, a named volume or a VOLUME
 * declaration makes the path deploy-time.
 */
export function assumeDockerLayout(facts: readonly LayoutFact[], declared: readonly PathMapping[]): { mappings: AssumedMapping[]; deployTime: string[] } {
  const mappings = new Map<string, AssumedMapping & { service?: string }>();
  const deployTime = new Set<string>();
  const rank = (f: LayoutFact): number => (f.service && /kamailio/i.test(f.service) ? 0 : f.service ? 2 : 1);
  const sorted = [...facts].sort((a, b) => rank(a) - rank(b));
  for (const f of sorted) {
    if (covered(f.deployed, declared)) continue;
    if (!f.local) {
      if (!mappings.has(f.deployed)) deployTime.add(f.deployed);
      continue;
    }
    if (mappings.has(f.deployed) || deployTime.has(f.deployed)) continue;
    mappings.set(f.deployed, { deployed: f.deployed, local: f.local, source: f.source, ...(f.service ? { service: f.service } : {}) });
  }
  return {
    mappings: [...mappings.values()].map(({ deployed, local, source }) => ({ deployed, local, source })),
    deployTime: [...deployTime].filter((d) => ![...mappings.keys()].some((m) => m === d)).map((d) => posix.normalize(d)),
  };
}
