// Hostile files on the real file system for the checks of certificate, key and CA paths: a
// FIFO, devices, a directory, a symlink loop, a 1 GB sparse file, binary garbage, a PEM with
// 10,000 certificates, a certificate with 100 KB of subjectAltNames, a 4,000-character path and
// an unreadable file. Each case is its own deployment (kamailio.cfg + tls.cfg in a folder) so
// that one CLI run judges one hostile reference.
import { chmodSync, linkSync, mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { buildCertificate } from '../../server/src/core/pki/certBuilder';
import { ED25519, P256, TestPki, keyPem, newKey } from '../fixtures/pki';

export type Option = 'certificate' | 'private_key' | 'ca_list';

export interface HostileCase {
  name: string;
  option: Option;
  /** The value written after `option =` (absolute or relative to the case folder). */
  value: string;
  /** The finding expected on the value's line, or null: no error there (a valid if odd file). */
  expect: { code: string; message: RegExp } | null;
  /** Other options' values instead of the good defaults. */
  with?: Partial<Record<Option, string>>;
  /** Give the value with modparam("tls", option, …) in kamailio.cfg instead of in tls.cfg. */
  modparam?: boolean;
  /** Run the CLI as an unprivileged user (permissions do not stop root). */
  asNobody?: boolean;
}

const PREAMBLE = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nlisten=tls:127.0.0.1:5061\n';

/** The files of one case's deployment; the hostile value is on its own line. */
export function deploymentFor(c: HostileCase, good: { cert: string; key: string; ca: string }): { 'kamailio.cfg': string; 'tls.cfg'?: string } {
  if (!c.modparam) return { 'kamailio.cfg': PREAMBLE + 'modparam("tls", "config", "tls.cfg")\n', 'tls.cfg': tlsCfgFor(c, good) };
  const others = (['certificate', 'private_key', 'ca_list'] as const).filter((o) => o !== c.option);
  const value = (o: Option) => c.with?.[o] ?? (o === 'certificate' ? good.cert : o === 'private_key' ? good.key : good.ca);
  return {
    'kamailio.cfg':
      PREAMBLE +
      'modparam("tls", "tls_method", "TLSv1.2+")\n' +
      `modparam("tls", "${c.option}", "${c.value}")\n` +
      others.map((o) => `modparam("tls", "${o}", "${value(o)}")\n`).join(''),
  };
}

function tlsCfgFor(c: HostileCase, good: { cert: string; key: string; ca: string }): string {
  const v = (o: Option, fallback: string) => (c.option === o ? c.value : c.with?.[o] ?? fallback);
  return `[server:default]\nmethod = TLSv1.2+\n${c.option} = ${c.value}\n` +
    (c.option !== 'certificate' ? `certificate = ${v('certificate', good.cert)}\n` : '') +
    (c.option !== 'private_key' ? `private_key = ${v('private_key', good.key)}\n` : '') +
    (c.option !== 'ca_list' ? `ca_list = ${v('ca_list', good.ca)}\n` : '');
}

export interface HostileWorld {
  root: string;
  good: { cert: string; key: string; ca: string };
  cases: HostileCase[];
  /** The certificate with 100 KB of SANs and its key (for the hover check). */
  bigSan: { cert: string; key: string; names: number };
}

/** Create every hostile file under `root` (which must exist, world-traversable). */
export function buildHostileWorld(root: string): HostileWorld {
  const pki = new TestPki();
  const ca = pki.root('Hostile Test Root', { key: P256 });
  const leaf = pki.leaf(ca, 'sip.example.com', { key: P256 });
  const files = path.join(root, 'files');
  mkdirSync(files, { recursive: true, mode: 0o755 });
  const good = { cert: path.join(files, 'good.crt'), key: path.join(files, 'good.key'), ca: path.join(files, 'ca.crt') };
  writeFileSync(good.cert, leaf.pem);
  writeFileSync(good.key, keyPem(leaf.privateKey));
  writeFileSync(good.ca, ca.pem);

  const fifo = path.join(files, 'fifo.pem');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
  mkdirSync(path.join(files, 'dir.pem'));
  symlinkSync('loop-b.pem', path.join(files, 'loop-a.pem'));
  symlinkSync('loop-a.pem', path.join(files, 'loop-b.pem'));
  const sparse = path.join(files, 'sparse.pem');
  writeFileSync(sparse, '');
  truncateSync(sparse, 1024 ** 3); // 1 GiB of holes: no disk space, but stat says 1 GiB
  const garbage = path.join(files, 'garbage.pem');
  const bytes = new Uint8Array(64 * 1024);
  let x = 12345;
  for (let i = 0; i < bytes.length; i++) bytes[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  writeFileSync(garbage, bytes);
  // 10,000 certificates: one small Ed25519 certificate repeated (signing 10,000 would be slow).
  const small = pki.root('Many', { key: ED25519 });
  const many = path.join(files, 'many.pem');
  writeFileSync(many, small.pem.repeat(10_000));
  // A certificate with ~100 KB of DNS names in its subjectAltName extension.
  const names = Array.from({ length: 4000 }, (_, i) => `host-${String(i).padStart(5, '0')}.sip.example.com`);
  const pair = newKey(P256, true);
  const built = buildCertificate({
    subject: { CN: 'sip.example.com', O: 'Hostile' },
    publicKey: pair.publicKey,
    signingKey: pair.privateKey,
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 300 * 86_400_000),
    dnsNames: names,
    extendedKeyUsage: ['serverAuth'],
  });
  const bigCert = path.join(files, 'big-san.crt');
  const bigKey = path.join(files, 'big-san.key');
  writeFileSync(bigCert, built.pem);
  writeFileSync(bigKey, keyPem(pair.privateKey));
  const longPath = path.join(files, 'x'.repeat(4000));
  const locked = path.join(files, 'locked.pem');
  writeFileSync(locked, leaf.pem);
  chmodSync(locked, 0o000);
  const lockedDir = path.join(files, 'locked-dir');
  mkdirSync(lockedDir);
  writeFileSync(path.join(lockedDir, 'cert.pem'), leaf.pem);
  chmodSync(lockedDir, 0o000);

  const cases: HostileCase[] = [
    { name: 'certificate is a FIFO', option: 'certificate', value: fifo, expect: { code: 'path.unreadable', message: /is a FIFO \(named pipe\), not a regular file.*Unable to load certificate file/ } },
    { name: 'private_key is /dev/zero', option: 'private_key', value: '/dev/zero', expect: { code: 'path.unreadable', message: /\/dev\/zero is a character device, not a regular file.*Unable to load private key file/ } },
    { name: 'ca_list is /dev/urandom', option: 'ca_list', value: '/dev/urandom', expect: { code: 'path.unreadable', message: /\/dev\/urandom is a character device, not a regular file.*Unable to load CA list file/ } },
    { name: 'certificate is a directory', option: 'certificate', value: path.join(files, 'dir.pem'), expect: { code: 'path.unreadable', message: /dir\.pem is a directory, not a regular file/ } },
    { name: 'private_key is a symlink loop', option: 'private_key', value: path.join(files, 'loop-a.pem'), expect: { code: 'path.unreadable', message: /loop-a\.pem cannot be read \(a symlink loop.*ELOOP\)/ } },
    { name: 'certificate is a 1 GiB sparse file', option: 'certificate', value: sparse, expect: { code: 'path.unreadable', message: /sparse\.pem is 1073741824 bytes \(1\.0 GiB\), more than the 16 MiB/ } },
    { name: 'ca_list is a 1 GiB sparse file', option: 'ca_list', value: sparse, expect: { code: 'path.unreadable', message: /sparse\.pem is 1073741824 bytes/ } },
    { name: 'certificate is binary garbage', option: 'certificate', value: garbage, expect: { code: 'cert.unreadable', message: /garbage\.pem holds binary data that is neither a certificate nor a key.*Unable to load certificate file/ } },
    { name: 'private_key is binary garbage', option: 'private_key', value: garbage, expect: { code: 'key.unreadable', message: /garbage\.pem holds binary data.*no PEM private key/ } },
    { name: 'ca_list is binary garbage', option: 'ca_list', value: garbage, expect: { code: 'ca.empty', message: /garbage\.pem holds binary data that is neither a certificate nor a key, and Kamailio reads PEM only.*Unable to load CA list file/ } },
    { name: 'certificate holds 10,000 certificates', option: 'certificate', value: many, expect: { code: 'cert.unreadable', message: /many\.pem is \d+ bytes: a certificate chain is a few KB/ } },
    { name: 'ca_list holds 10,000 certificates', option: 'ca_list', value: many, expect: null }, // a valid CA list, if a long one: only the first 1,000 are examined
    { name: 'certificate has 100 KB of subjectAltNames', option: 'certificate', value: bigCert, with: { private_key: bigKey }, expect: { code: 'cert.self-signed', message: /big-san\.crt: 'sip\.example\.com' is self-signed/ } },
    // tls.cfg stops at 512 bytes per token, as Kamailio does; modparam strings have no such limit.
    { name: 'private_key path of 4,000 characters in tls.cfg', option: 'private_key', value: longPath, expect: { code: 'tlscfg.syntax', message: /Token too long \(Kamailio reads at most 512 bytes per value\)/ } },
    { name: 'private_key path of 4,000 characters in a modparam', option: 'private_key', value: longPath, modparam: true, expect: { code: 'path.unreadable', message: /cannot be read \(the path or one of its names is longer than the system allows, ENAMETOOLONG\)/ } },
    { name: 'certificate without read permission (mode 000)', option: 'certificate', value: locked, expect: { code: 'path.unreadable', message: /locked\.pem is not readable \(permission denied\)/ }, asNobody: true },
    { name: 'certificate in a folder without permission', option: 'certificate', value: path.join(lockedDir, 'cert.pem'), expect: { code: 'path.unreadable', message: /cannot be read \(permission denied on the file or a folder above it, EACCES\)/ }, asNobody: true },
  ];
  return { root, good, cases, bigSan: { cert: bigCert, key: bigKey, names: names.length } };
}

/** Hard-link a FIFO into place (rename keeps the swap atomic); used by the replace loop. */
export function linkInto(source: string, target: string): void {
  linkSync(source, target);
}
