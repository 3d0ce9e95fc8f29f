// tls.cipher-no-usable-suite and tls.cipher-no-ecdhe: the TLS 1.2 suites of cipher_list that
// remain for the certificate's key, asked of OpenSSL (tlscfg/cipherSuites.ts), judged by the
// versions the method negotiates. Exact ranges on the cipher_list value.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, RSA2048, P256, ED25519 } from '../../fixtures/pki';
import { r } from '../helpers';
import { ANCHOR, DIR, KAM, NOW, applyFix, deploy, none, redeploy, show, single } from './certHarness';
import { judgeSuites, suiteKeyClass } from '../../../server/src/core/tlscfg/cipherSuites';

const P = new TestPki(NOW);
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const anchors = { settings: { trustAnchors: [ANCHOR] } };
const rsa = standardChain(P, RSA2048, 'sip.example.com');
const ec = standardChain(P, P256, 'sip.example.com');
const files = (c: typeof rsa) => ({ [CERT]: chainPem(c.leaf, c.intermediate), [KEY]: keyPem(c.leaf.privateKey), [ANCHOR]: c.root.pem });

/** [server:default] with method and cipher_list on lines 1 and 4 (cipher_list value from character 14). */
const profile = (method: string, ciphers: string) => `[server:default]\nmethod = ${method}\ncertificate = certs/server.pem\nprivate_key = certs/server.key\ncipher_list = ${ciphers}\n`;
const LIST = (ciphers: string) => r(4, 14, 4, 14 + ciphers.length);
const RSA_ONLY = 'ECDHE-RSA-AES256-GCM-SHA384:AES256-SHA';

test('OpenSSL decides what remains: key classes, PSK/SRP never count, names this code never heard of are judged too', () => {
  assert.deepEqual(judgeSuites(RSA_ONLY, 'ecdsa'), { noUsableSuite: true, onlyAuth: 'RSA', noEcdhe: false, noForwardSecrecy: false });
  assert.equal(judgeSuites(RSA_ONLY, 'rsa').noUsableSuite, false);
  assert.equal(judgeSuites('ECDHE-ECDSA-AES256-GCM-SHA384', 'rsa').noUsableSuite, true);
  // PSK suites select something, but Kamailio has no PSK to offer.
  assert.equal(judgeSuites('ECDHE-RSA-AES128-GCM-SHA256:PSK-AES128-GCM-SHA256', 'ecdsa').noUsableSuite, true);
  // Anonymous suites: OpenSSL offers them to nobody at security level 1 and above.
  assert.deepEqual(judgeSuites('aNULL', 'ecdsa'), { noUsableSuite: true, noEcdhe: false, noForwardSecrecy: false });
  // CAMELLIA is in no list of this code: OpenSSL still knows it authenticates with RSA.
  assert.equal(judgeSuites('CAMELLIA256-SHA', 'ecdsa').noUsableSuite, true);
  assert.deepEqual(judgeSuites('CAMELLIA256-SHA', 'rsa'), { noUsableSuite: false, onlyAuth: 'RSA', noEcdhe: true, noForwardSecrecy: true });
  // RSA key exchange needs an rsaEncryption key: an RSA-PSS key only signs.
  assert.equal(judgeSuites('AES256-SHA:AES128-GCM-SHA256', 'rsa-pss').noUsableSuite, true);
  assert.equal(judgeSuites('ECDHE-RSA-AES128-GCM-SHA256', 'rsa-pss').noUsableSuite, false);
  assert.deepEqual(judgeSuites('DHE-RSA-AES256-GCM-SHA384', 'rsa'), { noUsableSuite: false, onlyAuth: 'RSA', noEcdhe: true, noForwardSecrecy: false });
  assert.deepEqual(judgeSuites('kRSA', undefined), { noUsableSuite: false, onlyAuth: 'RSA', noEcdhe: true, noForwardSecrecy: true });
  for (const broad of ['HIGH:!aNULL', 'DEFAULT']) {
    for (const key of ['rsa', 'ecdsa', undefined] as const) assert.deepEqual(judgeSuites(broad, key), { noUsableSuite: false, noEcdhe: false, noForwardSecrecy: false }, `${broad} ${key}`);
  }
  // TLS 1.3 names are not part of the classic list (Kamailio hands them to set_cipher_list, where they select nothing).
  assert.equal(judgeSuites('aRSA:TLS_AES_256_GCM_SHA384', 'ecdsa').noUsableSuite, true);
  assert.equal(suiteKeyClass('ed25519'), 'ecdsa');
  assert.equal(suiteKeyClass('dsa'), undefined);
});

