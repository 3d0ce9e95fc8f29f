// cert.* and chain.*: a fixture matrix over the in-memory host (RSA, ECDSA, Ed25519, mixed
// chains), exact ranges, Kamailio's wording where it fails, and fixes applied and re-checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, newKey, days, RSA2048, RSA1024, P192, P256, P384, ED25519, describeSpec } from '../../fixtures/pki';
import { r } from '../helpers';
import { ANCHOR, DIR, KAM, KAM_TEXT, NOW, TLS, applyFix, deploy, none, pki, redeploy, serverProfile, show, single } from './certHarness';
import { DEFAULT_PLATFORM, lookupPlatform } from '../../../server/src/core/platform';

const P = new TestPki(NOW);
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const CERT_RANGE = r(2, 14, 2, 30);
const trustRoot = (root: { pem: string }) => ({ [ANCHOR]: root.pem });
const anchors = { settings: { trustAnchors: [ANCHOR] } };

// ---- clean configurations: nothing from any family ------------------------------------------

for (const [name, leafKey, chainKey] of [
  ['RSA', RSA2048, RSA2048],
  ['ECDSA P-256', P256, P256],
  ['ECDSA P-384 leaf under an RSA chain', P384, RSA2048],
  ['Ed25519', ED25519, ED25519],
] as const) {
  test(`clean: ${name} fullchain + key, root in the trust anchors — no finding at all`, () => {
    const { root, intermediate } = standardChain(P, chainKey, 'unused.example.com');
    const leaf = P.leaf(intermediate, 'sip.example.com', { key: leafKey });
    const d = deploy(serverProfile(), { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors);
    assert.deepEqual(d.findings, [], show(d.findings));
  });
}

test('clean: root in a ca_list of the configuration instead of trust anchors; mutual TLS both ways', () => {
  const { root, intermediate, leaf } = standardChain(P, RSA2048, 'mtls.example.com');
  const client = P.leaf(intermediate, 'client.example.com', { eku: ['clientAuth'] });
  const tls =
    serverProfile('verify_certificate = yes\nrequire_certificate = yes\nca_list = certs/ca.pem\n') +
    '\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = certs/ca.pem\ncertificate = certs/client.pem\nprivate_key = certs/client.key\n';
  const d = deploy(tls, {
    [CERT]: chainPem(leaf, intermediate),
    [KEY]: keyPem(leaf.privateKey, 'pkcs1'),
    [`${DIR}/certs/ca.pem`]: root.pem,
    [`${DIR}/certs/client.pem`]: chainPem(client, intermediate),
    [`${DIR}/certs/client.key`]: keyPem(client.privateKey),
  });
  assert.deepEqual(d.findings, [], show(d.findings));
});

test('clean: relative paths resolve from the main kamailio.cfg folder even when tls.cfg lives elsewhere', () => {
  const { root, intermediate, leaf } = standardChain(P, P256, 'rel.example.com');
  const tlsPath = `${DIR}/tls/tls.cfg`;
  const kam = KAM_TEXT.replace(TLS, tlsPath);
  const d = deploy(undefined, { [KAM]: kam, [tlsPath]: serverProfile(), [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey, 'sec1'), ...trustRoot(root) }, { ...anchors, check: [KAM, tlsPath] });
  assert.deepEqual(d.findings, [], show(d.findings));
});

test('clean: certificate and key in one file, in either order; the built-in cert.pem when both are omitted', () => {
  const { root, intermediate, leaf } = standardChain(P, RSA2048, 'combined.example.com');
  for (const content of [chainPem(leaf, intermediate) + keyPem(leaf.privateKey), keyPem(leaf.privateKey) + chainPem(leaf, intermediate)]) {
    const both = deploy(serverProfile('', 'certs/combined.pem', 'certs/combined.pem'), { [`${DIR}/certs/combined.pem`]: content, ...trustRoot(root) }, anchors);
    assert.deepEqual(both.findings, [], show(both.findings));
    const implicit = deploy('[server:default]\nmethod = TLSv1.2+\n', { [`${DIR}/cert.pem`]: content, ...trustRoot(root) }, anchors);
    assert.deepEqual(implicit.findings, [], show(implicit.findings));
  }
});

// ---- cert.unreadable --------------------------------------------------------------------------

test('cert.unreadable: says what the file holds instead of a PEM certificate, on the value', () => {
  const { leaf } = standardChain(P, RSA2048, 'unreadable.example.com');
  const cases: [string | Uint8Array, RegExp][] = [
    ['', /holds nothing \(the file is empty\), no certificate/],
    ['garbage\n', /holds text without any PEM block \(no '-----BEGIN' line\), no certificate/],
    [leaf.der, /is a DER \(binary\) certificate for unreadable\.example\.com, and Kamailio reads PEM only \(convert it: openssl x509 -inform der -in server\.pem -out server\.pem\)/],
    [keyPem(leaf.privateKey), /holds an RSA 2048 private key \(PKCS#8\), no certificate \(a key file given as certificate\?\)/],
    [leaf.pem + leaf.pem.slice(0, 100), /is damaged: the CERTIFICATE block at line \d+ has no "-----END CERTIFICATE-----" line \(truncated\), and OpenSSL stops reading the chain there/],
    ['-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n', /certificate request \(CSR\).*send the CSR to the CA/],
  ];
  for (const [content, message] of cases) {
    const d = deploy(serverProfile(), { [CERT]: content, [KEY]: keyPem(leaf.privateKey) });
    const f = single(d.findings, 'cert.unreadable');
    assert.equal(f.severity, 'error');
    assert.equal(f.file, TLS);
    assert.deepEqual(f.range, CERT_RANGE);
    assert.match(f.message, message);
    assert.match(f.message, /Kamailio will refuse to start \("TLSs<default>: Unable to load certificate file '\/etc\/kamailio\/certs\/server\.pem'"\)/);
    assert.ok(!/BEGIN PRIVATE|MII/.test(f.message), 'no key material in messages');
  }
});

test('cert.unreadable: the built-in cert.pem is judged on the profile header; a missing file is left to path.*', () => {
  const d = deploy('[server:default]\nmethod = TLSv1.2+\n', { [`${DIR}/cert.pem`]: 'not a certificate\n' });
  const f = single(d.findings, 'cert.unreadable');
  assert.deepEqual(f.range, r(0, 0, 0, 16));
  assert.match(f.message, /the built-in certificate file cert\.pem \(\/etc\/kamailio\/cert\.pem\)/);
  single(d.findings, 'key.unreadable');
  const missing = deploy(serverProfile(), {});
  assert.deepEqual(pki(missing.findings), [], 'path.not-found says it');
  // No [server:default] at all: Kamailio creates one with cert.pem.
  const implicit = deploy('[server:127.0.0.1:5061]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/server.key\n', {
    [`${DIR}/cert.pem`]: 'junk\n',
    [CERT]: 'junk\n',
    [KEY]: 'junk\n',
  });
  const onHeader = implicit.findings.filter((x) => x.code === 'cert.unreadable');
  assert.equal(onHeader.length, 2, show(implicit.findings));
  assert.ok(onHeader.some((x) => /implicit \[server:default\]/.test(x.message) && x.range.start.line === 0));
});

test('cert.unreadable (warning): a file over 1 MiB is not examined', () => {
  const d = deploy(serverProfile(), { [CERT]: 'x'.repeat(1024 * 1024 + 1), [KEY]: 'y' });
  const f = single(d.findings, 'cert.unreadable');
  assert.equal(f.severity, 'warning');
  assert.match(f.message, /is 1048577 bytes/);
});

// ---- validity, with the injectable clock -------------------------------------------------------

test('cert.expired / cert.not-yet-valid / cert.expiring-soon follow the host clock and name the certificate', () => {
  const { root, intermediate, leaf } = standardChain(P, RSA2048, 'dates.example.com', { notAfter: days(20, NOW) });
  const files = { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) };
  const soon = single(deploy(serverProfile(), files, anchors).findings, 'cert.expiring-soon');
  assert.equal(soon.severity, 'warning');
  assert.deepEqual(soon.range, CERT_RANGE);
  assert.match(soon.message, /the leaf certificate 'dates\.example\.com' expires on 2026-02-04, in 20 days \(the warning threshold is 30 days\)/);
  none(deploy(serverProfile(), files, { settings: { trustAnchors: [ANCHOR], expiryDays: 10 } }).findings, 'cert.expiring-soon');
  // The same files 25 days later.
  const later = deploy(serverProfile(), files, { ...anchors, now: days(25, NOW) });
  const expired = single(later.findings, 'cert.expired');
  assert.match(expired.message, /'dates\.example\.com' expired on 2026-02-04 \(5 days ago\).*"certificate has expired"/);
  none(later.findings, 'cert.expiring-soon');
  // And before it was issued.
  const before = deploy(serverProfile(), files, { ...anchors, now: days(-3, NOW) });
  const nyv = before.findings.filter((f) => f.code === 'cert.not-yet-valid');
  assert.equal(nyv.length, 2, 'the leaf and the intermediate');
  assert.match(nyv[0]!.message, /the leaf certificate 'dates\.example\.com' is valid only from 2026-01-14T12:00:00Z \(in 2 days\)/);
  assert.match(nyv[1]!.message, /the intermediate certificate 'Test Intermediate CA \(RSA 2048\)' is valid only from/);
  // Every certificate of the presented chain counts: an expired intermediate is named.
  const oldInt = P.intermediate(root, 'Expired Intermediate', { notBefore: days(-400, NOW), notAfter: days(-2, NOW) });
  const leaf2 = P.leaf(oldInt, 'dates2.example.com');
  const e2 = single(deploy(serverProfile(), { [CERT]: chainPem(leaf2, oldInt), [KEY]: keyPem(leaf2.privateKey), ...trustRoot(root) }, anchors).findings, 'cert.expired');
  assert.match(e2.message, /the intermediate certificate 'Expired Intermediate' expired on 2026-01-13 \(2 days ago\)/);
});

// ---- self-signed, purpose, names -----------------------------------------------------------------

test('cert.self-signed: a warning, unless the trust anchors or a ca_list hold it', () => {
  const ss = P.selfSigned('self.example.com');
  const files = { [CERT]: ss.pem, [KEY]: keyPem(ss.privateKey) };
  const d = deploy(serverProfile(), files);
  const f = single(d.findings, 'cert.self-signed');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, CERT_RANGE);
  assert.match(f.message, /'self\.example\.com' is self-signed: Kamailio starts, but carriers, phones and other peers reject it/);
  none(d.findings, 'chain.untrusted');
  assert.deepEqual(pki(deploy(serverProfile(), { ...files, [ANCHOR]: ss.pem }, anchors).findings), []);
  assert.deepEqual(pki(deploy(serverProfile('ca_list = certs/server.pem\n'), files).findings), []);
});

test('cert.purpose: EKU without serverAuth on a server profile, without clientAuth on a client profile, a CA key usage on the leaf', () => {
  const { root, intermediate } = standardChain(P, P256, 'purpose.example.com');
  const clientOnly = P.leaf(intermediate, 'client-only.example.com', { eku: ['clientAuth'] });
  const base = { ...trustRoot(root) };
  const s = single(deploy(serverProfile(), { ...base, [CERT]: chainPem(clientOnly, intermediate), [KEY]: keyPem(clientOnly.privateKey) }, anchors).findings, 'cert.purpose');
  assert.equal(s.severity, 'error', 'every OpenSSL/Node peer refuses it');
  assert.match(s.message, /does not fit a server profile: its extended key usage \(clientAuth\) lacks serverAuth/);
  const serverOnly = P.leaf(intermediate, 'server-only.example.com', { eku: ['serverAuth'] });
  const client = `${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = ${ANCHOR}\ncertificate = certs/client.pem\nprivate_key = certs/client.key\n`;
  const { leaf } = standardChain(P, RSA2048, 'srv.example.com');
  const c = deploy(client, { ...base, [CERT]: chainPem(leaf), [KEY]: keyPem(leaf.privateKey), [`${DIR}/certs/client.pem`]: chainPem(serverOnly, intermediate), [`${DIR}/certs/client.key`]: keyPem(serverOnly.privateKey) }, anchors);
  const cf = c.findings.filter((x) => x.code === 'cert.purpose');
  assert.equal(cf.length, 1, show(c.findings));
  assert.match(cf[0]!.message, /\[client:default\].*does not fit a client profile: its extended key usage \(serverAuth\) lacks clientAuth.*mutual TLS/);
  assert.equal(cf[0]!.range.start.line, 9);
  // A CA as the leaf with a CA's key usage (keyCertSign, cRLSign): refused for the key usage.
  const caLeaf = P.intermediate(root, 'ca-as-leaf.example.com', { dns: ['ca-as-leaf.example.com'] });
  // keyCertSign + cRLSign only: peers refuse it for the key usage (INVALID_PURPOSE), not for CA:TRUE.
  const ca = single(deploy(serverProfile(), { ...base, [CERT]: chainPem(caLeaf), [KEY]: keyPem(caLeaf.privateKey) }, anchors).findings, 'cert.purpose');
  assert.match(ca.message, /its key usage allows no TLS use \(no digitalSignature, keyEncipherment or keyAgreement\), so peers refuse it\.$/);
  assert.equal(ca.severity, 'error');
  // With TLS key usages and serverAuth, OpenSSL and GnuTLS peers accept it (oracle case
  // cert-ca-leaf-tls-key-usage): not cert.purpose at all, but the cert.ca-as-leaf warning.
  const tlsCa = P.intermediate(root, 'tls-ca.example.com', { dns: ['tls-ca.example.com'], keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], eku: ['serverAuth'] });
  const tlsCaFindings = deploy(serverProfile(), { ...base, [CERT]: chainPem(tlsCa), [KEY]: keyPem(tlsCa.privateKey) }, anchors).findings;
  none(tlsCaFindings, 'cert.purpose');
  assert.equal(single(tlsCaFindings, 'cert.ca-as-leaf').severity, 'warning');
  // A key usage without digitalSignature on an EC key: a warning.
  const noSig = P.leaf(intermediate, 'nosig.example.com', { key: P256, keyUsage: ['keyAgreement'] });
  const w = single(deploy(serverProfile(), { ...base, [CERT]: chainPem(noSig, intermediate), [KEY]: keyPem(noSig.privateKey) }, anchors).findings, 'cert.purpose');
  assert.equal(w.severity, 'warning');
  assert.match(w.message, /key usage lacks digitalSignature/);
});

