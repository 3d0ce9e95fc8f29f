// Runs the real Kamailio (Debian 12: 5.6.3 + kamailio-tls-modules) on a test case and reports
// what it did, so that the checker's claims can be compared with the real server.
//
// Two runs per case, one after the other (never in parallel):
//   1. `kamailio -c -f CFG`  — routing-script check only (does not read tls.cfg or certificates).
//   2. `kamailio -DD -E -f CFG` — a real start in the foreground, without `-w`, with the process
//      working directory set to the case folder (so that a './x' path which *would* resolve there
//      proves that Kamailio really resolves it against its workdir `/`).
// The start is the semantic equivalent of `timeout 3 kamailio -DD -E -f CFG` (rc 124 = it kept
// running = accepted), but faster: as soon as the main process has forked its children and is
// still alive `settleMs` later, it counts as started and its process group is terminated.
// Broken TLS set-ups exit with rc 255 in well under 0.1 s, before any child is forked.
// Set ORACLE_FULL_TIMEOUT=1 to wait the full `timeoutMs` instead (slow, for doubting minds).
//
// Run as root (as in the Debian oracle environment): Kamailio needs no -u/-g to start as root,
// the permission cases switch to uid/gid 65534 themselves (spawn uid/gid, or Kamailio's -u), and
// one case makes Kamailio bind port 3. As another user those cases cannot show what they show.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tls from 'node:tls';
import type { CertPeer } from '../fixtures/certCases';
import { writeCertFiles } from '../fixtures/certs';
import type { KamailioCase } from '../fixtures/kamailioCases';
import { TestPki } from '../fixtures/pki';
import { DEBIAN_12, kamailioCommand, shareWithTarget, unshareFromTarget, type OracleTarget } from './oracleTargets';
import { withGnutlsPeer } from './gnutlsPeer';

export const KAMAILIO_BIN = DEBIAN_12.bin;

export interface KamailioVerdict {
  /** `kamailio -c` returned 0. */
  checkOk: boolean;
  /** The real start-up kept running (the equivalent of `timeout 3 …` returning 124). */
  started: boolean;
  /** First ERROR/CRITICAL line (check run first, then start-up), without the `pid(pid)` prefix. */
  firstError?: string;
  /** stderr (and stdout) of both runs. */
  log: string;
  /** Exit code of `kamailio -c`. */
  checkRc: number | null;
  /** Exit code of the start-up: 124 when it kept running and was stopped by us. */
  startRc: number | null;
  /**
   * TCP sockets the started Kamailio really listened on (its process group's LISTEN sockets from
   * /proc/net/tcp*, sampled just before it was stopped), as `IP:port` / `[IPv6]:port`. The cases
   * only listen on TLS, so these are the TLS sockets. Empty when it did not start.
   */
  tcpListening: string[];
  /**
   * TLS sockets Kamailio *announced* on stdout ("Listening on … tls: 127.0.0.1 [127.0.0.1]:5061").
   * Not proof of anything: the list is printed even when TLS is then disabled.
   */
  announcedTls: string[];
  /** WARNING lines of the start-up (e.g. "tls support is disabled"), without prefixes. */
  warnings: string[];
  /** Wall-clock time of both runs, ms. */
  ms: number;
  /** What a TLS peer saw while Kamailio was running (cases with a `peer`; only when it started). */
  peer?: PeerResult;
  /**
   * The first OpenSSL error Kamailio dumped after a load error, as `step: library::reason`
   * (e.g. `load_cert: SSL routines::ee key too small`).
   */
  opensslError?: string;
}

/** "Kamailio rejects": the script check failed, or the start-up exited on its own. */
export function kamailioRejects(v: KamailioVerdict): boolean {
  return !v.checkOk || !v.started;
}

export interface KamailioAvailability {
  ok: boolean;
  version?: string;
  reason?: string;
}