test('tls.cipher-no-usable-suite: ECDSA key, RSA-only list — a warning with TLSv1.2+ (TLS 1.3 peers connect), an error with TLSv1.2', () => {
  const range = single(deploy(profile('TLSv1.2+', RSA_ONLY), files(ec), anchors).findings, 'tls.cipher-no-usable-suite');
  assert.equal(range.severity, 'warning');
  assert.equal(range.file, `${DIR}/tls.cfg`);
  assert.deepEqual(range.range, LIST(RSA_ONLY));
  assert.equal(
    range.message,
    `TLSs<default>: no TLS 1.2 suite of cipher_list '${RSA_ONLY}' can be used with the certificate's ECDSA key (they authenticate with RSA): every TLS 1.2 handshake fails with "TLS accept:error:0A0000C1:SSL routines::no shared cipher". Peers that offer TLS 1.3 still connect — method TLSv1.2+ allows it and cipher_list does not restrict TLS 1.3 suites — but a TLS 1.2-only peer (many SIP phones, SBCs and carriers) never does.`,
  );

  const exact = single(deploy(profile('TLSv1.2', RSA_ONLY), files(ec), anchors).findings, 'tls.cipher-no-usable-suite');
  assert.equal(exact.severity, 'error');
  assert.deepEqual(exact.range, LIST(RSA_ONLY));
  assert.match(exact.message, /and method TLSv1\.2 allows no TLS 1\.3: no TLS handshake of this profile ever completes \(Kamailio logs "TLS accept:error:0A0000C1:SSL routines::no shared cipher"\)\.$/);

  // The fix puts suites for the key first; the finding is gone after it.
  const d = deploy(profile('TLSv1.2', RSA_ONLY), files(ec), anchors);
  const f = single(d.findings, 'tls.cipher-no-usable-suite').fixes![0]!;
  assert.equal(f.title, 'Add ECDSA suites: ECDHE+aECDSA+AESGCM:…');
  assert.equal(f.edits[0]!.newText, `ECDHE+aECDSA+AESGCM:${RSA_ONLY}`);
  none(redeploy(applyFix(d.files, f), anchors).findings, 'tls.cipher-no-usable-suite');
});