test('cert.name-mismatch: server_name honouring server_name_mode; names covered vs wanted', () => {
  const { root, intermediate } = standardChain(P, RSA2048, 'names.example.com');
  const leaf = P.leaf(intermediate, 'sip.example.com', { dns: ['sip.example.com'] });
  const files = { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) };
  none(deploy(serverProfile('server_name = sip.example.com\n'), files, anchors).findings, 'cert.name-mismatch');
  const wrong = single(deploy(serverProfile('server_name = voip.example.org\n'), files, anchors).findings, 'cert.name-mismatch');
  assert.equal(wrong.severity, 'error');
  assert.deepEqual(wrong.range, CERT_RANGE);
  assert.match(wrong.message, /'sip\.example\.com' covers sip\.example\.com, not voip\.example\.org/);
  assert.deepEqual(wrong.related![0]!.range, r(4, 14, 4, 30));
  const mode1 = single(deploy(serverProfile('server_name = sip.example.com\nserver_name_mode = 1\n'), files, anchors).findings, 'cert.name-mismatch');
  assert.equal(mode1.severity, 'warning', 'the name itself is covered, its subdomains are not');
  assert.match(mode1.message, /not sip\.example\.com and its subdomains \(server_name_mode = 1\)/);
  const mode2 = single(deploy(serverProfile('server_name = sip.example.com\nserver_name_mode = 2\n'), files, anchors).findings, 'cert.name-mismatch');
  assert.match(mode2.message, /not the subdomains of sip\.example\.com/);
  const wild = P.leaf(intermediate, 'wild.example.com', { dns: ['*.example.com', 'example.com'] });
  const wf = { [CERT]: chainPem(wild, intermediate), [KEY]: keyPem(wild.privateKey), ...trustRoot(root) };
  none(deploy(serverProfile('server_name = example.com\nserver_name_mode = 1\n'), wf, anchors).findings, 'cert.name-mismatch');
  none(deploy(serverProfile('server_name = a.example.com\nserver_name_mode = 7\n'), wf, anchors).findings, 'cert.name-mismatch');
});

