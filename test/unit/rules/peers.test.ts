// peer.*: each profile judged against the peers it talks to. A custom peer shaped like a strict
// carrier (TLS 1.2 only, ECDHE-RSA suites, trusting the test root for our certificate, rooted at
// its own CA) stands in for the presets where a test needs its roots; the presets themselves are
// used where public-root trust or their published data is the point.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, RSA2048, P256, days } from '../../fixtures/pki';
import { r } from '../helpers';
import { ANCHOR, DIR, KAM, KAM_TEXT, NOW, TLS, applyFix, deploy, none, redeploy, serverProfile, show, single, type Files } from './certHarness';
import { readPeer, type Peer } from '../../../server/src/core/peers/peer';
import type { CheckSettings, PeerDeclaration } from '../../../server/src/core/settings';
import type { Finding } from '../../../server/src/core/types';

const P = new TestPki(NOW);
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const CERT_RANGE = r(2, 14, 2, 30);
const { root, intermediate, leaf } = standardChain(P, RSA2048, 'sbc.example.com');
const carrierRoot = P.root('Carrier Root CA');
const otherRoot = P.root('Unrelated Root CA');

const sha = (c: { x509: { fingerprint256: string } }) => c.x509.fingerprint256.replace(/:/g, '').toLowerCase();

function peer(extra: Record<string, unknown> = {}): Peer {
  const { peer: p, problems } = readPeer({
    id: 'carrier',
    name: 'Carrier',
    sources: [],
    connects: 'both',
    versions: ['1.2'],
    suites: ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'],
    keyTypes: [],
    trustsOurCertificateVia: { roots: [{ name: 'Test Root CA', sha256: sha(root) }] },
    itsRoots: { required: 'any', roots: [{ name: 'Carrier Root CA', sha256: sha(carrierRoot) }] },
    hosts: ['sip.carrier.example'],
    clientCertificate: 'none',
    presentsClientCertificate: false,
    srtp: [],
    ...extra,
  });
  assert.deepEqual(problems, []);
  return p!;
}

function withPeer(p: Peer, profiles: string[], o: { names?: string[] } = {}): { settings: Partial<CheckSettings> } {
  const d: PeerDeclaration = { peer: p.id, profiles, source: '.sip-tls.json', ...(o.names ? { names: o.names } : {}) };
  return { settings: { trustAnchors: [ANCHOR], customPeers: [p], peers: [d] } };
}

const goodFiles = (l = leaf): Files => ({ [CERT]: chainPem(l, intermediate), [KEY]: keyPem(l.privateKey), [ANCHOR]: root.pem });
const peerFindings = (fs: Finding[]) => fs.filter((f) => f.code.startsWith('peer.'));

test('a profile that meets every requirement of its peer gets no peer finding', () => {
  const d = deploy(serverProfile('cipher_list = ECDHE-RSA-AES128-GCM-SHA256\n'), goodFiles(), withPeer(peer(), ['server:default'], { names: ['sbc.example.com'] }));
  assert.deepEqual(peerFindings(d.findings), [], show(d.findings));
});

test('peer.version-mismatch: method TLSv1.3 against a TLS 1.2-only peer, on the method value, fixed by TLSv1.2+', () => {
  const tls = `[server:default]\nmethod = TLSv1.3\ncertificate = certs/server.pem\nprivate_key = certs/server.key\n`;
  const d = deploy(tls, goodFiles(), withPeer(peer(), ['server:default']));
  const f = single(d.findings, 'peer.version-mismatch');
  assert.equal(f.severity, 'error');
  assert.equal(f.file, TLS);
  assert.deepEqual(f.range, r(1, 9, 1, 16));
  assert.match(f.message, /^Carrier \(connecting to \[server:default\]\) negotiates TLS 1\.2 only, and method TLSv1\.3 lets .* use TLS 1\.3 on .*: no version in common/);
  const fixed = applyFix(d.files, f.fixes![0]!);
  assert.match(fixed[TLS] as string, /^method = TLSv1\.2\+$/m);
  none(redeploy(fixed, withPeer(peer(), ['server:default'])).findings, 'peer.version-mismatch');
});

