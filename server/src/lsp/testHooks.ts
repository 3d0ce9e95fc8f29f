// Requests that exist only for the server's own tests (SIP_TLS_TEST_HOOKS=1): kill the check
// worker to prove it is restarted, and read the heap of both threads after a full collection
// (with --expose-gc) — precise where the process's resident memory is not.
import { getHeapStatistics } from 'node:v8';
import type { Connection } from 'vscode-languageserver/node';
import type { LanguageSession } from './session';

export const CRASH_CHECK_WORKER = 'sipTls/test/crashCheckWorker';
export const HEAP_USED = 'sipTls/test/heapUsed';

export function registerTestHooks(connection: Connection, session: () => LanguageSession | undefined): void {
  connection.onRequest(CRASH_CHECK_WORKER, () => {
    session()?.worker.crash();
    return null;
  });
  connection.onRequest(HEAP_USED, async () => {
    const s = session();
    (globalThis as { gc?: () => void }).gc?.();
    const main = getHeapStatistics().used_heap_size;
    const worker = s ? await s.worker.heapUsed() : 0;
    return { mainBytes: main, workerBytes: worker };
  });
}
