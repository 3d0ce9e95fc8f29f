// The language server under abuse: a 10 MB document, thousands of rapid edits, malformed and
// unknown requests. Afterwards it still answers (a hover within a second) and its memory
// returns to near its starting point: the heap of both of its threads (the main thread and the
// check worker) after a forced collection. The process's VmRSS, measured before, swung between
// 107 and 175 MiB under load (pages V8 keeps or gives back when it likes); it is only logged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';

/** Resident memory of a process in MiB, from /proc (Linux). */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /^VmRSS:\s+(\d+) kB/m.exec(status);
  assert.ok(m, 'VmRSS in /proc/PID/status');
  return Number(m[1]) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Heaps {
  main: number;
  worker: number;
}

/** Heap in use by the server's main thread and by its check worker after a full collection, MiB. */
async function heapMiB(client: LspTestClient): Promise<Heaps> {
  const r = await client.connection.sendRequest<{ mainBytes: number; workerBytes: number }>('sipTls/test/heapUsed');
  return { main: r.mainBytes / (1024 * 1024), worker: r.workerBytes / (1024 * 1024) };
}

const show = (h: Heaps) => `${h.main.toFixed(0)} + ${h.worker.toFixed(0)} MiB`;

async function hoverWithin(client: LspTestClient, uri: string, line: number, character: number, limitMs: number): Promise<void> {
  const started = performance.now();
  await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
  const ms = performance.now() - started;
  assert.ok(ms < limitMs, `hover took ${ms.toFixed(0)} ms`);
}

/** A 10 MB kamailio.cfg: real statements, TLS listeners, comments, routes. */
function hugeKamailioCfg(bytes: number): string {
  const head = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\n';
  const block = (i: number) => `# block ${i} ${'padding '.repeat(6)}\nroute[R${i}] {\n  if (method == "OPTIONS") { sl_send_reply("200", "OK"); exit; }\n  $var(x${i}) = "value ${i}";\n}\n`;
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const b = block(i);
    parts.push(b);
    size += b.length;
  }
  return parts.join('');
}

