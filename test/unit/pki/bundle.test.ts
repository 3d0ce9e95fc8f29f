// The bundle layer: every PEM block with its label, lines and parse result; DER, PKCS#12,
// truncated PEM, bad base64, garbage, empty files; every key container, encrypted keys, CRLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, P256, P384, ED25519, RSA2048 } from '../../fixtures/pki';
import { loadPkiFile, describeContents, describeBrokenEntry } from '../../../server/src/core/pki/bundle';
import { scanPem } from '../../../server/src/core/pki/pem';
import { unlockKey } from '../../../server/src/core/pki/key';

const NOW = new Date('2026-01-15T12:00:00Z');
const pki = new TestPki(NOW);
const root = pki.root('Bundle Root');
const leaf = pki.leaf(root, 'bundle.example.com', { key: P256 });
const enc = (s: string) => new TextEncoder().encode(s);
const load = (s: string | Uint8Array, max = 64) => loadPkiFile(typeof s === 'string' ? enc(s) : s, { maxCertificates: max });

test('PEM blocks keep their label, order, byte range and lines; text between blocks is ignored', () => {
  const key = keyPem(leaf.privateKey, 'sec1');
  const text = `# a comment OpenSSL skips\n${leaf.pem}\nsome words\n${root.pem}${key}`;
  const f = load(text);
  assert.equal(f.format, 'pem');
  assert.deepEqual(f.entries.map((e) => e.label), ['CERTIFICATE', 'CERTIFICATE', 'EC PRIVATE KEY']);
  assert.deepEqual(f.entries.map((e) => e.kind), ['certificate', 'certificate', 'private-key']);
  const lines = text.split('\n');
  for (const e of f.entries) {
    assert.equal(lines[e.startLine], `-----BEGIN ${e.label}-----`);
    assert.equal(lines[e.endLine], `-----END ${e.label}-----`);
    assert.equal(text.slice(e.start, e.end), lines.slice(e.startLine, e.endLine + 1).join('\n'));
  }
  assert.equal(f.entries[0]!.startLine, 1);
  assert.deepEqual(f.certificates.map((c) => c.certificate.displayName), ['bundle.example.com', 'Bundle Root']);
  assert.equal(f.keys.length, 1);
  assert.equal(f.keys[0]!.key.container, 'sec1');
  assert.equal(f.keys[0]!.key.publicKey!.spkiSha256, f.certificates[0]!.certificate.publicKey.spkiSha256, 'the key is the leaf\'s');
  assert.equal(describeContents(f), '2 certificates and an EC P-256 private key (SEC1)');
  // CRLF line ends are read the same way.
  const crlf = load(text.replace(/\n/g, '\r\n'));
  assert.deepEqual(crlf.entries.map((e) => [e.label, e.startLine, e.endLine]), f.entries.map((e) => [e.label, e.startLine, e.endLine]));
  assert.equal(crlf.certificates.length, 2);
});

test('a UTF-8 BOM is skipped where OpenSSL 3 skips it: at the start of the file and right after an END line', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const bytes = (...parts: (string | Buffer)[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));
  const key = keyPem(leaf.privateKey, 'pkcs8');
  // Kamailio 5.6.3 starts with each of these (ORACLE-NOTES.md "A UTF-8 BOM").
  const inline = load(bytes(bom, leaf.pem, key));
  assert.deepEqual(inline.entries.map((e) => [e.label, e.startLine, e.start]), [
    ['CERTIFICATE', 0, 3],
    ['PRIVATE KEY', leaf.pem.split('\n').length - 1, Buffer.byteLength(leaf.pem) + 3],
  ]);
  assert.equal(inline.certificates[0]!.certificate.displayName, 'bundle.example.com');
  assert.equal(inline.keys[0]!.key.publicKey!.spkiSha256, inline.certificates[0]!.certificate.publicKey.spkiSha256);
  assert.deepEqual(load(bytes(bom, '\n', leaf.pem)).entries.map((e) => e.startLine), [1], 'a BOM alone on the first line');
  assert.deepEqual(load(bytes(leaf.pem, bom, root.pem)).certificates.map((c) => c.certificate.displayName), ['bundle.example.com', 'Bundle Root'], 'right after an END line');
  // Elsewhere the BOM line is text OpenSSL skips (openssl 3.0: one certificate read).
  for (const [what, b] of [
    ['after a blank line', bytes(leaf.pem, '\n', bom, root.pem)],
    ['after other text', bytes(leaf.pem, 'junk\n', bom, root.pem)],
    ['after spaces', bytes(leaf.pem, '  ', bom, root.pem)],
  ] as const) {
    assert.deepEqual(load(b).certificates.map((c) => c.certificate.displayName), ['bundle.example.com'], what);
  }
  assert.equal(load(bytes('junk\n', bom, leaf.pem)).certificates.length, 0, 'not on the first line of the file');
});

