// ca.*: the trust store of a profile (ca_list, ca_path) and its CRLs, as OpenSSL loads and uses
// them (at least one certificate or CRL; hashed names; CRL_CHECK_ALL needs every CA's CRL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, days, RSA2048, P256 } from '../../fixtures/pki';
import { r } from '../helpers';
import { DIR, NOW, deploy, none, pki, serverProfile, show, single } from './certHarness';
import { checkRepository } from '../project/helpers';

const P = new TestPki(NOW);
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const CA = `${DIR}/certs/ca.pem`;
const CRL = `${DIR}/certs/ca.crl`;
const CA_RANGE = r(6, 10, 6, 22);
const { root, intermediate, leaf } = standardChain(P, RSA2048, 'ca.example.com');
const base = { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey) };
const VERIFY = 'verify_certificate = yes\nrequire_certificate = yes\n';
const withCa = (extra = '') => serverProfile(`${VERIFY}ca_list = certs/ca.pem\n${extra}`);

test('clean: a CA list with the root (and CRLs inside it); a crl with every CA\'s CRL', () => {
  const ok = deploy(withCa(), { ...base, [CA]: root.pem + P.crl(root) });
  assert.deepEqual(ok.findings, [], show(ok.findings));
  const crls = deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: root.pem, [CRL]: P.crl(root) + P.crl(intermediate) });
  assert.deepEqual(crls.findings, [], show(crls.findings));
  const both = deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: chainPem(root, intermediate), [CRL]: P.crl(root) + P.crl(intermediate) });
  assert.deepEqual(both.findings, [], show(both.findings));
});

test('ca.empty: no certificate and no CRL (text, empty, a key, DER), or only CRLs', () => {
  const cases: [string | Uint8Array, RegExp][] = [
    ['# no certificates here\n', /holds text without any PEM block \(no '-----BEGIN' line\), no CA certificate and no CRL/],
    ['', /holds nothing \(the file is empty\)/],
    [keyPem(leaf.privateKey), /holds an RSA 2048 private key \(PKCS#8\), no CA certificate/],
    [root.der, /holds a DER \(binary\) certificate for .*, and Kamailio reads PEM only \(convert it: openssl x509 -inform der -in ca\.pem -out ca\.pem\)/],
  ];
  for (const [content, message] of cases) {
    const f = single(deploy(withCa(), { ...base, [CA]: content, ...(content === root.der ? {} : {}) }).findings, 'ca.empty');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.range, CA_RANGE);
    assert.match(f.message, message);
    assert.match(f.message, /Kamailio will refuse to start \("TLSs<default>: Unable to load CA list file '\/etc\/kamailio\/certs\/ca\.pem' dir ''"\)/);
  }
  const crlOnly = single(deploy(withCa(), { ...base, [CA]: P.crl(root) }).findings, 'ca.empty');
  assert.match(crlOnly.message, /holds only CRLs, no CA certificate.*Error while setting client CA list/);
});

test('ca.unreadable: a truncated block in the CA list or the CRL file stops OpenSSL', () => {
  const f = single(deploy(withCa(), { ...base, [CA]: root.pem + intermediate.pem.slice(0, 100) }).findings, 'ca.unreadable');
  assert.match(f.message, /is damaged: the CERTIFICATE block at line \d+ has no "-----END CERTIFICATE-----" line \(truncated\).*Unable to load CA list file/);
  const g = single(deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: root.pem, [CRL]: P.crl(root).slice(0, 80) }).findings, 'ca.unreadable');
  assert.match(g.message, /X509 CRL block.*Unable to load certificate revocation list '\/etc\/kamailio\/certs\/ca\.crl'/);
});

test('ca.not-ca: the profile\'s own certificate or full chain given as ca_list', () => {
  const d = deploy(withCa(), { ...base, [CA]: chainPem(leaf, intermediate, root) });
  const f = single(d.findings, 'ca.not-ca');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, CA_RANGE);
  assert.match(f.message, /holds a certificate that is not a CA certificate: 'ca\.example\.com' — this profile's own certificate \(the full chain was given as ca_list\)/);
  // A self-signed peer certificate is a valid (pinned) trust anchor: not reported.
  const peer = P.selfSigned('peer.example.com');
  none(deploy(withCa(), { ...base, [CA]: chainPem(root, peer) }).findings, 'ca.not-ca');
});

