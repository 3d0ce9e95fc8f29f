// The real servers the oracle cases run on. Two platforms, because the verdicts depend on the
// Kamailio *and* the OpenSSL release (issue: SHA-1 CA signatures, TLS 1.3 methods, groups):
//   - debian-12: this machine's Kamailio 5.6.3 with OpenSSL 3.0 (scripts/install-test-deps.sh);
//   - debian-13: Kamailio 6.0.1 with OpenSSL 3.5 in a debootstrap chroot
//     (scripts/install-debian13-oracle.sh, cached by its inputs' hash under .cache/).
// A chroot target runs `chroot ROOT /usr/sbin/kamailio …`. Its case folders are bind-mounted at
// the same absolute path inside the chroot, so a path in a case means the same file to Kamailio,
// to the TLS peers and to `sip-tls check` on the host.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { OracleTargetId } from '../fixtures/kamailioCases';

export interface OracleTarget {
  id: OracleTargetId;
  /** For test names and tables: "Kamailio 5.6.3 / OpenSSL 3.0 (Debian 12)". */
  name: string;
  /** What `sip-tls check` is told about this deployment. */
  kamailioVersion: string;
  platform: string;
  /** Root of the chroot the binary runs in; undefined = this machine. */
  root?: string;
  /** Path of the Kamailio binary (inside the chroot, if any). */
  bin: string;
  /** How to make the target available (for a failure under CI). */
  install: string;
}

const REPO = resolve(__dirname, '..', '..');
const CHROOT_SCRIPT = join(REPO, 'scripts', 'install-debian13-oracle.sh');

export const DEBIAN_12: OracleTarget = {
  id: 'debian-12',
  name: 'Kamailio 5.6.3 / OpenSSL 3.0 (Debian 12)',
  kamailioVersion: '5.6',
  platform: 'debian-12',
  bin: process.env.KAMAILIO_BIN ?? '/usr/sbin/kamailio',
  install: 'apt-get install -y --no-install-recommends kamailio kamailio-tls-modules (scripts/install-test-deps.sh)',
};

/** The chroot folder of the Debian 13 oracle when it has been built (the script's cache path). */
export function debian13Root(): string | undefined {
  if (process.env.SIPTLS_DEBIAN13_DIR) return existsSync(join(process.env.SIPTLS_DEBIAN13_DIR, '.complete')) ? process.env.SIPTLS_DEBIAN13_DIR : undefined;
  const r = spawnSync(CHROOT_SCRIPT, ['--locate'], { encoding: 'utf8' });
  const dir = r.stdout.trim().split('\n').pop();
  return r.status === 0 && dir ? dir : undefined;
}

export function debian13Target(root = debian13Root()): OracleTarget {
  return {
    id: 'debian-13',
    name: 'Kamailio 6.0.1 / OpenSSL 3.5 (Debian 13)',
    kamailioVersion: '6.0',
    platform: 'debian-13',
    ...(root ? { root } : {}),
    bin: '/usr/sbin/kamailio',
    install: `scripts/install-debian13-oracle.sh (debootstrap trixie, about 30 s; needs root)`,
  };
}

/** The command line that runs the target's Kamailio with `args`, as `uid 65534` if asked. */
export function kamailioCommand(target: OracleTarget, args: string[], asNobody: boolean): { cmd: string; args: string[]; uid?: number; gid?: number } {
  if (!target.root) return { cmd: target.bin, args, ...(asNobody ? { uid: 65534, gid: 65534 } : {}) };
  // chroot(2) needs root: the chroot command drops to the user itself (like systemd's User=).
  return { cmd: 'chroot', args: [...(asNobody ? ['--userspec=65534:65534', '--groups=65534'] : []), target.root, target.bin, ...args] };
}

const mounted = new Set<string>();

function unmountAll(): void {
  for (const m of [...mounted].reverse()) {
    spawnSync('umount', ['-l', m]);
    mounted.delete(m);
  }
}
process.once('exit', unmountAll);

/**
 * Makes `dir` (a case base folder of the host) visible at the same path inside the target's chroot,
 * and /proc as Kamailio expects it. No-op for the host target. Unmounted when the process exits.
 */
export function shareWithTarget(target: OracleTarget, dir: string): void {
  if (!target.root) return;
  const proc = join(target.root, 'proc');
  if (!mounted.has(proc) && !existsSync(join(proc, 'self'))) {
    const r = spawnSync('mount', ['-t', 'proc', 'proc', proc], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount -t proc ${proc} failed: ${r.stderr}`);
    mounted.add(proc);
  }
  const inside = join(target.root, dir);
  mkdirSync(inside, { recursive: true, mode: 0o755 });
  const r = spawnSync('mount', ['--bind', dir, inside], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount --bind ${dir} ${inside} failed (needs root): ${r.stderr}`);
  mounted.add(inside);
}

/** Undoes shareWithTarget for one folder (before the folder is deleted). */
export function unshareFromTarget(target: OracleTarget, dir: string): void {
  if (!target.root) return;
  const inside = join(target.root, dir);
  if (!mounted.has(inside)) return;
  spawnSync('umount', ['-l', inside]);
  mounted.delete(inside);
}