/** Whether the target's Kamailio binary and its tls module are installed. */
export function kamailioAvailable(target: OracleTarget = DEBIAN_12): KamailioAvailability {
  const install = `install it with: ${target.install}`;
  if (target.id !== DEBIAN_12.id && !target.root) return { ok: false, reason: `the ${target.name} chroot is not built; ${install}` };
  const at = (p: string): string => join(target.root ?? '/', p);
  if (!existsSync(at(target.bin))) return { ok: false, reason: `${at(target.bin)} not found; ${install}` };
  const cmd = kamailioCommand(target, ['-v'], false);
  const r = spawnSync(cmd.cmd, cmd.args, { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, reason: `${cmd.cmd} ${cmd.args.join(' ')} failed: ${r.stderr}` };
  const version = /version: kamailio (\S+)/.exec(r.stdout)?.[1];
  const modules = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/local/lib64/kamailio/modules'].map(at);
  if (!modules.some((d) => existsSync(join(d, 'tls.so')))) {
    return { ok: false, version, reason: `tls.so not found (looked in ${modules.join(', ')}); ${install}` };
  }
  return { ok: true, version };
}

// ---------------------------------------------------------------------------------------------
// Ports

const usedPorts = new Set<number>();

function tcpFree(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const addr = srv.address();
      const p = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(p));
    });
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** A port free for TCP and UDP on 127.0.0.1, never handed out twice in this process. */
export async function freePort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await tcpFree(0);
    if (usedPorts.has(p) || !(await udpFree(p))) continue;
    usedPorts.add(p);
    return p;
  }
  throw new Error('no free port found on 127.0.0.1');
}

// ---------------------------------------------------------------------------------------------
// Processes

const livePgids = new Set<number>();

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

process.once('exit', () => {
  for (const pgid of livePgids) killGroup(pgid, 'SIGKILL');
});

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Number of live processes whose parent is `pid` (scan of /proc). */
function childCount(pid: number): number {
  let n = 0;
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) < 48 || d.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid && fields[0] !== 'Z') n++;
    } catch {
      /* raced with an exit */
    }
  }
  return n;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface RunResult {
  rc: number | null;
  stdout: string;
  stderr: string;
  keptRunning: boolean;
  listening: string[];
  peer?: PeerResult;
}

/** Socket inodes held open by the processes of a process group. */
function socketInodesOfGroup(pgid: number): Set<string> {
  const inodes = new Set<string>();
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) < 48 || d.charCodeAt(0) > 57) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      for (const fd of readdirSync(`/proc/${d}/fd`)) {
        try {
          const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${d}/fd/${fd}`));
          if (m) inodes.add(m[1]!);
        } catch {
          /* fd closed meanwhile */
        }
      }
    } catch {
      /* raced with an exit */
    }
  }
  return inodes;
}

function hexIp(hex: string): string {
  if (hex.length === 8) {
    return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  }
  // IPv6: four 32-bit words, each in host (little-endian) byte order.
  const bytes: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    for (const i of [6, 4, 2, 0]) bytes.push(word.slice(i, i + 2));
  }
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes[i]! + bytes[i + 1]!);
  return new URL(`http://[${groups.join(':')}]/`).hostname; // canonical, bracketed
}

/** TCP LISTEN sockets owned by a process group, as `IP:port` / `[IPv6]:port`, sorted. */
export function tcpListeningOfGroup(pgid: number): string[] {
  const inodes = socketInodesOfGroup(pgid);
  const out = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || f[3] !== '0A' || !inodes.has(f[9]!)) continue;
      const [ipHex, portHex] = f[1]!.split(':');
      out.add(`${hexIp(ipHex!)}:${parseInt(portHex!, 16)}`);
    }
  }
  return [...out].sort();
}

export interface StartOptions {
  /** The Kamailio to run (default: this machine's, Debian 12). */
  target?: OracleTarget;
  /** Working directory of the spawned process (Kamailio chdir()s to its workdir anyway). */
  cwd: string;
  /**
   * Run unprivileged: `process` starts Kamailio as uid/gid 65534 (like systemd's `User=`, which is
   * how Debian runs it); `kamailio-u` starts it as root with `-u nobody -g nogroup`, so that
   * Kamailio drops privileges itself — after mod_init (tls.cfg is still read as root) but before
   * the certificates and keys are loaded.
   */
  runAs?: 'process' | 'kamailio-u';
  /** Give up waiting and call it started after this long (default 3000, like `timeout 3`). */
  timeoutMs?: number;
  /** How long the main process must survive after forking its children (default 200). */
  settleMs?: number;
  /** Wait the full timeout instead of detecting the start (default: env ORACLE_FULL_TIMEOUT). */
  fullTimeout?: boolean;
  /** Runs once the start-up counts as accepted, before Kamailio is stopped (e.g. a TLS handshake). */
  probe?: () => Promise<PeerResult>;
}

