// Every requirement a peer states is read by a check: for each field of each built-in preset, a
// deployment where the preset's own value gives other peer findings than a neutral value would.
// A field that no check reads (or a new field without a scenario here) fails this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestPki, keyPem, chainPem, standardChain, RSA2048, P256 } from '../../fixtures/pki';
import { ANCHOR, DIR, KAM, KAM_TEXT, NOW, deploy, serverProfile } from './certHarness';
import { PEER_KEYS, type Peer } from '../../../server/src/core/peers/peer';
import { builtInPeers } from '../../../server/src/core/peers/presets';

const P = new TestPki(NOW);
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const rsa = standardChain(P, RSA2048, 'sbc.example.com');
const ec = standardChain(P, P256, 'sbc.example.com');
const other = P.root('Unrelated Root CA');
const files = (c = rsa, leaf = c.leaf) => ({ [CERT]: chainPem(leaf, c.intermediate), [KEY]: keyPem(leaf.privateKey), [ANCHOR]: c.root.pem });

type Field = (typeof PEER_KEYS)[number];
/** Fields that describe the peer rather than require anything of us. */
type Descriptive = 'id' | 'name' | 'checked' | 'sources';
const DESCRIPTIVE: readonly Field[] = ['id', 'name', 'checked', 'sources'] satisfies Descriptive[];

interface Scenario {
  /** A value that requires nothing (the finding it drives does not appear). */
  neutral: unknown;
  /** Whether the preset's value is one that requires something. */
  requires(value: unknown): boolean;
  /** The peer findings of a deployment built to show the field, with the peer as given. */
  run(peer: Peer): string[];
}

/** `profiles`: the profiles it is declared for, `defaults` (declared without profiles) or `infer` (not declared). */
function peerCodes(tls: string, extra: Record<string, string>, peer: Peer, profiles: string[] | 'defaults' | 'infer', kam?: string): string[] {
  const declared = profiles === 'infer' ? [] : [{ peer: peer.id, profiles: profiles === 'defaults' ? [] : profiles, source: '--peer' }];
  const d = deploy(tls, { ...extra, ...(kam ? { [KAM]: kam } : {}) }, { settings: { trustAnchors: [ANCHOR], customPeers: [peer], peers: declared } });
  return d.findings.filter((f) => f.code.startsWith('peer.')).map((f) => `${f.code}: ${f.message}`).sort();
}

const nonEmpty = (v: unknown) => Array.isArray(v) && v.length > 0;
const CLIENT_VERIFYING = `[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = /srv/ca.pem\ncertificate = ${CERT}\nprivate_key = ${KEY}\n`;
const hostKam = (peer: Peer) => `${KAM_TEXT}request_route {\n  $du = "sip:${(peer.hosts[0] ?? 'none.invalid').replace('*.', 'x.')}";\n  exit;\n}\n`;

