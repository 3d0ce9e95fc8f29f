// The certificate model (fields node:crypto gives, and those the DER reader adds), key matching
// for every key type, and host-name coverage with Kamailio's server_name_mode.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { TestPki, keyPem, newKey, RSA2048, RSA1024, P256, P384, P521, ED25519, type KeySpec } from '../../fixtures/pki';
import { parseCertificate, isSelfSigned, isSelfSignedForSecurityLevel, isIssuerOf, signatureVerifies, EKU } from '../../../server/src/core/pki/certificate';
import { loadPkiFile } from '../../../server/src/core/pki/bundle';
import { coveredNames, coversHost, serverNameCoverage } from '../../../server/src/core/pki/names';

const NOW = new Date('2026-01-15T12:00:00Z');
const pki = new TestPki(NOW);
const root = pki.root('Model Root');

test('model fields: names, dates, serial, fingerprint, SANs, key usage, EKU, basic constraints, key ids', () => {
  const int = pki.intermediate(root, 'Model Intermediate');
  const leaf = pki.leaf(int, 'sip.example.com', { dns: ['sip.example.com', '*.pbx.example.com'], ips: ['192.0.2.10', '2001:db8::1'], notAfter: new Date('2027-03-01T00:00:00Z') });
  const m = parseCertificate(leaf.der);
  assert.equal(m.displayName, 'sip.example.com');
  assert.equal(m.subject.text, 'CN=sip.example.com, O=sip-tls tests');
  assert.equal(m.issuer.commonName, 'Model Intermediate');
  assert.equal(m.version, 3);
  assert.equal(m.notBefore.toISOString(), '2026-01-14T12:00:00.000Z');
  assert.equal(m.notAfter.toISOString(), '2027-03-01T00:00:00.000Z');
  assert.equal(m.serialHex, leaf.x509.serialNumber.replace(/^0+/, ''));
  assert.equal(m.fingerprint256, leaf.x509.fingerprint256);
  assert.deepEqual(m.dnsNames, ['sip.example.com', '*.pbx.example.com']);
  assert.deepEqual(m.ipAddresses, ['192.0.2.10', '2001:db8::1']);
  assert.deepEqual([...m.keyUsage!], ['digitalSignature', 'keyEncipherment']);
  assert.deepEqual(m.extendedKeyUsage, [EKU.serverAuth, EKU.clientAuth]);
  assert.deepEqual(m.extendedKeyUsage, leaf.x509.keyUsage, 'the same EKU list as node:crypto');
  assert.equal(m.isCa, false);
  assert.equal(m.basicConstraints, undefined);
  assert.equal(m.signature.name, 'sha256WithRSAEncryption');
  assert.equal(m.signature.weak, false);
  const im = parseCertificate(int.der);
  assert.deepEqual(im.basicConstraints, { ca: true, pathLength: 0 });
  assert.equal(im.isCa, true);
  assert.deepEqual([...im.keyUsage!], ['keyCertSign', 'cRLSign']);
  assert.equal(m.authorityKeyId, im.subjectKeyId);
  assert.ok(isIssuerOf(im, m));
  assert.ok(!isIssuerOf(parseCertificate(root.der), m));
});

test('signature algorithms: RSA with SHA-1/MD5/SHA-256, ECDSA with SHA-256/384, Ed25519', () => {
  const cases: [KeySpec, 'sha1' | 'md5' | 'sha256' | 'sha384' | undefined, string, boolean][] = [
    [RSA2048, 'sha1', 'sha1WithRSAEncryption', true],
    [RSA2048, 'md5', 'md5WithRSAEncryption', true],
    [RSA2048, 'sha256', 'sha256WithRSAEncryption', false],
    [P256, 'sha256', 'ecdsa-with-SHA256', false],
    [P384, undefined, 'ecdsa-with-SHA384', false],
    [P256, 'sha1', 'ecdsa-with-SHA1', true],
    [ED25519, undefined, 'ED25519', false],
  ];
  for (const [key, hash, name, weak] of cases) {
    const issuer = pki.root(`Sig Root ${name}`, { key });
    const leaf = pki.leaf(issuer, 'sig.example.com', { ...(hash ? { hash } : {}) });
    const m = parseCertificate(leaf.der);
    assert.equal(m.signature.name, name);
    assert.equal(m.signature.weak, weak, name);
    assert.ok(signatureVerifies(m, parseCertificate(issuer.der)), name);
  }
});

test('public keys: type, size, curve and OpenSSL security bits', () => {
  const cases: [KeySpec, string, number][] = [
    [RSA2048, 'RSA 2048', 112],
    [RSA1024, 'RSA 1024', 80],
    [P256, 'ECDSA P-256', 128],
    [P384, 'ECDSA P-384', 192],
    [P521, 'ECDSA P-521', 260],
    [ED25519, 'Ed25519', 128],
  ];
  for (const [key, description, bits] of cases) {
    const m = parseCertificate(pki.leaf(root, 'k.example.com', { key }).der);
    assert.equal(m.publicKey.description, description);
    assert.equal(m.publicKey.securityBits, bits, description);
  }
});

