// Chain building as OpenSSL's peers do it (trusted first), the file's own order, and the leaf a
// private key designates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { TestPki, standardChain, newKey, RSA2048, P256, P384, ED25519, type Issued } from '../../fixtures/pki';
import { parseCertificate, type CertificateModel } from '../../../server/src/core/pki/certificate';
import { CertificatePool, analyseOrder, buildChain, findLeafIndex, type TrustContext } from '../../../server/src/core/pki/chain';
import { publicRoots } from '../../../server/src/core/pki/publicRoots';
import { scanPem } from '../../../server/src/core/pki/pem';

const NOW = new Date('2026-01-15T12:00:00Z');
const pki = new TestPki(NOW);
const m = (i: Issued): CertificateModel => parseCertificate(i.der);

function trust(o: { caList?: Issued[]; anchors?: Issued[]; found?: Issued[] } = {}): TrustContext {
  const configured = new CertificatePool();
  for (const c of o.caList ?? []) configured.add(m(c), { kind: 'ca-list', path: '/etc/kamailio/ca.pem' });
  const anchors = new CertificatePool();
  for (const c of o.anchors ?? []) anchors.add(m(c), { kind: 'trust-anchor', path: '/anchors.pem' });
  const found = (o.found ?? []).map((c) => ({ cert: m(c), origin: { kind: 'found' as const, path: '/etc/kamailio/certs/int.pem' } }));
  return { configured, anchors, publicRoots, search: (child) => found.filter((f) => f.cert.subject.canonical === child.issuer.canonical) };
}

for (const key of [RSA2048, P256, ED25519]) {
  const { root, intermediate, leaf } = standardChain(pki, key, `chain-${key.type}.example.com`);
  const label = key.type;

  test(`${label}: a complete chain reaches the root in ca_list / trust anchors; the root may be in the file`, () => {
    const viaCaList = buildChain([m(leaf), m(intermediate)], 0, trust({ caList: [root] }));
    assert.equal(viaCaList.status, 'trusted');
    assert.deepEqual(viaCaList.trustedBy, { kind: 'ca-list', path: '/etc/kamailio/ca.pem' });
    assert.deepEqual(viaCaList.links.map((l) => l.origin.kind), ['file', 'file', 'ca-list']);
    assert.deepEqual(viaCaList.missing, []);
    const viaAnchor = buildChain([m(leaf), m(intermediate)], 0, trust({ anchors: [root] }));
    assert.equal(viaAnchor.status, 'trusted');
    assert.equal(viaAnchor.trustedBy!.kind, 'trust-anchor');
    // Root in the file too: the trust anchor's copy is taken first (trusted first).
    const withRoot = buildChain([m(leaf), m(intermediate), m(root)], 0, trust({ anchors: [root] }));
    assert.equal(withRoot.status, 'trusted');
    assert.equal(withRoot.links.at(-1)!.origin.kind, 'trust-anchor');
    // Root in the file, nobody trusts it: complete but untrusted.
    const untrusted = buildChain([m(leaf), m(intermediate), m(root)], 0, trust());
    assert.equal(untrusted.status, 'untrusted-root');
    assert.deepEqual(untrusted.links.map((l) => l.cert.displayName), [leaf.name.CN, intermediate.name.CN, root.name.CN]);
  });

  test(`${label}: an incomplete chain names where the intermediate is: nowhere, only in ca_list, or nearby`, () => {
    const nowhere = buildChain([m(leaf)], 0, { ...trust({ anchors: [root] }), search: () => [] });
    assert.equal(nowhere.status, 'unknown-issuer');
    assert.equal(nowhere.stuckAt!.displayName, leaf.name.CN);
    const inCaList = buildChain([m(leaf)], 0, trust({ caList: [root, intermediate] }));
    assert.equal(inCaList.status, 'trusted', 'the chain itself can be completed');
    assert.deepEqual(inCaList.missing.map((l) => [l.cert.displayName, l.origin.kind]), [[intermediate.name.CN, 'ca-list']]);
    const nearby = buildChain([m(leaf)], 0, trust({ anchors: [root], found: [intermediate] }));
    assert.equal(nearby.status, 'trusted');
    assert.deepEqual(nearby.missing.map((l) => l.origin), [{ kind: 'found', path: '/etc/kamailio/certs/int.pem' }]);
    // The intermediate is there but its root is unknown: the chain ends at the intermediate.
    const noRoot = buildChain([m(leaf), m(intermediate)], 0, trust());
    assert.equal(noRoot.status, 'unknown-issuer');
    assert.equal(noRoot.stuckAt!.displayName, intermediate.name.CN);
  });

  test(`${label}: a re-keyed CA with the same name is a bad signature`, () => {
    const impostor = pki.intermediate(root, intermediate.name.CN!, { keyPair: newKey(key, true) });
    const r = buildChain([m(leaf), m(impostor)], 0, trust({ anchors: [root] }));
    assert.equal(r.status, 'bad-signature');
    assert.equal(r.stuckAt!.displayName, leaf.name.CN);
    assert.equal(r.badIssuer!.cert.fingerprint256, impostor.x509.fingerprint256);
  });

  test(`${label}: file order — ordered, reversed, intermediates swapped, unrelated extras`, () => {
    const intermediate2 = pki.intermediate(intermediate, `Second Intermediate ${label}`, { key, pathLength: 0 });
    const deep = pki.leaf(intermediate2, `deep-${label}.example.com`, { key });
    const ordered = [m(deep), m(intermediate2), m(intermediate)];
    assert.deepEqual(analyseOrder(ordered, 0), { leafIndex: 0, chain: [0, 1, 2], extras: [], leafFirst: true, ordered: true });
    const reversed = [m(root), m(intermediate), m(intermediate2), m(deep)];
    const leafIndex = findLeafIndex(reversed);
    assert.equal(leafIndex, 3, 'without a key: the non-CA certificate that issues nothing');
    const r = analyseOrder(reversed, leafIndex);
    assert.deepEqual(r.chain, [3, 2, 1, 0]);
    assert.equal(r.leafFirst, false);
    assert.equal(r.ordered, false);
    const swapped = analyseOrder([m(deep), m(intermediate), m(intermediate2)], 0);
    assert.deepEqual(swapped.chain, [0, 2, 1]);
    assert.equal(swapped.leafFirst, true);
    assert.equal(swapped.ordered, false);
    const other = pki.leaf(root, `unrelated-${label}.example.com`, { key });
    const extra = analyseOrder([m(deep), m(intermediate2), m(intermediate), m(other)], 0);
    assert.deepEqual(extra.extras, [3]);
    assert.equal(extra.ordered, false);
    // The key decides which certificate is the leaf.
    assert.equal(findLeafIndex([m(intermediate), m(deep)], m(deep).publicKey.spkiSha256), 1);
  });
}