test('peer.version-mismatch: a peer of TLS 1.0 only meets Debian 12 OpenSSL (SECLEVEL 2) nowhere; no fix is offered for an old version', () => {
  const old = peer({ versions: ['1.0'], suites: [] });
  const d = deploy(serverProfile(), goodFiles(), withPeer(old, ['server:default']));
  const f = single(d.findings, 'peer.version-mismatch');
  assert.deepEqual(f.range, r(1, 9, 1, 17));
  assert.equal(f.fixes, undefined);
});

test('peer.no-shared-suite: cipher_list AES128-SHA shares nothing with an ECDHE-RSA-only peer; the fix prepends its suites', () => {
  const d = deploy(serverProfile('cipher_list = AES128-SHA\n'), goodFiles(), withPeer(peer(), ['server:default']));
  const f = single(d.findings, 'peer.no-shared-suite');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, r(4, 14, 4, 24));
  assert.match(f.message, /^Carrier \(connecting to \[server:default\]\) accepts only ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256 over TLS 1\.2, and cipher_list "AES128-SHA" enables none of them/);
  const fixed = applyFix(d.files, f.fixes![0]!);
  assert.match(fixed[TLS] as string, /^cipher_list = ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA$/m);
  assert.deepEqual(peerFindings(redeploy(fixed, withPeer(peer(), ['server:default'])).findings), []);
});

test('peer.no-shared-suite: an ECDSA certificate cannot serve ECDHE-RSA suites — no cipher_list fix, the key is named', () => {
  const ec = standardChain(P, P256, 'sbc.example.com');
  const files = { [CERT]: chainPem(ec.leaf, ec.intermediate), [KEY]: keyPem(ec.leaf.privateKey), [ANCHOR]: ec.root.pem };
  const p = peer({ trustsOurCertificateVia: { roots: [{ name: 'EC root', sha256: sha(ec.root) }] } });
  const d = deploy(serverProfile(), files, withPeer(p, ['server:default']));
  const f = single(d.findings, 'peer.no-shared-suite');
  assert.deepEqual(f.range, r(0, 0, 0, 16)); // no cipher_list: the profile header
  assert.match(f.message, /no cipher_list \(OpenSSL's DEFAULT\) enables none of them for this profile; none could be: they all authenticate with a key of another type than the certificate's ECDSA/);
  assert.equal(f.fixes, undefined);
});

test('peer.no-shared-suite: a client profile is judged without a key (the peer chooses its suite)', () => {
  const tls = `[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\ncipher_list = AES256-SHA\n`;
  const d = deploy(tls, {}, withPeer(peer(), ['client:default']));
  const f = single(d.findings, 'peer.no-shared-suite');
  assert.deepEqual(f.range, r(3, 14, 3, 24));
  assert.match(f.message, /^Carrier \(reached through \[client:default\]\)/);
});

test('peer.no-forward-secret-suite: only the RSA key-exchange suite is shared although the peer offers ECDHE', () => {
  const p = peer({ suites: ['ECDHE-RSA-AES128-GCM-SHA256', 'AES128-SHA'] });
  const d = deploy(serverProfile('cipher_list = AES128-SHA:AES256-SHA\n'), goodFiles(), withPeer(p, ['server:default']));
  const f = single(d.findings, 'peer.no-forward-secret-suite');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, r(4, 14, 4, 35));
  assert.match(f.message, /the suites shared over TLS 1\.2 \(AES128-SHA\) use RSA key exchange/);
  none(d.findings, 'peer.no-shared-suite');
});

test('peer.key-type: Bandwidth (RSA only) and an ECDSA certificate, on the certificate value', () => {
  const ec = standardChain(P, P256, 'sbc.example.com');
  const files = { [CERT]: chainPem(ec.leaf, ec.intermediate), [KEY]: keyPem(ec.leaf.privateKey), [ANCHOR]: ec.root.pem };
  const d = deploy(serverProfile(), files, { settings: { trustAnchors: [ANCHOR], peers: [{ peer: 'bandwidth', profiles: ['server:default'], source: '--peer bandwidth' }] } });
  const f = single(d.findings, 'peer.key-type');
  assert.deepEqual(f.range, CERT_RANGE);
  assert.match(f.message, /^Bandwidth .*accepts RSA certificates only, and 'sbc\.example\.com' has a ECDSA|^Bandwidth .*accepts RSA certificates only, and .* has an? ECDSA/);
});

