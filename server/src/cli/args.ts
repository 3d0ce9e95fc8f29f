// Command-line parsing for `sip-tls` (the contract is cli.md). Pure: argv in, a command or a
// UsageError out; nothing here touches the file system.
import * as path from 'node:path';
import { lookupProbePeer, probeAs } from './probePeer';
import { addPeerDeclaration, DECLARATION_FORM } from '../core/peers/declaration';
import { isIP } from 'node:net';
import { CATALOG, isKnownCode } from '../core/catalog';
import { COMMANDS, didYouMean, unknownOption } from './suggest';
import type { SeverityOverride } from '../core/settings';
import { KNOWN_VERSIONS, formatVersion, parseKnownVersion } from '../core/version';
import { PLATFORM_IDS, lookupPlatform } from '../core/platform';
import { parseFullchainArgs, parseShowArgs, type FullchainCommandOptions, type ShowCommandOptions } from './fileCommandArgs';
import { DEFAULT_TIMEOUT_MS, parseProbeTarget, type ProbeOptions, type TlsVersionName } from '../core/probe';

export type OutputFormat = 'text' | 'json' | 'sarif' | 'github' | 'gitlab' | 'junit';

/** The lowest severity that fails the check (exit code 1). */
export type FailLevel = 'error' | 'warning' | 'information';

export interface CheckOptions {
  /** PATH arguments, absolute (resolved against the current directory). */
  paths: string[];
  /** The same PATH arguments as typed (output names files the way the user did); empty: none given. */
  typedPaths: string[];
  /** `--fail-on`: findings at or above this severity fail the check (default error). */
  failOn: FailLevel;
  /** `--max-warnings N`: more than N warnings fail the check too (eslint's option); unset: no limit. */
  maxWarnings?: number;
  /** `--quiet`: list errors only. */
  quiet: boolean;
  /** `--color`/`--no-color`; unset: colour on a terminal unless NO_COLOR is set. */
  color?: boolean;
  /** `-` with `--stdin-filename PATH`: standard input is checked as this file (absolute). */
  stdinFile?: string;
  format: OutputFormat;
  /** `X.Y`, one of KNOWN_VERSIONS. */
  kamailioVersion?: string;
  /** A platform id (core/platform.ts). */
  platform?: string;
  now?: Date;
  expiryDays?: number;
  /** Extra trust anchors, absolute. */
  trust: string[];
  /** `--map DEPLOYED=LOCAL`, LOCAL absolute. */
  maps: { deployed: string; local: string }[];
  severity: Record<string, SeverityOverride>;
  defines: string[];
  workdir?: string;
  /** `--live`: the configuration is the one deployed on this machine (read every absolute path). */
  live: boolean;
  /** `--var NAME=VALUE`: template placeholder and #!defenv values. */
  vars: Record<string, string>;
  /** `--variant NAME`: only these variants of the project file. */
  variants: string[];
  /** May run git to find private keys the repository tracks (`--no-git`: no). */
  git: boolean;
  /** `--peer NAME[=PROFILE]`: peers paired with profiles (repeatable). */
  peers: { peer: string; profiles: string[] }[];
  /** `--fix`: write the fixes that need no choice; `--fix-dry-run`: print them as a diff. */
  fix?: 'write' | 'dry-run';
}

export interface InitCommandOptions {
  /** The repository folder to write .sip-tls.json into, absolute. */
  dir: string;
  force: boolean;
  /** Print the file instead of writing it. */
  dryRun: boolean;
}

export interface LabCommandOptions {
  /** Output folder, absolute. */
  dir: string;
  domains: string[];
  ips: string[];
  days: number;
  keyType: 'rsa' | 'ec';
  client?: string;
  force: boolean;
}