test('tls.cipher-no-usable-suite: an RSA key with ECDSA-only suites; Ed25519 counts as ECDSA; nothing for a list that fits', () => {
  const rsaKey = single(deploy(profile('TLSv1.2+', 'ECDHE-ECDSA-AES256-GCM-SHA384'), files(rsa), anchors).findings, 'tls.cipher-no-usable-suite');
  assert.match(rsaKey.message, /with the certificate's RSA key \(they authenticate with ECDSA\)/);
  assert.equal(rsaKey.fixes![0]!.edits[0]!.newText, 'ECDHE+aRSA+AESGCM:ECDHE-ECDSA-AES256-GCM-SHA384');

  const ed = standardChain(P, ED25519, 'sip.example.com', { keyUsage: ['digitalSignature'] });
  none(deploy(profile('TLSv1.2+', 'ECDHE-ECDSA-AES256-GCM-SHA384'), files(ed), anchors).findings, 'tls.cipher-no-usable-suite');
  single(deploy(profile('TLSv1.2+', RSA_ONLY), files(ed), anchors).findings, 'tls.cipher-no-usable-suite');

  for (const fits of [RSA_ONLY, 'HIGH:!aNULL']) none(deploy(profile('TLSv1.2+', fits), files(rsa), anchors).findings, 'tls.cipher-no-usable-suite');
  none(deploy(profile('TLSv1.2+', 'HIGH:!aNULL'), files(ec), anchors).findings, 'tls.cipher-no-usable-suite');
  // TLSv1.3 methods: cipher_list names TLS 1.3 suites, which every key uses.
  none(deploy(profile('TLSv1.3+', 'TLS_AES_256_GCM_SHA384'), files(ec), { ...anchors, settings: { ...anchors.settings, version: '6.1' } }).findings, 'tls.cipher-no-usable-suite');
});

test('tls.cipher-no-usable-suite: no claim without the certificate (missing, deploy-time), nor where OpenSSL 3 negotiates nothing anyway', () => {
  // The certificate file is missing: path.not-found says so, no guess about its key.
  const missing = deploy(profile('TLSv1.2', RSA_ONLY), { [ANCHOR]: ec.root.pem }, anchors).findings;
  none(missing, 'tls.cipher-no-usable-suite');
  // TLSv1 alone on OpenSSL 3: tls.protocol-outdated already says no handshake completes.
  const tls10 = deploy(profile('TLSv1', RSA_ONLY), files(ec), anchors).findings;
  none(tls10, 'tls.cipher-no-usable-suite');
  single(tls10, 'tls.protocol-outdated');
});

test('tls.cipher-no-usable-suite in modparam mode: one finding on the modparam value, with a quoted fix', () => {
  const kam = `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "tls_method", "TLSv1.2")\nmodparam("tls", "certificate", "certs/server.pem")\nmodparam("tls", "private_key", "certs/server.key")\nmodparam("tls", "cipher_list", "${RSA_ONLY}")\n`;
  const d = deploy(undefined, { [KAM]: kam, ...files(ec) }, anchors);
  const f = single(d.findings, 'tls.cipher-no-usable-suite');
  assert.equal(f.file, KAM);
  assert.deepEqual(f.range, r(7, 31, 7, 31 + RSA_ONLY.length + 2));
  assert.equal(f.severity, 'error');
  assert.equal(f.fixes![0]!.edits[0]!.newText, `"ECDHE+aECDSA+AESGCM:${RSA_ONLY}"`);
});

test('tls.cipher-no-ecdhe: RSA key exchange only (no forward secrecy) or DHE only, with the peers it breaks', () => {
  const list = 'AES256-SHA:AES128-GCM-SHA256';
  const d = deploy(profile('TLSv1.2+', list), files(rsa), anchors);
  const f = single(d.findings, 'tls.cipher-no-ecdhe');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, LIST(list));
  assert.equal(
    f.message,
    `TLSs<default>: the TLS 1.2 suites cipher_list '${list}' leaves with the certificate's RSA key use RSA key exchange only, without forward secrecy (a stolen key decrypts every recorded session). TLS 1.2 peers connecting to Kamailio that accept only ECDHE suites refuse the handshake — Microsoft Teams Direct Routing is described with TLS 1.2 ECDHE suites only, and Mozilla's intermediate guideline allows nothing else for TLS 1.2. TLS 1.3 is not affected (its suites always use ECDHE or DHE).`,
  );
  assert.equal(f.fixes![0]!.edits[0]!.newText, `ECDHE+aRSA+AESGCM:${list}`);
  none(redeploy(applyFix(d.files, f.fixes![0]!), anchors).findings, 'tls.cipher-no-ecdhe');

  const dhe = single(deploy(profile('TLSv1.2', 'DHE-RSA-AES256-GCM-SHA384'), files(rsa), anchors).findings, 'tls.cipher-no-ecdhe');
  assert.match(dhe.message, /use DHE but no ECDHE key exchange\. TLS 1\.2 peers connecting to Kamailio/);
  assert.doesNotMatch(dhe.message, /TLS 1\.3 is not affected/);
  single(deploy(profile('TLSv1.2+', 'kRSA'), files(rsa), anchors).findings, 'tls.cipher-no-ecdhe');
  // An ECDHE suite the key can use is enough; one it cannot use is not.
  none(deploy(profile('TLSv1.2+', `ECDHE-RSA-AES128-GCM-SHA256:${list}`), files(rsa), anchors).findings, 'tls.cipher-no-ecdhe');
  single(deploy(profile('TLSv1.2+', `ECDHE-ECDSA-AES128-GCM-SHA256:${list}`), files(rsa), anchors).findings, 'tls.cipher-no-ecdhe');
});

test('tls.cipher-no-ecdhe on a client profile: the peer server decides the key, the list alone is judged', () => {
  const server = profile('TLSv1.2+', 'HIGH:!aNULL');
  const client = '\n[client:default]\nmethod = TLSv1.2\nverify_certificate = yes\nca_list = /srv/anchors/root.pem\ncipher_list = AES128-SHA\n';
  const d = deploy(server + client, files(rsa), anchors);
  const f = single(d.findings, 'tls.cipher-no-ecdhe');
  assert.deepEqual(f.range, r(10, 14, 10, 24));
  assert.match(f.message, /^TLSc<default>: the TLS 1\.2 suites cipher_list 'AES128-SHA' leaves \(this client profile offers\) use RSA key exchange only, .*TLS 1\.2 peers Kamailio connects to that accept only ECDHE suites refuse the handshake/);
  assert.equal(f.fixes![0]!.edits[0]!.newText, 'ECDHE+AESGCM:AES128-SHA', show([f]));
});