test('ca.no-root: an intermediate without its root verifies nobody (only when peers are verified)', () => {
  const f = single(deploy(withCa(), { ...base, [CA]: intermediate.pem }).findings, 'ca.no-root');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /holds the intermediate CA 'Test Intermediate CA \(RSA 2048\)' but not its root 'Test Root CA \(RSA 2048\)'.*"unable to get issuer certificate"/);
  none(deploy(serverProfile('ca_list = certs/ca.pem\n'), { ...base, [CA]: intermediate.pem }).findings, 'ca.no-root');
});

test('a crl file without CRL or certificate is fatal (ca.unreadable); with only certificates it starts (ca.crl-empty)', () => {
  const fatal = single(deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: root.pem, [CRL]: 'nothing\n' }).findings, 'ca.unreadable');
  assert.equal(fatal.severity, 'error');
  assert.deepEqual(fatal.range, r(7, 6, 7, 18));
  assert.match(fatal.message, /no CRL and no certificate: Kamailio will refuse to start \("TLSs<default>: Unable to load certificate revocation list '\/etc\/kamailio\/certs\/ca\.crl'"\)/);
  // Measured on 5.6.3: loaded like a CA list, CRL checks on, every verified client fails.
  const verified = single(deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: root.pem, [CRL]: root.pem }).findings, 'ca.crl-empty');
  assert.equal(verified.severity, 'error');
  assert.match(verified.message, /holds a certificate but no CRL: Kamailio loads it as trust anchors and starts, but with CRL checks switched on every client certificate it verifies fails \("unable to get certificate CRL"\)\./);
  const unverified = single(deploy(serverProfile('crl = certs/ca.crl\n'), { ...base, [CRL]: root.pem }).findings, 'ca.crl-empty');
  assert.equal(unverified.severity, 'warning');
  assert.match(unverified.message, /as soon as this profile verifies its peers/);
});

test('ca.crl-expired and ca.crl-missing: CRL_CHECK_ALL needs a current CRL from every CA', () => {
  const stale = P.crl(root, [], { nextUpdate: days(-2, NOW) });
  const e = single(deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: root.pem, [CRL]: stale }).findings, 'ca.crl-expired');
  assert.match(e.message, /the CRL of 'Test Root CA \(RSA 2048\)' expired on 2026-01-13.*"CRL has expired"/);
  const m = single(deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: chainPem(root, intermediate), [CRL]: P.crl(intermediate) }).findings, 'ca.crl-missing');
  assert.match(m.message, /has no CRL issued by 'Test Root CA \(RSA 2048\)'.*X509_V_FLAG_CRL_CHECK_ALL.*"unable to get certificate CRL"/);
  assert.deepEqual(m.range, r(7, 6, 7, 18));
  // A CRL in ca_list counts too; without verification CRLs do not matter.
  none(deploy(withCa('crl = certs/ca.crl\n'), { ...base, [CA]: chainPem(root, intermediate) + P.crl(root), [CRL]: P.crl(intermediate) }).findings, 'ca.crl-missing');
  none(deploy(serverProfile('ca_list = certs/ca.pem\ncrl = certs/ca.crl\n'), { ...base, [CA]: root.pem, [CRL]: stale }).findings);
});

test('ca_path: hashed names are read (and trusted); a folder without them is ca.path-unhashed', () => {
  const ec = standardChain(P, P256, 'capath.example.com');
  const files = { [CERT]: chainPem(ec.leaf, ec.intermediate), [KEY]: keyPem(ec.leaf.privateKey) };
  const hashed = deploy(serverProfile(`${VERIFY}ca_path = /etc/ssl/private-ca\n`), { ...files, '/etc/ssl/private-ca/1a2b3c4d.0': ec.root.pem, '/etc/ssl/private-ca/root.pem': ec.root.pem });
  assert.deepEqual(pki(hashed.findings), [], show(hashed.findings));
  const plain = deploy(serverProfile(`${VERIFY}ca_path = /etc/ssl/private-ca\n`), { ...files, '/etc/ssl/private-ca/root.pem': ec.root.pem });
  const f = single(plain.findings, 'ca.path-unhashed');
  assert.match(f.message, /holds 1 certificate file \(root\.pem\) but no OpenSSL hashed names.*openssl rehash \/etc\/ssl\/private-ca/);
  single(plain.findings, 'chain.untrusted');
});