test('cert.name-mismatch: SIP domains and alias= host names no server certificate covers, on the default profile', () => {
  const { root, intermediate } = standardChain(P, P256, 'domains.example.com');
  const leaf = P.leaf(intermediate, 'sip.example.com', { key: P256 });
  const other = P.leaf(intermediate, 'voip.example.net', { key: P256 });
  const files = { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) };
  const kam = KAM_TEXT + 'alias=voip.example.net\nalias=192.0.2.1\nalias=localhost\n';
  const d = deploy(serverProfile(), { ...files, [KAM]: kam }, { settings: { trustAnchors: [ANCHOR], sipDomains: ['sip.example.com', 'pbx.example.org'] } });
  const f = single(d.findings, 'cert.name-mismatch');
  assert.deepEqual(f.range, CERT_RANGE);
  assert.match(f.message, /covers sip\.example\.com, not the SIP domains pbx\.example\.org \(sipTls\.sipDomains\), voip\.example\.net \(alias=voip\.example\.net\)/);
  assert.equal(f.related![0]!.file, KAM);
  // An SNI profile with a certificate for the alias takes it off the default profile's list.
  const sni = `${serverProfile()}\n[server:any]\nmethod = TLSv1.2+\nserver_name = voip.example.net\ncertificate = certs/voip.pem\nprivate_key = certs/voip.key\n`;
  const d2 = deploy(sni, { ...files, [KAM]: kam, [`${DIR}/certs/voip.pem`]: chainPem(other, intermediate), [`${DIR}/certs/voip.key`]: keyPem(other.privateKey) }, anchors);
  none(d2.findings, 'cert.name-mismatch');
});

