// The language server reads .sip-tls.json like the CLI: its mappings and version apply to the
// documents below it, and a change to it (a file event) re-checks at once. And the repository
// is not the machine: a path outside the workspace folder is never read.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { FileChangeType } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { makeTempDir, lines } from '../helpers/tempDir';

test('.sip-tls.json mappings and kamailioVersion apply, and a change to the file re-checks', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  dir.write({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'deploy/.sip-tls.json': '// the project\n{ "kamailioVersion": "5.6", "mappings": { "/etc/kamailio": "kamailio" } }\n',
    'deploy/kamailio/certs/server.pem': 'not a certificate',
  });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const uri = fileUri(dir.file('deploy/kamailio/tls.cfg'));
    const text = lines('[server:default]', 'method = TLSv1.3+', 'certificate = /etc/kamailio/certs/server.pem', 'private_key = /etc/kamailio/certs/server.pem');
    await client.open(uri, 'kamailio-tls', text);
    const first = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(withCode(first.diagnostics, 'tlscfg.version-gated').length, 1, 'kamailioVersion 5.6 from the project file');
    assert.ok(withCode(first.diagnostics, 'cert.unreadable').length === 1, 'the mapped certificate is read');
    assert.equal(withCode(first.diagnostics, 'path.deploy-time').length, 0);

    writeFileSync(dir.file('deploy/.sip-tls.json'), '{ "kamailioVersion": "6.0" }\n');
    const mark = client.mark();
    await client.filesChanged([{ uri: fileUri(dir.file('deploy/.sip-tls.json')), type: FileChangeType.Changed }]);
    const after = await client.waitForDiagnostics(uri, { after: mark });
    assert.equal(withCode(after.diagnostics, 'tlscfg.version-gated').length, 0);
    // Unmapped now: /etc/kamailio is outside the repository, provided at deploy time.
    assert.equal(withCode(after.diagnostics, 'cert.unreadable').length, 0);
    assert.match(withCode(after.diagnostics, 'path.deploy-time')[0]?.message ?? '', /\/etc\/kamailio\/certs\/server\.pem is outside the repository/);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
