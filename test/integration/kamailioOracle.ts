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
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeCertFiles } from '../fixtures/certs';
import type { KamailioCase } from '../fixtures/kamailioCases';

export const KAMAILIO_BIN = process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio';

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

/** Whether the Kamailio binary and its tls module are installed. */
export function kamailioAvailable(): KamailioAvailability {
  const install = 'install it with: apt-get install -y --no-install-recommends kamailio kamailio-tls-modules';
  if (!existsSync(KAMAILIO_BIN)) return { ok: false, reason: `${KAMAILIO_BIN} not found; ${install}` };
  const r = spawnSync(KAMAILIO_BIN, ['-v'], { encoding: 'utf8' });
  if (r.status !== 0) return { ok: false, reason: `${KAMAILIO_BIN} -v failed: ${r.stderr}` };
  const version = /version: kamailio (\S+)/.exec(r.stdout)?.[1];
  const modules = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/local/lib64/kamailio/modules'];
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
}

const NOBODY = 65534;

function runCheck(cfg: string, opts: StartOptions): RunResult {
  const args = ['-c', '-f', cfg, ...userArgs(opts)];
  const r = spawnSync(KAMAILIO_BIN, args, {
    cwd: opts.cwd,
    encoding: 'utf8',
    timeout: 10_000,
    killSignal: 'SIGKILL',
    ...processUser(opts),
  });
  return { rc: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', keptRunning: false, listening: [] };
}

function userArgs(opts: StartOptions): string[] {
  return opts.runAs === 'kamailio-u' ? ['-u', 'nobody', '-g', 'nogroup'] : [];
}

function processUser(opts: StartOptions): { uid?: number; gid?: number } {
  return opts.runAs === 'process' && process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
}

async function runStart(cfg: string, opts: StartOptions): Promise<RunResult> {
  const timeoutMs = opts.timeoutMs ?? 3000;
  const settleMs = opts.settleMs ?? 200;
  const fullTimeout = opts.fullTimeout ?? process.env.ORACLE_FULL_TIMEOUT === '1';
  const child = spawn(KAMAILIO_BIN, ['-DD', '-E', '-f', cfg, ...userArgs(opts)], {
    cwd: opts.cwd,
    detached: true, // own session and process group: we kill the whole group afterwards
    stdio: ['ignore', 'pipe', 'pipe'],
    ...processUser(opts),
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
  if (keptRunning) {
    listening = tcpListeningOfGroup(pgid);
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
  return { rc: keptRunning ? 124 : (exitCode ?? null), stdout, stderr, keptRunning, listening };
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
  };
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
}

/** Replaces `{{NAME}}` placeholders; an unknown placeholder is an error in the case set. */
export function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (m, name: string) => {
    const v = vars[name];
    if (v === undefined) throw new Error(`unknown placeholder ${m}`);
    return v;
  });
}

/** A fresh base folder for a run, traversable by an unprivileged Kamailio (mode 0755). */
export function makeRunDir(prefix = 'sip-tls-oracle-'): string {
  const base = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(base, 0o755);
  return base;
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
  if (c.tlsCfg !== undefined) write(c.tlsCfgPath ?? 'tls.cfg', c.tlsCfg);
  const cfgFile = join(dir, 'kamailio.cfg');
  write('kamailio.cfg', c.kamailioCfg);
  for (const rel of c.remove ?? []) rmSync(join(dir, rel), { recursive: true, force: true });
  return { dir, cfgFile, vars };
}

export interface CaseRun extends MaterializedCase {
  verdict: KamailioVerdict;
}

/** Materializes one case and runs Kamailio on it. */
export async function runCase(c: KamailioCase, baseDir: string, opts: Partial<StartOptions> = {}): Promise<CaseRun> {
  const m = await materializeCase(c, baseDir);
  const runAs = c.runAs === 'nobody' ? 'process' : c.runAs === 'nobody-u' ? 'kamailio-u' : undefined;
  const verdict = await runKamailio(m.cfgFile, { cwd: c.cwd ? join(m.dir, c.cwd) : m.dir, runAs, ...opts });
  return { ...m, verdict };
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
  return problems.join('; ');
}