// ---- OpenSSL security level ----------------------------------------------------------------

test('cert.weak-key: RSA 1024 leaf ("ee key too small"), RSA 1024 intermediate ("ca key too small"), P-192', () => {
  const root = P.root('Weak Root');
  const weakInt = P.intermediate(root, 'Weak Intermediate', { key: RSA1024 });
  const leaf = P.leaf(weakInt, 'weak.example.com', { key: RSA1024 });
  const d = deploy(serverProfile(), { [CERT]: chainPem(leaf, weakInt), [KEY]: keyPem(leaf.privateKey), [ANCHOR]: root.pem }, anchors);
  const weak = d.findings.filter((f) => f.code === 'cert.weak-key');
  assert.equal(weak.length, 2, show(d.findings));
  assert.match(weak[0]!.message, /the leaf certificate 'weak\.example\.com' has an RSA 1024 key \(80 security bits\).*Kamailio will refuse to start.*"ee key too small"/);
  assert.match(weak[1]!.message, /the intermediate certificate 'Weak Intermediate' has an RSA 1024 key.*"ca key too small"/);
  assert.ok(weak.every((f) => f.severity === 'error'));
  const ec = P.leaf(root, 'p192.example.com', { key: P192 });
  const e = single(deploy(serverProfile(), { [CERT]: ec.pem, [KEY]: keyPem(ec.privateKey), [ANCHOR]: root.pem }, anchors).findings, 'cert.weak-key');
  assert.match(e.message, /ECDSA P-192 key \(96 security bits\)/);
});

