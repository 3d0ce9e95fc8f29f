// `sipTls.*` as an editor sends it (untyped JSON) → the core's CheckSettings. Tolerant: a value
// of the wrong type falls back to the default and is reported once, never thrown.
import { homedir } from 'node:os';
import { addPeerDeclaration, DECLARATION_FORM, type PeerPairing } from '../core/peers/declaration';
import * as posix from 'node:path/posix';
import { isKnownCode } from '../core/catalog';
import type { PathMapping, SeverityOverride } from '../core/settings';
import type { SettingsLayer } from '../core/project/layers';
import { KNOWN_VERSIONS, parseKnownVersion } from '../core/version';
import { PLATFORM_IDS, lookupPlatform } from '../core/platform';

/** The settings section the server reads. */
export const SETTINGS_SECTION = 'sipTls';

export interface ResolvedSettings {
  /** What the editor settings set: on top of the project file (core/project/layers.ts). */
  layer: SettingsLayer;
  /** Absolute path of the forced main kamailio.cfg (`sipTls.mainConfig`), when set. */
  mainConfig?: string;
  /** What was wrong with the input, for the log. */
  problems: string[];
}

const SEVERITY_VALUES: readonly SeverityOverride[] = ['error', 'warning', 'information', 'hint', 'off'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, name: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push(`${SETTINGS_SECTION}.${name} must be a list of strings`);
    return [];
  }
  const out: string[] = [];
  for (const item of value) {
    if (typeof item === 'string' && item.trim() !== '') out.push(item.trim());
    else problems.push(`${SETTINGS_SECTION}.${name}: ignoring ${JSON.stringify(item)} (not a non-empty string)`);
  }
  return out;
}

/**
 * Expand `${workspaceFolder}` and `~`, and make a local path absolute against the workspace
 * folder (else the folder of the resource). Undefined when it cannot be made absolute.
 */
export function resolveLocalPath(value: string, folder: string | undefined): string | undefined {
  let p = value.trim();
  if (p.includes('${workspaceFolder}')) {
    if (folder === undefined) return undefined;
    p = p.split('${workspaceFolder}').join(folder);
  }
  if (p === '~' || p.startsWith('~/')) p = posix.join(homedir(), p.slice(1));
  if (posix.isAbsolute(p)) return posix.normalize(p);
  return folder === undefined ? undefined : posix.resolve(folder, p);
}

/**
 * Convert the raw `sipTls` object. `folder` is the workspace folder (or the resource's folder).
 * A setting left at its default (empty) leaves the project file's value in force.
 */
