// Signature checks are bounded per chain step (ISSUER_CANDIDATES_PER_STEP = 8), whatever a file holds:
// generated trust stores and chain files with up to 200 certificates of one name (decoys, each
// with its own key) — the real issuer among them, first, last or absent — are judged with a
// counted number of X509Certificate.verify calls, and the real issuer is still found wherever it
// is, through its key identifier (what OpenSSL's lookup prefers too).
import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { TestPki, P256, type Issued } from '../../fixtures/pki';
import { parseCertificate, type CertificateModel } from '../../../server/src/core/pki/certificate';
import { CertificatePool, analyseOrder, buildChain, findLeafIndex } from '../../../server/src/core/pki/chain';
import { publicRoots } from '../../../server/src/core/pki/publicRoots';
import { ISSUER_CANDIDATES_PER_STEP } from '../../../server/src/core/pki/cryptoBudgets';
import { Rng } from '../../helpers/fuzz/prng';
import { ANCHOR, DIR, NOW, deploy, show } from '../rules/certHarness';

let verifications = 0;
const verify = X509Certificate.prototype.verify;
X509Certificate.prototype.verify = function (this: X509Certificate, key) {
  verifications++;
  return verify.call(this, key);
};

const pki = new TestPki(NOW);
const m = (i: Issued): CertificateModel => parseCertificate(i.der);
const root = pki.root('Budget Root CA', { key: P256 });
const intermediate = pki.intermediate(root, 'Budget Issuing CA', { key: P256 });
const leaf = pki.leaf(intermediate, 'sig.example.com', { key: P256 });
/** CA certificates named like the intermediate, each with its own key: none issued the leaf. */
const decoys = Array.from({ length: 200 }, () => pki.intermediate(root, 'Budget Issuing CA', { keyPair: generateKeyPairSync('ec', { namedCurve: 'P-256' }) }));

test('the bound is 8 candidates per step', () => assert.equal(ISSUER_CANDIDATES_PER_STEP, 8));

test('generated trust stores of up to 200 same-name CAs: bounded signature checks, the real issuer found wherever it is', () => {
  const rng = Rng.forInput(20260511, 5);
  for (let round = 0; round < 12; round++) {
    const count = rng.pick([0, 7, 8, 9, 50, 200]);
    const where = rng.pick(['first', 'last', 'absent'] as const);
    const store = decoys.slice(0, count).map(m);
    if (where === 'first') store.unshift(m(intermediate));
    if (where === 'last') store.push(m(intermediate));
    const configured = new CertificatePool();
    for (const c of store) configured.add(c, { kind: 'ca-list', path: `${DIR}/ca.pem` });
    const anchors = new CertificatePool();
    anchors.add(m(root), { kind: 'trust-anchor', path: ANCHOR });
    const before = verifications;
    const chain = buildChain([m(leaf)], 0, { configured, anchors, publicRoots });
    const spent = verifications - before;
    const label = `${count} decoys, issuer ${where}: ${chain.status}, ${spent} verifications`;
    if (where === 'absent') assert.notEqual(chain.status, 'trusted', label);
    else {
      assert.equal(chain.status, 'trusted', label);
      assert.equal(chain.links[1]!.cert.fingerprint256, m(intermediate).fingerprint256, label);
    }
    // Per step at most 8 for each source of issuers (anchors, public roots, the file, the CA
    // list), plus self-signed checks — without the bound the 200-decoy store alone costs 200.
    assert.ok(spent <= 104, label);
  }
});

test('a certificate file of 64 certificates of one name costs a bounded number of signature checks', () => {
  const file = [m(leaf), ...decoys.slice(0, 63).map(m)];
  const reversed = [...file].reverse();
  const before = verifications;
  findLeafIndex(reversed);
  analyseOrder(file, 0);
  const spent = verifications - before;
  assert.ok(spent <= 640, `${spent} verifications (64 × 63 without the bound)`);
});

test('a ca_list of 200 intermediates of one name: the missing-root check stays bounded and still reports', () => {
  const caList = decoys.map((d) => d.pem).join('');
  const tls = `[server:default]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/server.key\nca_list = ca.pem\nverify_certificate = yes\n`;
  const before = verifications;
  const d = deploy(tls, { [`${DIR}/certs/server.pem`]: leaf.pem + intermediate.pem, [`${DIR}/certs/server.key`]: leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), [`${DIR}/ca.pem`]: caList, [ANCHOR]: root.pem }, { settings: { trustAnchors: [ANCHOR] } });
  const spent = verifications - before;
  assert.ok(d.findings.some((f) => f.code === 'ca.no-root'), show(d.findings));
  assert.ok(spent <= 2100, `${spent} verifications (200 × 200 without the bound)`);
});
