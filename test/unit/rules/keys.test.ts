// key.*: what the key file holds, every container, encrypted keys against the Kamailio version
// and the password, and the match with the first certificate (with a fix to a matching key).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, newKey, RSA2048, P256, P384, P521, ED25519, describeSpec } from '../../fixtures/pki';
import { r } from '../helpers';
import { ANCHOR, DIR, NOW, TLS, applyFix, deploy, none, pki, redeploy, serverProfile, show, single } from './certHarness';

const P = new TestPki(NOW);
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const KEY_RANGE = r(3, 14, 3, 30);
const anchors = { settings: { trustAnchors: [ANCHOR] } };
const chain = standardChain(P, RSA2048, 'keys.example.com');
const base = { [CERT]: chainPem(chain.leaf, chain.intermediate), [ANCHOR]: chain.root.pem };

test('every key container is read: PKCS#1, PKCS#8, SEC1 (RSA, ECDSA, Ed25519) — no finding', () => {
  for (const [spec, formats] of [
    [RSA2048, ['pkcs1', 'pkcs8']],
    [P256, ['sec1', 'pkcs8']],
    [P521, ['sec1', 'pkcs8']],
    [ED25519, ['pkcs8']],
  ] as const) {
    const c = standardChain(P, spec, `container-${spec.type}.example.com`);
    for (const format of formats) {
      const d = deploy(serverProfile(), { [CERT]: chainPem(c.leaf, c.intermediate), [KEY]: keyPem(c.leaf.privateKey, format), [ANCHOR]: c.root.pem }, anchors);
      assert.deepEqual(d.findings, [], `${describeSpec(spec)} ${format}: ${show(d.findings)}`);
    }
  }
});

test('key.unreadable: says what the file holds instead of a private key, on the private_key value', () => {
  const pub = chain.leaf.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const cases: [string | Uint8Array, RegExp][] = [
    [chain.leaf.pem, /holds a certificate, no private key \(a certificate file given as private_key\?\)/],
    ['junk\n', /holds text without any PEM block/],
    [new Uint8Array(chain.leaf.privateKey.export({ type: 'pkcs8', format: 'der' })), /is a DER \(binary\) private key, and Kamailio reads PEM only \(convert it: openssl pkey -inform der -in server\.key -out server\.pem\)/],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n', /an OpenSSH private key.*ssh-keygen -p -m PKCS8/],
    [pub, /a public key \(not a private key\).*the public half only/],
    [chain.leaf.pem.split('\n').slice(0, 3).join('\n') + '\n' + keyPem(chain.leaf.privateKey), /is damaged: the CERTIFICATE block at line 1 has no "-----END CERTIFICATE-----" line/],
    ['-----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n', /is damaged: the PRIVATE KEY block at line 1 does not parse/],
  ];
  for (const [content, message] of cases) {
    const d = deploy(serverProfile(), { ...base, [KEY]: content }, anchors);
    const f = single(d.findings, 'key.unreadable');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, KEY_RANGE);
    assert.match(f.message, message);
    assert.match(f.message, /Kamailio will refuse to start \("TLSs<default>: Unable to load private key '\/etc\/kamailio\/certs\/server\.key'"\)/);
    none(d.findings, 'key.mismatch');
  }
});

test('key.unreadable: an omitted private_key reads cert.pem; a cert.pem without a key says how to fix it', () => {
  const tls = '[server:default]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\n';
  const d = deploy(tls, { ...base, [`${DIR}/cert.pem`]: chain.leaf.pem }, anchors);
  const f = single(d.findings, 'key.unreadable');
  assert.deepEqual(f.range, r(0, 0, 0, 16), 'on the header: no private_key line to point at');
  assert.match(f.message, /the built-in key file cert\.pem \(\/etc\/kamailio\/cert\.pem\).*without a private_key option Kamailio reads the key from cert\.pem/);
});

