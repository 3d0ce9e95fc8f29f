// The language server stays responsive while it checks a hostile deployment: the check runs in
// a worker thread, a newer edit supersedes it, a deployment over its time budget stops with
// project.check-limit, and a worker that dies is restarted. Against the bundled server over
// stdio, idle and with the machine loaded by a busy process (CI has two cores).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { test } from 'node:test';
import { HoverRequest, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { hostileKamailioCfg } from '../helpers/hostileKamailio';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';

const HOSTILE_LINES = 200_000;
const NORMAL_CFG = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\n';
const NORMAL_TLS = '[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\n';

/** Small enough to keep the test short (three hostile main configurations per check), large enough that each check runs for seconds. */
const BUDGETED = { debounceMs: 20, checkBudgetMs: 5000 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process that keeps one core busy, as another job on a two-core CI runner does. */
function busyProcess(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

/** A workspace folder with a normal deployment and a hostile main configuration beside it, and a second folder with a hostile variant. */
function hostileWorkspace(seed: number) {
  const dir = makeTempDir();
  dir.write({
    'a/normal/kamailio.cfg': NORMAL_CFG,
    'a/normal/tls.cfg': NORMAL_TLS,
    'a/hostile/kamailio.cfg': hostileKamailioCfg(HOSTILE_LINES, seed),
    'b/kamailio.cfg': hostileKamailioCfg(HOSTILE_LINES, seed + 1),
  });
  return { dir, folders: [dir.file('a'), dir.file('b')] };
}

async function timedHover(client: LspTestClient, uri: string, line: number, character: number): Promise<{ ms: number; markdown: string }> {
  const started = performance.now();
  const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  const ms = performance.now() - started;
  const contents = h?.contents;
  const markdown = contents && typeof contents === 'object' && 'value' in contents ? contents.value : '';
  return { ms, markdown };
}

for (const loaded of [false, true]) {
  test(`hovers on a normal document answer under 1 s while hostile deployments are checked${loaded ? ' (machine loaded)' : ''}`, { timeout: 240_000 }, async () => {
    const busy = loaded ? busyProcess() : undefined;
    const seed = loaded ? 5 : 2;
    const { dir, folders } = hostileWorkspace(seed);
    const { client } = await LspTestClient.start({ workspaceFolders: folders, initializationOptions: BUDGETED });
    try {
      const normalCfg = fileUri(dir.file('a/normal/kamailio.cfg'));
      const normalTls = fileUri(dir.file('a/normal/tls.cfg'));
      await client.open(normalCfg, 'kamailio', NORMAL_CFG);
      await client.open(normalTls, 'kamailio-tls', NORMAL_TLS);
      await client.waitForDiagnostics(normalTls, { version: 1, timeoutMs: 120_000 });
      const mark = client.mark();

      // The hostile documents differ from the disk, so they are evaluated again (seconds each).
      const hostileA = fileUri(dir.file('a/hostile/kamailio.cfg'));
      const hostileB = fileUri(dir.file('b/kamailio.cfg'));
      await client.open(hostileA, 'kamailio', hostileKamailioCfg(HOSTILE_LINES, seed + 2));
      await client.open(hostileB, 'kamailio', hostileKamailioCfg(HOSTILE_LINES, seed + 3));
      let checked = false;
      const hostileDone = Promise.all([
        client.waitForDiagnostics(hostileA, { version: 1, after: mark, timeoutMs: 180_000 }),
        client.waitForDiagnostics(hostileB, { version: 1, after: mark, timeoutMs: 180_000 }),
      ]).finally(() => (checked = true));

      const times: number[] = [];
      while (!checked) {
        const tls = await timedHover(client, normalTls, 1, 2);
        assert.match(tls.markdown, /^\*\*method\*\* \(also `tls_method`\)/, 'the hover of the normal tls.cfg comes from its own deployment');
        times.push(tls.ms);
        times.push((await timedHover(client, normalCfg, 4, 2)).ms);
        await sleep(50);
      }
      await hostileDone;
      console.log(`${times.length} hovers during the hostile check${loaded ? ' (loaded)' : ''}: max ${Math.max(...times).toFixed(0)} ms, first ${times[0]?.toFixed(0)} ms`);
      const slow = times.filter((ms) => ms >= 1000);
      assert.deepEqual(slow, [], `every hover under 1 s (first ${times[0]?.toFixed(0)} ms)`);
      // The normal documents were checked again with the hostile ones, and their diagnostics came.
      await client.waitForDiagnostics(normalTls, { after: mark, timeoutMs: 10_000 });
      assert.equal(client.hasExited, false);
    } finally {
      busy?.kill();
      await client.shutdown();
      dir.remove();
    }
  });
}

/** tls.protocol-outdated exactly when the text allows TLS 1.0. */
const outdated = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === 'tls.protocol-outdated');

test('typing fast while a hostile check runs: superseded checks publish nothing stale', { timeout: 240_000 }, async () => {
  const { dir, folders } = hostileWorkspace(3);
  const { client } = await LspTestClient.start({ workspaceFolders: folders, initializationOptions: BUDGETED });
  try {
    const normalTls = fileUri(dir.file('a/normal/tls.cfg'));
    const hostileA = fileUri(dir.file('a/hostile/kamailio.cfg'));
    await client.open(normalTls, 'kamailio-tls', NORMAL_TLS);
    await client.waitForDiagnostics(normalTls, { version: 1, timeoutMs: 120_000 });
    await client.open(hostileA, 'kamailio', hostileKamailioCfg(HOSTILE_LINES, 7));
    const mark = client.mark();
    // Many versions, each a different hostile text, and the tls.cfg flipping between TLSv1 (outdated) and TLSv1.2+.
    const last = 2 + (Date.now() % 5) + 6;
    for (let v = 2; v <= last; v++) {
      await client.change(normalTls, `[server:default]\nmethod = ${v % 2 === 0 ? 'TLSv1' : 'TLSv1.2+'}\nverify_certificate = no\n`, v);
      await client.change(hostileA, hostileKamailioCfg(HOSTILE_LINES, 7 + v), v);
      await sleep(30 + (v % 3) * 40);
    }
    const final = await client.waitForDiagnostics(normalTls, { version: last, timeoutMs: 180_000 });
    await client.waitForDiagnostics(hostileA, { version: last, after: mark, timeoutMs: 180_000 });
    assert.equal(outdated(final.diagnostics), last % 2 === 0, 'the final diagnostics match the final text');
    await sleep(500);
    const after = client.publishedFor(normalTls).slice(-1)[0]!;
    assert.equal(after.version, last, 'nothing older was published after the final version');
    for (const p of client.publishedFor(normalTls)) {
      if (p.version !== undefined && p.version >= 2) assert.equal(outdated(p.diagnostics), p.version % 2 === 0, `version ${p.version} published with its own text's findings`);
    }
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('a deployment over its time budget stops with project.check-limit naming it', { timeout: 240_000 }, async () => {
  const { dir, folders } = hostileWorkspace(4);
  const { client } = await LspTestClient.start({ workspaceFolders: folders, initializationOptions: { debounceMs: 20, checkBudgetMs: 300 } });
  try {
    const hostile = dir.file('a/hostile/kamailio.cfg');
    const uri = fileUri(hostile);
    await client.open(uri, 'kamailio', hostileKamailioCfg(HOSTILE_LINES, 9));
    const published = await client.waitForDiagnostics(uri, { version: 1, timeoutMs: 180_000, where: (d) => d.some((x) => x.code === 'project.check-limit') });
    const limit = published.diagnostics.find((d) => d.code === 'project.check-limit')!;
    assert.ok(limit.message.includes(hostile), limit.message);
    assert.match(limit.message, /budget 300 ms per deployment.*not checked/);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('a check worker that dies is restarted, the log says why, and diagnostics still come', { timeout: 120_000 }, async () => {
  const dir = makeTempDir();
  dir.write({ 'kamailio.cfg': NORMAL_CFG, 'tls.cfg': NORMAL_TLS });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], env: { SIP_TLS_TEST_HOOKS: '1' } });
  try {
    const tls = fileUri(dir.file('tls.cfg'));
    await client.open(tls, 'kamailio-tls', NORMAL_TLS);
    await client.waitForDiagnostics(tls, { version: 1, timeoutMs: 60_000 });
    for (let round = 0; round < 3; round++) {
      await client.connection.sendRequest('sipTls/test/crashCheckWorker');
      const v = 2 + round;
      await client.change(tls, `[server:default]\nmethod = ${round % 2 === 0 ? 'TLSv1' : 'TLSv1.2+'}\n`, v);
      const p = await client.waitForDiagnostics(tls, { version: v, timeoutMs: 60_000 });
      assert.equal(outdated(p.diagnostics), round % 2 === 0, 'the restarted worker checks the current text');
    }
    await client.waitForLog(/check worker exited with code 70.*restarting it/);
    assert.equal(client.hasExited, false);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