test('cert.weak-signature: SHA-1 and MD5 on non-self-signed certificates ("ca md too weak"); a SHA-1 root is exempt', () => {
  const sha1Root = P.root('SHA-1 Root', { hash: 'sha1' });
  const int = P.intermediate(sha1Root, 'SHA-1 Signed Intermediate', { hash: 'sha1' });
  const leaf = P.leaf(int, 'sha1.example.com', { hash: 'md5' });
  const d = deploy(serverProfile(), { [CERT]: chainPem(leaf, int, sha1Root), [KEY]: keyPem(leaf.privateKey), [ANCHOR]: sha1Root.pem }, anchors);
  const weak = d.findings.filter((f) => f.code === 'cert.weak-signature');
  assert.equal(weak.length, 2, show(d.findings));
  assert.match(weak[0]!.message, /'sha1\.example\.com' is signed with md5WithRSAEncryption \(MD5\).*"ca md too weak"/);
  assert.match(weak[1]!.message, /'SHA-1 Signed Intermediate' is signed with sha1WithRSAEncryption/);
  const ecdsa = P.leaf(P.root('EC Root', { key: P256 }), 'ecsha1.example.com', { key: P256, hash: 'sha1' });
  assert.match(single(deploy(serverProfile(), { [CERT]: ecdsa.pem, [KEY]: keyPem(ecdsa.privateKey) }).findings, 'cert.weak-signature').message, /ecdsa-with-SHA1/);
});

test('cert.weak-signature says what the platform does: OpenSSL 3.0 refuses to load it, OpenSSL 3.5 loads it and peers refuse it', () => {
  const leaf = P.leaf(P.root('Platform Root'), 'sha1-platform.example.com', { hash: 'sha1' });
  const files = { [CERT]: leaf.pem, [KEY]: keyPem(leaf.privateKey) };
  const on = (id: string) => single(deploy(serverProfile(), files, { settings: { platform: lookupPlatform(id) ?? DEFAULT_PLATFORM } }).findings, 'cert.weak-signature');
  const d12 = on('debian-12');
  assert.equal(d12.severity, 'error');
  assert.match(d12.message, /OpenSSL 3\.0 refuses MD5 and SHA-1 signatures when Kamailio loads the file: on Debian 12 .*will refuse to start .*"ca md too weak"/);
  const d13 = on('debian-13');
  assert.equal(d13.severity, 'error');
  assert.match(d13.message, /on Debian 13 \(Kamailio 6\.0\.1, OpenSSL 3\.5\) Kamailio loads it and starts, but every peer .*"CA signature digest algorithm too weak"/);
  assert.doesNotMatch(d13.message, /refuse to start/);
  // No platform: both verdicts, and how to get one.
  assert.match(on('openssl-3').message, /with OpenSSL 3\.0 .*refuses to start .*with OpenSSL 3\.5 \(Debian 13\) it starts.*Set the target platform/);
});

// ---- chains ------------------------------------------------------------------------------------

