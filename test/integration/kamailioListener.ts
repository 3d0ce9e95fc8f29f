// A real Kamailio TLS listener for live tests (testing.md: `setsid kamailio -DD -E -f cfg -P
// PIDFILE`). It runs in its own process group, so that stopping it (SIGTERM to the group, then
// SIGKILL if it lingers) also stops the children it forked.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { KAMAILIO_BIN } from './kamailioOracle';

export interface KamailioListener {
  pid: number;
  /** Everything Kamailio wrote (stderr with -E), for failure messages. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * A request_route that answers OPTIONS with 200 and everything else with 404; with `forward`,
 * also a UDP socket on each port and a route that forwards every request statelessly to its
 * request URI (a request to sip:…;transport=tls makes Kamailio connect with its client profile).
 */
export function kamailioCfg(dir: string, ports: number[], o: { forward?: boolean } = {}): string {
  const route = o.forward
    ? ['request_route {', '\tforward();', '\texit;', '}']
    : ['request_route {', '\tif (method == "OPTIONS") {', '\t\tsl_send_reply("200", "OK");', '\t\texit;', '\t}', '\tsl_send_reply("404", "Not here");', '}'];
  return [
    '#!KAMAILIO',
    'debug=2',
    'children=1',
    'tcp_children=1',
    'auto_aliases=no',
    'enable_tls=yes',
    ...ports.flatMap((p) => [`listen=tls:127.0.0.1:${p}`, ...(o.forward ? [`listen=udp:127.0.0.1:${p}`] : [])]),
    'loadmodule "tls.so"',
    ...(o.forward ? [] : ['loadmodule "sl.so"']),
    `modparam("tls", "config", "${join(dir, 'tls.cfg')}")`,
    ...route,
    '',
  ].join('\n');
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

/** Starts Kamailio on `cfgText` (written to DIR/kamailio.cfg) and waits until every port accepts. */
export async function startKamailio(dir: string, cfgText: string, ports: number[]): Promise<KamailioListener> {
  const cfg = join(dir, 'kamailio.cfg');
  writeFileSync(cfg, cfgText);
  let log = '';
  // detached: a new session and process group, like setsid.
  const child = spawn(KAMAILIO_BIN, ['-DD', '-E', '-f', cfg, '-P', join(dir, 'kamailio.pid')], { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const pid = child.pid!;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      return;
    }
    const gone = await Promise.race([exited(child).then(() => true), sleep(5000).then(() => false)]);
    if (!gone) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      await exited(child);
    }
  };
  const t0 = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`kamailio exited with ${child.exitCode} before listening:\n${log}`);
    const open = await Promise.all(ports.map(portOpen));
    if (open.every(Boolean)) break;
    if (Date.now() - t0 > 10_000) {
      await stop();
      throw new Error(`kamailio did not listen on ${ports.join(', ')} within 10 s:\n${log}`);
    }
    await sleep(50);
  }
  return { pid, log: () => log, stop };
}
