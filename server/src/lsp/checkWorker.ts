// The language server's checks, in a worker thread (dist/checkWorker.js): a check of a hostile
// 200,000-line kamailio.cfg takes seconds, and on the main thread every hover of every other
// document waited for it. The worker keeps its own Host and Checker with the open documents'
// text; it checks what the main thread orders and stops at the next checkpoint when a newer
// order bumps the shared generation (Atomics: seen while the check runs, no message needed).
import { parentPort, workerData } from 'node:worker_threads';
import { getHeapStatistics } from 'node:v8';
import { Checker, type ConfigLanguage } from '../core/check';
import { CheckCancelled, type Membership } from '../core/checkControl';
import { NodeHost } from '../core/nodeHost';
import { defaultSettings, type CheckSettings } from '../core/settings';
import type { CheckOrder, CheckWorkerData, FromWorker, ToWorker } from './checkProtocol';

const data = workerData as CheckWorkerData;
const port = parentPort!;
const generation = new Int32Array(data.generation);
// git runs (to find committed private keys) only in a trusted workspace: a repository's own git
// configuration can make git run other programs.
const checker = new Checker(new NodeHost(undefined, { runGit: data.trusted }));
checker.workspace.probe.statTtlMs = data.statTtlMs;
let mains = new Set<string>();

const send = (message: FromWorker) => port.postMessage(message);

function setMains(next: readonly string[]): void {
  const wanted = new Set(next);
  for (const m of mains) if (!wanted.has(m)) checker.workspace.removeMainCandidate(m);
  const added = next.filter((m) => !mains.has(m));
  if (added.length > 0) checker.workspace.addMainCandidates(added);
  mains = wanted;
}

/**
 * Test seam (SIP_TLS_TEST_HOOKS=1 with SIP_TLS_TEST_CHECK_THROWS=message): the check throws, as
 * a failure past every isolation of the checker would, so a test proves that every open
 * document still gets a diagnostic (test/lsp/checkFailure.test.ts).
 */
function throwForTests(): void {
  const message = process.env.SIP_TLS_TEST_HOOKS === '1' ? process.env.SIP_TLS_TEST_CHECK_THROWS : undefined;
  if (message) throw new TypeError(message);
}

function check(order: CheckOrder): void {
  const superseded = () => Atomics.load(generation, 0) !== order.generation;
  if (superseded()) return send({ type: 'cancelled', generation: order.generation });
  setMains(order.mains);
  const settings = new Map(order.settings);
  const languages = new Map<string, ConfigLanguage>(order.languages);
  // The main thread sends the settings of every file the checker asks about; a file it could
  // not foresee gets the defaults rather than failing the whole check.
  const fallback = defaultSettings();
  const settingsFor = (path: string): CheckSettings => settings.get(path) ?? fallback;
  try {
    throwForTests();
    const result = checker.check({
      files: order.files,
      settingsFor,
      languageOf: (path) => languages.get(path),
      control: {
        budgetMs: order.budgetMs,
        now: () => performance.now(),
        checkpoint: () => {
          if (superseded()) throw new CheckCancelled();
        },
        // Editor features need the membership before a slow neighbour is done.
        onEvaluated: (main, files) => {
          const membership: Membership = {};
          for (const f of files) membership[f] = main;
          send({ type: 'membership', generation: order.generation, membership });
        },
      },
    });
    if (superseded()) return send({ type: 'cancelled', generation: order.generation });
    send({ type: 'result', generation: order.generation, findings: result.findings, membership: result.membership });
  } catch (error) {
    if (error instanceof CheckCancelled) return send({ type: 'cancelled', generation: order.generation });
    send({ type: 'failed', generation: order.generation, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'overlay':
      return checker.setOverlay(message.path, message.text);
    case 'close': {
      checker.deleteOverlay(message.path);
      // With --expose-gc (as for the main thread, session.ts) the closed document's memory goes back at once.
      const gc = (globalThis as { gc?: () => void }).gc;
      if (gc) setTimeout(gc, 1000).unref();
      return;
    }
    case 'invalidate':
      for (const p of message.paths) checker.invalidate(p);
      return;
    case 'check':
      return check(message.order);
    case 'heap': {
      (globalThis as { gc?: () => void }).gc?.();
      return send({ type: 'heap', id: message.id, usedBytes: getHeapStatistics().used_heap_size });
    }
    case 'crash':
      // Test hook (SIP_TLS_TEST_HOOKS): the worker dies as if it had run out of memory.
      process.exit(70);
  }
});
