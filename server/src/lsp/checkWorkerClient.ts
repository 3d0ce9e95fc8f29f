// The main thread's side of the check worker (checkWorker.ts): it mirrors the open documents
// and file events to the worker, orders checks and supersedes them. A worker that dies (out of
// memory, a crash) is restarted with the documents replayed, and the check it was running is
// ordered once more; the log says why.
import { Worker } from 'node:worker_threads';
import type { Membership } from '../core/checkControl';
import type { Finding } from '../core/types';
import type { CheckOrder, CheckWorkerData, FromWorker, ToWorker } from './checkProtocol';
import type { Logger } from './log';

/** A check's answer; `internal` when the check itself threw (not the worker that could not run it). */
export type CheckReply = { findings: Finding[]; membership: Membership } | { failed: string; internal?: boolean };

interface Pending {
  order: CheckOrder;
  retried: boolean;
  resolve: (reply: CheckReply | undefined) => void;
}

/** Restarts in a row without one answered check, after which the worker is given up. */
const MAX_RESTARTS = 3;

const YOUNG_GENERATION_MB = 4;

export class CheckWorkerClient {
  private worker: Worker | undefined;
  private readonly shared = new SharedArrayBuffer(4);
  private readonly generation = new Int32Array(this.shared);
  private readonly overlays = new Map<string, string>();
  private pending: Pending | undefined;
  private readonly heapWaiters = new Map<number, (bytes: number) => void>();
  private nextHeapId = 0;
  private restarts = 0;
  private disposed = false;

  constructor(
    private readonly script: string,
    private readonly options: { trusted: boolean; statTtlMs: number },
    private readonly log: Logger,
    private readonly onMembership: (membership: Membership) => void,
  ) {
    this.start();
  }

  /** A newer check is coming: the running one stops at its next checkpoint. */
  supersede(): void {
    Atomics.add(this.generation, 0, 1);
  }

  setOverlay(path: string, text: string): void {
    this.overlays.set(path, text);
    this.post({ type: 'overlay', path, text });
  }

  deleteOverlay(path: string): void {
    this.overlays.delete(path);
    this.post({ type: 'close', path });
  }

  invalidate(paths: string[]): void {
    if (paths.length > 0) this.post({ type: 'invalidate', paths });
  }

  /** The findings of a check; undefined when a newer check superseded it. */
  check(order: Omit<CheckOrder, 'generation'>): Promise<CheckReply | undefined> {
    const full: CheckOrder = { ...order, generation: Atomics.load(this.generation, 0) };
    this.pending?.resolve(undefined);
    return new Promise((resolve) => {
      this.pending = { order: full, retried: false, resolve };
      if (!this.worker) return this.answer({ failed: 'the check worker could not be started (see the log)' });
      this.post({ type: 'check', order: full });
    });
  }

  /** Heap in use by the worker after a full collection (tests, with --expose-gc). */
  heapUsed(): Promise<number> {
    const id = this.nextHeapId++;
    return new Promise((resolve) => {
      this.heapWaiters.set(id, resolve);
      this.post({ type: 'heap', id });
    });
  }

  /** Test hook: the worker dies as it would on a fatal error. */
  crash(): void {
    this.post({ type: 'crash' });
  }

  dispose(): void {
    this.disposed = true;
    this.supersede();
    this.answer(undefined);
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private start(): void {
    const workerData: CheckWorkerData = { trusted: this.options.trusted, statTtlMs: this.options.statTtlMs, generation: this.shared };
    // A smaller young generation than V8's default for a second isolate: the worker's peak
    // memory is mostly short-lived garbage of a check (bench: peak RSS of the server).
    const worker = new Worker(this.script, { workerData, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    this.worker = worker;
    let lastError = '';
    worker.on('message', (message: FromWorker) => this.received(message));
    worker.on('error', (error) => {
      lastError = error instanceof Error ? (error.stack ?? error.message) : String(error);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker || this.disposed) return;
      this.worker = undefined;
      const why = lastError ? `: ${lastError}` : '';
      if (this.restarts >= MAX_RESTARTS) {
        this.log.error(`check worker exited with code ${code}${why}; not restarted after ${MAX_RESTARTS} restarts in a row`);
        this.answer({ failed: `the check worker exited with code ${code} ${MAX_RESTARTS + 1} times in a row` });
        return;
      }
      this.restarts++;
      this.log.error(`check worker exited with code ${code}${why}; restarting it`);
      this.start();
      for (const [path, text] of this.overlays) this.post({ type: 'overlay', path, text });
      const pending = this.pending;
      if (!pending) return;
      // Once more on a fresh worker: a second death on the same check is reported, not looped.
      if (pending.retried) return this.answer({ failed: `the check worker exited with code ${code} during this check${why ? ` (${firstLine(lastError)})` : ''}` });
      pending.retried = true;
      this.post({ type: 'check', order: pending.order });
    });
  }

  private received(message: FromWorker): void {
    if (message.type === 'heap') {
      this.heapWaiters.get(message.id)?.(message.usedBytes);
      this.heapWaiters.delete(message.id);
      return;
    }
    if (message.generation !== this.pending?.order.generation) return;
    switch (message.type) {
      case 'membership':
        return this.onMembership(message.membership);
      case 'result':
        this.restarts = 0;
        return this.answer({ findings: message.findings, membership: message.membership });
      case 'cancelled':
        return this.answer(undefined);
      case 'failed':
        this.log.error(`check failed: ${message.error}`);
        return this.answer({ failed: firstLine(message.error), internal: true });
    }
  }

  private answer(reply: CheckReply | undefined): void {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(reply);
  }
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}
