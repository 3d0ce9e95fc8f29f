// A person's view in real VS Code (code-server 4.100.3, headless Chromium): the packaged
// extension on a copy of the example deployment with its lab certificates.
//   (a) tls.cfg is "Kamailio TLS", squiggles appear, the Problems panel shows what
//       `sip-tls check --format json` reports for the open files;
//   (b) the hover card on the `certificate` path names the certificate (CN, SHA-256 fingerprint);
//   (c) the lightbulb's quick fix turns `require_certiificate` into `require_certificate`, on disk;
//   (d) screenshots for the README: docs/images/problems.png, hover.png, quickfix.png.
//
//   npm run test:e2e       (builds, packages dist/sip-tls.vsix, runs test/e2e)
//
// Needs scripts/install-code-server.sh and Debian's chromium (scripts/install-test-deps.sh).
// Under CI=true anything missing is a failure; a local run skips loudly. Failure artefacts
// (screenshot, Playwright trace, VS Code logs) go to test-results/.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeServer,
  checkJson,
  focusCodeAction,
  hoverCard,
  launchBrowser,
  makeDeployment,
  missingPrerequisites,
  needs,
  openFile,
  openWorkbench,
  openProblemsPanel,
  problemsPanel,
  runCommand,
  saveReadmeImage,
  screenshot,
  sha256Hex,
  sleep,
  squiggleUnder,
  statusBarProblems,
  tokenPoint,
  waitForExplorer,
  waitForLanguage,
  waitForNotification,
  waitForProblems,
  webviewText,
  withArtifacts,
  type Browser,
  type CheckDiagnostic,
  type Deployment,
  type HoverCard,
  type ProblemCounts,
  VIEWPORT,
} from './harness';

const OPEN_FILES = ['kamailio.cfg', 'tls.cfg'];
const TYPO = 'require_certiificate';
const FIX_TITLE = "Replace with 'require_certificate'";

/** The counts VS Code shows for a set of diagnostics (hints are not listed in Problems). */
function countsOf(diagnostics: CheckDiagnostic[]): ProblemCounts {
  return {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
    infos: diagnostics.filter((d) => d.severity === 'information').length,
  };
}