test('mixed chain: an ECDSA leaf under an RSA intermediate under an RSA root', () => {
  const root = pki.root('Mixed Root', { key: RSA2048 });
  const int = pki.intermediate(root, 'Mixed Intermediate', { key: RSA2048 });
  const leaf = pki.leaf(int, 'mixed.example.com', { key: P384 });
  const r = buildChain([m(leaf), m(int)], 0, trust({ caList: [root] }));
  assert.equal(r.status, 'trusted');
  assert.equal(r.links[0]!.cert.publicKey.description, 'ECDSA P-384');
  assert.equal(r.links[0]!.cert.signature.name, 'sha256WithRSAEncryption');
});

test('the public root store: indexed once; a public root is trusted as presented', () => {
  const index = publicRoots();
  assert.ok(index.size > 100, `${index.size} roots`);
  assert.equal(publicRoots(), index, 'parsed once');
  const first = scanPem(new TextEncoder().encode(rootCertificates[0]!)).blocks[0]!.der!;
  const cert = parseCertificate(first);
  assert.ok(index.withSubject(cert.subject.canonical).length >= 1);
  const r = buildChain([cert], 0, trust());
  assert.equal(r.status, 'trusted');
  assert.deepEqual(r.trustedBy, { kind: 'public' });
});

test('a self-signed leaf: untrusted unless a trust source holds it', () => {
  const ss = pki.selfSigned('pinned.example.com');
  assert.equal(buildChain([m(ss)], 0, trust()).status, 'untrusted-root');
  assert.equal(buildChain([m(ss)], 0, trust({ anchors: [ss] })).trustedBy!.kind, 'trust-anchor');
  assert.equal(buildChain([m(ss)], 0, trust({ caList: [ss] })).trustedBy!.kind, 'ca-list');
});
