// The project file: what a team shares about a repository's deployment — where its folders are
// deployed (mappings), which files are the main configurations, the defines and named variants,
// the Kamailio version, template variables, deploy-time paths, SIP domains, trust anchors and
// severities. Found by walking up from the checked file (like .eslintrc or ruff.toml), read by
// the CLI and the language server alike; JSON with comments (jsonc), schema in
// schemas/sip-tls.schema.json.
//
// A project file is repository content, so it is untrusted input: everything it names must stay
// inside its own folder (a mapping or trust anchor pointing elsewhere is refused with a
// problem), so a cloned repository can never make the check read other files of this machine.
import * as posix from 'node:path/posix';
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { isKnownCode } from '../catalog';
import type { PathMapping, SeverityOverride } from '../settings';
import { KNOWN_VERSIONS, parseKnownVersion, type KamailioVersion } from '../version';
import { isInside } from '../scope';
import { LineIndex } from '../text';
import { PLATFORM_IDS, lookupPlatform, type Platform } from '../platform';
import type { Range } from '../types';
import { excerpt } from '../quote';
import { readPeer, type Peer } from '../peers/peer';
import { builtInPeer } from '../peers/presets';
import type { PeerDeclaration } from '../settings';

export const PROJECT_FILE_NAME = '.sip-tls.json';

/** A named set of defines (and variables), e.g. "tls": WITH_TLS — checked as its own configuration. */
export interface ProjectVariant {
  name: string;
  defines: string[];
  vars: Record<string, string>;
}

export interface ProjectProblem {
  message: string;
  range: Range;
  /** The file cannot be used at all (not JSON). */
  fatal?: boolean;
}

export interface ProjectConfig {
  /** Absolute path of the project file. */
  file: string;
  /** Its folder: the repository root for the check, and the base of every relative path in it. */
  dir: string;
  kamailioVersion?: KamailioVersion;
  platform?: Platform;
  /** Main kamailio.cfg files, absolute. Empty: discovered. */
  mainConfigs: string[];
  mappings: PathMapping[];
  defines: string[];
  variants: ProjectVariant[];
  vars: Record<string, string>;
  /** Deployed path prefixes (or globs) of files that only exist once deployed. */
  deployTimePaths: string[];
  sipDomains: string[];
  /** Absolute, inside `dir`. */
  trustAnchors: string[];
  severity: Record<string, SeverityOverride>;
  workdir?: string;
  expiryDays?: number;
  /** Peers paired with profiles (built-in or custom), and custom peer definitions. */
  peers: PeerDeclaration[];
  customPeers: Peer[];
  problems: ProjectProblem[];
}

/** Every key the project file accepts (the schema's properties; a unit test compares them). */
export const PROJECT_KEYS = [
  '$schema',
  'platform',
  'kamailioVersion',
  'mainConfigs',
  'mappings',
  'defines',
  'variants',
  'vars',
  'deployTimePaths',
  'sipDomains',
  'trustAnchors',
  'severity',
  'workdir',
  'expiryDays',
  'peers',
] as const;

const SEVERITIES: readonly SeverityOverride[] = ['error', 'warning', 'information', 'hint', 'off'];
const DEFINE = /^[A-Za-z_][A-Za-z0-9_]*(=.*)?$/;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

export function emptyProject(file: string): ProjectConfig {
  return {
    file,
    dir: posix.dirname(file),
    mainConfigs: [],
    mappings: [],
    defines: [],
    variants: [],
    vars: {},
    deployTimePaths: [],
    sipDomains: [],
    trustAnchors: [],
    severity: {},
    peers: [],
    customPeers: [],
    problems: [],
  };
}

