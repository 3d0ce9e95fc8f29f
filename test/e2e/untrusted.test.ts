// The packaged extension in an untrusted workspace (code-server without
// --disable-workspace-trust; the trust dialog answered "No"): the extension declares limited
// support, so VS Code activates it in Restricted Mode; the language server is told the workspace
// is untrusted (it then only reads files) and still reports what it finds in tls.cfg.
//
//   npm run test:e2e
//
// Needs scripts/install-code-server.sh and Debian's chromium (scripts/install-test-deps.sh).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeServer,
  answerTrustDialog,
  launchBrowser,
  makeDeployment,
  missingPrerequisites,
  needs,
  openFile,
  openWorkbench,
  problemsPanel,
  runCommand,
  sleep,
  squiggleUnder,
  waitForExplorer,
  waitForLanguage,
  waitForNotification,
  waitForProblems,
  withArtifacts,
  type Browser,
  type Deployment,
} from './harness';

describe('VS Code (code-server) with the packaged extension, untrusted workspace', { timeout: 600_000 }, () => {
  const missing = missingPrerequisites();
  let deployment: Deployment | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let setupError: unknown;

  before(async () => {
    if (missing.length > 0) return;
    try {
      deployment = makeDeployment('sip-tls-e2e-untrusted-');
      server = await CodeServer.start(join(deployment.dir.path, 'vscode'), { folder: deployment.folder, disableWorkspaceTrust: false });
      browser = await launchBrowser(join(deployment.dir.path, 'chromium-profile'));
      await withArtifacts('untrusted-setup', browser, server, async () => {
        await openWorkbench(browser!.page, server!, deployment!.folder);
        await answerTrustDialog(browser!.page, false);
        await waitForExplorer(browser!.page, 'tls.cfg');
      });
    } catch (error) {
      setupError = error;
    }
  }, { timeout: 300_000 });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (process.env.E2E_KEEP === '1') console.log(`e2e folders kept in ${deployment?.dir.path}`);
    else deployment?.dir.remove();
  }, { timeout: 60_000 });

  test('in Restricted Mode the extension runs read-only and still reports the typo in tls.cfg', { timeout: 180_000 }, async (t) => {
    if (!needs(t, missing)) return;
    if (setupError) throw setupError;
    const page = browser!.page;
    await withArtifacts('untrusted', browser!, server, async () => {
      await openFile(page, 'tls.cfg');
      await waitForLanguage(page, 'Kamailio TLS');
      const counts = await waitForProblems(page, (c) => c.errors > 0, 90_000);
      assert.ok(counts.errors > 0, `no errors in the status bar: ${JSON.stringify(counts)}`);
      await page.locator('.monaco-editor .view-overlays .squiggly-error').first().waitFor({ timeout: 30_000 });
      assert.ok(await squiggleUnder(page, 'require_certiificate', 'error'), "no error squiggle under 'require_certiificate'");
      const panel = await problemsPanel(page);
      assert.ok(panel.text.includes('tlscfg.unknown-option'), `Problems panel:\n${panel.text}`);

      // the server was told: its log says it only reads files
      const deadline = Date.now() + 15_000;
      let log = server!.extensionOutput();
      while (!/untrusted workspace/.test(log) && Date.now() < deadline) {
        await sleep(250);
        log = server!.extensionOutput();
      }
      assert.match(log, /untrusted workspace: sip-tls only reads files/, `SIP-TLS output channel:\n${log}`);
      await page.locator('#status\\.workspaceTrust', { hasText: 'Restricted Mode' }).waitFor({ timeout: 5_000 });
    });
  });

  test('the probe (a network connection) is unavailable in Restricted Mode, and says why', { timeout: 120_000 }, async (t) => {
    if (!needs(t, missing)) return;
    if (setupError) throw setupError;
    const page = browser!.page;
    await withArtifacts('untrusted-probe', browser!, server, async () => {
      await runCommand(page, 'SIP-TLS: Probe a SIP TLS Server');
      const toast = await waitForNotification(page, /untrusted workspace/);
      assert.match(toast, /probing opens a network connection, which is disabled in an untrusted workspace/);
      // and no input box asking for a server appeared
      assert.equal(await page.locator('.quick-input-widget', { hasText: 'SIP-TLS probe' }).count(), 0);
    });
  });
});