test('key match by SubjectPublicKeyInfo, as X509_check_private_key: RSA, ECDSA P-256/384/521, Ed25519', () => {
  for (const spec of [RSA2048, P256, P384, P521, ED25519]) {
    const pair = newKey(spec, true);
    const other = newKey(spec, true);
    const cert = pki.leaf(root, 'match.example.com', { keyPair: pair });
    const file = loadPkiFile(new TextEncoder().encode(cert.pem + keyPem(pair.privateKey, spec.type === 'ec' ? 'sec1' : 'pkcs8') + keyPem(other.privateKey)), { maxCertificates: 8 });
    const certSpki = file.certificates[0]!.certificate.publicKey.spkiSha256;
    assert.equal(file.keys[0]!.key.publicKey!.spkiSha256, certSpki, `${spec.type} matches`);
    assert.notEqual(file.keys[1]!.key.publicKey!.spkiSha256, certSpki, `${spec.type} other key`);
    // node:crypto agrees: a secure context with the pair loads, the other key is "key values mismatch".
    tls.createSecureContext({ cert: cert.pem, key: keyPem(pair.privateKey) });
    assert.throws(() => tls.createSecureContext({ cert: cert.pem, key: keyPem(other.privateKey) }), /key values mismatch/);
  }
});

test('self-signed as OpenSSL sees it; keyCertSign matters for the security-level exemption', () => {
  const ca = parseCertificate(root.der);
  assert.ok(isSelfSigned(ca));
  assert.ok(isSelfSignedForSecurityLevel(ca));
  const ss = parseCertificate(pki.selfSigned('self.example.com').der);
  assert.ok(isSelfSigned(ss));
  assert.ok(!isSelfSignedForSecurityLevel(ss), 'keyUsage without keyCertSign: OpenSSL still checks its signature');
  const leaf = parseCertificate(pki.leaf(root, 'not-self.example.com').der);
  assert.ok(!isSelfSigned(leaf));
  // Subject = issuer but signed by someone else: self-issued, not self-signed.
  const forged = pki.selfSigned('forged.example.com', { signWith: newKey(RSA2048, true).privateKey });
  const fm = parseCertificate(forged.der);
  assert.ok(fm.selfIssued);
  assert.ok(!isSelfSigned(fm));
});

test('host names: SANs win over the CN, wildcards cover one label, IP SANs, CN fallback', () => {
  const wild = parseCertificate(pki.leaf(root, 'Example SIP', { dns: ['*.example.com', 'example.com'], ips: ['192.0.2.1'] }).der);
  assert.ok(coversHost(wild, 'sip.example.com'));
  assert.ok(coversHost(wild, 'SIP.Example.COM.'));
  assert.ok(coversHost(wild, 'example.com'));
  assert.ok(!coversHost(wild, 'a.b.example.com'), 'a wildcard covers one label');
  assert.ok(!coversHost(wild, 'example.org'));
  assert.ok(coversHost(wild, '192.0.2.1'));
  assert.ok(!coversHost(wild, '192.0.2.2'));
  assert.ok(!coversHost(wild, 'Example SIP'), 'the CN does not count when there are DNS SANs');
  assert.deepEqual(coveredNames(wild), ['*.example.com', 'example.com', '192.0.2.1']);
  const cnOnly = parseCertificate(pki.leaf(root, 'legacy.example.com', { dns: [] }).der);
  assert.deepEqual(cnOnly.dnsNames, []);
  assert.ok(coversHost(cnOnly, 'legacy.example.com'), 'no DNS SAN: the CN counts');
  assert.deepEqual(coveredNames(cnOnly), ['legacy.example.com (CN)']);
  const ipOnly = parseCertificate(pki.leaf(root, 'ip.example.com', { dns: [], ips: ['198.51.100.7'] }).der);
  assert.ok(coversHost(ipOnly, 'ip.example.com'), 'only IP SANs: the CN still names the host');
});

test('server_name_mode: 0 the exact name, 1 the name and its subdomains, 2 only subdomains', () => {
  const apex = parseCertificate(pki.leaf(root, 'example.com', { dns: ['example.com'] }).der);
  const wild = parseCertificate(pki.leaf(root, 'example.com', { dns: ['*.example.com'] }).der);
  const both = parseCertificate(pki.leaf(root, 'example.com', { dns: ['example.com', '*.example.com'] }).der);
  const explicitSub = parseCertificate(pki.leaf(root, 'example.com', { dns: ['a.example.com'] }).der);
  assert.equal(serverNameCoverage(apex, 'example.com', 0).ok, true);
  assert.equal(serverNameCoverage(wild, 'example.com', 0).ok, false);
  assert.equal(serverNameCoverage(apex, 'example.com', 1).ok, false);
  assert.equal(serverNameCoverage(apex, 'example.com', 1).exact, true);
  assert.equal(serverNameCoverage(both, 'example.com', 1).ok, true);
  assert.equal(serverNameCoverage(wild, 'example.com', 2).ok, true);
  assert.equal(serverNameCoverage(explicitSub, 'example.com', 2).ok, true);
  assert.equal(serverNameCoverage(apex, 'example.com', 2).ok, false);
  assert.match(serverNameCoverage(apex, 'example.com', 2).wanted, /subdomains of example\.com/);
});
