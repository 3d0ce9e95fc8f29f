// The requests behind the editor commands, as any LSP client sends them: the report for the path
// value under the cursor (sipTls/reportAt), for a file (sipTls/fileReport), and the fullchain
// content for a leaf (sipTls/fullchain).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { lines, makeTempDir } from '../helpers/tempDir';
import { TestPki, chainPem, keyPem, standardChain } from '../fixtures/pki';
import { markdownText, markupProblems } from '../helpers/markdown';

test('certificate report at the cursor and for a file; fullchain content; nothing written by the server', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { root, intermediate, leaf } = standardChain(new TestPki());
  dir.write({ 'certs/leaf.pem': leaf.pem, 'certs/leaf.key': keyPem(leaf.privateKey), 'certs/intermediate.pem': intermediate.pem, 'certs/root.pem': root.pem });
  const text = lines('[server:default]', 'method = TLSv1.2+', 'certificate = certs/leaf.pem', 'private_key = certs/leaf.key', 'ca_list = certs/root.pem');
  dir.write({ 'tls.cfg': text });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', text);
    await client.waitForDiagnostics(uri, { version: 1 });

    const at = (await client.connection.sendRequest('sipTls/reportAt', { textDocument: { uri }, position: { line: 2, character: 16 } })) as { uri: string; markdown: string };
    assert.equal(at.uri, fileUri(dir.file('certs/leaf.pem')));
    assert.match(markdownText(at.markdown), /^leaf\.pem\n/);
    assert.deepEqual(markupProblems(at.markdown), []);
    assert.match(at.markdown, /Used by `\[server:default\]`/);
    assert.match(markdownText(at.markdown), /⛔ chain\.incomplete: /);
    assert.ok(at.markdown.includes(new X509Certificate(leaf.pem).fingerprint256));
    const onKey = (await client.connection.sendRequest('sipTls/reportAt', { textDocument: { uri }, position: { line: 3, character: 16 } })) as { markdown: string };
    assert.match(onKey.markdown, /matches the certificate/);
    assert.equal(await client.connection.sendRequest('sipTls/reportAt', { textDocument: { uri }, position: { line: 1, character: 2 } }), null, 'not on a path value');

    const file = (await client.connection.sendRequest('sipTls/fileReport', { uri: fileUri(dir.file('certs/intermediate.pem')) })) as { markdown: string };
    assert.match(file.markdown, /^# intermediate\\\.pem\n/);
    assert.deepEqual(markupProblems(file.markdown), []);
    assert.match(file.markdown, /Test Intermediate CA/);

    const full = (await client.connection.sendRequest('sipTls/fullchain', { uri: fileUri(dir.file('certs/leaf.pem')) })) as { ok: boolean; content: string; suggestedUri: string; complete: boolean };
    assert.equal(full.ok, true);
    assert.equal(full.content, chainPem(leaf, intermediate));
    assert.equal(full.suggestedUri, fileUri(dir.file('certs/leaf.fullchain.pem')));
    assert.equal(full.complete, true);
    assert.equal(existsSync(dir.file('certs/leaf.fullchain.pem')), false, 'the server only answers; the client creates the file');

    const bad = (await client.connection.sendRequest('sipTls/fullchain', { uri: fileUri(dir.file('tls.cfg')) })) as { ok: boolean; reason: string };
    assert.equal(bad.ok, false);
    assert.match(bad.reason, /no (PEM )?certificate/);
    assert.equal(await client.connection.sendRequest('sipTls/fileReport', { uri: 'untitled:Untitled-1' }), null);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