const NOBODY = 65534;

function runCheck(cfg: string, opts: StartOptions): RunResult {
  const cmd = commandOf(['-c', '-f', cfg, ...userArgs(opts)], opts);
  const r = spawnSync(cmd.cmd, cmd.args, {
    cwd: opts.cwd,
    encoding: 'utf8',
    timeout: 10_000,
    killSignal: 'SIGKILL',
    ...processUser(cmd),
  });
  return { rc: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', keptRunning: false, listening: [] };
}

function userArgs(opts: StartOptions): string[] {
  return opts.runAs === 'kamailio-u' ? ['-u', 'nobody', '-g', 'nogroup'] : [];
}

function commandOf(args: string[], opts: StartOptions): ReturnType<typeof kamailioCommand> {
  return kamailioCommand(opts.target ?? DEBIAN_12, args, opts.runAs === 'process' && process.getuid?.() === 0);
}

function processUser(cmd: { uid?: number; gid?: number }): { uid?: number; gid?: number } {
  return cmd.uid !== undefined ? { uid: cmd.uid, gid: cmd.gid ?? NOBODY } : {};
}

async function runStart(cfg: string, opts: StartOptions): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const settleMs = opts.settleMs ?? 200;
  const fullTimeout = opts.fullTimeout ?? process.env.ORACLE_FULL_TIMEOUT === '1';
  const cmd = commandOf(['-DD', '-E', '-f', cfg, ...userArgs(opts)], opts);
  const child = spawn(cmd.cmd, cmd.args, {
    cwd: opts.cwd,
    detached: true, // own session and process group: we kill the whole group afterwards
    stdio: ['ignore', 'pipe', 'pipe'],
    ...processUser(cmd),
  });
  const pgid = child.pid!;
  livePgids.add(pgid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let exitCode: number | null | undefined;
  const closed = new Promise<void>((resolve) => {
    child.once('close', (code, signal) => {
      exitCode = code ?? (signal ? 128 : null);
      resolve();
    });
    child.once('error', (e) => {
      stderr += `spawn error: ${e.message}\n`;
      exitCode = null;
      resolve();
    });
  });
  const t0 = Date.now();
  let forkedAt: number | undefined;
  let keptRunning = false;
  while (exitCode === undefined) {
    const now = Date.now();
    if (now - t0 >= timeoutMs) {
      keptRunning = true;
      break;
    }
    if (!fullTimeout) {
      if (forkedAt === undefined && childCount(pgid) > 0) forkedAt = now;
      if (forkedAt !== undefined && now - forkedAt >= settleMs) {
        keptRunning = exitCode === undefined;
        break;
      }
    }
    await Promise.race([closed, sleep(15)]);
  }
  let listening: string[] = [];
  let peer: PeerResult | undefined;
  if (keptRunning) {
    listening = tcpListeningOfGroup(pgid);
    if (opts.probe) {
      try {
        peer = await opts.probe();
      } catch (e) {
        peer = { ok: false, code: 'PROBE_FAILED', message: e instanceof Error ? e.message : String(e), ms: 0 };
      }
      // Whatever the peer did, Kamailio must still be running (a crash would be a finding).
      if (exitCode !== undefined) peer = { ...peer, message: `${peer.message ?? ''} (Kamailio exited during the probe, rc ${exitCode})` };
    }
    killGroup(pgid, 'SIGTERM');
    const done = await Promise.race([closed.then(() => true), sleep(3000).then(() => false)]);
    if (!done) killGroup(pgid, 'SIGKILL');
    await closed;
  }
  // Children may outlive a main process that failed after forking: clean the group up.
  if (groupAlive(pgid)) {
    killGroup(pgid, 'SIGTERM');
    for (let i = 0; i < 100 && groupAlive(pgid); i++) await sleep(20);
    killGroup(pgid, 'SIGKILL');
  }
  livePgids.delete(pgid);
  return { rc: keptRunning ? 124 : (exitCode ?? null), stdout, stderr, keptRunning, listening, ...(peer ? { peer } : {}) };
}

const PREFIX = /^\s*\d+\(\d+\)\s+/;

/**
 * First ERROR/CRITICAL/BUG line of a log, without the `rank(pid)` prefix. The summary line
 * `ERROR: bad config file (N errors)` (printed unbuffered, hence often first) only counts when
 * there is no other error line.
 */
export function firstErrorLine(log: string): string | undefined {
  let summary: string | undefined;
  for (const line of log.split('\n')) {
    const l = line.replace(PREFIX, '').trim();
    if (!/^(ERROR|CRITICAL|BUG|EMERGENCY):/.test(l)) continue;
    if (/^ERROR: bad config file \(/.test(l)) summary ??= l;
    else return l;
  }
  return summary;
}

/** `ERROR: tls [tls_domain.c:636]: load_cert(): MSG` → `MSG` (for compact tables). */
export function shortError(line: string | undefined): string {
  if (!line) return '';
  return line
    .replace(/^(ERROR|CRITICAL|BUG|EMERGENCY|WARNING):\s*/, '')
    .replace(/^(<core>|\w+) \[[^\]]*\]:\s*/, '')
    .replace(/^\w+\(\):\s*/, '')
    .trim();
}

function announcedTlsOf(stdout: string): string[] {
  // "Listening on \n             tls: 127.0.0.1 [127.0.0.1]:5061\nAliases: …" — only the Listening section.
  const listening = stdout.split(/^Aliases:/m)[0] ?? '';
  return [...listening.matchAll(/^\s*tls:\s*\S+\s+\[([^\]]*)\]:(\d+)/gm)].map((m) =>
    m[1]!.includes(':') ? `[${m[1]}]:${m[2]}` : `${m[1]}:${m[2]}`,
  );
}