for (const key of [RSA2048, P256]) {
  const label = describeSpec(key);

  test(`chain.incomplete (${label}): intermediate found beside the certificate → fix creates a fullchain; re-check is clean`, () => {
    const { root, intermediate, leaf } = standardChain(P, key, `incomplete-${key.type}.example.com`);
    const files = { [CERT]: leaf.pem, [KEY]: keyPem(leaf.privateKey), [`${DIR}/certs/intermediate.crt`]: intermediate.pem, ...trustRoot(root) };
    const d = deploy(serverProfile(), files, anchors);
    const f = single(d.findings, 'chain.incomplete');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, CERT_RANGE);
    assert.match(f.message, new RegExp(`lacks the intermediate '${intermediate.name.CN!.replace(/[()]/g, '\\$&')}' \\(found in /etc/kamailio/certs/intermediate\\.crt\\).*"unable to get local issuer certificate"`));
    const fx = f.fixes![0]!;
    assert.equal(fx.createFiles![0]!.file, `${DIR}/certs/server.fullchain.pem`);
    assert.equal(fx.createFiles![0]!.content, chainPem(leaf, intermediate));
    assert.deepEqual(fx.edits, [{ file: TLS, range: CERT_RANGE, newText: 'certs/server.fullchain.pem' }]);
    const after = redeploy(applyFix(d.files, fx), anchors);
    assert.deepEqual(after.findings, [], show(after.findings));
  });

  test(`chain.incomplete (${label}): ca_list completes a leaf-only file (auto-chain), not a file with other certificates, not another profile's`, () => {
    const { root, intermediate, leaf } = standardChain(P, key, `calist-${key.type}.example.com`);
    const caFiles = { [`${DIR}/certs/ca.pem`]: chainPem(root, intermediate) };
    // The leaf alone: OpenSSL sends the intermediate from the profile's store (measured on 5.6.3).
    const auto = deploy(serverProfile('verify_certificate = yes\nca_list = certs/ca.pem\n'), { ...caFiles, [CERT]: leaf.pem, [KEY]: keyPem(leaf.privateKey) });
    assert.deepEqual(pki(auto.findings), [], show(auto.findings));
    // Leaf + root: the file has chain certificates, so OpenSSL adds nothing; the fix never overwrites.
    const files = { ...caFiles, [CERT]: chainPem(leaf, root), [KEY]: keyPem(leaf.privateKey), [`${DIR}/certs/server.fullchain.pem`]: 'someone else\'s file\n' };
    const d = deploy(serverProfile('verify_certificate = yes\nca_list = certs/ca.pem\n'), files);
    const f = single(d.findings, 'chain.incomplete');
    assert.match(f.message, /it is in the CA list \/etc\/kamailio\/certs\/ca\.pem, but OpenSSL completes the chain from the CA list only when the certificate file holds the leaf alone, and this one holds another certificate/);
    assert.equal(f.fixes![0]!.createFiles![0]!.file, `${DIR}/certs/server.fullchain-2.pem`);
    assert.equal(f.fixes![0]!.createFiles![0]!.content, chainPem(leaf, intermediate));
    const after = redeploy(applyFix(d.files, f.fixes![0]!));
    assert.deepEqual(pki(after.findings), [], show(after.findings));
    // In another profile's CA list only.
    const tls = `${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = certs/ca.pem\n`;
    const other = single(deploy(tls, { ...caFiles, [CERT]: leaf.pem, [KEY]: keyPem(leaf.privateKey) }).findings, 'chain.incomplete');
    assert.match(other.message, /it is only in \/etc\/kamailio\/certs\/ca\.pem, the CA list of another profile/);
  });

  test(`chain.incomplete (${label}): the issuer is nowhere — no fix, the issuer is named`, () => {
    const { leaf, intermediate } = standardChain(P, key, `lost-${key.type}.example.com`);
    const f = single(deploy(serverProfile(), { [CERT]: leaf.pem, [KEY]: keyPem(leaf.privateKey) }).findings, 'chain.incomplete');
    assert.match(f.message, new RegExp(`the issuer of 'lost-${key.type}\\.example\\.com', '${intermediate.name.CN!.replace(/[()]/g, '\\$&')}', is not in the file`));
    assert.equal(f.fixes, undefined);
  });

  test(`chain.order (${label}): a reversed fullchain is fatal ("key values mismatch"); the fix writes the chain leaf first`, () => {
    const { root, intermediate, leaf } = standardChain(P, key, `reversed-${key.type}.example.com`);
    const d = deploy(serverProfile(), { [CERT]: chainPem(root, intermediate, leaf), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors);
    const f = single(d.findings, 'chain.order');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, CERT_RANGE);
    assert.match(f.message, /starts with '.*Root.*', a CA certificate, but the private key belongs to 'reversed-.*' \(certificate 3 of 3\): Kamailio takes the first certificate as its own, so it will refuse to start \("key values mismatch"\)/);
    none(d.findings, 'key.mismatch');
    const fx = f.fixes![0]!;
    assert.equal(fx.createFiles![0]!.file, `${DIR}/certs/server.ordered.pem`);
    assert.equal(fx.createFiles![0]!.content, chainPem(leaf, intermediate, root));
    const after = redeploy(applyFix(d.files, fx), anchors);
    assert.deepEqual(after.findings, [], show(after.findings));
  });

  test(`chain.intermediate-order (${label}): intermediates out of order or unrelated certificates start, with a warning`, () => {
    const { root, intermediate, leaf: unused } = standardChain(P, key, `order-${key.type}.example.com`);
    void unused;
    const int2 = P.intermediate(intermediate, `Second CA ${label}`, { key, pathLength: 0 });
    const leaf = P.leaf(int2, `swapped-${key.type}.example.com`, { key });
    const d = deploy(serverProfile(), { [CERT]: chainPem(leaf, intermediate, int2), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors);
    none(d.findings, 'chain.order');
    const f = single(d.findings, 'chain.intermediate-order');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /the certificates after the leaf are not in chain order \('swapped-.*' is certificate 1, 'Second CA .*' is certificate 3, 'Test Intermediate CA .*' is certificate 2\): Kamailio starts/);
    const after = redeploy(applyFix(d.files, f.fixes![0]!), anchors);
    assert.deepEqual(after.findings, [], show(after.findings));
    const stray = P.selfSigned(`stray-${key.type}.example.com`, { key });
    const e = single(deploy(serverProfile(), { [CERT]: chainPem(leaf, int2, intermediate, stray), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors).findings, 'chain.intermediate-order');
    assert.match(e.message, /it holds a certificate that is not on the chain of 'swapped-.*' \('stray-.*'\)/);
    assert.match(e.fixes![0]!.title, /without 1 unrelated certificate/);
  });

  test(`chain.bad-signature (${label}): an intermediate of the same name but another key`, () => {
    const { root, intermediate, leaf } = standardChain(P, key, `badsig-${key.type}.example.com`);
    const impostor = P.intermediate(root, intermediate.name.CN!, { keyPair: newKey(key, true) });
    const f = single(deploy(serverProfile(), { [CERT]: chainPem(leaf, impostor), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors).findings, 'chain.bad-signature');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /names '.*' as its issuer, and certificate 2 of the file holds a certificate of that name, but its key does not verify the signature.*a signature failure, or "unable to verify the first certificate"/);
  });

  test(`chain.untrusted (${label}): a root nobody trusts, or an intermediate whose root is unknown`, () => {
    const { root, intermediate, leaf } = standardChain(P, key, `untrusted-${key.type}.example.com`);
    const withRoot = single(deploy(serverProfile(), { [CERT]: chainPem(leaf, intermediate, root), [KEY]: keyPem(leaf.privateKey) }).findings, 'chain.untrusted');
    assert.equal(withRoot.severity, 'warning');
    assert.match(withRoot.message, /ends at the root '.*Root.*' \(certificate 3 of the file\), which is neither in a ca_list\/ca_path of this configuration, nor a public root, nor a trust anchor/);
    const noRoot = single(deploy(serverProfile(), { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey) }).findings, 'chain.untrusted');
    assert.match(noRoot.message, /the chain ends at '.*Intermediate.*', issued by '.*Root.*', which is not a known root/);
  });
}