/** The probe's own options (absolute paths), plus what only the command line has. */
export type ProbeCommandOptions = Omit<ProbeOptions, 'sipOptions' | 'timeoutMs' | 'userAgent' | 'now' | 'lookup'> & {
  sipOptions: boolean;
  timeoutMs: number;
  format: 'text' | 'json';
  /** `--peer NAME`: the peer played, and what the report says about it. */
  peer?: { id: string; name: string; notes: string[] };
};

export type Command =
  | { kind: 'help'; topic?: string }
  | { kind: 'probe'; options: ProbeCommandOptions }
  | { kind: 'lab'; options: LabCommandOptions }
  | { kind: 'version' }
  | { kind: 'check'; options: CheckOptions }
  | { kind: 'explain'; codes: string[] }
  | { kind: 'init'; options: InitCommandOptions }
  | { kind: 'serve' }
  | { kind: 'show'; options: ShowCommandOptions }
  | { kind: 'fullchain'; options: FullchainCommandOptions };

/** Bad usage: printed to stderr with a hint, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The help topic to point at. */
    readonly topic?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif', 'github', 'gitlab', 'junit'];
const FAIL_LEVELS: readonly FailLevel[] = ['error', 'warning', 'information'];
const LEVELS: readonly SeverityOverride[] = ['error', 'warning', 'information', 'hint', 'off'];

/** Transports the language server accepts (vscode-languageserver reads them from argv). */
const SERVE_FLAGS = /^--(stdio|node-ipc|socket=\d+|pipe=.+|clientProcessId=\d+)$/;

/** Options of `check` that take a value. */
const CHECK_VALUE_OPTIONS = new Set([
  '--format',
  '--kamailio-version',
  '--now',
  '--expiry-days',
  '--trust',
  '--map',
  '--severity',
  '--define',
  '--workdir',
  '--var',
  '--variant',
  '--platform',
  '--fail-on',
  '--max-warnings',
  '--stdin-filename',
  '--peer',
]);

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function parseArgs(argv: readonly string[], cwd: string): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given');
  if (first === '--help' || first === '-h') return { kind: 'help' };
  if (first === '--version' || first === '-V' || first === '-v') return { kind: 'version' };
  if (first === 'help') {
    if (rest.length > 1) throw new UsageError(`help takes one topic, got ${rest.length}`);
    const topic = rest[0];
    if (topic !== undefined && !isHelpTopic(topic)) throw new UsageError(`no help for '${topic}'${didYouMean(topic, HELP_TOPICS)}`);
    return topic === undefined ? { kind: 'help' } : { kind: 'help', topic };
  }
  if (first === 'check') return parseCheck(rest, cwd);
  if (first === 'explain') return parseExplain(rest);
  if (first === 'init') return parseInit(rest, cwd);
  if (first === 'lab') return parseLab(rest, cwd);
  if (first === 'probe') return parseProbe(rest, cwd);
  if (first === 'show') {
    const options = parseShowArgs(rest, cwd, (m) => {
      throw new UsageError(`show: ${m}`, 'show');
    });
    return options === 'help' ? { kind: 'help', topic: 'show' } : { kind: 'show', options };
  }
  if (first === 'fullchain') {
    const options = parseFullchainArgs(rest, cwd, (m) => {
      throw new UsageError(`fullchain: ${m}`, 'fullchain');
    });
    return options === 'help' ? { kind: 'help', topic: 'fullchain' } : { kind: 'fullchain', options };
  }
  if (first === 'serve') {
    if (rest.includes('--help') || rest.includes('-h')) return { kind: 'help', topic: 'serve' };
    for (const a of rest) if (!SERVE_FLAGS.test(a)) throw new UsageError(unknownOption('serve: ', a, 'serve'), 'serve');
    if (!rest.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket=') || a.startsWith('--pipe='))) {
      throw new UsageError('serve needs a transport: --stdio', 'serve');
    }
    return { kind: 'serve' };
  }
  if (first.startsWith('-')) throw new UsageError(`unknown option '${first}'${didYouMean(first, ['--help', '--version'])}`);
  throw new UsageError(`unknown command '${first}'${didYouMean(first, COMMANDS)}`);
}