function warningsOf(log: string): string[] {
  const out: string[] = [];
  for (const line of log.split('\n')) {
    const l = line.replace(PREFIX, '');
    if (/^WARNING:/.test(l)) out.push(shortError(l));
  }
  return out;
}

/** Runs `kamailio -c` and a real start-up on one configuration file. */
export async function runKamailio(cfg: string, opts: StartOptions): Promise<KamailioVerdict> {
  const t0 = Date.now();
  const check = runCheck(cfg, opts);
  const start = await runStart(cfg, opts);
  const checkLog = check.stderr + check.stdout;
  const startLog = start.stderr + start.stdout;
  return {
    checkOk: check.rc === 0,
    started: start.keptRunning,
    firstError: firstErrorLine(check.stderr) ?? firstErrorLine(start.stderr),
    log: `--- kamailio -c -f ${cfg} (rc ${check.rc})\n${checkLog}\n--- kamailio -DD -E -f ${cfg} (rc ${start.rc})\n${startLog}`,
    checkRc: check.rc,
    startRc: start.rc,
    tcpListening: start.listening,
    announcedTls: announcedTlsOf(start.stdout),
    warnings: warningsOf(start.stderr),
    ms: Date.now() - t0,
    ...(start.peer ? { peer: start.peer } : {}),
    ...(opensslErrorOf(start.stderr) ? { opensslError: opensslErrorOf(start.stderr)! } : {}),
  };
}

/** `… tls_err_ret(): load_cert:error:0A00018F:SSL routines::ee key too small (sni: unknown)` → `load_cert: SSL routines::ee key too small`. */
export function opensslErrorOf(log: string): string | undefined {
  const m = /tls_err_ret\(\): (\w+):error:[0-9A-Fa-f]+:(.*?)\s*\(sni: [^)]*\)\s*$/m.exec(log);
  return m ? `${m[1]}: ${m[2]}` : undefined;
}

// ---------------------------------------------------------------------------------------------
// TLS peers: what a client connecting to Kamailio, or a server Kamailio connects to, really sees

