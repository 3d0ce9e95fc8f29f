// The key derivation budget through the real CLI and the real language server: a repository with
// keys whose headers ask for 2^31 − 1 PBKDF2 iterations (and scrypt past the work budget), in
// tls.cfg profiles with private_key_password. `check` finishes at once and says what it did not
// decrypt; it used to run for minutes per key.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCliAsync } from '../helpers/cli';
import { makeTempDir, lines } from '../helpers/tempDir';
import { TestPki, P256, chainPem, standardChain } from '../fixtures/pki';
import { cheapSpec, encryptedPkcs8, type KdfSpec } from '../fixtures/encryptedKeys';

const HOSTILE: KdfSpec[] = [
  { kind: 'pbkdf2', iterations: 2 ** 31 - 1, prf: 'sha256' },
  { kind: 'pbkdf2', iterations: 2 ** 31 - 1, prf: 'sha512' },
  { kind: 'pkcs12-3des', iterations: 2 ** 31 - 1 },
  { kind: 'scrypt', n: 16384, r: 8, p: 2 ** 10 },
];

test('check on a repository of hostile encrypted keys finishes at once and reports each (JSON)', { timeout: 120_000 }, async () => {
  const dir = makeTempDir();
  try {
    const pki = new TestPki(new Date());
    const c = standardChain(pki, P256, 'sip.example.com');
    const profiles: string[] = [];
    const files: Record<string, string> = { 'certs/server.pem': chainPem(c.leaf, c.intermediate), 'certs/root.pem': c.root.pem };
    HOSTILE.forEach((spec, i) => {
      files[`certs/k${i}.key`] = encryptedPkcs8(c.leaf.privateKey, 'secret', cheapSpec(spec.kind), spec);
      profiles.push(`[server:127.0.0.${i + 1}:5061]`, 'method = TLSv1.2+', 'certificate = certs/server.pem', `private_key = certs/k${i}.key`, 'private_key_password = secret', '');
    });
    files['tls.cfg'] = lines('[server:default]', 'method = TLSv1.2+', 'certificate = certs/server.pem', 'private_key = certs/k0.key', 'private_key_password = secret', '', ...profiles);
    files['kamailio.cfg'] = lines('#!KAMAILIO', 'enable_tls=yes', ...HOSTILE.map((_, i) => `listen=tls:127.0.0.${i + 1}:5061`), 'loadmodule "tls.so"', 'modparam("tls", "config", "tls.cfg")');
    dir.write(files);
    const run = await runCliAsync(['check', dir.path, '--format', 'json', '--kamailio-version', '6.0', '--trust', dir.file('certs/root.pem')], { cwd: dir.path });
    assert.ok(run.ms < 20_000, `a hang guard: ${run.ms} ms`);
    assert.equal(run.code, 0, run.stderr);
    const report = JSON.parse(run.stdout) as { diagnostics: { code: string; severity: string; message: string; range: { start: { line: number } } }[] };
    const costs = report.diagnostics.filter((d) => d.code === 'key.decryption-cost');
    assert.equal(costs.length, HOSTILE.length + 1, JSON.stringify(report.diagnostics.map((d) => `${d.code} ${d.message.slice(0, 80)}`)));
    assert.deepEqual(costs.map((d) => d.range.start.line).sort((a, b) => a - b), [3, 9, 15, 21, 27]);
    for (const d of costs) {
      assert.equal(d.severity, 'warning');
      assert.match(d.message, /(2,147,483,647 iterations, more than the 1,000,000 iterations|N × r × p = 134,217,728, more than the 1,048,576) sip-tls runs per key/);
    }
  } finally {
    dir.remove();
  }
});