const HELP_TOPICS = ['check', 'explain', 'init', 'serve', 'lab', 'probe', 'show', 'fullchain'];

/** `explain [CODE ...]`: known codes only (a typo is answered with the closest code). */
function parseExplain(args: readonly string[]): Command {
  const codes: string[] = [];
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: 'explain' };
    if (arg.startsWith('-')) throw new UsageError(unknownOption('explain: ', arg, 'explain'), 'explain');
    if (!isKnownCode(arg)) throw new UsageError(`explain: unknown diagnostic code '${arg}'${didYouMean(arg, CATALOG.map((e) => e.code))}`, 'explain');
    codes.push(arg);
  }
  return { kind: 'explain', codes };
}

export function isHelpTopic(topic: string): boolean {
  return HELP_TOPICS.includes(topic);
}

function parseCheck(args: readonly string[], cwd: string): Command {
  const options: CheckOptions = { paths: [], typedPaths: [], failOn: 'error', quiet: false, format: 'text', trust: [], maps: [], severity: {}, defines: [], live: false, vars: {}, variants: [], git: true, peers: [] };
  let onlyPaths = false;
  let readsStdin = false;
  let stdinName: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-' && !onlyPaths) {
      if (readsStdin) throw new UsageError('check: standard input (-) can be read once', 'check');
      readsStdin = true;
      continue;
    }
    if (onlyPaths || !arg.startsWith('-')) {
      if (arg === '') throw new UsageError('empty PATH', 'check');
      options.paths.push(path.resolve(cwd, arg));
      options.typedPaths.push(arg);
      continue;
    }
    if (arg === '--') {
      onlyPaths = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: 'check' };
    if (arg === '--live') {
      options.live = true;
      continue;
    }
    if (arg === '--no-git') {
      options.git = false;
      continue;
    }
    if (arg === '--quiet' || arg === '-q') {
      options.quiet = true;
      continue;
    }
    if (arg === '--color' || arg === '--no-color') {
      options.color = arg === '--color';
      continue;
    }
    if (arg === '--fix' || arg === '--fix-dry-run') {
      const mode = arg === '--fix' ? 'write' : 'dry-run';
      if (options.fix !== undefined && options.fix !== mode) throw new UsageError('check: --fix writes the fixes and --fix-dry-run only shows them: give one', 'check');
      options.fix = mode;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!CHECK_VALUE_OPTIONS.has(name)) throw new UsageError(unknownOption('check: ', name, 'check'), 'check');
    let value: string;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      const next = args[i + 1];
      if (next === undefined) throw new UsageError(`check: ${name} needs a value`, 'check');
      value = next;
      i++;
    }
    if (name === '--stdin-filename') {
      if (value === '') throw new UsageError('check: --stdin-filename needs the PATH of the file standard input holds', 'check');
      stdinName = value;
      continue;
    }
    applyCheckOption(options, name, value, cwd);
  }
  // Which file the piped text is decides how it is read (kamailio.cfg or tls.cfg), where its
  // relative paths point and which .sip-tls.json applies: without the name it cannot be checked.
  if (readsStdin && stdinName === undefined) throw new UsageError('check: - (standard input) needs --stdin-filename PATH: the file the text is', 'check');
  if (!readsStdin && stdinName !== undefined) throw new UsageError('check: --stdin-filename names the file of standard input, which is read with -', 'check');
  // Standard input has no file to write back to: its fixes can be shown, not applied.
  if (readsStdin && options.fix === 'write') throw new UsageError('check: --fix cannot write standard input back; --fix-dry-run shows its fixes as a diff', 'check');
  if (stdinName !== undefined) {
    options.stdinFile = path.resolve(cwd, stdinName);
    options.paths.push(options.stdinFile);
    options.typedPaths.push(stdinName);
  }
  if (options.paths.length === 0) options.paths.push(path.resolve(cwd, '.'));
  return { kind: 'check', options };
}

