// What the key.decryption-cost warning claims, on the real Kamailio 6.0.1 (Debian 13 chroot; the
// first version with private_key_password): OpenSSL runs every iteration of an encrypted key's
// PBKDF2 when Kamailio loads it, once for each process, before TLS answers — so a start takes
// about processes × the decryption time, and more processes make it longer. Measured against the
// same configuration with the key decrypted, and against `openssl pkey` in the same chroot.
// A behaviour proof with wide margins, not a benchmark.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { join } from 'node:path';
import { test } from 'node:test';
import { TestPki, P256, chainPem, standardChain, keyPem } from '../fixtures/pki';
import { encryptedPkcs8 } from '../fixtures/encryptedKeys';
import { debian13Target, kamailioCommand, shareWithTarget, unshareFromTarget } from './oracleTargets';

const CI = process.env.CI === 'true';
const ITERATIONS = 2_000_000;

function options(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      s.write(`OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bKcost\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\nCall-ID: cost\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`);
    });
    s.on('data', (d) => {
      resolve(String(d).split('\r\n')[0]);
      s.destroy();
    });
    s.on('error', () => resolve(undefined));
    setTimeout(() => {
      s.destroy();
      resolve(undefined);
    }, 2000).unref();
  });
}

/** Start Kamailio, wait for the first SIP answer over TLS; its time and the process count it logs. */
async function timeToTls(cfg: string, port: number): Promise<{ ms: number; processes: number }> {
  const target = debian13Target();
  const cmd = kamailioCommand(target, ['-DD', '-E', '-f', cfg, '-w', '/tmp'], false);
  const t0 = Date.now();
  const child = spawn(cmd.cmd, cmd.args, { detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  try {
    for (;;) {
      if (Date.now() - t0 > 120_000) throw new Error(`no TLS answer within 120 s; log tail: ${log.slice(-2000)}`);
      const answer = await options(port);
      if (answer?.startsWith('SIP/2.0 200')) break;
      if (child.exitCode !== null) throw new Error(`Kamailio exited (${child.exitCode}): ${log.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const ms = Date.now() - t0;
    const processes = Number(/processes \(at least\): (\d+)/.exec(log)?.[1] ?? NaN);
    return { ms, processes };
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

test(`Kamailio 6.0.1 runs a key's ${ITERATIONS.toLocaleString('en-US')} PBKDF2 iterations once per process before TLS answers`, { timeout: 600_000 }, async (t) => {
  const target = debian13Target();
  if (!target.root) {
    if (CI) assert.fail(`CI=true: the Debian 13 oracle is required: ${target.install}`);
    t.skip(`SKIPPED (not CI): the Debian 13 oracle is missing (${target.install})`);
    return;
  }
  const dir = mkdtempSync('/tmp/sip-tls-kdfcost-');
  chmodSync(dir, 0o755);
  shareWithTarget(target, dir);
  try {
    const c = standardChain(new TestPki(new Date()), P256, 'sip.example.com');
    writeFileSync(join(dir, 'chain.pem'), chainPem(c.leaf, c.intermediate));
    writeFileSync(join(dir, 'plain.key'), keyPem(c.leaf.privateKey));
    writeFileSync(join(dir, 'slow.key'), encryptedPkcs8(c.leaf.privateKey, 'secret', { kind: 'pbkdf2', iterations: ITERATIONS, prf: 'sha256' }));
    const tls = (key: string, password: boolean) =>
      `[server:default]\nmethod = TLSv1.2+\ncertificate = ${dir}/chain.pem\nprivate_key = ${dir}/${key}\n${password ? 'private_key_password = secret\n' : ''}\n[client:default]\nverify_certificate = no\n`;
    writeFileSync(join(dir, 'tls-plain.cfg'), tls('plain.key', false));
    writeFileSync(join(dir, 'tls-slow.cfg'), tls('slow.key', true));
    const kam = (children: number, port: number, tlsCfg: string) =>
      `#!KAMAILIO\ndebug=2\nlog_stderror=yes\nchildren=${children}\ntcp_children=${children}\nenable_tls=yes\nlisten=tls:127.0.0.1:${port}\nloadmodule "tls.so"\nloadmodule "sl.so"\nmodparam("tls", "config", "${dir}/${tlsCfg}")\nrequest_route { sl_send_reply("200", "OK"); }\n`;
    const configs = { plain1: [1, 25161, 'tls-plain.cfg'], slow1: [1, 25162, 'tls-slow.cfg'], slow6: [6, 25163, 'tls-slow.cfg'] } as const;
    for (const [name, [children, port, tlsCfg]] of Object.entries(configs)) writeFileSync(join(dir, `${name}.cfg`), kam(children, port, tlsCfg));

    // One decryption in the same chroot, with the same OpenSSL (median of three).
    const runs = [0, 1, 2].map(() => {
      const t0 = Date.now();
      const r = spawnSync('chroot', [target.root!, 'openssl', 'pkey', '-in', `${dir}/slow.key`, '-passin', 'pass:secret', '-noout'], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      return Date.now() - t0;
    });
    const decrypt = runs.sort((a, b) => a - b)[1]!;

    const plain = await timeToTls(`${dir}/plain1.cfg`, 25161);
    const slow1 = await timeToTls(`${dir}/slow1.cfg`, 25162);
    const slow6 = await timeToTls(`${dir}/slow6.cfg`, 25163);
    const report = `one decryption ${decrypt} ms; TLS answers after: plain key ${plain.ms} ms, encrypted key ${slow1.ms} ms (${slow1.processes} processes), ${slow6.ms} ms (${slow6.processes} processes)`;
    console.log(report);
    assert.ok(plain.ms < 3000, `the decrypted key starts at once: ${report}`);
    // At least one decryption per process, before TLS answers.
    assert.ok(slow1.ms >= 0.8 * slow1.processes * decrypt, `once per process: ${report}`);
    assert.ok(slow6.ms - slow1.ms >= 0.8 * (slow6.processes - slow1.processes) * decrypt, `more processes, longer: ${report}`);
  } finally {
    unshareFromTarget(target, dir);
    rmSync(dir, { recursive: true, force: true });
  }
});