test('ca.path-unhashed is an error when the folder is the only CA source and every peer must present a certificate', () => {
  const ec = standardChain(P, P256, 'capath-only.example.com');
  const files = { [CERT]: chainPem(ec.leaf, ec.intermediate), [KEY]: keyPem(ec.leaf.privateKey), '/etc/ssl/private-ca/root.pem': ec.root.pem };
  const required = single(deploy(serverProfile(`${VERIFY}ca_path = /etc/ssl/private-ca\n`), files).findings, 'ca.path-unhashed');
  assert.equal(required.severity, 'error');
  assert.deepEqual(required.range, r(6, 10, 6, 29));
  assert.match(required.message, /so it finds none of them and every verification that needs them fails\. It is the only CA source of \[server:default\], which requires client certificates: every client is rejected \(it sees the alert "unknown ca"\)\. Run openssl rehash \/etc\/ssl\/private-ca \(or c_rehash\) on the server\.$/);
  // verify_client = on requires them too.
  assert.equal(single(deploy(serverProfile('verify_client = on\nca_path = /etc/ssl/private-ca\n'), files, { settings: { version: '5.7' } }).findings, 'ca.path-unhashed').severity, 'error');
  // Verified when sent, not required: clients without a certificate still connect.
  const optional = single(deploy(serverProfile('verify_certificate = yes\nca_path = /etc/ssl/private-ca\n'), files).findings, 'ca.path-unhashed');
  assert.equal(optional.severity, 'warning');
  assert.doesNotMatch(optional.message, /only CA source/);
  // A ca_list beside it still verifies the clients.
  const withList = single(deploy(serverProfile(`${VERIFY}ca_list = certs/ca.pem\nca_path = /etc/ssl/private-ca\n`), { ...files, [CA]: ec.root.pem }).findings, 'ca.path-unhashed');
  assert.equal(withList.severity, 'warning');
  // A client profile that verifies the servers it connects to, with only the folder.
  const client = single(deploy(`${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_path = /etc/ssl/private-ca\n`, files).findings, 'ca.path-unhashed');
  assert.equal(client.severity, 'error');
  assert.deepEqual(client.range, r(8, 10, 8, 29));
  assert.match(client.message, /It is the only CA source of \[client:default\], which verifies every server certificate: no outgoing TLS connection succeeds/);
  // Hashed (openssl rehash): nothing to say.
  none(deploy(serverProfile(`${VERIFY}ca_path = /etc/ssl/private-ca\n`), { ...files, '/etc/ssl/private-ca/5d30f3c5.0': ec.root.pem }).findings, 'ca.path-unhashed');
});

test('ca.path-unhashed: not in modparam mode (ca_path is ignored there), not for a deploy-time folder of a repository check', () => {
  const ec = standardChain(P, P256, 'capath-modparam.example.com');
  const modparams = `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "certificate", "${CERT}")\nmodparam("tls", "private_key", "${KEY}")\nmodparam("tls", "tls_method", "TLSv1.2+")\nmodparam("tls", "require_certificate", 1)\nmodparam("tls", "ca_list", "${CA}")\nmodparam("tls", "ca_path", "/etc/ssl/private-ca")\n`;
  const d = deploy(undefined, { [`${DIR}/kamailio.cfg`]: modparams, [CERT]: chainPem(ec.leaf, ec.intermediate), [KEY]: keyPem(ec.leaf.privateKey), [CA]: ec.root.pem, '/etc/ssl/private-ca/root.pem': ec.root.pem });
  none(d.findings, 'ca.path-unhashed');
  // A repository check: a ca_path outside the repository is the deployment's, never read.
  const tls = `[server:default]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/server.key\n${VERIFY}ca_path = /etc/ssl/private-ca\n`;
  const repo = checkRepository(
    {
      '/repo/kamailio.cfg': '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route { drop; }\n',
      '/repo/tls.cfg': tls,
      '/repo/certs/server.pem': chainPem(ec.leaf, ec.intermediate),
      '/repo/certs/server.key': keyPem(ec.leaf.privateKey),
      '/etc/ssl/private-ca/root.pem': ec.root.pem,
    },
    '/repo',
  );
  none(repo.findings, 'ca.path-unhashed');
  const deployTime = repo.findings.filter((f) => f.code === 'path.deploy-time');
  assert.equal(deployTime.length, 1, show(repo.findings));
  assert.match(deployTime[0]!.message, /\/etc\/ssl\/private-ca is outside/);
  assert.deepEqual(deployTime[0]!.range, r(6, 10, 6, 29));
});