export interface PeerResult {
  /** The handshake completed and the peer accepted the certificate (and, for clients, the name). */
  ok: boolean;
  /**
   * Why not: Node's `err.code` for a client (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`,
   * `ERR_TLS_CERT_ALTNAME_INVALID`, …), `socket.authorizationError` for a server judging
   * Kamailio's client certificate, or `NO_CLIENT_CERTIFICATE` / `TIMEOUT` / `ECONNREFUSED`.
   */
  code?: string;
  /** Node's message (e.g. "unable to verify the first certificate"). */
  message?: string;
  /** Negotiated protocol (e.g. TLSv1.3) when the handshake completed. */
  protocol?: string;
  /** CNs of the peer's certificate chain as Node reports it (leaf first), when it completed. */
  chain?: string[];
  /** Time the probe took, ms. */
  ms: number;
  /** What gnutls-cli saw against the same running Kamailio (cases with `gnutlsExpect`; gnutlsPeer.ts). */
  gnutls?: PeerResult;
}

/** `ok`, or the error code (for comparing with a case's `peerExpect`). */
export function peerOutcome(r: PeerResult | undefined): string {
  if (!r) return 'no peer result';
  return r.ok ? 'ok' : (r.code ?? 'error');
}

/** One line for tables and notes, e.g. `CERT_HAS_EXPIRED: certificate has expired`. */
export function describePeer(r: PeerResult | undefined): string {
  if (!r) return '';
  if (r.ok) return `ok (${r.protocol ?? '?'}${r.chain?.length ? `; chain: ${r.chain.join(' < ')}` : ''})`;
  return `${r.code ?? 'error'}${r.message ? `: ${r.message}` : ''}`;
}

/** Node's message, with an OpenSSL error string reduced to its reason ("tlsv1 alert unknown ca"). */
function reasonOf(message: string): string {
  const m = /error:[0-9A-Fa-f]+:[^:]*:[^:]*:([^:]+):/.exec(message);
  return m ? m[1]!.trim() : message.split('\n')[0]!.trim();
}

function chainNames(cert: tls.DetailedPeerCertificate): string[] {
  const out: string[] = [];
  let c: tls.DetailedPeerCertificate | undefined = cert;
  const seen = new Set<string>();
  while (c && Object.keys(c).length > 0 && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    const cn = c.subject?.CN;
    out.push(Array.isArray(cn) ? cn.join(',') : (cn ?? '?'));
    c = c.issuerCertificate;
  }
  return out;
}

export interface ClientProbeOptions {
  port: number;
  host?: string;
  /** Trust anchors (PEM texts): the only roots the peer trusts. */
  ca: string[];
  /** SNI and the name checked; null = none (the identity is checked against `host`). */
  servername?: string | null;
  /** A client certificate chain and key (PEM) to present when Kamailio asks for one. */
  cert?: string;
  key?: string;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /** Give up after this long (default 3000 ms; a refused connection is retried until then). */
  timeoutMs?: number;
}

/**
 * With TLS 1.3 the client's handshake completes before the server has judged the client
 * certificate: a rejection arrives as an alert right after `secureConnect`. A client that
 * presents a certificate therefore sends a SIP keep-alive and waits this long for one.
 */
const CLIENT_CERT_GRACE_MS = 700;

function connectOnce(o: ClientProbeOptions, timeoutMs: number): Promise<Omit<PeerResult, 'ms'>> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: o.host ?? '127.0.0.1',
      port: o.port,
      ca: o.ca,
      rejectUnauthorized: true,
      ...(o.servername ? { servername: o.servername } : {}),
      ...(o.cert && o.key ? { cert: o.cert, key: o.key } : {}),
      ...(o.minVersion ? { minVersion: o.minVersion } : {}),
      ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
      ...(o.ciphers ? { ciphers: o.ciphers } : {}),
    });
    let settled = false;
    const settle = (r: Omit<PeerResult, 'ms'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => settle({ ok: false, code: 'TIMEOUT', message: `no handshake within ${timeoutMs} ms` }), timeoutMs);
    socket.once('secureConnect', () => {
      const r = { ok: true, protocol: socket.getProtocol() ?? undefined, chain: chainNames(socket.getPeerCertificate(true)) };
      if (!o.cert) return settle(r);
      socket.write('\r\n\r\n');
      setTimeout(() => settle(r), CLIENT_CERT_GRACE_MS);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => settle({ ok: false, code: e.code ?? 'ERROR', message: reasonOf(e.message) }));
    socket.once('close', () => settle({ ok: false, code: 'CLOSED', message: 'connection closed before the handshake completed' }));
  });
}