function applyCheckOption(options: CheckOptions, name: string, value: string, cwd: string): void {
  switch (name) {
    case '--format':
      if (!(FORMATS as readonly string[]).includes(value)) throw new UsageError(`check: --format must be one of ${FORMATS.join(', ')}, not '${value}'${didYouMean(value, FORMATS)}`, 'check');
      options.format = value as OutputFormat;
      return;
    case '--fail-on':
      if (!(FAIL_LEVELS as readonly string[]).includes(value)) throw new UsageError(`check: --fail-on must be one of ${FAIL_LEVELS.join(', ')}, not '${value}'${didYouMean(value, FAIL_LEVELS)}`, 'check');
      options.failOn = value as FailLevel;
      return;
    case '--max-warnings':
      // eslint's option: -1 means no limit, as in eslint.
      if (!/^(?:-1|\d{1,9})$/.test(value)) throw new UsageError(`check: --max-warnings needs a whole number ≥ 0 (or -1: no limit), not '${value}'`, 'check');
      if (value === '-1') delete options.maxWarnings;
      else options.maxWarnings = Number(value);
      return;
    case '--kamailio-version': {
      const v = parseKnownVersion(value);
      if (!v) throw new UsageError(`check: unknown Kamailio version '${value}' (known: ${KNOWN_VERSIONS.join(', ')}, optionally with a patch level: 6.0.1)`, 'check');
      options.kamailioVersion = formatVersion(v);
      return;
    }
    case '--now': {
      const date = ISO_8601.test(value) ? new Date(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw new UsageError(`check: --now needs an ISO-8601 date or date-time (e.g. 2026-03-01T12:00:00Z), not '${value}'`, 'check');
      options.now = date;
      return;
    }
    case '--expiry-days':
      if (!/^\d{1,6}$/.test(value)) throw new UsageError(`check: --expiry-days needs a whole number of days ≥ 0, not '${value}'`, 'check');
      options.expiryDays = Number(value);
      return;
    case '--peer': {
      if (!addPeerDeclaration(options.peers, value)) throw new UsageError(`check: --peer needs ${DECLARATION_FORM}, not '${value}'`, 'check');
      return;
    }
    case '--trust':
      if (value === '') throw new UsageError('check: --trust needs a file', 'check');
      options.trust.push(path.resolve(cwd, value));
      return;
    case '--map': {
      const cut = value.indexOf('=');
      const deployed = cut === -1 ? '' : value.slice(0, cut);
      const local = cut === -1 ? '' : value.slice(cut + 1);
      if (!deployed.startsWith('/') || local === '') {
        throw new UsageError(`check: --map needs DEPLOYED=LOCAL with an absolute DEPLOYED path (e.g. /etc/kamailio=./etc/kamailio), not '${value}'`, 'check');
      }
      options.maps.push({ deployed: path.posix.normalize(deployed), local: path.resolve(cwd, local) });
      return;
    }
    case '--severity': {
      const cut = value.lastIndexOf('=');
      const code = cut === -1 ? value : value.slice(0, cut);
      const level = cut === -1 ? '' : value.slice(cut + 1);
      if (cut === -1 || !(LEVELS as readonly string[]).includes(level)) {
        throw new UsageError(`check: --severity needs CODE=${LEVELS.join('|')}, not '${value}'`, 'check');
      }
      if (!isKnownCode(code)) throw new UsageError(`check: --severity: unknown diagnostic code '${code}'${didYouMean(code, CATALOG.map((e) => e.code))}`, 'check');
      options.severity[code] = level as SeverityOverride;
      return;
    }
    case '--define': {
      const cut = value.indexOf('=');
      const defName = cut === -1 ? value : value.slice(0, cut);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(defName)) throw new UsageError(`check: --define needs NAME or NAME=VALUE, not '${value}'`, 'check');
      options.defines.push(value);
      return;
    }
    case '--workdir':
      if (!value.startsWith('/')) throw new UsageError(`check: --workdir needs Kamailio's absolute working directory (as deployed), not '${value}'`, 'check');
      options.workdir = value;
      return;
    case '--var': {
      const cut = value.indexOf('=');
      const varName = cut === -1 ? '' : value.slice(0, cut);
      if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(varName)) throw new UsageError(`check: --var needs NAME=VALUE, not '${value}'`, 'check');
      options.vars[varName] = value.slice(cut + 1);
      return;
    }
    case '--platform':
      if (!lookupPlatform(value)) throw new UsageError(`check: unknown platform '${value}' (known: ${PLATFORM_IDS.join(', ')})${didYouMean(value, PLATFORM_IDS)}`, 'check');
      options.platform = lookupPlatform(value)!.id;
      return;
    case '--variant':
      if (value === '') throw new UsageError('check: --variant needs the name of a variant of the project file', 'check');
      options.variants.push(value);
      return;
  }
}

