// The language server with a hostile encrypted key in the workspace (2^31 − 1 PBKDF2 iterations,
// private_key_password set): the diagnostics say what was not decrypted, and the server answers
// a hover at once — before the budget it was busy for minutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { lines, makeTempDir } from '../helpers/tempDir';
import { TestPki, P256, chainPem, standardChain } from '../fixtures/pki';
import { cheapSpec, encryptedPkcs8 } from '../fixtures/encryptedKeys';

test('a key asking for 2^31 − 1 iterations: key.decryption-cost in the editor, hovers answered at once', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  const c = standardChain(new TestPki(new Date()), P256, 'sip.example.com');
  const tls = lines('[server:default]', 'method = TLSv1.2+', 'certificate = certs/server.pem', 'private_key = certs/server.key', 'private_key_password = secret');
  dir.write({
    'tls.cfg': tls,
    'certs/server.pem': chainPem(c.leaf, c.intermediate),
    'certs/server.key': encryptedPkcs8(c.leaf.privateKey, 'secret', cheapSpec('pbkdf2'), { kind: 'pbkdf2', iterations: 2 ** 31 - 1, prf: 'sha256' }),
  });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], settings: { kamailioVersion: '6.0' } });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', tls);
    const published = await client.waitForDiagnostics(uri, { where: (ds) => ds.some((d) => d.code === 'key.decryption-cost') });
    const cost = published.diagnostics.find((d) => d.code === 'key.decryption-cost')!;
    assert.deepEqual(cost.range, { start: { line: 3, character: 14 }, end: { line: 3, character: 30 } });
    assert.match(cost.message, /2,147,483,647 iterations, more than the 1,000,000 iterations sip-tls runs per key/);
    const t0 = performance.now();
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } });
    assert.ok(hover, 'a hover');
    assert.ok(performance.now() - t0 < 1000, 'answered within a second');
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
