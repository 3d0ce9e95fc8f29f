// One settings type shared by the language server (from `sipTls.*`, per resource) and the CLI
// (from its flags). Defaults mirror package.json's configuration schema.
import type { Severity } from './types';
import { DEFAULT_VERSION, parseVersion, type KamailioVersion } from './version';

export type SeverityOverride = Severity | 'off';

export interface PathMapping {
  /** A deployed path prefix, e.g. /etc/kamailio */
  deployed: string;
  /** The workspace path it corresponds to (absolute). */
  local: string;
}

export interface CheckSettings {
  kamailioVersion: KamailioVersion;
  pathMappings: PathMapping[];
  /** Names defined as with `kamailio -A NAME[=VALUE]`. */
  defines: string[];
  /** Kamailio's working directory, against which './' paths resolve (default '/'). */
  workdir: string;
  expiryDays: number;
  trustAnchors: string[];
  sipDomains: string[];
  severity: Record<string, SeverityOverride>;
}

export function defaultSettings(): CheckSettings {
  return {
    kamailioVersion: parseVersion(DEFAULT_VERSION)!,
    pathMappings: [],
    defines: [],
    workdir: '/',
    expiryDays: 30,
    trustAnchors: [],
    sipDomains: [],
    severity: {},
  };
}