test('peer.key-type: an RSA key below the peer\'s minimum', () => {
  const d = deploy(serverProfile(), goodFiles(), withPeer(peer({ minRsaBits: 3072 }), ['server:default']));
  const f = single(d.findings, 'peer.key-type');
  assert.match(f.message, /needs RSA keys of at least 3072 bits/);
});

test('peer.certificate-rejected: expired, on the certificate value, naming the peer and its error', () => {
  const old = P.leaf(intermediate, 'sbc.example.com', { notBefore: days(-400, NOW), notAfter: days(-2, NOW) });
  const d = deploy(serverProfile(), goodFiles(old), withPeer(peer(), ['server:default']));
  const f = single(d.findings, 'peer.certificate-rejected');
  assert.deepEqual(f.range, CERT_RANGE);
  assert.match(f.message, /^Carrier \(connecting to \[server:default\]\) rejects .*: it expired on 2026-01-13 \("certificate has expired"\)\.$/);
});

test('peer.certificate-rejected: self-signed; a private CA; a missing intermediate', () => {
  const self = P.selfSigned('sbc.example.com');
  let d = deploy(serverProfile(), { [CERT]: self.pem, [KEY]: keyPem(self.privateKey) }, withPeer(peer(), ['server:default']));
  assert.match(single(d.findings, 'peer.certificate-rejected').message, /it is self-signed \("self-signed certificate"\)/);

  const priv = standardChain(P, RSA2048, 'sbc.example.com');
  d = deploy(serverProfile(), { [CERT]: chainPem(priv.leaf, priv.intermediate), [KEY]: keyPem(priv.leaf.privateKey), [ANCHOR]: root.pem }, withPeer(peer(), ['server:default']));
  assert.match(single(d.findings, 'peer.certificate-rejected').message, /the issuer of .*Test Intermediate CA.* is not sent and is not one of the roots Carrier trusts \(Test Root CA\)/);

  d = deploy(serverProfile(), { [CERT]: leaf.pem, [KEY]: keyPem(leaf.privateKey), [ANCHOR]: root.pem }, withPeer(peer(), ['server:default']));
  assert.match(single(d.findings, 'peer.certificate-rejected').message, /the issuer of .*sbc\.example\.com.* is not sent and is not one of the roots Carrier trusts .*: send the intermediates with the certificate \(fullchain\)/);
});

test('a pinned root known by its fingerprint only: a stuck chain is not judged (the peer may hold it)', () => {
  const d = deploy(serverProfile(), { [CERT]: leaf.pem, [KEY]: keyPem(leaf.privateKey) }, withPeer(peer(), ['server:default']));
  none(d.findings, 'peer.certificate-rejected');
});

test('an intermediate that only our ca_list holds is not sent to the peer', () => {
  const tls = serverProfile('ca_list = /srv/ca/ours.pem\n');
  const files = { [CERT]: chainPem(leaf), [KEY]: keyPem(leaf.privateKey), [ANCHOR]: root.pem, '/srv/ca/ours.pem': chainPem(intermediate, root) };
  // The leaf alone: OpenSSL auto-chains from the profile's own store, so the intermediate is sent.
  none(deploy(tls, files, withPeer(peer(), ['server:default'])).findings, 'peer.certificate-rejected');
  const other = serverProfile('ca_list = /srv/ca/ours.pem\n', 'certs/server.pem');
  const two = { ...files, [CERT]: chainPem(leaf, otherRoot) };
  const d = deploy(other, two, withPeer(peer(), ['server:default']));
  assert.match(single(d.findings, 'peer.certificate-rejected').message, /Test Intermediate CA.* is not sent \("unable to get local issuer certificate"\)/);
});

test('peer.certificate-rejected: Teams trusts public roots only — a chain to a test root is a private CA for it', () => {
  const d = deploy(serverProfile(), goodFiles(), { settings: { trustAnchors: [ANCHOR], peers: [{ peer: 'teams', profiles: ['server:default'], source: '--peer teams' }] } });
  const f = single(d.findings, 'peer.certificate-rejected');
  assert.match(f.message, /^Microsoft Teams Direct Routing \(connecting to \[server:default\]\) rejects .*: the issuer of .*Test Intermediate CA.* is not sent and is not a public root/);
});

