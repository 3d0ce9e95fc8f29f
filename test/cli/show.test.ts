// `sip-tls show` and `sip-tls fullchain` through the bundled CLI, on certificates generated at
// test time; `openssl verify` proves that a written fullchain is what peers need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';
import { markdownText, markupProblems } from '../helpers/markdown';
import { TestPki, chainPem, keyPem, standardChain } from '../fixtures/pki';

const pki = new TestPki();
const { root, intermediate, leaf } = standardChain(pki);

function pkiFolder() {
  const dir = makeTempDir();
  dir.write({
    'root.pem': root.pem,
    'intermediate.pem': intermediate.pem,
    'leaf.pem': leaf.pem,
    'full.pem': chainPem(leaf, intermediate),
    'reversed.pem': chainPem(intermediate, leaf),
    'bundle.pem': chainPem(leaf, intermediate) + keyPem(leaf.privateKey, 'pkcs1'),
    'wrongkey.pem': chainPem(leaf, intermediate) + keyPem(pki.leaf(root, 'other.example.com').privateKey),
  });
  return dir;
}

test('show: a good full chain with its root given is OK, with every detail and the full fingerprints', () => {
  const dir = pkiFolder();
  const run = runCli(['show', 'full.pem', '--ca', 'root.pem'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  assert.match(run.stdout, /full\.pem: 2 certificates\nVerdict: OK\n/);
  assert.match(run.stdout, /Certificate 1 \(leaf\)\n  Subject: +CN=sip\.example\.com/);
  assert.match(run.stdout, /Certificate 2 \(intermediate\)/);
  assert.ok(run.stdout.includes(new X509Certificate(leaf.pem).fingerprint256));
  assert.ok(run.stdout.includes(new X509Certificate(intermediate.pem).fingerprint256));
  assert.match(run.stdout, /Chain as peers build it: reaches a trust anchor \(trust anchor .*root\.pem\)/);
});

test('show: problems are listed and give exit 1 — missing intermediate, reversed order, untrusted root, wrong key', () => {
  const dir = pkiFolder();
  const leafOnly = runCli(['show', 'leaf.pem', '--ca', 'root.pem'], { cwd: dir.path });
  assert.equal(leafOnly.code, 1);
  assert.match(leafOnly.stdout, /lacks the intermediate 'Test Intermediate CA \(RSA 2048\)' \(found in .*intermediate\.pem/);
  const reversed = runCli(['show', 'reversed.pem', '--ca', 'root.pem'], { cwd: dir.path });
  assert.equal(reversed.code, 1);
  assert.match(reversed.stdout, /The leaf 'sip\.example\.com' is certificate 2, not the first/);
  const untrusted = runCli(['show', 'full.pem'], { cwd: dir.path });
  assert.equal(untrusted.code, 1);
  assert.match(untrusted.stdout, /ends at the root 'Test Root CA \(RSA 2048\)'|issuer of/);
  const wrong = runCli(['show', 'wrongkey.pem', '--ca', 'root.pem'], { cwd: dir.path });
  assert.equal(wrong.code, 1);
  assert.match(wrong.stdout, /does not belong to the certificate/);
});

test('show: a key is described, never printed; JSON and Markdown formats', () => {
  const dir = pkiFolder();
  const run = runCli(['show', 'bundle.pem', '--ca', 'root.pem', '--format', 'json'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout);
  const report = JSON.parse(run.stdout) as { version: number; key: { description: string; matches: boolean }; certificates: unknown[]; problems: string[] };
  assert.equal(report.version, 1);
  assert.deepEqual(report.key, { path: dir.file('bundle.pem'), description: 'RSA 2048 (PKCS#1)', encrypted: false, matches: true });
  assert.equal(report.certificates.length, 2);
  const body = keyPem(leaf.privateKey, 'pkcs1').split('\n').slice(1, -2).join('');
  for (let i = 0; i + 16 <= body.length; i += 16) assert.ok(!run.stdout.includes(body.slice(i, i + 16)));
  const md = runCli(['show', 'bundle.pem', '--ca', 'root.pem', '--format', 'markdown'], { cwd: dir.path });
  assert.match(md.stdout, /^# bundle\\\.pem\n/);
  assert.match(md.stdout, /✅ \*\*No problem found\.\*\*/);
  assert.deepEqual(markupProblems(md.stdout), []);
  assert.match(markdownText(md.stdout), /^bundle\.pem\n\/.*\/bundle\.pem holds 2 certificates and an RSA 2048 private key \(PKCS#1\)\.\n/);
  assert.match(md.stdout, /^- \*\*SHA\\-256\*\*: `[0-9A-F:]{95}`$/m);
});

test('show: files that are not certificates get a clear answer, bad usage exit 2', () => {
  const dir = pkiFolder();
  assert.equal(runCli(['show', '/dev/zero'], { cwd: dir.path }).code, 2);
  assert.match(runCli(['show', '/dev/zero'], { cwd: dir.path }).stdout, /not a regular file/);
  assert.equal(runCli(['show', 'missing.pem'], { cwd: dir.path }).code, 2);
  assert.equal(runCli(['show', '.'], { cwd: dir.path }).code, 2);
  dir.write({ 'truncated.pem': leaf.pem.slice(0, 300) });
  const truncated = runCli(['show', 'truncated.pem'], { cwd: dir.path });
  assert.equal(truncated.code, 1);
  assert.match(truncated.stdout, /truncated/);
  assert.equal(runCli(['show'], { cwd: dir.path }).code, 2);
  assert.equal(runCli(['show', 'a.pem', 'b.pem'], { cwd: dir.path }).code, 2);
  assert.equal(runCli(['show', 'full.pem', '--format', 'yaml'], { cwd: dir.path }).code, 2);
});

test('fullchain: writes leaf + intermediate (not the root) to a new file that openssl verifies; never overwrites', () => {
  const dir = pkiFolder();
  const run = runCli(['fullchain', 'leaf.pem'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const written = dir.file('leaf.fullchain.pem');
  assert.equal(readFileSync(written, 'utf8'), chainPem(leaf, intermediate));
  const verify = spawnSync('openssl', ['verify', '-CAfile', dir.file('root.pem'), '-untrusted', written, written], { encoding: 'utf8' });
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);

  const again = runCli(['fullchain', 'leaf.pem'], { cwd: dir.path });
  assert.equal(again.code, 0);
  assert.match(again.stdout, /leaf\.fullchain-2\.pem/, 'a fresh name, the first file untouched');
  writeFileSync(dir.file('mine.pem'), 'mine\n');
  const refused = runCli(['fullchain', 'leaf.pem', '--out', 'mine.pem'], { cwd: dir.path });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /refusing to overwrite/);
  assert.equal(readFileSync(dir.file('mine.pem'), 'utf8'), 'mine\n');
  assert.equal(runCli(['fullchain', 'leaf.pem', '--out', 'mine.pem', '--force'], { cwd: dir.path }).code, 0);
  assert.equal(readFileSync(dir.file('mine.pem'), 'utf8'), chainPem(leaf, intermediate));
});

test('fullchain: an issuer nowhere to be found writes what there is and says so (exit 1)', () => {
  const dir = makeTempDir();
  dir.write({ 'leaf.pem': leaf.pem });
  const run = runCli(['fullchain', 'leaf.pem'], { cwd: dir.path });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /warning: the issuer of 'sip\.example\.com' was not found/);
  const fromCa = runCli(['fullchain', 'leaf.pem', '--ca', '/nonexistent.pem'], { cwd: dir.path });
  assert.equal(fromCa.code, 1);
});