const SCENARIOS: Record<Exclude<Field, Descriptive>, Scenario> = {
  connects: {
    neutral: 'from-us',
    requires: (v) => v !== 'from-us',
    run: (p) => peerCodes(`${serverProfile()}\n${CLIENT_VERIFYING}`, { ...files(), '/srv/ca.pem': other.pem }, p, 'defaults'),
  },
  versions: { neutral: ['1.0', '1.1', '1.2', '1.3'], requires: (v) => Array.isArray(v) && !v.includes('1.3'), run: (p) => peerCodes(serverProfile().replace('TLSv1.2+', 'TLSv1.3'), files(), p, ['server']) },
  suites: { neutral: [], requires: nonEmpty, run: (p) => peerCodes(serverProfile('cipher_list = CAMELLIA256-SHA\n').replace('TLSv1.2+', 'TLSv1.2'), files(), p, ['server']) }, // TLS 1.3 suites are not cipher_list's
  keyTypes: { neutral: [], requires: (v) => nonEmpty(v) && !(v as string[]).includes('ec'), run: (p) => peerCodes(serverProfile(), files(ec), p, ['server']) },
  minRsaBits: { neutral: undefined, requires: (v) => typeof v === 'number' && v > 1024, run: (p) => peerCodes(serverProfile(), files(rsa, P.leaf(rsa.intermediate, 'sbc.example.com', { key: { type: 'rsa', bits: 1024 } })), p, ['server']) },
  trustsOurCertificateVia: {
    neutral: { roots: [{ name: 'test root', sha256: rsa.root.x509.fingerprint256.replace(/:/g, '').toLowerCase() }] },
    requires: () => true,
    run: (p) => peerCodes(serverProfile(), files(), p, ['server']),
  },
  itsRoots: { neutral: undefined, requires: (v) => v !== undefined, run: (p) => peerCodes(CLIENT_VERIFYING, { ...files(), '/srv/ca.pem': other.pem }, p, ['client']) },
  hosts: { neutral: [], requires: nonEmpty, run: (p) => peerCodes(`${serverProfile()}\n${CLIENT_VERIFYING}`, { ...files(), '/srv/ca.pem': other.pem }, p, 'infer', hostKam(p)) },
  needsDnsSan: { neutral: false, requires: (v) => v === true, run: (p) => peerCodes(serverProfile(), files(rsa, P.leaf(rsa.intermediate, 'sbc', { dns: [], ips: ['192.0.2.1'] })), p, ['server']) },
  clientCertificate: { neutral: 'none', requires: (v) => v === 'required', run: (p) => peerCodes(`[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n`, {}, p, ['client']) },
  clientCertificateEku: {
    neutral: undefined,
    requires: (v) => v === 'clientAuth',
    run: (p) => peerCodes(CLIENT_VERIFYING, { ...files(rsa, P.leaf(rsa.intermediate, 'sbc.example.com', { eku: ['serverAuth'] })), '/srv/ca.pem': other.pem }, { ...p, clientCertificate: 'required' }, ['client']),
  },
  presentsClientCertificate: {
    neutral: false,
    requires: (v) => v === true,
    run: (p) => peerCodes(serverProfile('verify_certificate = yes\nrequire_certificate = yes\nca_list = /srv/ca.pem\n'), { ...files(), '/srv/ca.pem': other.pem }, { ...p, mustNotBeAskedForCertificate: false }, ['server']),
  },
  mustNotBeAskedForCertificate: {
    neutral: false,
    requires: (v) => v === true,
    run: (p) => peerCodes(serverProfile('verify_certificate = yes\nrequire_certificate = yes\nca_list = /srv/ca.pem\n'), { ...files(), '/srv/ca.pem': other.pem }, p, ['server']),
  },
  srtp: {
    neutral: [],
    requires: nonEmpty,
    run: (p) =>
      peerCodes(`[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\ncertificate = ${CERT}\nprivate_key = ${KEY}\n`, files(), p, ['client'], `${KAM_TEXT}request_route {\n  rtpengine_offer("RTP/SAVP SDES-only-F8_128_HMAC_SHA1_32");\n}\n`),
  },
};

test('every requirement field of the peer model has a scenario here', () => {
  assert.deepEqual([...PEER_KEYS].filter((k) => !DESCRIPTIVE.includes(k)).sort(), Object.keys(SCENARIOS).sort());
});

for (const preset of builtInPeers()) {
  test(`${preset.id}: every field it states changes what sip-tls reports`, () => {
    let shown = 0;
    for (const [field, s] of Object.entries(SCENARIOS) as [keyof typeof SCENARIOS, Scenario][]) {
      const value = (preset as unknown as Record<string, unknown>)[field];
      if (!s.requires(value)) continue;
      const neutral = { ...preset, [field]: s.neutral } as Peer;
      if (s.neutral === undefined) delete (neutral as unknown as Record<string, unknown>)[field];
      const withValue = s.run(preset);
      const without = s.run(neutral);
      assert.notDeepEqual(withValue, without, `${preset.id}.${field} = ${JSON.stringify(value)} changes nothing:\n${withValue.join('\n')}`);
      shown++;
    }
    assert.ok(shown > 0, `${preset.id} states no requirement`);
  });
}
