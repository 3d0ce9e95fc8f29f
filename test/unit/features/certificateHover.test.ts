// Certificate, chain, CA list and key hovers: the verdict agrees with the diagnostics, every
// certificate shows its full SHA-256 fingerprint and validity, the chain says where each link
// comes from — and no private key material ever appears.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Checker } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { hoverAt } from '../../../server/src/core/features/hover';
import { TestPki, chainPem, keyPem, standardChain } from '../../fixtures/pki';
import { settings } from '../helpers';
import { DIR, KAM, KAM_TEXT, NOW, TLS, serverProfile } from '../rules/certHarness';
import { markdownText, markupProblems } from '../../helpers/markdown';

const pki = new TestPki(NOW);
const { root, intermediate, leaf } = standardChain(pki);

/** The hover as a reader sees it (rendered Markdown as text); its source has no markup problem. */
function hover(tls: string, files: Record<string, string>, line: number, character = 16): string {
  const host = new MemoryHost({ [KAM]: KAM_TEXT, [TLS]: tls, ...files }, NOW);
  const checker = new Checker(host);
  const s = settings();
  const d = checker.deploymentFor(KAM, { settingsFor: () => s });
  assert.ok(d, 'a deployment');
  const h = hoverAt(d, TLS, { line, character });
  assert.ok(h, 'a hover');
  assert.deepEqual(markupProblems(h.markdown.value), []);
  return markdownText(h.markdown.value);
}

const fingerprint = (pem: string) => new (require('node:crypto').X509Certificate)(pem).fingerprint256 as string;

test('a good full chain: verdict first, every certificate with fingerprint, chain trusted by the ca_list', () => {
  const tls = serverProfile('ca_list = certs/ca.pem\n');
  const md = hover(tls, { [`${DIR}/certs/server.pem`]: chainPem(leaf, intermediate), [`${DIR}/certs/server.key`]: keyPem(leaf.privateKey), [`${DIR}/certs/ca.pem`]: root.pem }, 2);
  const lines = md.split('\n').filter((l) => l.trim() !== '');
  assert.match(lines[1]!, /^✅ valid until \d{4}-\d\d-\d\d \(\d+ days left\); chain trusted by the CA list \/etc\/kamailio\/certs\/ca\.pem; private key matches$/, md);
  assert.match(md, /1\. Leaf — CN=sip\.example\.com/);
  assert.match(md, /2\. Intermediate — CN=Test Intermediate CA/);
  assert.ok(md.includes(fingerprint(leaf.pem)), 'the full leaf fingerprint');
  assert.ok(md.includes(fingerprint(intermediate.pem)), 'the full intermediate fingerprint');
  assert.match(md, /SHA-256: [0-9A-F]{2}(:[0-9A-F]{2}){31}\n/);
  assert.match(md, /Names: DNS:sip\.example\.com/);
  assert.match(md, /Key: RSA 2048; signature sha256WithRSAEncryption/);
  assert.match(md, /Usage: digitalSignature, keyEncipherment, serverAuth, clientAuth/);
  // The chain is an ordered list: the renderer numbers it.
  assert.match(md, /Chain as peers build it: reaches a trust anchor \(CA list \/etc\/kamailio\/certs\/ca\.pem\)\nsip\.example\.com — certificate file, position 1\nTest Intermediate CA \(RSA 2048\) — certificate file, position 2\nTest Root CA \(RSA 2048\) — CA list \/etc\/kamailio\/certs\/ca\.pem\n/);
  assert.match(md, /Private key \/etc\/kamailio\/certs\/server\.key: RSA 2048 \(PKCS#8\) — matches the certificate/);
});

test('problems: the verdict is the worst diagnostic on the value, and counts the others', () => {
  const stranger = pki.leaf(root, 'other.example.com');
  const expired = new TestPki(new Date(NOW.getTime() - 800 * 86_400_000)).selfSigned('old.example.com');
  const md = hover(serverProfile(), { [`${DIR}/certs/server.pem`]: expired.pem, [`${DIR}/certs/server.key`]: keyPem(stranger.privateKey) }, 2);
  assert.match(md.split('\n').filter((l) => l.trim())[1]!, /^⛔ (cert\.expired|key\.mismatch): .+ \(\+\d+ more: /);
  assert.match(md, /expired \d+ days ago/);
  assert.match(md, /does not match the certificate/);
});

test('a leaf-only file shows the intermediate taken from the ca_list as not sent', () => {
  const tls = serverProfile('ca_list = certs/ca.pem\n');
  const md = hover(tls, { [`${DIR}/certs/server.pem`]: chainPem(leaf, root), [`${DIR}/certs/server.key`]: keyPem(leaf.privateKey), [`${DIR}/certs/ca.pem`]: chainPem(intermediate) }, 2);
  assert.match(md, /chain/i);
  assert.match(md, /Test Intermediate CA \(RSA 2048\) — CA list \/etc\/kamailio\/certs\/ca\.pem — not sent by Kamailio/);
  assert.match(md, /^⛔ chain\./m);
});

test('ca_list and key hovers; the key hover never shows key material', () => {
  const tls = serverProfile('ca_list = certs/ca.pem\n');
  const files = { [`${DIR}/certs/server.pem`]: chainPem(leaf, intermediate), [`${DIR}/certs/server.key`]: keyPem(leaf.privateKey, 'pkcs1'), [`${DIR}/certs/ca.pem`]: chainPem(root, intermediate) };
  const ca = hover(tls, files, 4, 12);
  assert.match(ca, /✅ 2 CA certificate\(s\) load/);
  assert.match(ca, /Root — CN=Test Root CA/);
  assert.ok(ca.includes(fingerprint(root.pem)));
  const key = hover(tls, files, 3, 16);
  assert.match(key, /✅ matches the certificate/);
  assert.match(key, /Private key: RSA 2048 \(PKCS#1\)\./);
  const body = keyPem(leaf.privateKey, 'pkcs1').split('\n').slice(1, -2).join('');
  for (let i = 0; i + 16 <= body.length; i += 16) assert.ok(!key.includes(body.slice(i, i + 16)), 'no base64 of the key');
  assert.doesNotMatch(key, /BEGIN|PRIVATE KEY-----/);
});

test('an encrypted key is described, not decrypted into the hover', () => {
  const files = { [`${DIR}/certs/server.pem`]: chainPem(leaf, intermediate), [`${DIR}/certs/server.key`]: keyPem(leaf.privateKey, 'pkcs8', 'secret-pass') };
  const key = hover(serverProfile('private_key_password = secret-pass\n'), files, 3, 16);
  assert.match(key, /encrypted/);
  assert.doesNotMatch(key, /secret-pass/);
});
