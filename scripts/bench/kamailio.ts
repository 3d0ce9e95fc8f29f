// Real Kamailio start-up on the fleet: `kamailio -M 64 -DD -E -f kamailio.cfg` in its own process
// group, timed until its TLS socket answers a handshake (or until it exits). Two moments are
// recorded: the TCP accept (the socket is bound and listening, which Kamailio does before it
// loads the TLS profiles, so it proves little) and the completed TLS handshake (TLS is served).
// The group is terminated afterwards and we wait for it to be gone before the next run.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import * as tls from 'node:tls';

export const KAMAILIO_BIN = process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio';

/**
 * Private (pkg) memory per process, MB. The default 8 MB does not hold a 10,000-line routing
 * script ("could not allocate private memory from pkg pool"); Debian's /etc/default/kamailio
 * raises it the same way (PKG_MEMORY).
 */
export const PKG_MEMORY_MB = 64;

export interface KamailioStart {
  ok: boolean;
  /** Spawn → the TLS port accepted a TCP connection. */
  tcpMs?: number;
  /** Spawn → a TLS handshake completed. */
  tlsMs?: number;
  /** Exit code when it exited instead of serving. */
  exitCode?: number | null;
  /** Last lines of its log when it failed. */
  error?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function kamailioInstalled(): boolean {
  return existsSync(KAMAILIO_BIN);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* already gone */
  }
}

/** One TCP connection attempt; resolves with the socket once connected, undefined if refused. */
function connectTcp(host: string, port: number): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => resolve(socket));
    socket.once('error', () => {
      socket.destroy();
      resolve(undefined);
    });
  });
}

/** A TLS handshake over an already connected socket (it completes once Kamailio accepts). */
function handshake(socket: net.Socket, servername: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const secure = tls.connect({ socket, servername, rejectUnauthorized: false });
    const timer = setTimeout(() => done(false), timeoutMs);
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      secure.destroy();
      resolve(ok);
    };
    secure.once('secureConnect', () => done(true));
    secure.once('error', () => done(false));
  });
}

export async function startKamailio(cfg: string, cwd: string, probe: { host: string; port: number; servername: string }, timeoutMs = 180_000): Promise<KamailioStart> {
  const t0 = performance.now();
  const child = spawn(KAMAILIO_BIN, ['-M', String(PKG_MEMORY_MB), '-DD', '-E', '-f', cfg], {
    cwd,
    detached: true, // its own process group: the whole group is stopped afterwards
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pgid = child.pid!;
  let log = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    log = (log + d).slice(-20_000);
  });
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code) => ((exitCode = code), resolve())));
  const result: KamailioStart = { ok: false };
  try {
    while (exitCode === undefined && performance.now() - t0 < timeoutMs) {
      const socket = await connectTcp(probe.host, probe.port);
      if (!socket) {
        await Promise.race([exited, sleep(10)]);
        continue;
      }
      result.tcpMs ??= performance.now() - t0;
      if (await handshake(socket, probe.servername, timeoutMs - (performance.now() - t0))) {
        result.tlsMs = performance.now() - t0;
        result.ok = true;
        break;
      }
      await sleep(10);
    }
    if (!result.ok) {
      result.exitCode = exitCode;
      result.error = log
        .split('\n')
        .filter((l) => /ERROR|CRITICAL/.test(l))
        .slice(0, 3)
        .join(' | ') || `no TLS handshake within ${timeoutMs} ms`;
    }
  } finally {
    killGroup(pgid, 'SIGTERM');
    const gone = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!gone) killGroup(pgid, 'SIGKILL');
    for (let i = 0; i < 500 && groupAlive(pgid); i++) await sleep(20);
    if (groupAlive(pgid)) killGroup(pgid, 'SIGKILL');
  }
  return result;
}