test('peer.certificate-rejected: the names the peer dials (declared, or the profile\'s server_name) must be in the certificate', () => {
  let d = deploy(serverProfile(), goodFiles(), withPeer(peer(), ['server:default'], { names: ['sbc2.example.com'] }));
  let f = single(d.findings, 'peer.certificate-rejected');
  assert.deepEqual(f.range, CERT_RANGE);
  assert.match(f.message, /expects sbc2\.example\.com in our certificate, and .* covers sbc\.example\.com \("hostname mismatch"\)/);
  d = deploy(serverProfile(), goodFiles(), withPeer(peer(), ['server:default'], { names: ['sbc.example.com'] }));
  none(d.findings, 'peer.certificate-rejected');
  const wild = P.leaf(intermediate, '*.example.com');
  d = deploy(serverProfile(), goodFiles(wild), withPeer(peer(), ['server:default'], { names: ['sbc.example.com', 'a.b.example.com'] }));
  f = single(d.findings, 'peer.certificate-rejected');
  assert.match(f.message, /expects a\.b\.example\.com in our certificate/, 'a wildcard covers one label only (RFC 6125)');
});

test('peer.certificate-rejected: a peer that needs a DNS SAN and a certificate with an IP address only', () => {
  const ipOnly = P.leaf(intermediate, 'sbc', { dns: [], ips: ['192.0.2.10'] });
  const d = deploy(serverProfile(), goodFiles(ipOnly), withPeer(peer({ needsDnsSan: true }), ['server:default']));
  assert.match(single(d.findings, 'peer.certificate-rejected').message, /checks the DNS names in the subject alternative name, and .* has none \(only 192\.0\.2\.10\)/);
});

const CLIENT = `[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = /srv/ca/carrier.pem\n`;

test('peer.client-certificate-missing: a peer that requires mutual TLS and a client profile without certificate, on the header', () => {
  const p = peer({ clientCertificate: 'required' });
  const d = deploy(CLIENT, { '/srv/ca/carrier.pem': carrierRoot.pem }, withPeer(p, ['client:default']));
  const f = single(d.findings, 'peer.client-certificate-missing');
  assert.deepEqual(f.range, r(0, 0, 0, 16));
  assert.match(f.message, /^Carrier \(reached through \[client:default\]\) requires a client certificate \(mutual TLS\), and \[client:default\] presents none/);
  none(deploy(CLIENT, { '/srv/ca/carrier.pem': carrierRoot.pem }, withPeer(peer(), ['client:default'])).findings, 'peer.client-certificate-missing');
});

test('peer.client-certificate-eku: a client certificate with serverAuth only (Let\'s Encrypt since 2026-02-11)', () => {
  const p = peer({ clientCertificate: 'required', clientCertificateEku: 'clientAuth' });
  const serverOnly = P.leaf(intermediate, 'sbc.example.com', { eku: ['serverAuth'] });
  const tls = `${CLIENT}certificate = ${CERT}\nprivate_key = ${KEY}\n`;
  const files = { ...goodFiles(serverOnly), '/srv/ca/carrier.pem': carrierRoot.pem };
  const d = deploy(tls, files, withPeer(p, ['client:default']));
  const f = single(d.findings, 'peer.client-certificate-eku');
  assert.deepEqual(f.range, r(4, 14, 4, 14 + CERT.length));
  assert.match(f.message, /allows serverAuth only \("unsupported certificate purpose"\)/);
  none(deploy(tls, { ...goodFiles(), '/srv/ca/carrier.pem': carrierRoot.pem }, withPeer(p, ['client:default'])).findings, 'peer.client-certificate-eku');
});

