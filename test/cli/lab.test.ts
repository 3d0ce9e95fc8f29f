import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync, statSync, existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli } from '../helpers/cli';

function labDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'sip-tls-lab-')), 'pki');
}

function chainOf(dir: string) {
  const root = new X509Certificate(readFileSync(join(dir, 'rootCA.crt')));
  const inter = new X509Certificate(readFileSync(join(dir, 'intermediate.crt')));
  const server = new X509Certificate(readFileSync(join(dir, 'server.crt')));
  return { root, inter, server };
}

for (const key of ['rsa', 'ec'] as const) {
  test(`lab --key ${key}: a verifiable chain, keys 0600 that match, a fullchain and a tls.cfg snippet`, () => {
    const dir = labDir();
    const run = runCli(['lab', dir, '--domain', 'sip.example.com', '--domain', 'edge.example.com', '--ip', '192.0.2.10', '--key', key, '--client', 'pbx.example.com'], { cwd: tmpdir() });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /openssl verify -CAfile .*rootCA\.crt -untrusted .*intermediate\.crt .*server\.crt/);
    const { root, inter, server } = chainOf(dir);
    assert.ok(root.verify(root.publicKey), 'root is self-signed');
    assert.ok(inter.verify(root.publicKey), 'intermediate is signed by the root');
    assert.ok(server.verify(inter.publicKey), 'server is signed by the intermediate');
    assert.equal(root.ca, true);
    assert.equal(inter.ca, true);
    assert.equal(server.ca, false);
    assert.equal(server.checkHost('sip.example.com'), 'sip.example.com');
    assert.equal(server.checkHost('edge.example.com'), 'edge.example.com');
    assert.equal(server.checkIP('192.0.2.10'), '192.0.2.10');
    assert.equal(server.publicKey.asymmetricKeyType, key);
    for (const k of ['server.key', 'client.key']) {
      assert.equal(statSync(join(dir, k)).mode & 0o777, 0o600, `${k} is 0600`);
      assert.match(readFileSync(join(dir, k), 'utf8'), /^-----BEGIN PRIVATE KEY-----/);
    }
    const serverKey = createPrivateKey(readFileSync(join(dir, 'server.key')));
    assert.deepEqual(createPublicKey(serverKey).export({ type: 'spki', format: 'der' }), server.publicKey.export({ type: 'spki', format: 'der' }));
    const full = readFileSync(join(dir, 'fullchain.crt'), 'utf8');
    assert.equal(full, readFileSync(join(dir, 'server.crt'), 'utf8') + readFileSync(join(dir, 'intermediate.crt'), 'utf8'));
    const client = new X509Certificate(readFileSync(join(dir, 'client.crt')));
    assert.match(client.subject, /CN=pbx\.example\.com/);
    assert.match(client.keyUsage?.join(',') ?? '', /1\.3\.6\.1\.5\.5\.7\.3\.2/, 'clientAuth');
    const snippet = readFileSync(join(dir, 'tls.cfg.example'), 'utf8');
    assert.match(snippet, new RegExp(`certificate = ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/fullchain\\.crt`));
    // The snippet itself passes the checker: no error.
    writeFileSync(join(dir, 'tls.cfg'), snippet);
    const check = runCli(['check', join(dir, 'tls.cfg'), '--format', 'json'], { cwd: tmpdir() });
    const errors = (JSON.parse(check.stdout) as { diagnostics: { severity: string; code: string }[] }).diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors, []);
  });
}

test('lab refuses to overwrite without --force and replaces with it', () => {
  const dir = labDir();
  assert.equal(runCli(['lab', dir], { cwd: tmpdir() }).code, 0);
  const before = readFileSync(join(dir, 'server.key'), 'utf8');
  const again = runCli(['lab', dir], { cwd: tmpdir() });
  assert.equal(again.code, 2);
  assert.match(again.stderr, /refusing to overwrite .*server\.key.*--force/);
  assert.equal(readFileSync(join(dir, 'server.key'), 'utf8'), before, 'nothing was touched');
  const forced = runCli(['lab', dir, '--force'], { cwd: tmpdir() });
  assert.equal(forced.code, 0);
  assert.notEqual(readFileSync(join(dir, 'server.key'), 'utf8'), before);
  assert.equal(statSync(join(dir, 'server.key')).mode & 0o777, 0o600);
});

test('lab bad usage exits 2', () => {
  for (const args of [['lab'], ['lab', 'x', '--key', 'dsa'], ['lab', 'x', '--ip', 'nope'], ['lab', 'x', '--days', '0'], ['lab', 'x', '--bogus', '1']]) {
    const run = runCli(args, { cwd: tmpdir() });
    assert.equal(run.code, 2, args.join(' '));
    assert.equal(existsSync(join(tmpdir(), 'x', 'server.key')), false);
  }
});
