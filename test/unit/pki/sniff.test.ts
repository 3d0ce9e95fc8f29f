// What sniffCryptoMaterial says a file is: every generated form of RSA, EC and Ed25519 keys and
// their certificates, from the bytes and from the decoded text; and nothing for configurations,
// including ones that mention a key in a comment or name key files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { blankSpans, embeddedSecretSpans, sniffCryptoMaterial } from '../../../server/src/core/pki/sniff';
import { decodeText } from '../../../server/src/core/text';
import { ED25519, P256, RSA2048, TestPki, keyPem, newKey } from '../../fixtures/pki';
import { materialForms } from '../../helpers/keyMaterial';
import { REPO_ROOT } from '../../helpers/paths';

test('every form of a key or certificate is recognised, from its bytes and from its decoded text', () => {
  const pki = new TestPki();
  const root = pki.root('Sniff Root', { key: P256 });
  let forms = 0;
  for (const spec of [RSA2048, P256, ED25519]) {
    const pair = newKey(spec, true);
    const leaf = pki.leaf(root, 'sip.example.com', { keyPair: pair });
    for (const form of materialForms(pair.privateKey, leaf)) {
      forms++;
      const fromBytes = sniffCryptoMaterial(form.bytes);
      assert.ok(fromBytes, `${form.name}: not recognised`);
      assert.ok(fromBytes.description.startsWith(form.describedAs), `${form.name}: ${fromBytes.description}`);
      assert.equal(fromBytes.secret, form.secret, form.name);
      // An open document has only text: a DER file's bytes are lost, it is still binary DER.
      const fromText = sniffCryptoMaterial(decodeText(form.bytes));
      assert.ok(fromText, `${form.name}: not recognised from text`);
      if (/^der-|pkcs12$/.test(form.name.split('/')[1]!)) assert.equal(fromText.description, 'binary ASN.1 (DER) data: a key, a certificate or a PKCS#12 bundle', form.name);
      else assert.deepEqual(fromText, fromBytes, form.name);
    }
  }
  assert.ok(forms >= 55, `${forms} forms`);
});

test('configurations are not key material: the examples, configurations naming keys, a key in a comment further down', () => {
  const examples = path.join(REPO_ROOT, 'examples');
  const seen: string[] = [];
  for (const dir of readdirSync(examples, { recursive: true, withFileTypes: true })) {
    if (!dir.isFile() || !dir.name.endsWith('.cfg')) continue;
    const file = path.join(dir.parentPath, dir.name);
    seen.push(file);
    assert.equal(sniffCryptoMaterial(new Uint8Array(readFileSync(file))), undefined, file);
  }
  assert.ok(seen.length >= 2);
  const pem = keyPem(newKey(P256).privateKey, 'sec1');
  for (const text of [
    '[server:default]\nmethod = TLSv1.2+\nprivate_key = /etc/kamailio/MIIEvQIBADANBgkqhkiG9w0BAQEFAASC.key\n',
    `#!KAMAILIO\n/* the key, for reference:\n${pem}*/\nrequest_route { drop; }\n`,
    `# tls.cfg\n${pem}`,
    '{ not json but a route body }\n',
    'enable_tls=yes\ndebug=2\nchildren=4\nlisten=tls:127.0.0.1:5061\nalias=sip.example.com\n',
    'WITH_TLS_AND_WEBSOCKETS\nWITH_NAT_TRAVERSAL_FOR_CLIENTS\nWITH_ACCOUNTING_IN_DATABASE\n',
    '',
    '\n\n',
  ]) {
    assert.equal(sniffCryptoMaterial(text), undefined, text);
  }
});

test('a key pasted into a configuration: its span, from the BEGIN marker to the END marker, or the run of base64 lines', () => {
  const pem = keyPem(newKey(P256).privateKey, 'pkcs8');
  const lines = pem.trimEnd().split('\n');
  const text = `[server:default]\nprivate_key = ${pem}method = TLSv1.2+\n`;
  const spans = embeddedSecretSpans(text);
  const start = text.indexOf('-----BEGIN');
  const end = text.indexOf('-----END PRIVATE KEY-----') + '-----END PRIVATE KEY-----'.length;
  assert.deepEqual(spans, [{ start, end, startLine: 1, endLine: lines.length, description: 'a PEM private key (PKCS#8)' }]);
  const blank = blankSpans(text, spans);
  assert.equal(blank.length, text.length);
  assert.equal(blank.split('\n').length, text.split('\n').length);
  assert.ok(!/[A-Za-z0-9+/]{8}/.test(blank.slice(start, end)));
  // Bare base64 lines (the body without its framing), and a truncated block.
  const body = lines.slice(1, -1).join('\n');
  assert.deepEqual(embeddedSecretSpans(`a = b\n${body}\nc = d\n`).map((s) => [s.startLine, s.endLine, s.description]), [[1, lines.length - 2, 'base64 data (possibly a key)']]);
  assert.deepEqual(embeddedSecretSpans(`a = b\n${lines.slice(0, 3).join('\n')}\n[server:default]\n`).map((s) => [s.startLine, s.endLine]), [[1, 3]]);
  // Nothing in a configuration without a key.
  assert.deepEqual(embeddedSecretSpans('[server:default]\ncertificate = /etc/kamailio/fullchain.pem\ncipher_list = ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256\n'), []);
});