test('peer.client-certificate-required: WhatsApp must not be asked for a certificate; the fix sets require_certificate = no', () => {
  const tls = serverProfile('verify_certificate = yes\nrequire_certificate = yes\nca_list = /srv/ca/any.pem\n');
  const opts = { settings: { trustAnchors: [ANCHOR], peers: [{ peer: 'whatsapp', profiles: ['server:default'], source: '--peer whatsapp' }] } };
  const d = deploy(tls, { ...goodFiles(), '/srv/ca/any.pem': otherRoot.pem }, opts);
  const f = single(d.findings, 'peer.client-certificate-required');
  assert.deepEqual(f.range, r(5, 22, 5, 25));
  assert.match(f.message, /^WhatsApp .* does not present a client certificate, and \[server:default\] requires one/);
  const fixed = applyFix(d.files, f.fixes![0]!);
  assert.match(fixed[TLS] as string, /^require_certificate = no$/m);
  none(redeploy(fixed, opts).findings, 'peer.client-certificate-required');
});

test('peer.cannot-verify: our ca_list holds none of the roots the peer\'s certificates chain to, on the ca_list value', () => {
  const d = deploy(CLIENT, { '/srv/ca/carrier.pem': otherRoot.pem }, withPeer(peer(), ['client:default']));
  const f = single(d.findings, 'peer.cannot-verify');
  assert.deepEqual(f.range, r(3, 10, 3, 29));
  assert.match(f.message, /its trust store holds none of the roots Carrier's certificates chain to \(Carrier Root CA\)/);
  none(deploy(CLIENT, { '/srv/ca/carrier.pem': carrierRoot.pem + otherRoot.pem }, withPeer(peer(), ['client:default'])).findings, 'peer.cannot-verify');
  none(deploy(CLIENT.replace('yes', 'no'), { '/srv/ca/carrier.pem': otherRoot.pem }, withPeer(peer(), ['client:default'])).findings, 'peer.cannot-verify');
});

test('peer.cannot-verify names an expired root as the only one held; peer.roots-incomplete when the peer rotates among several', () => {
  const second = P.root('Carrier Root CA 2');
  const gone = P.root('Carrier Old Root');
  const p = peer({
    itsRoots: {
      required: 'all',
      roots: [
        { name: 'Carrier Root CA', sha256: sha(carrierRoot) },
        { name: 'Carrier Root CA 2', sha256: sha(second) },
      ],
      expired: [{ name: 'Carrier Old Root', sha256: sha(gone) }],
    },
  });
  let d = deploy(CLIENT, { '/srv/ca/carrier.pem': gone.pem }, withPeer(p, ['client:default']));
  assert.match(single(d.findings, 'peer.cannot-verify').message, /holds only Carrier Old Root, which has expired,/);
  d = deploy(CLIENT, { '/srv/ca/carrier.pem': carrierRoot.pem }, withPeer(p, ['client:default']));
  const f = single(d.findings, 'peer.roots-incomplete');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, r(3, 10, 3, 29));
  assert.match(f.message, /lacks Carrier Root CA 2 of the roots Carrier uses/);
  none(deploy(CLIENT, { '/srv/ca/carrier.pem': carrierRoot.pem + second.pem }, withPeer(p, ['client:default'])).findings, 'peer.roots-incomplete');
});

test('peer.inferred: a Teams host in a $du literal pairs Teams with [client:default] and the only server profile, once, at the host', () => {
  const kam = `${KAM_TEXT}request_route {\n  $du = "sip:sip2.pstnhub.microsoft.com:5061;transport=tls";\n  t_relay();\n}\n`;
  const tls = `${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n`;
  const d = deploy(tls, { [KAM]: kam, ...goodFiles() }, { settings: { trustAnchors: [ANCHOR] } });
  const f = single(d.findings, 'peer.inferred');
  assert.equal(f.severity, 'information');
  assert.equal(f.file, KAM);
  assert.deepEqual(f.range, r(6, 13, 6, 39));
  assert.match(f.message, /^Microsoft Teams Direct Routing is a peer of \[client:default\] and \[server:default\]: sip2\.pstnhub\.microsoft\.com is a destination in kamailio\.cfg:7\./);
  // Teams requires a client certificate: [client:default] has none.
  single(d.findings, 'peer.client-certificate-missing');
});