export function resolveSettings(raw: unknown, folder: string | undefined): ResolvedSettings {
  const check: SettingsLayer = {};
  const problems: string[] = [];
  const out: ResolvedSettings = { layer: check, problems };
  if (raw === undefined || raw === null) return out;
  if (!isRecord(raw)) {
    problems.push(`${SETTINGS_SECTION} must be an object`);
    return out;
  }

  const version = raw['kamailioVersion'];
  if (typeof version === 'string' && version.trim() !== '') {
    const parsed = parseKnownVersion(version);
    if (parsed) check.kamailioVersion = parsed;
    else problems.push(`${SETTINGS_SECTION}.kamailioVersion: unknown version ${JSON.stringify(version)} (known: ${KNOWN_VERSIONS.join(', ')})`);
  }

  const platform = raw['platform'];
  if (typeof platform === 'string' && platform.trim() !== '') {
    const found = lookupPlatform(platform);
    if (found) check.platform = found;
    else problems.push(`${SETTINGS_SECTION}.platform: unknown platform ${JSON.stringify(platform)} (known: ${PLATFORM_IDS.join(', ')})`);
  }

  const mappings = raw['pathMappings'];
  if (isRecord(mappings)) {
    const list: PathMapping[] = [];
    for (const [deployed, local] of Object.entries(mappings)) {
      if (typeof local !== 'string' || !posix.isAbsolute(deployed)) {
        problems.push(`${SETTINGS_SECTION}.pathMappings: ignoring ${JSON.stringify(deployed)} (the deployed path must be absolute and map to a string)`);
        continue;
      }
      const resolved = resolveLocalPath(local, folder);
      if (resolved === undefined) {
        problems.push(`${SETTINGS_SECTION}.pathMappings: cannot resolve ${JSON.stringify(local)} without a workspace folder`);
        continue;
      }
      list.push({ deployed: posix.normalize(deployed), local: resolved });
    }
    check.pathMappings = list;
  } else if (mappings !== undefined && mappings !== null) {
    problems.push(`${SETTINGS_SECTION}.pathMappings must be an object`);
  }

  check.defines = stringList(raw['defines'], 'defines', problems);
  check.sipDomains = stringList(raw['sipDomains'], 'sipDomains', problems);
  const pairings: PeerPairing[] = [];
  for (const d of stringList(raw['peers'], 'peers', problems)) {
    if (!addPeerDeclaration(pairings, d)) problems.push(`${SETTINGS_SECTION}.peers: ignoring ${JSON.stringify(d)} (${DECLARATION_FORM})`);
  }
  if (pairings.length > 0) check.peers = pairings.map((p) => ({ ...p, source: `${SETTINGS_SECTION}.peers` }));
  check.trustAnchors = [];
  for (const anchor of stringList(raw['trustAnchors'], 'trustAnchors', problems)) {
    const resolved = resolveLocalPath(anchor, folder);
    if (resolved === undefined) problems.push(`${SETTINGS_SECTION}.trustAnchors: cannot resolve ${JSON.stringify(anchor)} without a workspace folder`);
    else check.trustAnchors.push(resolved);
  }

  const workdir = raw['workdir'];
  if (typeof workdir === 'string' && workdir.trim() !== '') check.workdir = workdir.trim();

  const expiry = raw['expiryDays'];
  if (typeof expiry === 'number' && Number.isFinite(expiry) && expiry >= 0) check.expiryDays = expiry;
  else if (expiry !== undefined && expiry !== null) problems.push(`${SETTINGS_SECTION}.expiryDays must be a number ≥ 0`);

  const vars = raw['vars'];
  if (isRecord(vars)) {
    check.vars = {};
    for (const [name, value] of Object.entries(vars)) {
      if (typeof value === 'string' && /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) && !/[\r\n]/.test(value)) check.vars[name] = value;
      else problems.push(`${SETTINGS_SECTION}.vars: ignoring ${JSON.stringify(name)} (a variable name mapped to a one-line string)`);
    }
  } else if (vars !== undefined && vars !== null) problems.push(`${SETTINGS_SECTION}.vars must be an object`);

  const severity = raw['severity'];
  if (isRecord(severity)) {
    check.severity = {};
    for (const [code, level] of Object.entries(severity)) {
      if (!isKnownCode(code)) {
        problems.push(`${SETTINGS_SECTION}.severity: unknown code ${JSON.stringify(code)}`);
        continue;
      }
      if (typeof level !== 'string' || !(SEVERITY_VALUES as readonly string[]).includes(level)) {
        problems.push(`${SETTINGS_SECTION}.severity.${code}: ${JSON.stringify(level)} is not one of ${SEVERITY_VALUES.join(', ')}`);
        continue;
      }
      check.severity![code] = level as SeverityOverride;
    }
  } else if (severity !== undefined && severity !== null) {
    problems.push(`${SETTINGS_SECTION}.severity must be an object`);
  }

  const main = raw['mainConfig'];
  if (typeof main === 'string' && main.trim() !== '') {
    const resolved = resolveLocalPath(main, folder);
    if (resolved === undefined) problems.push(`${SETTINGS_SECTION}.mainConfig: cannot resolve ${JSON.stringify(main)} without a workspace folder`);
    else out.mainConfig = resolved;
  }
  return out;
}
