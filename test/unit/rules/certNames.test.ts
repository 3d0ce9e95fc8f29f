// cert.ip-in-cn-only: a server certificate whose only name is an IP address in the subject CN
// names nothing any peer matches (OpenSSL, Node, GnuTLS compare addresses with IP SANs only;
// measured against Kamailio 5.6.3, ORACLE-NOTES "IP address only in the CN").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, RSA2048 } from '../../fixtures/pki';
import { r } from '../helpers';
import { ANCHOR, DIR, NOW, deploy, none, pki, serverProfile, show, single } from './certHarness';

const P = new TestPki(NOW);
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const CERT_RANGE = r(2, 14, 2, 30);
const anchors = { settings: { trustAnchors: [ANCHOR] } };
const { root, intermediate } = standardChain(P, RSA2048, 'unused-names.example.com');

function filesFor(leaf: ReturnType<TestPki['leaf']>): Record<string, string> {
  return { [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), [ANCHOR]: root.pem };
}

test('cert.ip-in-cn-only: CN 192.0.2.10 and no subjectAltName, on the certificate value', () => {
  const leaf = P.leaf(intermediate, '192.0.2.10', { dns: [] });
  const d = deploy(serverProfile(), filesFor(leaf), anchors);
  const f = single(d.findings, 'cert.ip-in-cn-only');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, CERT_RANGE);
  assert.equal(
    f.message,
    `[server:default]: certificate ${DIR}/certs/server.pem: '192.0.2.10' names the address 192.0.2.10 only in its subject CN and has no subjectAltName: peers compare an address with the subjectAltName's IP entries only (OpenSSL: "IP address mismatch"; Node and GnuTLS alike), and a host name never matches an address ("hostname mismatch"), so every peer that checks the name rejects it, whether it connects by address or by name. Kamailio itself never checks names. Issue the certificate with subjectAltName = IP:192.0.2.10.`,
  );
  assert.deepEqual(pki(d.findings).map((x) => x.code), ['cert.ip-in-cn-only'], show(d.findings));
});

test('cert.ip-in-cn-only replaces cert.name-mismatch for server_name; an IPv6 CN too', () => {
  const leaf = P.leaf(intermediate, '2001:db8::5', { dns: [] });
  const d = deploy(serverProfile('server_name = sip.example.com\n'), filesFor(leaf), anchors);
  const f = single(d.findings, 'cert.ip-in-cn-only');
  assert.deepEqual(f.range, CERT_RANGE);
  assert.match(f.message, /names the address 2001:db8::5 only in its subject CN.*a host name never matches an address \("hostname mismatch"\) — the server_name sip\.example\.com included, so.*subjectAltName = IP:2001:db8::5, DNS:sip\.example\.com\.$/);
  none(d.findings, 'cert.name-mismatch');
});

test('cert.ip-in-cn-only: the SIP-domain check says "no name at all", not the address in the CN', () => {
  const leaf = P.leaf(intermediate, '192.0.2.10', { dns: [] });
  const d = deploy(serverProfile(), filesFor(leaf), { settings: { trustAnchors: [ANCHOR], sipDomains: ['sip.example.com'] } });
  single(d.findings, 'cert.ip-in-cn-only');
  const m = single(d.findings, 'cert.name-mismatch');
  assert.deepEqual(m.range, CERT_RANGE);
  assert.match(m.message, /'192\.0\.2\.10' covers no name at all, not the SIP domain sip\.example\.com \(sipTls\.sipDomains\)/);
});

test('no cert.ip-in-cn-only: the address also in an IP SAN, a DNS SAN, a host name CN, a client profile', () => {
  const withIpSan = P.leaf(intermediate, '192.0.2.10', { dns: [], ips: ['192.0.2.10'] });
  const ok = deploy(serverProfile(), filesFor(withIpSan), anchors);
  assert.deepEqual(pki(ok.findings), [], show(ok.findings));
  const withDnsSan = P.leaf(intermediate, '192.0.2.10', { dns: ['sip.example.com'] });
  none(deploy(serverProfile('server_name = sip.example.com\n'), filesFor(withDnsSan), anchors).findings, 'cert.ip-in-cn-only');
  const cnName = P.leaf(intermediate, 'sip.example.com', { dns: [] });
  assert.deepEqual(pki(deploy(serverProfile('server_name = sip.example.com\n'), filesFor(cnName), anchors).findings), []);
  // A client certificate is not matched against a name by the servers Kamailio connects to.
  const { leaf: serverLeaf } = standardChain(P, RSA2048, 'srv.example.com');
  const clientLeaf = P.leaf(intermediate, '192.0.2.20', { dns: [], eku: ['clientAuth'] });
  const tls = `${serverProfile()}\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = ${ANCHOR}\ncertificate = certs/client.pem\nprivate_key = certs/client.key\n`;
  const c = deploy(tls, { [CERT]: chainPem(serverLeaf), [KEY]: keyPem(serverLeaf.privateKey), [ANCHOR]: root.pem, [`${DIR}/certs/client.pem`]: chainPem(clientLeaf, intermediate), [`${DIR}/certs/client.key`]: keyPem(clientLeaf.privateKey) }, anchors);
  none(c.findings, 'cert.ip-in-cn-only');
});