/** Parse the text of a project file at `file` (absolute). Never throws. */
export function parseProjectFile(file: string, text: string): ProjectConfig {
  const project = emptyProject(file);
  const lines = new LineIndex(text);
  const rangeOf = (offset: number, length: number): Range => ({ start: lines.positionAt(offset), end: lines.positionAt(offset + length) });
  const problem = (node: Node | undefined, message: string): void => {
    project.problems.push({ message, range: node ? rangeOf(node.offset, node.length) : rangeOf(0, 0) });
  };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    project.problems.push({
      message: e ? `${PROJECT_FILE_NAME} is not valid JSON: ${describeParseError(e)}` : `${PROJECT_FILE_NAME} is empty`,
      range: e ? rangeOf(e.offset, e.length) : rangeOf(0, 0),
      fatal: true,
    });
    return project;
  }
  if (root.type !== 'object') {
    problem(root, `${PROJECT_FILE_NAME} must hold a JSON object`);
    return project;
  }
  for (const property of root.children ?? []) {
    const [keyNode, valueNode] = property.children ?? [];
    if (!keyNode || !valueNode) continue;
    const key = String(keyNode.value);
    const reader = new ValueReader(valueNode, key, problem);
    switch (key) {
      case '$schema':
        break;
      case 'platform': {
        const text = reader.string();
        if (text === undefined) break;
        const platform = lookupPlatform(text);
        if (platform) project.platform = platform;
        else problem(valueNode, `platform: unknown platform "${excerpt(text)}" (known: ${PLATFORM_IDS.join(', ')})`);
        break;
      }
      case 'kamailioVersion': {
        const text = reader.string();
        if (text === undefined) break;
        const version = parseKnownVersion(text);
        if (version) project.kamailioVersion = version;
        else problem(valueNode, `kamailioVersion: unknown version "${excerpt(text)}" (known: ${KNOWN_VERSIONS.join(', ')})`);
        break;
      }
      case 'mainConfigs':
        for (const [node, value] of reader.strings()) {
          const abs = insidePath(project.dir, value);
          if (abs) project.mainConfigs.push(abs);
          else problem(node, `mainConfigs: "${excerpt(value, 160)}" is outside the folder of ${PROJECT_FILE_NAME} (${project.dir})`);
        }
        break;
      case 'mappings':
        for (const [deployedNode, node, value] of reader.stringMap()) {
          const deployed = String(deployedNode.value);
          if (!posix.isAbsolute(deployed)) {
            problem(deployedNode, `mappings: the deployed path "${excerpt(deployed, 160)}" must be absolute, as Kamailio sees it (e.g. /etc/kamailio)`);
            continue;
          }
          const local = insidePath(project.dir, value);
          if (!local) {
            problem(node, `mappings: "${excerpt(value, 160)}" is outside the folder of ${PROJECT_FILE_NAME} (${project.dir}); a project file maps deployed paths to folders of its own repository only`);
            continue;
          }
          project.mappings.push({ deployed: posix.normalize(deployed), local });
        }
        break;
      case 'defines':
        project.defines = reader.defines();
        break;
      case 'variants':
        for (const [nameNode, node] of reader.objectMap()) {
          const name = String(nameNode.value);
          const variant: ProjectVariant = { name, defines: [], vars: {} };
          for (const child of node.children ?? []) {
            const [k, v] = child.children ?? [];
            if (!k || !v) continue;
            const sub = new ValueReader(v, `variants.${name}.${String(k.value)}`, problem);
            if (k.value === 'defines') variant.defines = sub.defines();
            else if (k.value === 'vars') variant.vars = sub.vars();
            else problem(k, `variants.${name}: unknown key "${excerpt(String(k.value))}" (known: defines, vars)`);
          }
          project.variants.push(variant);
        }
        break;
      case 'vars':
        project.vars = reader.vars();
        break;
      case 'deployTimePaths':
        for (const [node, value] of reader.strings()) {
          if (posix.isAbsolute(value)) project.deployTimePaths.push(value);
          else problem(node, `deployTimePaths: "${excerpt(value, 160)}" must be a deployed absolute path or glob (e.g. /etc/kamailio/certs/**)`);
        }
        break;
      case 'sipDomains':
        project.sipDomains = reader.strings().map(([, v]) => v);
        break;
      case 'trustAnchors':
        for (const [node, value] of reader.strings()) {
          const abs = insidePath(project.dir, value);
          if (abs) project.trustAnchors.push(abs);
          else problem(node, `trustAnchors: "${excerpt(value, 160)}" is outside the folder of ${PROJECT_FILE_NAME}; name trust anchors outside the repository in your editor settings or with --trust`);
        }
        break;
      case 'severity':
        for (const [codeNode, node, level] of reader.stringMap()) {
          const code = String(codeNode.value);
          if (!isKnownCode(code)) problem(codeNode, `severity: unknown diagnostic code "${excerpt(code)}"`);
          else if (!(SEVERITIES as readonly string[]).includes(level)) problem(node, `severity.${code}: "${excerpt(level)}" is not one of ${SEVERITIES.join(', ')}`);
          else project.severity[code] = level as SeverityOverride;
        }
        break;
      case 'workdir': {
        const value = reader.string();
        if (value === undefined) break;
        if (posix.isAbsolute(value)) project.workdir = value;
        else problem(valueNode, `workdir: Kamailio's working directory must be absolute as deployed, not "${excerpt(value, 160)}"`);
        break;
      }
      case 'expiryDays': {
        if (valueNode.type === 'number' && Number.isInteger(valueNode.value) && (valueNode.value as number) >= 0) project.expiryDays = valueNode.value as number;
        else problem(valueNode, 'expiryDays must be a whole number of days ≥ 0');
        break;
      }
      case 'peers':
        for (const [idNode, node] of reader.objectMap()) readPeerEntry(project, String(idNode.value), node, problem);
        break;
      default:
        problem(keyNode, `unknown key "${excerpt(key)}" (known: ${PROJECT_KEYS.filter((k) => k !== '$schema').join(', ')})`);
    }
  }
  return project;
}