// ---- verify_depth (ORACLE-NOTES "verify_depth"): depth N accepts N intermediate CAs ------------

const deepRoot = P.root('Deep Root CA');
const deepInt = P.intermediate(deepRoot, 'Deep Intermediate CA', { pathLength: undefined });
const deepLower = P.intermediate(deepInt, 'Deep Lower Intermediate CA');
const DEPTH_RANGE = r(7, 15, 7, 16);
const depthProfile = (depth: string, verify = VERIFY) => serverProfile(`${verify}ca_list = certs/ca.pem\nverify_depth = ${depth}\n`);

test('tls.verify-depth-short: verify_depth = 0 with root → intermediate in the CA list rejects every client', () => {
  const d = deploy(depthProfile('0'), { ...base, [CA]: chainPem(deepRoot, deepInt) });
  const f = single(d.findings, 'tls.verify-depth-short');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, DEPTH_RANGE);
  assert.equal(
    f.message,
    `[server:default]: verify_depth = 0 lets OpenSSL accept no intermediate CA between a client certificate and its root, but a client certificate issued by 'Deep Intermediate CA' (in the trust store) has 1 intermediate CA above it ('Deep Intermediate CA' included): every client is rejected (OpenSSL: "certificate chain too long"; Kamailio logs "certificate verify failed", the client gets the alert "unknown ca"). Set verify_depth = 1 or more (Kamailio's default is 9).`,
  );
  assert.deepEqual(f.related?.map((x) => [x.file, x.range]), [[`${DIR}/tls.cfg`, CA_RANGE]]);
  const fixed = f.fixes![0]!;
  assert.equal(fixed.title, 'Set verify_depth = 1');
  assert.deepEqual(fixed.edits, [{ file: `${DIR}/tls.cfg`, range: DEPTH_RANGE, newText: '1' }]);
  none(deploy(depthProfile('1'), { ...base, [CA]: chainPem(deepRoot, deepInt) }).findings, 'tls.verify-depth-short');
});

test('tls.verify-depth-short: two intermediates need verify_depth = 2; 1 is short', () => {
  const f = single(deploy(depthProfile('1'), { ...base, [CA]: chainPem(deepRoot, deepInt, deepLower) }).findings, 'tls.verify-depth-short');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /verify_depth = 1 lets OpenSSL accept at most 1 intermediate CA between .* issued by 'Deep Lower Intermediate CA' \(in the trust store\) has 2 intermediate CAs above it .*Set verify_depth = 2 or more/);
  none(deploy(depthProfile('2'), { ...base, [CA]: chainPem(deepLower, deepInt, deepRoot) }).findings, 'tls.verify-depth-short');
});

test('tls.verify-depth-short is a warning when some clients still verify, or certificates are not required', () => {
  // A second root issues clients directly: those pass at depth 0.
  const other = P.root('Other Root CA');
  const mixed = single(deploy(depthProfile('0'), { ...base, [CA]: chainPem(deepRoot, deepInt, other) }).findings, 'tls.verify-depth-short');
  assert.equal(mixed.severity, 'warning');
  assert.match(mixed.message, /every client certificate issued by that CA is rejected/);
  const optional = single(deploy(depthProfile('0', 'verify_certificate = yes\n'), { ...base, [CA]: chainPem(deepRoot, deepInt) }).findings, 'tls.verify-depth-short');
  assert.equal(optional.severity, 'warning');
  assert.deepEqual(optional.range, r(6, 15, 6, 16));
});

test('no tls.verify-depth-short: a root-only CA list, no verification, the default depth, an intermediate without its root', () => {
  none(deploy(depthProfile('0'), { ...base, [CA]: deepRoot.pem }).findings, 'tls.verify-depth-short');
  none(deploy(serverProfile('ca_list = certs/ca.pem\nverify_depth = 0\n'), { ...base, [CA]: chainPem(deepRoot, deepInt) }).findings, 'tls.verify-depth-short');
  none(deploy(withCa(), { ...base, [CA]: chainPem(deepRoot, deepInt, deepLower) }).findings, 'tls.verify-depth-short');
  const orphan = deploy(depthProfile('0'), { ...base, [CA]: deepLower.pem });
  none(orphan.findings, 'tls.verify-depth-short');
  single(orphan.findings, 'ca.no-root');
});