test('every private key container: PKCS#8, PKCS#1, SEC1, for RSA, ECDSA and Ed25519', () => {
  const rsa = pki.leaf(root, 'rsa.example.com', { key: RSA2048 });
  const p384 = pki.leaf(root, 'p384.example.com', { key: P384 });
  const ed = pki.leaf(root, 'ed.example.com', { key: ED25519 });
  const cases: [string, string, string, string][] = [
    [keyPem(rsa.privateKey, 'pkcs8'), 'PRIVATE KEY', 'pkcs8', 'RSA 2048'],
    [keyPem(rsa.privateKey, 'pkcs1'), 'RSA PRIVATE KEY', 'pkcs1', 'RSA 2048'],
    [keyPem(p384.privateKey, 'sec1'), 'EC PRIVATE KEY', 'sec1', 'ECDSA P-384'],
    [keyPem(p384.privateKey, 'pkcs8'), 'PRIVATE KEY', 'pkcs8', 'ECDSA P-384'],
    [keyPem(ed.privateKey, 'pkcs8'), 'PRIVATE KEY', 'pkcs8', 'Ed25519'],
  ];
  for (const [pem, label, container, description] of cases) {
    const f = load(pem);
    assert.equal(f.entries[0]!.label, label);
    const k = f.keys[0]!.key;
    assert.equal(k.container, container);
    assert.equal(k.encrypted, false);
    assert.equal(k.publicKey!.description, description);
  }
});

test('encrypted keys: legacy Proc-Type PEM and ENCRYPTED PRIVATE KEY; only a passphrase opens them', () => {
  const legacy = load(keyPem(root.privateKey, 'pkcs1', 'secret'));
  const lk = legacy.keys[0]!.key;
  assert.equal(lk.encrypted, true);
  assert.equal(lk.container, 'pkcs1');
  assert.equal(lk.cipher, 'AES-256-CBC');
  assert.equal(lk.publicKey, undefined);
  assert.equal(describeContents(legacy), 'an encrypted private key (PKCS#1, AES-256-CBC)');
  const p8 = load(keyPem(leaf.privateKey, 'pkcs8', 'secret'));
  const pk = p8.keys[0]!.key;
  assert.equal(p8.entries[0]!.label, 'ENCRYPTED PRIVATE KEY');
  assert.equal(pk.encrypted, true);
  assert.equal(pk.container, 'encrypted-pkcs8');
  const wrong = unlockKey(pk, 'not it');
  assert.equal(wrong.ok, false);
  const right = unlockKey(pk, 'secret');
  assert.ok(right.ok);
  assert.equal(right.publicKey.spkiSha256, load(leaf.pem).certificates[0]!.certificate.publicKey.spkiSha256);
  const sec1 = load(keyPem(leaf.privateKey, 'sec1', 'secret')).keys[0]!.key;
  assert.equal(sec1.encrypted, true);
  assert.equal(sec1.container, 'sec1');
  assert.ok(unlockKey(sec1, 'secret').ok);
});

test('DER certificates, DER keys, PKCS#12-like and unknown binary files are recognised', () => {
  const derCert = load(leaf.der);
  assert.equal(derCert.format, 'der');
  assert.equal(derCert.derContent, 'certificate');
  assert.equal(derCert.derCertificate!.displayName, 'bundle.example.com');
  assert.equal(describeContents(derCert), 'a DER (binary) certificate for bundle.example.com');
  const derKey = load(new Uint8Array(leaf.privateKey.export({ type: 'pkcs8', format: 'der' })));
  assert.equal(derKey.derContent, 'private-key');
  const pkcs1 = load(new Uint8Array(root.privateKey.export({ type: 'pkcs1', format: 'der' })));
  assert.equal(pkcs1.derContent, 'private-key');
  // PFX: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, … } }
  const pfx = Uint8Array.from([0x30, 0x10, 0x02, 0x01, 0x03, 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01]);
  assert.equal(load(pfx).derContent, 'pkcs12');
  assert.equal(describeContents(load(pfx)), 'a PKCS#12 (.p12/.pfx) bundle');
  const noise = Uint8Array.from([0, 1, 2, 3, 250, 251, 252, 0, 9]);
  assert.equal(load(noise).derContent, 'unknown');
});

