// The language server never publishes nothing because a check threw (issue 11): should the
// checker still fail after its own isolation of rules, files and directives, every open document
// gets a project.internal-error diagnostic, bounded and on one line, and the server's log has
// the stack. The failure is injected in the real bundled server's check worker (checkWorker.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';

for (const count of [1, 2, 5]) {
  test(`a check that throws publishes an internal-error diagnostic on each of ${count} open document(s)`, { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[i % 2 === 0 ? `kamailio${i}.cfg` : `tls${i}.cfg`] = i % 2 === 0 ? 'listen=tls:192.0.2.1:5061\n' : '[server:default]\n';
    dir.write(files);
    const injected = `injected failure ${'x'.repeat(1000)}`;
    const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], env: { SIP_TLS_TEST_HOOKS: '1', SIP_TLS_TEST_CHECK_THROWS: injected } });
    try {
      for (const [name, text] of Object.entries(files)) {
        const uri = fileUri(dir.file(name));
        await client.open(uri, name.startsWith('tls') ? 'kamailio-tls' : 'kamailio', text);
      }
      for (const name of Object.keys(files)) {
        const { diagnostics } = await client.waitForDiagnostics(fileUri(dir.file(name)), { where: (ds) => ds.length > 0, timeoutMs: 30_000 });
        assert.equal(diagnostics.length, 1, name);
        assert.equal(diagnostics[0]!.code, 'project.internal-error');
        assert.match(diagnostics[0]!.message, /injected failure/);
        assert.ok(diagnostics[0]!.message.length < 400, 'bounded');
        assert.doesNotMatch(diagnostics[0]!.message, /\n/);
      }
      assert.ok(client.logs.some((l) => /injected failure/.test(l) && /\n\s+at /.test(l)), 'the log has the stack');
      assert.equal(client.hasExited, false);
    } finally {
      await client.shutdown();
      dir.remove();
    }
  });
}