test('a certificate file shared by several profiles is parsed once and reported per reference', () => {
  const { root, intermediate, leaf } = standardChain(P, RSA2048, 'shared.example.com', { notAfter: days(-1, NOW), notBefore: days(-30, NOW) });
  const tls = `${serverProfile()}\n[server:127.0.0.1:5061]\nmethod = TLSv1.2+\nserver_name = shared.example.com\ncertificate = certs/server.pem\nprivate_key = certs/server.key\n`;
  const d = deploy(tls, { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors);
  const expired = d.findings.filter((f) => f.code === 'cert.expired');
  assert.deepEqual(expired.map((f) => f.range.start.line), [2, 8]);
});

test('modparam mode: findings on the modparam value; the built-in cert.pem on loadmodule "tls.so"', () => {
  const { root, intermediate, leaf } = standardChain(P, P256, 'modparam.example.com', { notAfter: days(-1, NOW), notBefore: days(-30, NOW) });
  const kam = `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "tls_method", "TLSv1.2+")\nmodparam("tls", "certificate", "certs/server.pem")\nmodparam("tls", "private_key", "certs/server.key")\n`;
  const d = deploy(undefined, { [KAM]: kam, [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors);
  const f = single(d.findings, 'cert.expired');
  assert.equal(f.file, KAM);
  assert.deepEqual(f.range, r(5, 31, 5, 49), 'the quoted value');
  assert.match(f.message, /the default server profile \(tls modparams\): certificate \/etc\/kamailio\/certs\/server\.pem/);
  const implicitKam = `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "tls_method", "TLSv1.2+")\n`;
  const i = deploy(undefined, { [KAM]: implicitKam, [`${DIR}/cert.pem`]: chainPem(leaf, intermediate) + keyPem(leaf.privateKey), ...trustRoot(root) }, anchors);
  const g = single(i.findings, 'cert.expired');
  assert.deepEqual(g.range, r(3, 12, 3, 18), "tls.so in loadmodule");
});

test('clean: a fullchain with the root appended; certificate2/private_key2 (6.2) are judged like the first pair', () => {
  const { root, intermediate, leaf } = standardChain(P, RSA2048, 'withroot.example.com');
  const d = deploy(serverProfile(), { [CERT]: chainPem(leaf, intermediate, root), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors);
  assert.deepEqual(d.findings, [], show(d.findings));
  const ec = P.leaf(intermediate, 'withroot.example.com', { key: RSA1024 });
  const tls = serverProfile('certificate2 = certs/ec.pem\nprivate_key2 = certs/ec.key\n');
  const two = deploy(tls, { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), [`${DIR}/certs/ec.pem`]: chainPem(ec, intermediate), [`${DIR}/certs/ec.key`]: keyPem(ec.privateKey), ...trustRoot(root) }, { settings: { trustAnchors: [ANCHOR], version: '6.2' } });
  const f = single(two.findings, 'cert.weak-key');
  assert.deepEqual(f.range, r(4, 15, 4, 27));
  assert.match(f.message, /certificate2 \/etc\/kamailio\/certs\/ec\.pem.*"TLSs<default>: Unable to load certificate2 file '\/etc\/kamailio\/certs\/ec\.pem'"/);
});

// ---- a CA certificate as the leaf (ORACLE-NOTES "CA certificate as leaf") ---------------------

test('cert.ca-as-leaf: CA:TRUE with a TLS key usage on a server profile is a warning, not cert.purpose', () => {
  const { root, intermediate } = standardChain(P, RSA2048, 'ca-leaf.example.com');
  const caLeaf = P.intermediate(intermediate, 'sip.example.com', { dns: ['sip.example.com'], pathLength: undefined, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'], eku: ['serverAuth', 'clientAuth'] });
  const d = deploy(serverProfile(), { [CERT]: chainPem(caLeaf, intermediate), [KEY]: keyPem(caLeaf.privateKey), ...trustRoot(root) }, anchors);
  const f = single(d.findings, 'cert.ca-as-leaf');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, CERT_RANGE);
  // The intermediate has pathLenConstraint 0: the leaf's key cannot sign certificates peers accept.
  assert.equal(
    f.message,
    `[server:default]: certificate ${DIR}/certs/server.pem: 'sip.example.com' is a CA certificate (basicConstraints CA:TRUE) used as the server certificate: OpenSSL, Node and GnuTLS peers accept it when its key usage fits TLS, but Firefox refuses it (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), so WebRTC clients over WSS cannot connect, and the CA/Browser Forum rules forbid it. Issue it with basicConstraints CA:FALSE.`,
  );
  assert.deepEqual(pki(d.findings).map((x) => x.code), ['cert.ca-as-leaf'], show(d.findings));
});

test('cert.ca-as-leaf: without a pathLenConstraint above it, its key signs certificates for the same root (server and client profiles)', () => {
  const root = P.root('Open Root CA');
  const open = P.intermediate(root, 'Open Intermediate CA', { pathLength: undefined });
  const caLeaf = P.intermediate(open, 'sip.example.com', { dns: ['sip.example.com'], pathLength: undefined, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'] });
  const server = single(deploy(serverProfile(), { [CERT]: chainPem(caLeaf, open), [KEY]: keyPem(caLeaf.privateKey), ...trustRoot(root) }, anchors).findings, 'cert.ca-as-leaf');
  assert.match(server.message, /the CA\/Browser Forum rules forbid it; and its key can sign certificates for any name that every peer trusting 'Open Root CA' accepts \(no pathLenConstraint above it forbids one more CA\)\. Issue it with basicConstraints CA:FALSE\.$/);
  // The same certificate presented by a client profile: only the signing point applies.
  const { leaf: serverLeaf } = standardChain(P, RSA2048, 'srv.example.com');
  const client = `${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = ${ANCHOR}\ncertificate = certs/client.pem\nprivate_key = certs/client.key\n`;
  const files = { [CERT]: chainPem(serverLeaf), [KEY]: keyPem(serverLeaf.privateKey), ...trustRoot(root), [`${DIR}/certs/client.pem`]: chainPem(caLeaf, open), [`${DIR}/certs/client.key`]: keyPem(caLeaf.privateKey) };
  const c = single(deploy(client, files, anchors).findings, 'cert.ca-as-leaf');
  assert.deepEqual(c.range, r(9, 14, 9, 30));
  assert.equal(c.severity, 'warning');
  assert.match(c.message, /^\[client:default\]: certificate \/etc\/kamailio\/certs\/client\.pem: 'sip\.example\.com' is a CA certificate \(basicConstraints CA:TRUE\) used as the client certificate: servers accept it, but its key can sign certificates for any name that every peer trusting 'Open Root CA' accepts/);
  // Without keyCertSign in its key usage it signs nothing: a client profile gets no finding.
  const noSign = P.intermediate(open, 'client.example.com', { pathLength: undefined, keyUsage: ['digitalSignature'], eku: ['clientAuth'] });
  none(deploy(client, { ...files, [`${DIR}/certs/client.pem`]: chainPem(noSign, open), [`${DIR}/certs/client.key`]: keyPem(noSign.privateKey) }, anchors).findings, 'cert.ca-as-leaf');
});

test('no cert.ca-as-leaf: a CA:FALSE leaf, a self-signed CA:TRUE certificate (cert.self-signed says it)', () => {
  const { root, intermediate, leaf } = standardChain(P, RSA2048, 'sip.example.com');
  none(deploy(serverProfile(), { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), ...trustRoot(root) }, anchors).findings, 'cert.ca-as-leaf');
  // What `openssl req -x509` makes: self-signed with CA:TRUE.
  const selfCa = P.root('sip.example.com', { dns: ['sip.example.com'], keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'] });
  const d = deploy(serverProfile(), { [CERT]: chainPem(selfCa), [KEY]: keyPem(selfCa.privateKey) });
  single(d.findings, 'cert.self-signed');
  none(d.findings, 'cert.ca-as-leaf');
});