/**
 * "peers": { "teams": { "profiles": ["server:default"], "names": ["sbc.example.com"] }, "acme": { "versions": ["1.2"], … } }:
 * an entry with only `profiles` and `names` (what the peer dials) pairs a built-in peer; any other key defines a custom peer
 * (peers/peer.ts readPeer, strict) under that id.
 */
function readPeerEntry(project: ProjectConfig, id: string, node: Node, problem: (node: Node | undefined, message: string) => void): void {
  const value = getNodeValue(node) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return problem(node, `peers.${excerpt(id)}: must be an object ({ "profiles": [...] } and, for a custom peer, its requirements)`);
  const { profiles, names, ...definition } = value as Record<string, unknown>;
  const selectors: string[] = [];
  const dialled: string[] = [];
  if (names !== undefined) {
    if (!Array.isArray(names) || names.some((x) => typeof x !== 'string' || !/^(\*\.)?[a-z0-9]([a-z0-9.-]{0,252})$/i.test(x))) {
      problem(node, `peers.${excerpt(id)}.names: a list of host names the peer connects to, such as "sbc.example.com"`);
    } else dialled.push(...(names as string[]).map((n) => n.toLowerCase()));
  }
  if (profiles !== undefined) {
    if (!Array.isArray(profiles) || profiles.some((x) => typeof x !== 'string' || !/^(server|client)(:[^\s\]]{1,200})?$/i.test(x))) {
      problem(node, `peers.${excerpt(id)}.profiles: a list of profiles such as "server:default", "client:default", "server:10.0.0.1:5061", "client:sip.example.com"`);
    } else selectors.push(...(profiles as string[]));
  }
  if (Object.keys(definition).length > 0) {
    const { peer, problems } = readPeer({ id, ...definition });
    for (const p of problems) problem(node, `peers.${excerpt(id)}${p.at ? '.' + excerpt(p.at) : ''}: ${p.message}`);
    if (!peer) return;
    project.customPeers.push(peer);
  } else if (!builtInPeer(id)) {
    return problem(node, `peers: "${excerpt(id)}" is not a built-in peer (teams, twilio, bandwidth, whatsapp, browsers, modern); a custom peer needs its requirements (at least "versions")`);
  }
  project.peers.push({ peer: id, profiles: selectors, ...(dialled.length ? { names: dialled } : {}), source: PROJECT_FILE_NAME });
}