test('empty files, text without PEM, and labels that are not what was asked for', () => {
  assert.equal(load('').format, 'empty');
  assert.equal(load('   \n\n').format, 'empty');
  assert.equal(describeContents(load('')), 'nothing (the file is empty)');
  const text = load('# no certificates here\n');
  assert.equal(text.format, 'text');
  assert.equal(describeContents(text), "text without any PEM block (no '-----BEGIN' line)");
  const csr = load('-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n');
  assert.equal(csr.entries[0]!.kind, 'certificate-request');
  assert.match(describeContents(csr), /certificate request \(CSR\)/);
  const pub = load(leaf.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  assert.equal(pub.entries[0]!.kind, 'public-key');
  assert.match(describeContents(pub), /public key \(not a private key\)/);
  const ssh = load('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n');
  assert.equal(ssh.entries[0]!.kind, 'openssh-key');
  const params = load('-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n' + keyPem(leaf.privateKey, 'sec1'));
  assert.deepEqual(params.entries.map((e) => e.kind), ['parameters', 'private-key']);
  assert.equal(params.keys.length, 1);
});

test('a CRL: issuer, dates, revoked entries; inside a CA list next to certificates', () => {
  const revokedLeaf = pki.leaf(root, 'revoked.example.com');
  const f = load(root.pem + pki.crl(root, [revokedLeaf, leaf]));
  assert.deepEqual(f.entries.map((e) => e.label), ['CERTIFICATE', 'X509 CRL']);
  const crl = f.crls[0]!.crl;
  assert.equal(crl.issuer.commonName, 'Bundle Root');
  assert.equal(crl.revokedCount, 2);
  assert.equal(crl.thisUpdate.toISOString(), '2026-01-14T12:00:00.000Z');
  assert.equal(crl.nextUpdate!.toISOString(), '2026-02-14T12:00:00.000Z');
  assert.equal(describeContents(f), 'a certificate and a CRL');
});

test('truncated PEM, a mismatched END line and bad base64 are broken blocks with their line', () => {
  const truncated = load(leaf.pem + root.pem.slice(0, 120));
  assert.equal(truncated.certificates.length, 1);
  assert.equal(truncated.broken.length, 1);
  assert.equal(truncated.broken[0]!.framing, 'truncated');
  assert.equal(truncated.broken[0]!.startLine, leaf.pem.split('\n').length - 1);
  assert.match(describeBrokenEntry(truncated.broken[0]!), /^the CERTIFICATE block at line \d+ has no "-----END CERTIFICATE-----" line \(truncated\)$/);
  // BEGIN without END, followed by another block: that block is still read.
  const cut = leaf.pem.split('\n').slice(0, 5).join('\n') + '\n' + root.pem;
  const f = load(cut);
  assert.deepEqual(f.entries.map((e) => e.framing ?? 'ok'), ['truncated', 'ok']);
  assert.equal(f.certificates[0]!.certificate.displayName, 'Bundle Root');
  const mismatched = load(leaf.pem.replace('-----END CERTIFICATE-----', '-----END X509 CRL-----'));
  assert.equal(mismatched.broken[0]!.framing, 'bad-end-line');
  const badBase64 = load(leaf.pem.replace(/\n[A-Za-z0-9+/]{10}/, '\n!!!!!!!!!!'));
  assert.equal(badBase64.broken[0]!.framing, 'bad-base64');
  // Valid base64 that is not a certificate.
  const notCert = load('-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n');
  assert.equal(notCert.certificates.length, 0);
  assert.ok(notCert.broken[0]!.parseError);
  assert.match(describeBrokenEntry(notCert.broken[0]!), /does not parse/);
});

test('a TRUSTED CERTIFICATE (with auxiliary trust data) is read as its certificate', () => {
  const aux = new Uint8Array([...leaf.der, 0x30, 0x00]);
  const b64 = Buffer.from(aux).toString('base64').match(/.{1,64}/g)!.join('\n');
  const f = load(`-----BEGIN TRUSTED CERTIFICATE-----\n${b64}\n-----END TRUSTED CERTIFICATE-----\n`);
  assert.equal(f.certificates[0]!.certificate.displayName, 'bundle.example.com');
});

test('10,000 certificates: scanned in a moment, only the first ones parsed', () => {
  const big = chainPem(leaf).repeat(10_000);
  const t0 = performance.now();
  const f = load(big, 64);
  const ms = performance.now() - t0;
  assert.equal(f.certificateBlocks, 10_000);
  assert.equal(f.certificates.length, 64);
  assert.equal(f.entries.filter((e) => e.skipped).length, 10_000 - 64);
  assert.ok(ms < 3000, `took ${ms} ms`);
});

test('scanPem never throws on arbitrary bytes', () => {
  const samples = ['-----BEGIN ', '-----BEGIN X-----', '-----BEGIN X-----\n-----END Y-----', '\u0000\u0001-----BEGIN CERTIFICATE-----\n', leaf.pem.slice(0, 30)];
  for (const s of samples) {
    scanPem(enc(s));
    load(s);
  }
  for (let i = 0; i < 50; i++) load(Uint8Array.from({ length: 64 }, (_, j) => (i * 31 + j * 7) & 0xff));
});