test('a commented-out or #!ifdef-inactive destination infers nothing', () => {
  const kam = `${KAM_TEXT}request_route {\n  # $du = "sip:sip.pstnhub.microsoft.com";\n#!ifdef NEVER\n  $du = "sip:sip.pstnhub.microsoft.com";\n#!endif\n  exit;\n}\n`;
  const d = deploy(serverProfile(), { [KAM]: kam, ...goodFiles() }, { settings: { trustAnchors: [ANCHOR] } });
  none(d.findings, 'peer.inferred');
  assert.deepEqual(peerFindings(d.findings), []);
});

test('peer.unknown: a declared peer that does not exist, and a profile the configuration lacks', () => {
  const d = deploy(serverProfile(), goodFiles(), {
    settings: {
      trustAnchors: [ANCHOR],
      peers: [
        { peer: 'nope', profiles: [], source: '--peer nope' },
        { peer: 'twilio', profiles: ['client:10.0.0.1:5061'], source: '--peer twilio' },
      ],
    },
  });
  const u = d.findings.filter((f) => f.code === 'peer.unknown');
  assert.equal(u.length, 2, show(d.findings));
  assert.match(u[0]!.message, /--peer nope names the peer "nope", which is not known \(built-in: teams, twilio, bandwidth, whatsapp, browsers, modern/);
  assert.match(u[1]!.message, /pairs Twilio.* with the profile "client:10\.0\.0\.1:5061", which this configuration does not have \(profiles: server:default\)/);
});

const TWILIO_KAM = (flags: string) =>
  `${KAM_TEXT}loadmodule "rtpengine.so"\nrequest_route {\n  $du = "sip:acme.pstn.twilio.com:5061;transport=tls";\n  rtpengine_offer("${flags}");\n  t_relay();\n}\n`;
const TWILIO_TLS = `[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n`;

test('peer.srtp-suite: SDES-only-AEAD_AES_256_GCM offered toward Twilio (80/32 only), on the flags literal', () => {
  const d = deploy(TWILIO_TLS, { [KAM]: TWILIO_KAM('RTP/SAVP SDES-only-AEAD_AES_256_GCM replace-origin') });
  const f = single(d.findings, 'peer.srtp-suite');
  assert.equal(f.severity, 'warning');
  assert.equal(f.file, KAM);
  assert.deepEqual(f.range, r(8, 18, 8, 70));
  assert.match(f.message, /^rtpengine_offer offers AEAD_AES_256_GCM only \(SDES-only-AEAD_AES_256_GCM\), and Twilio .* accepts AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32: if this offer goes to Twilio/);
});

test('peer.srtp-suite: SDES-no- of both accepted suites, and SDES-off with RTP/SAVP', () => {
  let d = deploy(TWILIO_TLS, { [KAM]: TWILIO_KAM('RTP/SAVP SDES-no-AES_CM_128_HMAC_SHA1_80 SDES-no-AES_CM_128_HMAC_SHA1_32') });
  assert.match(single(d.findings, 'peer.srtp-suite').message, /offers AEAD_AES_256_GCM, .* only \(SDES-no-AES_CM_128_HMAC_SHA1_80 SDES-no-AES_CM_128_HMAC_SHA1_32\)/);
  d = deploy(TWILIO_TLS, { [KAM]: TWILIO_KAM('RTP/SAVPF SDES-off DTLS=passive') });
  assert.match(single(d.findings, 'peer.srtp-suite').message, /offers no SDES suite \(SDES-off\)/);
});

test('no peer.srtp-suite: rtpengine default suites, an accepted SDES-only, plain RTP, SDES-nonew, or no SRTP peer', () => {
  for (const flags of ['RTP/SAVP', 'RTP/SAVP SDES-only-AES_CM_128_HMAC_SHA1_80', 'RTP/AVP SDES-only-AEAD_AES_256_GCM', 'RTP/SAVP SDES-nonew SDES-only-AEAD_AES_256_GCM', 'RTP/SAVP SDES-no-AES_CM_128_HMAC_SHA1_80']) {
    none(deploy(TWILIO_TLS, { [KAM]: TWILIO_KAM(flags) }).findings, 'peer.srtp-suite');
  }
  const teamsKam = TWILIO_KAM('RTP/SAVP SDES-only-AEAD_AES_256_GCM').replace('acme.pstn.twilio.com', 'sip.pstnhub.microsoft.com');
  none(deploy(TWILIO_TLS, { [KAM]: teamsKam }).findings, 'peer.srtp-suite');
});

test('one owner per defect: peer.no-shared-suite replaces tls.cipher-no-ecdhe on the same cipher_list; without the peer the generic one stays', () => {
  const tls = serverProfile('cipher_list = AES128-SHA\n');
  none(deploy(tls, goodFiles(), withPeer(peer(), ['server:default'])).findings, 'tls.cipher-no-ecdhe');
  single(deploy(tls, goodFiles(), { settings: { trustAnchors: [ANCHOR] } }).findings, 'tls.cipher-no-ecdhe');
});

test('the roots fix, on request: a new CA file with the ca_list certificates and the peer\'s roots from the public store, ca_list pointed at it', () => {
  const tls = `[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = /srv/ca/carrier.pem\ncertificate = ${CERT}\nprivate_key = ${KEY}\n`;
  const opts = { settings: { trustAnchors: [ANCHOR], peers: [{ peer: 'teams', profiles: ['client:default'], source: '--peer teams' }] } };
  const d = deploy(tls, { ...goodFiles(), '/srv/ca/carrier.pem': otherRoot.pem }, opts);
  const f = single(d.findings, 'peer.cannot-verify');
  const fx = f.fixes?.[0];
  assert.ok(fx, show([f]));
  assert.notEqual(fx.isPreferred, true, 'a fix that writes a file is never applied by --fix');
  assert.match(fx.title, /^Write ca_list's certificates and DigiCert Global Root G2, .* to carrier\.teams-roots\.pem and use it$/);
  assert.equal(fx.createFiles?.[0]?.file, '/srv/ca/carrier.teams-roots.pem');
  const fixed = applyFix(d.files, fx);
  assert.match(fixed[TLS] as string, /^ca_list = \/srv\/ca\/carrier\.teams-roots\.pem$/m);
  const pems = (fixed['/srv/ca/carrier.teams-roots.pem'] as string).match(/-----BEGIN CERTIFICATE-----/g) ?? [];
  assert.equal(pems.length, 8, 'the unrelated root kept, and the seven Teams roots');
  const again = redeploy(fixed, opts).findings;
  none(again, 'peer.cannot-verify');
  none(again, 'peer.roots-incomplete');
});

test('peer.inferred from dispatcher\'s list file: on the list_file value; a db_url list or a commented destination infers nothing', () => {
  const LIST = '/etc/kamailio/dispatcher.list';
  const kam = (extra: string) => `${KAM_TEXT}loadmodule "dispatcher.so"\n${extra}request_route {\n  exit;\n}\n`;
  const tls = `${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n`;
  const withList = kam(`modparam("dispatcher", "list_file", "${LIST}")\n`);
  const d = deploy(tls, { [KAM]: withList, [LIST]: '# trunks\n1 sip:10.0.0.1:5060 0 0\n1 sip:sip3.pstnhub.microsoft.com:5061;transport=tls 0 0\n', ...goodFiles() }, { settings: { trustAnchors: [ANCHOR] } });
  const f = single(d.findings, 'peer.inferred');
  assert.equal(f.file, KAM);
  assert.deepEqual(f.range, r(6, 36, 6, 36 + LIST.length + 2));
  assert.match(f.message, /sip3\.pstnhub\.microsoft\.com is a destination in the dispatcher list \/etc\/kamailio\/dispatcher\.list:3/);
  // The default list file, without a list_file modparam.
  single(deploy(tls, { [KAM]: kam(''), [LIST]: '1 sip:sip.pstnhub.microsoft.com 0 0\n', ...goodFiles() }, { settings: { trustAnchors: [ANCHOR] } }).findings, 'peer.inferred');
  none(deploy(tls, { [KAM]: kam(`modparam("dispatcher", "db_url", "mysql://x")\n`), [LIST]: '1 sip:sip.pstnhub.microsoft.com 0 0\n', ...goodFiles() }).findings, 'peer.inferred');
  none(deploy(tls, { [KAM]: withList, [LIST]: '# 1 sip:sip.pstnhub.microsoft.com 0 0\n', ...goodFiles() }).findings, 'peer.inferred');
});