function describeParseError(e: ParseError): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'invalid symbol',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name expected',
    ValueExpected: 'a value expected',
    ColonExpected: "':' expected",
    CommaExpected: "',' expected",
    CloseBraceExpected: "'}' expected",
    CloseBracketExpected: "']' expected",
    EndOfFileExpected: 'end of file expected',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'comment not closed',
    UnexpectedEndOfString: 'string not closed',
    UnexpectedEndOfNumber: 'number not finished',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character',
  };
  const name = printParseErrorCode(e.error);
  return words[name] ?? name;
}

/** `value` relative to `dir` (or absolute), when it stays inside `dir`. */
function insidePath(dir: string, value: string): string | undefined {
  if (value.trim() === '') return undefined;
  const abs = posix.normalize(posix.isAbsolute(value) ? value : posix.join(dir, value));
  const trimmed = abs.length > 1 && abs.endsWith('/') ? abs.slice(0, -1) : abs;
  return isInside(trimmed, dir) ? trimmed : undefined;
}

/** Typed access to one JSON value with a problem for each part of the wrong type. */
class ValueReader {
  constructor(
    private readonly node: Node,
    private readonly key: string,
    private readonly problem: (node: Node | undefined, message: string) => void,
  ) {}

  string(): string | undefined {
    if (this.node.type === 'string') return this.node.value as string;
    this.problem(this.node, `${this.key} must be a string`);
    return undefined;
  }

  strings(): [Node, string][] {
    if (this.node.type !== 'array') {
      this.problem(this.node, `${this.key} must be a list of strings`);
      return [];
    }
    const out: [Node, string][] = [];
    for (const item of this.node.children ?? []) {
      if (item.type === 'string' && (item.value as string).trim() !== '') out.push([item, (item.value as string).trim()]);
      else this.problem(item, `${this.key}: expected a non-empty string`);
    }
    return out;
  }

  defines(): string[] {
    const out: string[] = [];
    for (const [node, value] of this.strings()) {
      if (DEFINE.test(value)) out.push(value);
      else this.problem(node, `${this.key}: "${excerpt(value)}" is not NAME or NAME=VALUE (as with kamailio -A)`);
    }
    return out;
  }

  objectMap(): [Node, Node][] {
    if (this.node.type !== 'object') {
      this.problem(this.node, `${this.key} must be an object`);
      return [];
    }
    const out: [Node, Node][] = [];
    for (const property of this.node.children ?? []) {
      const [k, v] = property.children ?? [];
      if (!k || !v) continue;
      if (v.type !== 'object') this.problem(v, `${this.key}.${String(k.value)} must be an object`);
      else out.push([k, v]);
    }
    return out;
  }

  stringMap(): [Node, Node, string][] {
    if (this.node.type !== 'object') {
      this.problem(this.node, `${this.key} must be an object`);
      return [];
    }
    const out: [Node, Node, string][] = [];
    for (const property of this.node.children ?? []) {
      const [k, v] = property.children ?? [];
      if (!k || !v) continue;
      if (v.type === 'string') out.push([k, v, v.value as string]);
      else this.problem(v, `${this.key}.${String(k.value)} must be a string`);
    }
    return out;
  }

  vars(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, node, value] of this.stringMap()) {
      const name = String(k.value);
      if (!VAR_NAME.test(name)) this.problem(k, `${this.key}: "${excerpt(name)}" is not a variable name`);
      else if (/[\r\n]/.test(value)) this.problem(node, `${this.key}.${name}: a value must be one line`);
      else out[name] = value;
    }
    return out;
  }
}
