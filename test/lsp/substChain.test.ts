// Issue 11 through the real language server: the deployment with 17 rules "/a/aa/g" (and
// generated chains) gets its diagnostics published — the rules sip-tls stopped applying, at their
// lines, and the real error elsewhere — instead of nothing after an internal error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';
import { aaChain, chainCase, DEPLOYED_DIR } from '../helpers/substChains';

for (const c of [aaChain(17), aaChain(17, 'tls-off'), chainCase(11, 16)]) {
  test(`diagnostics are published: ${c.name}`, { timeout: 60_000 }, async () => {
    const dir = makeTempDir();
    dir.write(c.files);
    const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], settings: { pathMappings: { [DEPLOYED_DIR]: dir.path } } });
    try {
      const main = fileUri(dir.file('kamailio.cfg'));
      await client.open(main, 'kamailio', c.files['kamailio.cfg']!);
      const realUri = fileUri(dir.file(c.real.file));
      if (c.real.file !== 'kamailio.cfg') await client.open(realUri, 'kamailio-tls', c.files[c.real.file]!);
      const real = await client.waitForDiagnostics(realUri, { where: (ds) => ds.some((d) => c.real.codes.includes(String(d.code)) && d.range.start.line === c.real.line), timeoutMs: 30_000 });
      assert.ok(real.diagnostics.length > 0);
      const published = await client.waitForDiagnostics(main, { where: (ds) => ds.length > 0, timeoutMs: 30_000 });
      for (const want of c.failures) {
        assert.ok(published.diagnostics.some((d) => want.codes.includes(String(d.code)) && d.range.start.line === want.line), `${want.kind} at line ${want.line}`);
      }
      if (c.name.includes('/a/aa/g')) {
        const limits = published.diagnostics.filter((d) => d.code === 'project.check-limit');
        assert.ok(limits.length > 0 && limits.every((d) => c.directiveLines.includes(d.range.start.line)), JSON.stringify(published.diagnostics.map((d) => `${d.code}@${d.range.start.line}`)));
      }
      assert.ok(!published.diagnostics.some((d) => d.code === 'project.internal-error'));
      assert.equal(client.hasExited, false);
    } finally {
      await client.shutdown();
      dir.remove();
    }
  });
}