test('10 MB document, thousands of edits, malformed requests: the server keeps answering and gives memory back', { timeout: 300_000 }, async () => {
  const dir = makeTempDir();
  dir.write({ 'tls.cfg': '[server:default]\nmethod = TLSv1.2+\n' });
  // With --expose-gc the server collects after a document closes (session.ts), so that the
  // memory check does not depend on when V8's idle heuristics happen to run.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], env: { SIP_TLS_TEST_HOOKS: '1' } });
  const pid = client.process.pid!;
  try {
    const tls = fileUri(dir.file('tls.cfg'));
    await client.open(tls, 'kamailio-tls', '[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\n');
    await client.waitForDiagnostics(tls, { version: 1 });
    await hoverWithin(client, tls, 1, 2, 1000);
    await sleep(500);
    const baseline = await heapMiB(client);
    const baselineRss = rssMiB(pid);

    // 1. A 10 MB document.
    const big = fileUri(dir.file('kamailio.cfg'));
    const text = hugeKamailioCfg(10 * 1024 * 1024);
    await client.open(big, 'kamailio', text);
    await client.waitForDiagnostics(big, { version: 1, timeoutMs: 120_000 });
    const afterBig = await heapMiB(client);

    // 2. Thousands of rapid edits of the small document (full sync), without waiting.
    const edits: Promise<void>[] = [];
    for (let v = 2; v <= 3001; v++) edits.push(client.change(tls, `[server:default]\nmethod = TLSv1.2+\nverify_certificate = ${v % 2 ? 'yes' : 'no'}\n# edit ${v}\n`, v));
    await Promise.all(edits);
    // Debouncing may skip versions; the last one must be published.
    await client.waitForDiagnostics(tls, { version: 3001, timeoutMs: 60_000 });

    // 3. Malformed requests: each gets an error answer (or null), none kills the server.
    const c = client.connection;
    const outcomes = await Promise.allSettled([
      c.sendRequest('sipTls/doesNotExist', { x: 1 }),
      c.sendRequest('textDocument/unknownFeature', {}),
      c.sendRequest(HoverRequest.type, { textDocument: { uri: tls }, position: { line: 1_000_000, character: 5 } }),
      c.sendRequest(HoverRequest.type, { textDocument: { uri: tls }, position: { line: -1, character: -1 } }),
      c.sendRequest(HoverRequest.type, { textDocument: { uri: tls }, position: { line: 0, character: 1e9 } }),
      c.sendRequest(HoverRequest.type, { textDocument: { uri: 'not a uri at all' }, position: { line: 0, character: 0 } }),
      c.sendRequest(HoverRequest.type, { textDocument: { uri: 'file://%zz/\u0000' }, position: { line: 0, character: 0 } }),
      c.sendRequest(HoverRequest.type, { textDocument: { uri: big }, position: { line: 5_000_000, character: 0 } }),
      c.sendRequest('textDocument/hover', null),
      c.sendRequest('textDocument/hover', { textDocument: 42 }),
      c.sendRequest('textDocument/codeAction', { textDocument: { uri: tls }, range: null, context: null }),
      c.sendRequest('textDocument/completion', { textDocument: { uri: tls }, position: 'nowhere' }),
      c.sendRequest('textDocument/documentSymbol', { textDocument: { uri: 'untitled:nothing-here' } }),
      c.sendRequest('workspace/executeCommand', { command: 'sipTls.nope', arguments: [{ evil: true }] }),
    ]);
    assert.equal(outcomes.length, 14);
    c.sendNotification('textDocument/didChange', { textDocument: { uri: 'file:///never/opened.cfg', version: 1 }, contentChanges: [{ text: 'x' }] });
    c.sendNotification('textDocument/didOpen', { textDocument: null });
    c.sendNotification('sipTls/unknownNotification', [1, 2, 3]);
    c.sendNotification('textDocument/didClose', { textDocument: { uri: 'file:///never/opened.cfg' } });

    // Still answering, at once.
    assert.equal(client.hasExited, false);
    await hoverWithin(client, tls, 1, 2, 1000);
    await hoverWithin(client, big, 3, 10, 1000);

    // 4. Close the big document: the heap must come back near the baseline (slack: caches of
    // the small document's checks, compiled code). The 10 MB text alone held 20+ MiB per thread.
    const beforeClose = await heapMiB(client);
    await client.close(big);
    await client.change(tls, '[server:default]\nmethod = TLSv1.2+\n', 3002);
    await client.waitForDiagnostics(tls, { version: 3002, timeoutMs: 30_000 });
    const settled = await heapMiB(client);
    console.log(`server heap after GC (main + check worker): baseline ${show(baseline)}, with the 10 MB document ${show(afterBig)}, before closing it ${show(beforeClose)}, after closing it ${show(settled)}; VmRSS ${baselineRss.toFixed(0)} → ${rssMiB(pid).toFixed(0)} MiB`);
    // Each thread held the document and what was parsed of it (hundreds of MiB); neither may
    // keep it. Slack over the baseline, taken before any kamailio.cfg was read: the code
    // compiled since and the small document's caches (~11 MiB per thread when measured).
    for (const thread of ['main', 'worker'] as const) {
      const peak = Math.max(afterBig[thread], beforeClose[thread]);
      assert.ok(peak > baseline[thread] + 100, `the ${thread} thread's heap shows the 10 MB document (${show(afterBig)}, ${show(beforeClose)}; baseline ${show(baseline)})`);
      const kept = settled[thread] - baseline[thread];
      assert.ok(kept < 20 && kept < (peak - baseline[thread]) / 10, `the ${thread} thread still holds ${kept.toFixed(0)} MiB after closing the big document (${show(settled)}; baseline ${show(baseline)})`);
    }
    assert.equal(client.hasExited, false);
    assert.deepEqual(client.stderr.filter((s) => /Error|at .*\(/.test(s)), [], 'no stack traces on stderr');
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
