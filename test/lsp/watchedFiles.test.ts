// workspace/didChangeWatchedFiles: a file that appears on disk is taken into account at once.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { makeTempDir, lines } from '../helpers/tempDir';
import { lineOf, rangeOf } from '../helpers/text';

test('creating a referenced certificate clears path.not-found after didChangeWatchedFiles', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  // The repository ships TLS files in certs/ (a CA certificate): a missing certificate or key
  // there is an error, not a file provided at deploy time.
  dir.write({ 'certs/ca.pem': 'a CA certificate' });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const cert = dir.file('certs/server.pem');
    const key = dir.file('certs/server.key');
    const text = lines('[server:default]', 'method = TLSv1.2+', `certificate = ${cert}`, `private_key = ${key}`);
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', text);
    const before = await client.waitForDiagnostics(uri, { version: 1 });
    const notFound = (ds: Diagnostic[]) => withCode(ds, 'path.not-found').map((d) => d.range);
    assert.deepEqual(notFound(before.diagnostics), [rangeOf(text, lineOf(text, 'certificate'), cert), rangeOf(text, lineOf(text, 'private_key'), key)]);

    dir.write({ 'certs/server.pem': 'not yet a certificate' });
    const mark = client.mark();
    await client.filesChanged([{ uri: fileUri(cert), type: FileChangeType.Created }]);
    const after = await client.waitForDiagnostics(uri, { after: mark });
    assert.deepEqual(notFound(after.diagnostics), [rangeOf(text, lineOf(text, 'private_key'), key)]);
    assert.equal(after.version, 1);

    writeFileSync(key, 'not yet a key');
    const mark2 = client.mark();
    await client.filesChanged([{ uri: fileUri(key), type: FileChangeType.Created }]);
    const both = await client.waitForDiagnostics(uri, { after: mark2 });
    assert.deepEqual(notFound(both.diagnostics), []);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
