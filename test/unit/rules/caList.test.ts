// ca.*: the trust store of a profile (ca_list, ca_path) and its CRLs, as OpenSSL loads and uses
// them (at least one certificate or CRL; hashed names; CRL_CHECK_ALL needs every CA's CRL).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, days, RSA2048, P256 } from '../../fixtures/pki';
import { r } from '../helpers';
import { DIR, NOW, deploy, none, pki, serverProfile, show, single } from './certHarness';

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