describe('VS Code (code-server) with the packaged extension, trusted workspace', { timeout: 600_000 }, () => {
  const missing = missingPrerequisites();
  let deployment: Deployment | undefined;
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  let setupError: unknown;
  let expected: CheckDiagnostic[] = [];
  let originalTls = '';

  before(async () => {
    if (missing.length > 0) return;
    try {
      deployment = makeDeployment();
      originalTls = readFileSync(deployment.file('tls.cfg'), 'utf8');
      // What the command line reports for the files the test opens.
      const open = new Set(OPEN_FILES.map((f) => deployment!.file(f)));
      expected = checkJson(deployment.folder).filter((d) => open.has(d.file) && d.severity !== 'hint');
      server = await CodeServer.start(join(deployment.dir.path, 'vscode'), { folder: deployment.folder });
      browser = await launchBrowser(join(deployment.dir.path, 'chromium-profile'));
      const page = browser.page;
      await withArtifacts('setup', browser, server, async () => {
        await openWorkbench(page, server!, deployment!.folder);
        await waitForExplorer(page, 'tls.cfg');
        for (const name of OPEN_FILES) await openFile(page, name); // tls.cfg last: the active editor
        await waitForLanguage(page, 'Kamailio TLS');
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

  function ready(t: Parameters<typeof needs>[0]): boolean {
    if (!needs(t, missing)) return false;
    if (setupError) throw setupError;
    assert.ok(browser && server && deployment);
    return true;
  }

  test('(a) tls.cfg is Kamailio TLS, squiggles appear, and Problems shows what sip-tls check reports', { timeout: 180_000 }, async (t) => {
    if (!ready(t)) return;
    const page = browser!.page;
    await withArtifacts('a-problems', browser!, server, async () => {
      await waitForLanguage(page, 'Kamailio TLS');
      const want = countsOf(expected);
      // The language server is up when its diagnostics are in: wait for the full set, settled.
      const got = await waitForProblems(page, (c) => c.errors === want.errors && c.warnings === want.warnings && c.infos === want.infos, 90_000);
      assert.deepEqual(got, want, `status bar problem counts vs sip-tls check --format json (${expected.map((d) => `${basename(d.file)}:${d.code}`).join(', ')})`);

      // squiggles where the CLI puts the findings
      await page.locator('.monaco-editor .view-overlays .squiggly-error').first().waitFor({ timeout: 30_000 });
      assert.ok(await squiggleUnder(page, TYPO, 'error'), `no error squiggle under '${TYPO}'`);
      // TLS 1.0 alone completes no handshake on OpenSSL 3: an error squiggle.
      assert.ok(await squiggleUnder(page, 'TLSv1', 'error', /^method = TLSv1\s*$/), "no error squiggle under 'method = TLSv1'");

      // the Problems panel: one row per open file, with the CLI's count
      await openProblemsPanel(page);
      const picture = await screenshot(page); // before the panel is scrolled through
      const panel = await problemsPanel(page);
      const perFile: Record<string, number> = {};
      for (const d of expected) perFile[basename(d.file)] = (perFile[basename(d.file)] ?? 0) + 1;
      assert.deepEqual(panel.files, perFile, `Problems panel per file:\n${panel.text}`);
      assert.equal(panel.total, expected.length, 'the Problems tab badge');
      for (const code of new Set(expected.map((d) => d.code))) assert.ok(panel.text.includes(code), `Problems panel does not list ${code}`);
      // --disable-workspace-trust: the server was started as trusted
      assert.doesNotMatch(server!.extensionOutput(), /untrusted workspace/);
      saveReadmeImage('problems.png', picture);
      await page.keyboard.press('Control+Shift+M'); // close the panel again: more room for the editor
      await page.locator('.markers-panel').waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
    });
  });

  // Waits for the certificate hover of the language server (textDocument/hover on a path value).
  test('(b) hover on the certificate path shows the subject CN and the SHA-256 fingerprint', { timeout: 180_000 }, async (t) => {
    if (!ready(t)) return;
    const page = browser!.page;
    const fingerprint = sha256Hex(deployment!.file('certs/server.crt'));
    const hexOf = (s: string) => s.replace(/[^0-9a-f]/gi, '').toLowerCase();
    const complete = (card: HoverCard) => card.markdown.includes('sip.example.com') && hexOf(card.markdown).includes(fingerprint);
    await withArtifacts('b-hover', browser!, server, async () => {
      await waitForLanguage(page, 'Kamailio TLS');
      await waitForProblems(page, (c) => c.errors > 0, 60_000, 0);
      // What the hover provider says, not the problems shown in the same card (they name the CN too).
      const card = await hoverCard(page, 'certs/server.crt', complete);
      const text = card.markdown;
      assert.ok(card.all.length > 0, "no hover card on 'certs/server.crt'");
      assert.ok(text.length > 0, `the hover card on 'certs/server.crt' has no hover content, only:\n${card.all}`);
      assert.match(text, /sip\.example\.com/, `the hover does not name the subject CN sip.example.com:\n${text}`);
      const line = text.split('\n').find((l) => /SHA-?256/i.test(l));
      assert.ok(line, `the hover has no SHA-256 fingerprint line:\n${text}`);
      assert.ok(hexOf(text).includes(fingerprint), `the hover's SHA-256 fingerprint is not the certificate's (${fingerprint}):\n${text}`);
      // VS Code lists the problems at that place first: bring the certificate details into view.
      await page.locator('.monaco-hover:not(.hidden) .markdown-hover').first().scrollIntoViewIfNeeded().catch(() => undefined);
      await sleep(300);
      saveReadmeImage('hover.png', await screenshot(page));
      await page.mouse.move(5, VIEWPORT.height - 5);
      await page.keyboard.press('Escape');
    });
  });

  test('(c) the lightbulb quick fix replaces require_certiificate, and the saved file says require_certificate', { timeout: 180_000 }, async (t) => {
    if (!ready(t)) return;
    const page = browser!.page;
    await withArtifacts('c-quickfix', browser!, server, async () => {
      await waitForLanguage(page, 'Kamailio TLS');
      const before = await waitForProblems(page, (c) => c.errors > 0, 60_000, 0);
      // put the cursor into the misspelt option: the lightbulb appears
      const point = await tokenPoint(page, TYPO, 4);
      await page.mouse.click(point.x, point.y);
      await page.locator('.monaco-editor .lightBulbWidget').first().waitFor({ state: 'visible', timeout: 30_000 });
      // Ctrl+. opens the code action menu (the lightbulb's menu)
      let opened = false;
      for (let attempt = 1; attempt <= 3 && !opened; attempt++) {
        await page.keyboard.press('Control+.');
        opened = await page.locator('.action-widget').waitFor({ state: 'visible', timeout: 10_000 }).then(() => true, () => false);
        if (!opened) {
          await page.keyboard.press('Escape');
          await page.mouse.click(point.x, point.y);
          await sleep(1_000);
        }
      }
      assert.ok(opened, 'the code action menu did not open');
      await focusCodeAction(page, FIX_TITLE);
      const picture = await screenshot(page);
      await page.keyboard.press('Enter');
      await page.locator('.action-widget').waitFor({ state: 'hidden', timeout: 10_000 });

      // the buffer changed; save it and read the file on disk
      await page.keyboard.press('Control+S');
      const file = deployment!.file('tls.cfg');
      const want = originalTls.replace(`${TYPO} = no`, 'require_certificate = no');
      const deadline = Date.now() + 30_000;
      let onDisk = readFileSync(file, 'utf8');
      while (onDisk !== want && Date.now() < deadline) {
        await sleep(200);
        onDisk = readFileSync(file, 'utf8');
      }
      assert.equal(onDisk, want, 'tls.cfg on disk after the quick fix and save');
      assert.ok(!onDisk.includes(TYPO));

      // and the diagnostic is gone
      const afterFix = await waitForProblems(page, (c) => c.errors === before.errors - 1, 30_000, 500);
      assert.equal(afterFix.errors, before.errors - 1, `one error less after the fix (before ${JSON.stringify(before)}, after ${JSON.stringify(afterFix)})`);
      assert.equal(await page.locator('.tabs-container .tab.active.dirty').count(), 0, 'the editor is saved');
      assert.deepEqual(await statusBarProblems(page), afterFix);
      saveReadmeImage('quickfix.png', picture);
    });
  });
  test('(d) Show Certificate Report on the certificate path opens a Markdown preview with the details', { timeout: 180_000 }, async (t) => {
    if (!ready(t)) return;
    const page = browser!.page;
    const fingerprint = sha256Hex(deployment!.file('certs/server.crt'));
    await withArtifacts('d-report', browser!, server, async () => {
      await openFile(page, 'tls.cfg');
      await waitForLanguage(page, 'Kamailio TLS');
      const point = await tokenPoint(page, 'certs/server.crt', 5);
      await page.mouse.click(point.x, point.y);
      await runCommand(page, 'SIP-TLS: Show Certificate Report');
      const text = await webviewText(page, 'SHA-256', 60_000);
      assert.match(text, /sip\.example\.com/);
      assert.match(text, /server\.crt/);
      assert.ok(text.replace(/[^0-9a-f]/gi, '').toLowerCase().includes(fingerprint), `the report lacks the SHA-256 fingerprint:\n${text}`);
      assert.match(text, /chain\.incomplete/);
      saveReadmeImage('report.png', await screenshot(page));
      // The preview is a webview that takes clicks: close every editor before the next test.
      await runCommand(page, 'View: Close All Editors');
    });
  });

  test('(e) Create Fullchain File on the certificate path writes leaf + intermediate to a new file', { timeout: 180_000 }, async (t) => {
    if (!ready(t)) return;
    const page = browser!.page;
    await withArtifacts('e-fullchain', browser!, server, async () => {
      await openFile(page, 'tls.cfg');
      const point = await tokenPoint(page, 'certs/server.crt', 5);
      await page.mouse.click(point.x, point.y);
      await runCommand(page, 'SIP-TLS: Create Fullchain File');
      await waitForNotification(page, /wrote server\.fullchain\.pem/);
      const written = deployment!.file('certs/server.fullchain.pem');
      const deadline = Date.now() + 15_000;
      while (!existsSync(written) && Date.now() < deadline) await sleep(200);
      const pem = readFileSync(written, 'utf8');
      const leaf = readFileSync(deployment!.file('certs/server.crt'), 'utf8');
      const intermediate = readFileSync(deployment!.file('certs/intermediate.crt'), 'utf8');
      const blocks = (x: string) => x.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
      assert.deepEqual(blocks(pem), [...blocks(leaf), ...blocks(intermediate)], 'leaf first, then the intermediate, no root');
    });
  });
});