test('key.encrypted: no password, a wrong password, the right one on 6.0, any password on 5.6', () => {
  const files = { ...base, [KEY]: keyPem(chain.leaf.privateKey, 'pkcs8', 'correct horse') };
  const noPassword = single(deploy(serverProfile(), files, anchors).findings, 'key.encrypted');
  assert.deepEqual(noPassword.range, KEY_RANGE);
  assert.match(noPassword.message, /the private key at line 1 is encrypted \(PKCS#8\) and the profile has no private_key_password: Kamailio cannot decrypt it unattended and will refuse to start/);
  const wrong = single(deploy(serverProfile('private_key_password = battery staple\n'), files, anchors).findings, 'key.encrypted');
  assert.match(wrong.message, /private_key_password does not decrypt it \(bad decrypt\)/);
  assert.ok(!wrong.message.includes('battery staple'), 'the password is never echoed');
  assert.deepEqual(wrong.related![0]!.range, r(4, 0, 4, 20));
  const right = deploy(serverProfile('private_key_password = "correct horse"\n'), files, { settings: { trustAnchors: [ANCHOR], version: '6.0' } });
  assert.deepEqual(right.findings, [], show(right.findings));
  const legacy = { ...base, [KEY]: keyPem(chain.leaf.privateKey, 'pkcs1', 'pw123456') };
  none(deploy(serverProfile('private_key_password = pw123456\n'), legacy, anchors).findings);
  const old = deploy(serverProfile('private_key_password = pw123456\n'), legacy, { settings: { trustAnchors: [ANCHOR], version: '5.6' } });
  const f = single(old.findings, 'key.encrypted');
  assert.match(f.message, /encrypted \(AES-256-CBC\); Kamailio 5\.6 has no private_key_password \(it needs 6\.0\) and asks for the pass phrase on a terminal at start-up, so it cannot start unattended/);
  single(old.findings, 'tlscfg.version-gated');
  // With the password the key is matched against the certificate too.
  const other = newKey(RSA2048, true);
  const mismatch = deploy(serverProfile('private_key_password = pw123456\n'), { ...base, [KEY]: keyPem(other.privateKey, 'pkcs1', 'pw123456') }, anchors);
  single(mismatch.findings, 'key.mismatch');
});

test('key.encrypted in modparam mode: the private_key_password modparam is not applied', () => {
  const kam = `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "tls_method", "TLSv1.2+")\nmodparam("tls", "certificate", "certs/server.pem")\nmodparam("tls", "private_key", "certs/server.key")\nmodparam("tls", "private_key_password", "secret")\n`;
  const d = deploy(undefined, { [`${DIR}/kamailio.cfg`]: kam, ...base, [KEY]: keyPem(chain.leaf.privateKey, 'pkcs8', 'secret') }, anchors);
  const f = single(d.findings, 'key.encrypted');
  assert.match(f.message, /not applied to the profiles built from modparams/);
});

for (const spec of [RSA2048, P256, P384, ED25519]) {
  test(`key.mismatch (${describeSpec(spec)}): "key values mismatch", with a fix to the matching key beside the certificate`, () => {
    const c = standardChain(P, spec, `mismatch-${spec.type}.example.com`);
    const stranger = newKey(spec, true);
    const files = {
      [CERT]: chainPem(c.leaf, c.intermediate),
      [KEY]: keyPem(stranger.privateKey),
      [`${DIR}/certs/other.pem`]: 'unrelated\n',
      [`${DIR}/certs/right.key`]: keyPem(c.leaf.privateKey, spec.type === 'ec' ? 'sec1' : 'pkcs8'),
      [ANCHOR]: c.root.pem,
    };
    const d = deploy(serverProfile(), files, anchors);
    const f = single(d.findings, 'key.mismatch');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, KEY_RANGE);
    assert.match(f.message, new RegExp(`this ${describeSpec(spec).replace(/[()]/g, '')} key does not belong to 'mismatch-${spec.type}\\.example\\.com'.*Kamailio will refuse to start: key values mismatch`));
    assert.equal(pki(d.findings).length, 1, show(d.findings));
    const fx = f.fixes![0]!;
    assert.equal(fx.title, 'Use the matching key right.key');
    assert.deepEqual(fx.edits, [{ file: TLS, range: KEY_RANGE, newText: 'certs/right.key' }]);
    const after = redeploy(applyFix(d.files, fx), anchors);
    assert.deepEqual(after.findings, [], show(after.findings));
  });
}

test('key.mismatch: an omitted private_key reads cert.pem; the fix inserts private_key naming the combined file', () => {
  const stranger = newKey(RSA2048, true);
  const combined = `${DIR}/certs/combined.pem`;
  const tls = '[server:default]\nmethod = TLSv1.2+\ncertificate = certs/combined.pem\n';
  const d = deploy(tls, { [combined]: chainPem(chain.leaf, chain.intermediate) + keyPem(chain.leaf.privateKey), [`${DIR}/cert.pem`]: keyPem(stranger.privateKey), [ANCHOR]: chain.root.pem }, anchors);
  const f = single(d.findings, 'key.mismatch');
  assert.deepEqual(f.range, r(0, 0, 0, 16));
  assert.deepEqual(f.fixes![0]!.edits, [{ file: TLS, range: r(1, 0, 1, 0), newText: 'private_key = certs/combined.pem\n' }]);
  const after = redeploy(applyFix(d.files, f.fixes![0]!), anchors);
  assert.deepEqual(after.findings, [], show(after.findings));
});

test('key.mismatch: a key of another type mirrors Kamailio\'s other log line; client profiles are checked too', () => {
  const ec = newKey(P256, true);
  const other = single(deploy(serverProfile(), { ...base, [KEY]: keyPem(ec.privateKey, 'sec1') }, anchors).findings, 'key.mismatch');
  assert.match(other.message, /this ECDSA P-256 key does not belong to 'keys\.example\.com' \(RSA 2048\).*\("TLSs<default>: Key '\/etc\/kamailio\/certs\/server\.key' does not match the public key of the certificate"\)/);
  assert.ok(!other.message.includes('key values mismatch'));
  const client = P.leaf(chain.intermediate, 'client.example.com', { eku: ['clientAuth'] });
  const tls = `${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = ${ANCHOR}\ncertificate = certs/client.pem\nprivate_key = certs/client.key\n`;
  const files = { ...base, [KEY]: keyPem(chain.leaf.privateKey), [`${DIR}/certs/client.pem`]: chainPem(client, chain.intermediate), [`${DIR}/certs/client.key`]: keyPem(newKey(RSA2048, true).privateKey) };
  const f = single(deploy(tls, files, anchors).findings, 'key.mismatch');
  assert.deepEqual(f.range, r(10, 14, 10, 30));
  assert.match(f.message, /\[client:default\]: private_key \/etc\/kamailio\/certs\/client\.key.*key values mismatch \("TLSc<default>: Unable to load private key/);
});

// Kamailio 5.6.3 (ORACLE-NOTES.md "A missing private_key"): with certificate set and private_key
// omitted the key comes from the built-in cert.pem, even when the certificate file holds the key;
// without cert.pem it logs "load_private_key(): TLSs<default>: Unable to load private key …".
test('an omitted private_key without cert.pem: Kamailio\'s key wording; a combined PEM gets a fix', () => {
  const combined = chainPem(chain.leaf, chain.intermediate) + keyPem(chain.leaf.privateKey);
  const tls = '[server:default]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\n';
  const d = deploy(tls, { ...base, [CERT]: combined }, anchors);
  const f = single(d.findings, 'path.not-found');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, r(0, 0, 0, 16));
  assert.equal(
    f.message,
    `[server:default] sets no private_key, so Kamailio loads its built-in default cert.pem beside kamailio.cfg (/etc/kamailio/cert.pem), and it does not exist: Kamailio will refuse to start ("TLSs<default>: Unable to load private key file '/etc/kamailio/cert.pem'"). certs/server.pem holds its private key too, but Kamailio never takes the key from the certificate file: set private_key = certs/server.pem.`,
  );
  const fixed = redeploy(applyFix(d.files, f.fixes![0]!), anchors);
  assert.equal((fixed.files[TLS] as string).split('\n')[3], 'private_key = certs/server.pem');
  none(fixed.findings.filter((x) => x.severity === 'error'));
  // A certificate without its key: the same wording, no fix.
  const plain = single(deploy(tls, base, anchors).findings, 'path.not-found');
  assert.match(plain.message, /\("TLSs<default>: Unable to load private key file '\/etc\/kamailio\/cert\.pem'"\)\.$/);
  assert.equal(plain.fixes, undefined);
  // Without certificate either, Kamailio fails on the certificate first.
  assert.match(single(deploy('[server:default]\nmethod = TLSv1.2+\n', base, anchors).findings, 'path.not-found').message, /Unable to load certificate file '\/etc\/kamailio\/cert\.pem'/);
});

test('an address profile without private_key (tlscfg.no-inherit) uses the key wording too, fix first', () => {
  const combined = chainPem(chain.leaf, chain.intermediate) + keyPem(chain.leaf.privateKey);
  const kam = `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "${TLS}")\n`;
  const tls = serverProfile() + '\n[server:127.0.0.1:5061]\nmethod = TLSv1.2+\ncertificate = certs/combined.pem\n';
  const d = deploy(tls, { [`${DIR}/kamailio.cfg`]: kam, ...base, [KEY]: keyPem(chain.leaf.privateKey), [`${DIR}/certs/combined.pem`]: combined }, anchors);
  const f = single(d.findings, 'tlscfg.no-inherit');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, r(5, 0, 5, 23));
  assert.match(f.message, /so Kamailio will refuse to start \("TLSs<127\.0\.0\.1:5061>: Unable to load private key file '\/etc\/kamailio\/cert\.pem'"\)/);
  assert.match(f.message, /certs\/combined\.pem holds its private key too/);
  assert.deepEqual(f.fixes!.map((x) => [x.title, x.isPreferred ?? false]), [
    ['Insert private_key = certs/combined.pem', true],
    ['Copy private_key from [server:default]', false],
  ]);
  assert.deepEqual(f.fixes![0]!.edits[0]!.range, r(8, 0, 8, 0));
});
