// One settings type shared by the language server (from `sipTls.*`, per resource) and the CLI
// (from its flags). Defaults mirror package.json's configuration schema.
import type { Severity } from './types';
import { DEFAULT_VERSION, parseVersion, type KamailioVersion } from './version';
import type { FileScope } from './scope';
import { DEFAULT_PLATFORM, type Platform } from './platform';
import type { Peer } from './peers/peer';

export type SeverityOverride = Severity | 'off';

export interface PathMapping {
  /** A deployed path prefix, e.g. /etc/kamailio */
  deployed: string;
  /** The workspace path it corresponds to (absolute). */
  local: string;
}

/** A mapping sip-tls assumed from the repository's build files or layout (said once, as information). */
export interface AssumedMapping extends PathMapping {
  /** Where it was read, e.g. `docker-compose.yml:12`, or how it was inferred. */
  source: string;
}

/** A named set of defines and variables checked as its own configuration (project file). */
export interface Variant {
  name: string;
  defines: string[];
  vars: Record<string, string>;
}

/** "This peer talks to these profiles" (project file `peers`, `--peer NAME[=PROFILE]`). */
export interface PeerDeclaration {
  /** A built-in peer id (peers/presets) or a custom peer's id. */
  peer: string;
  /** Profile selectors (`server:default`, `client:10.0.0.1:5061`, …); empty: inferred. */
  profiles: string[];
  /**
   * The names the peer connects to or expects in our certificate (the SBC FQDN configured at the
   * carrier, the Contact host Teams checks); empty: the profile's server_name, if any.
   */
  names?: string[];
  /** Where it was declared, for messages: `--peer`, `.sip-tls.json`. */
  source: string;
}

export interface CheckSettings {
  kamailioVersion: KamailioVersion;
  /** The platform deployed on (platform.ts): what OpenSSL negotiates, the Kamailio it packages. */
  platform: Platform;
  pathMappings: PathMapping[];
  /** Names defined as with `kamailio -A NAME[=VALUE]`. */
  defines: string[];
  /** Kamailio's working directory, against which './' paths resolve (default '/'). */
  workdir: string;
  expiryDays: number;
  trustAnchors: string[];
  sipDomains: string[];
  severity: Record<string, SeverityOverride>;
  /**
   * What the check may read (scope.ts). Set by the faces for a configuration in a repository;
   * undefined when the configuration is the live one of this machine (and in unit tests).
   */
  scope?: FileScope;
  /** Mappings among pathMappings that were inferred, not declared (for the information). */
  assumedLayout: AssumedMapping[];
  /** Deployed path prefixes or globs of files that only exist once deployed. */
  deployTimePaths: string[];
  /** Values of template placeholders (`${VAR}`, `{{ var }}`, …) and #!defenv variables. */
  vars: Record<string, string>;
  /** Named variants (project file): each is checked; empty = the one configuration above. */
  variants: Variant[];
  /** The variant these settings are for (set by the Checker when it checks each variant). */
  variant?: string;
  /** The project file these settings came from, for messages. */
  projectFile?: string;
  /** Declared peers (peers/connections.ts adds the inferred ones). */
  peers: PeerDeclaration[];
  /** Custom peers (project file), by id; a built-in id here replaces the preset. */
  customPeers: Peer[];
}

export function defaultSettings(): CheckSettings {
  return {
    kamailioVersion: { ...parseVersion(DEFAULT_VERSION)!, assumed: true },
    platform: DEFAULT_PLATFORM,
    pathMappings: [],
    defines: [],
    workdir: '/',
    expiryDays: 30,
    trustAnchors: [],
    sipDomains: [],
    severity: {},
    assumedLayout: [],
    deployTimePaths: [],
    vars: {},
    variants: [],
    peers: [],
    customPeers: [],
  };
}