function parseInit(args: readonly string[], cwd: string): Command {
  const options: InitCommandOptions = { dir: '', force: false, dryRun: false };
  for (const arg of args) {
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: 'init' };
    if (arg === '--force') options.force = true;
    else if (arg === '--dry-run' || arg === '--print') options.dryRun = true;
    else if (arg.startsWith('-')) throw new UsageError(unknownOption('init: ', arg, 'init'), 'init');
    else if (options.dir) throw new UsageError(`init takes one folder, got '${options.dir}' and '${arg}'`, 'init');
    else options.dir = path.resolve(cwd, arg);
  }
  if (!options.dir) options.dir = path.resolve(cwd, '.');
  return { kind: 'init', options };
}

function parseLab(args: readonly string[], cwd: string): Command {
  const options: LabCommandOptions = { dir: '', domains: [], ips: [], days: 365, keyType: 'rsa', force: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: 'lab' };
    if (arg === '--force') {
      options.force = true;
      continue;
    }
    if (!arg.startsWith('-')) {
      if (options.dir) throw new UsageError(`lab takes one DIR, got '${options.dir}' and '${arg}'`, 'lab');
      options.dir = path.resolve(cwd, arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const value = eq !== -1 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`lab: ${name} needs a value`, 'lab');
    switch (name) {
      case '--domain':
        if (!/^(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(value)) throw new UsageError(`lab: --domain needs a DNS name, not '${value}'`, 'lab');
        options.domains.push(value);
        break;
      case '--ip':
        if (isIP(value) === 0) throw new UsageError(`lab: --ip needs an IPv4 or IPv6 address, not '${value}'`, 'lab');
        options.ips.push(value);
        break;
      case '--days':
        if (!/^\d{1,5}$/.test(value) || Number(value) < 1) throw new UsageError(`lab: --days needs a whole number ≥ 1, not '${value}'`, 'lab');
        options.days = Number(value);
        break;
      case '--key':
        if (value !== 'rsa' && value !== 'ec') throw new UsageError(`lab: --key must be rsa or ec, not '${value}'`, 'lab');
        options.keyType = value;
        break;
      case '--client':
        if (value === '') throw new UsageError('lab: --client needs a name', 'lab');
        options.client = value;
        break;
      default:
        throw new UsageError(unknownOption('lab: ', name, 'lab'), 'lab');
    }
  }
  if (!options.dir) throw new UsageError('lab needs a DIR to write to', 'lab');
  return { kind: 'lab', options };
}

const TLS_VERSIONS: readonly TlsVersionName[] = ['TLSv1.2', 'TLSv1.3'];
const PROBE_VALUE_OPTIONS = new Set(['--peer', '--servername', '--ca', '--cert', '--key', '--min-version', '--max-version', '--cipher', '--timeout', '--format']);

/** `probe HOST[:PORT] [options]`. Files are only resolved here; runProbe reads them. */
function parseProbe(args: readonly string[], cwd: string): Command {
  let target: string | undefined;
  const o: Omit<ProbeCommandOptions, 'host' | 'port'> = { sipOptions: false, timeoutMs: DEFAULT_TIMEOUT_MS, format: 'text' };
  let peerId: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return { kind: 'help', topic: 'probe' };
    if (arg === '--options') {
      o.sipOptions = true;
      continue;
    }
    if (!arg.startsWith('-')) {
      if (target !== undefined) throw new UsageError(`probe takes one HOST[:PORT], got '${target}' and '${arg}'`, 'probe');
      target = arg;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!PROBE_VALUE_OPTIONS.has(name)) throw new UsageError(unknownOption('probe: ', name, 'probe'), 'probe');
    const value = eq !== -1 ? arg.slice(eq + 1) : args[++i];
    if (value === undefined) throw new UsageError(`probe: ${name} needs a value`, 'probe');
    const file = (): string => {
      if (value === '') throw new UsageError(`probe: ${name} needs a file`, 'probe');
      return path.resolve(cwd, value);
    };
    switch (name) {
      case '--peer':
        peerId = value;
        break;
      case '--servername':
        if (!/^[A-Za-z0-9_.:*-]+$/.test(value)) throw new UsageError(`probe: --servername needs a host name, not '${value}'`, 'probe');
        o.servername = value;
        break;
      case '--ca':
        o.caFile = file();
        break;
      case '--cert':
        o.certFile = file();
        break;
      case '--key':
        o.keyFile = file();
        break;
      case '--min-version':
      case '--max-version':
        if (!(TLS_VERSIONS as readonly string[]).includes(value)) throw new UsageError(`probe: ${name} must be one of ${TLS_VERSIONS.join(', ')}, not '${value}'`, 'probe');
        if (name === '--min-version') o.minVersion = value as TlsVersionName;
        else o.maxVersion = value as TlsVersionName;
        break;
      case '--cipher':
        if (value === '') throw new UsageError('probe: --cipher needs an OpenSSL cipher list', 'probe');
        o.ciphers = value;
        break;
      case '--timeout':
        if (!/^\d{1,7}$/.test(value) || Number(value) < 1) throw new UsageError(`probe: --timeout needs milliseconds ≥ 1, not '${value}'`, 'probe');
        o.timeoutMs = Number(value);
        break;
      case '--format':
        if (value !== 'text' && value !== 'json') throw new UsageError(`probe: --format must be text or json, not '${value}'`, 'probe');
        o.format = value;
        break;
      default:
        throw new UsageError(unknownOption('probe: ', name, 'probe'), 'probe');
    }
  }
  if (target === undefined) throw new UsageError('probe needs a HOST[:PORT] to connect to', 'probe');
  const parsed = parseProbeTarget(target);
  if (typeof parsed === 'string') throw new UsageError(`probe: ${parsed}`, 'probe');
  if (Boolean(o.certFile) !== Boolean(o.keyFile)) throw new UsageError('probe: --cert and --key go together (the client certificate and its private key)', 'probe');
  if (peerId !== undefined) {
    const peer = lookupProbePeer(peerId);
    if (typeof peer === 'string') throw new UsageError(`probe: ${peer}`, 'probe');
    const as = probeAs(peer, o);
    if (typeof as === 'string') throw new UsageError(`probe: --peer ${peer.id}: ${as}`, 'probe');
    // What the user gave explicitly wins over the peer's.
    o.minVersion ??= as.minVersion;
    o.maxVersion ??= as.maxVersion;
    if (as.ciphers) o.ciphers ??= as.ciphers;
    o.peer = { id: peer.id, name: peer.name, notes: as.notes };
  }
  if (o.minVersion && o.maxVersion && o.minVersion > o.maxVersion) throw new UsageError(`probe: --min-version ${o.minVersion} is above --max-version ${o.maxVersion}`, 'probe');
  return { kind: 'probe', options: { ...o, host: parsed.host, port: parsed.port } };
}