/** A TLS client (Node, rejectUnauthorized: true) connecting to Kamailio. */
export async function probeTlsClient(o: ClientProbeOptions): Promise<PeerResult> {
  const t0 = Date.now();
  const limit = o.timeoutMs ?? 3000;
  for (;;) {
    const left = Math.max(200, limit - (Date.now() - t0));
    const r = await connectOnce(o, left);
    if (r.code === 'ECONNREFUSED' && Date.now() - t0 < limit) {
      await sleep(50);
      continue;
    }
    return { ...r, ms: Date.now() - t0 };
  }
}

export interface ServerProbeOptions {
  /** Kamailio's UDP port: a SIP request sent there is forwarded over TLS to `tlsPort`. */
  udpPort: number;
  /** Where the probe's TLS server listens on 127.0.0.1. */
  tlsPort: number;
  /** The server's certificate chain and key (PEM). */
  cert: string;
  key: string;
  /** Trust anchors (PEM) for Kamailio's client certificate. */
  ca: string[];
  timeoutMs?: number;
}

/** A SIP OPTIONS over UDP from `localPort` whose request URI makes Kamailio (forward()) open TLS to 127.0.0.1:`tlsPort`. */
export function sipOptions(tlsPort: number, localPort: number): string {
  const id = randomBytes(6).toString('hex');
  return [
    `OPTIONS sip:peer@127.0.0.1:${tlsPort};transport=tls SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bK${id};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@127.0.0.1>;tag=${id}`,
    'To: <sip:peer@127.0.0.1>',
    `Call-ID: ${id}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/**
 * A TLS server (Node) that asks for a client certificate, and a SIP request over UDP that makes
 * Kamailio connect to it with its client profile. Reports how the server judged Kamailio's
 * client certificate (`socket.authorized` / `authorizationError`).
 */
export function probeTlsServer(o: ServerProbeOptions): Promise<PeerResult> {
  const t0 = Date.now();
  const limit = o.timeoutMs ?? 4000;
  return new Promise((resolve) => {
    let done = false;
    let ticker: NodeJS.Timeout | undefined;
    const udp = createSocket('udp4');
    const server = tls.createServer({ cert: o.cert, key: o.key, ca: o.ca, requestCert: true, rejectUnauthorized: false });
    const finish = (r: Omit<PeerResult, 'ms'>): void => {
      if (done) return;
      done = true;
      clearInterval(ticker);
      clearTimeout(timer);
      try {
        udp.close();
      } catch {
        /* not bound */
      }
      server.close();
      resolve({ ...r, ms: Date.now() - t0 });
    };
    const timer = setTimeout(
      () => finish({ ok: false, code: 'TIMEOUT', message: `Kamailio did not open a TLS connection to 127.0.0.1:${o.tlsPort} within ${limit} ms` }),
      limit,
    );
    server.on('secureConnection', (s: tls.TLSSocket) => {
      const cert = s.getPeerCertificate(true);
      const presented = Object.keys(cert).length > 0;
      const r: Omit<PeerResult, 'ms'> = !presented
        ? { ok: false, code: 'NO_CLIENT_CERTIFICATE', message: 'Kamailio presented no client certificate' }
        : s.authorized
          ? { ok: true, protocol: s.getProtocol() ?? undefined, chain: chainNames(cert) }
          : { ok: false, code: String(s.authorizationError), message: `client certificate rejected: ${String(s.authorizationError)}`, chain: chainNames(cert) };
      s.destroy();
      finish(r);
    });
    server.on('tlsClientError', (e: NodeJS.ErrnoException) => finish({ ok: false, code: e.code ?? 'TLS_CLIENT_ERROR', message: reasonOf(e.message) }));
    server.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, code: e.code ?? 'SERVER_ERROR', message: e.message }));
    udp.bind(0, '127.0.0.1', () => {
      const send = (): void => {
        const addr = udp.address();
        udp.send(sipOptions(o.tlsPort, addr.port), o.udpPort, '127.0.0.1');
      };
      server.listen(o.tlsPort, '127.0.0.1', () => {
        send();
        ticker = setInterval(send, 500);
      });
    });
  });
}

/** The probe a case asks for, with the trust anchors and files of its materialized folder. */
export function probeFor(peer: CertPeer, m: MaterializedCase): () => Promise<PeerResult> {
  const ca = m.trust.map((f) => readFileSync(f, 'utf8'));
  if (peer.kind === 'server') {
    const cert = readFileSync(join(m.dir, peer.cert), 'utf8');
    const key = readFileSync(join(m.dir, peer.key), 'utf8');
    return () => probeTlsServer({ udpPort: Number(m.vars.PORT), tlsPort: Number(m.vars.PORT2), cert, key, ca });
  }
  const servername = peer.servername === undefined ? 'sip.example.com' : peer.servername;
  const client = peer.cert && peer.key ? { cert: readFileSync(join(m.dir, peer.cert), 'utf8'), key: readFileSync(join(m.dir, peer.key), 'utf8') } : {};
  const versions = { ...(peer.minVersion ? { minVersion: peer.minVersion } : {}), ...(peer.maxVersion ? { maxVersion: peer.maxVersion } : {}), ...(peer.ciphers ? { ciphers: peer.ciphers } : {}) };
  return () => probeTlsClient({ port: Number(m.vars.PORT), ca, servername, ...client, ...versions });
}

// ---------------------------------------------------------------------------------------------
// The run's PKI

let runPki: TestPki | undefined;

/**
 * The PKI of this run (one per process): every generated certificate's dates are relative to its
 * `now`, a whole second (openssl's -attime takes seconds), exposed to cases as {{NOW}}.
 */
export function oraclePki(): TestPki {
  runPki ??= new TestPki(new Date(Math.floor(Date.now() / 1000) * 1000));
  return runPki;
}

// ---------------------------------------------------------------------------------------------
// Test cases on disk

export interface MaterializedCase {
  /** Absolute case folder (holds kamailio.cfg). */
  dir: string;
  /** Absolute path of the main kamailio.cfg. */
  cfgFile: string;
  /** Placeholder values used. */
  vars: Record<string, string>;
  /** Absolute paths of the files a peer trusts (from the case's `generate`; empty otherwise). */
  trust: string[];
}

/** Replaces `{{NAME}}` placeholders; an unknown placeholder is an error in the case set. */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`unknown placeholder ${m}`);
    return v;
  });
}

/**
 * A fresh base folder for a run, traversable by an unprivileged Kamailio (mode 0755), visible at
 * the same path inside the target's chroot (if any).
 */
export function makeRunDir(prefix = 'sip-tls-oracle-', target: OracleTarget = DEBIAN_12): string {
  const base = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(base, 0o755);
  shareWithTarget(target, base);
  return base;
}

/** Removes a run's base folder (and its view inside the target's chroot). */
export function removeRunDir(base: string, target: OracleTarget = DEBIAN_12): void {
  unshareFromTarget(target, base);
  rmSync(base, { recursive: true, force: true });
}

/** Writes a case into `<baseDir>/<case name>/` with fresh ports and certificates. */
export async function materializeCase(c: KamailioCase, baseDir: string): Promise<MaterializedCase> {
  const dir = join(baseDir, c.name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  const vars: Record<string, string> = {
    DIR: dir,
    PORT: String(await freePort()),
    PORT2: String(await freePort()),
    CERT: join(dir, 'server.crt'),
    KEY: join(dir, 'server.key'),
    TLSCFG: join(dir, c.tlsCfgPath ?? 'tls.cfg'),
    NOW: oraclePki().now.toISOString(),
  };
  const write = (rel: string, text: string, mode = 0o644): void => {
    const file = join(dir, rel);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, substitute(text, vars));
    chmodSync(file, mode);
  };
  writeCertFiles(dir, { cert: 'server.crt', key: 'server.key' });
  for (const spec of c.certs ?? []) writeCertFiles(dir, spec);
  for (const d of c.dirs ?? []) mkdirSync(join(dir, d), { recursive: true, mode: 0o755 });
  for (const [rel, content] of Object.entries(c.files ?? {})) {
    if (typeof content === 'string') write(rel, content);
    else write(rel, content.text, content.mode);
  }
  let trust: string[] = [];
  if (c.generate) {
    const generated = c.generate({
      pki: oraclePki(),
      dir,
      write: (rel, data, mode = 0o644) => {
        const file = join(dir, rel);
        mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
        writeFileSync(file, data);
        chmodSync(file, mode);
      },
    });
    trust = (generated?.trust ?? []).map((rel) => join(dir, rel));
  }
  if (c.tlsCfg !== undefined) write(c.tlsCfgPath ?? 'tls.cfg', c.tlsCfg);
  const cfgFile = join(dir, 'kamailio.cfg');
  write('kamailio.cfg', c.kamailioCfg);
  for (const rel of c.remove ?? []) rmSync(join(dir, rel), { recursive: true, force: true });
  return { dir, cfgFile, vars, trust };
}

export interface CaseRun extends MaterializedCase {
  verdict: KamailioVerdict;
}

/** Materializes one case and runs Kamailio on it. */
export async function runCase(c: KamailioCase, baseDir: string, opts: Partial<StartOptions> = {}): Promise<CaseRun> {
  const m = await materializeCase(c, baseDir);
  const runAs = c.runAs === 'nobody' ? 'process' : c.runAs === 'nobody-u' ? 'kamailio-u' : undefined;
  const probe = withGnutlsPeer(c, m, c.peer ? probeFor(c.peer, m) : undefined);
  const verdict = await runKamailio(m.cfgFile, { cwd: c.cwd ? join(m.dir, c.cwd) : m.dir, runAs, ...(probe ? { probe } : {}), ...opts });
  return { ...m, verdict };
}

/** `sip-tls check` options that give the checker the case's view: the run's clock and trust anchors. */
export function checkArgsFor(c: KamailioCase, run: MaterializedCase): string[] {
  // Kamailio runs the case right here, from its folder: for sip-tls that folder is the live
  // configuration of this machine (--live), so every path is read as Kamailio reads it — also
  // './x' against workdir /, which a repository check leaves to the deployment.
  if (!c.generate) return ['--live'];
  return ['--live', '--now', run.vars.NOW!, ...run.trust.flatMap((f) => ['--trust', f])];
}

/**
 * Whether the case's documented Kamailio expectation holds for this run: accept/reject, the
 * `kamailio -c` result, an expected log text and the TLS sockets opened. Returns '' when it
 * holds, otherwise what differs.
 */
export function expectationMismatch(c: KamailioCase, run: CaseRun): string {
  const v = run.verdict;
  const problems: string[] = [];
  const rejects = kamailioRejects(v);
  if ((c.kamailio === 'reject') !== rejects) {
    problems.push(`expected Kamailio to ${c.kamailio}, but it ${rejects ? 'rejected' : 'accepted'}`);
  }
  if (c.checkOk !== undefined && c.checkOk !== v.checkOk) {
    problems.push(`expected kamailio -c to ${c.checkOk ? 'pass' : 'fail'}, rc ${v.checkRc}`);
  }
  if (c.kamailioLog !== undefined) {
    const want = typeof c.kamailioLog === 'string' ? substitute(c.kamailioLog, run.vars) : c.kamailioLog;
    const ok = typeof want === 'string' ? v.log.includes(want) : want.test(v.log);
    if (!ok) problems.push(`expected the log to contain ${String(want)}`);
  }
  if (c.tlsSockets !== undefined && v.started) {
    const want = c.tlsSockets.map((s) => substitute(s, run.vars)).sort();
    if (want.join(',') !== v.tcpListening.join(',')) {
      problems.push(`expected TLS sockets [${want.join(', ')}], it listened on [${v.tcpListening.join(', ')}]`);
    }
  }
  if (c.peerExpect !== undefined && v.started && peerOutcome(v.peer) !== c.peerExpect) {
    problems.push(`expected the peer to see ${c.peerExpect}, it saw ${describePeer(v.peer) || 'nothing'}`);
  }
  return problems.join('; ');
}
