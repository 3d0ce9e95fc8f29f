// Messages between the language server's main thread (transport, documents, settings, editor
// features) and its check worker (checkWorker.ts). Plain data only: they cross a thread.
import type { ConfigLanguage } from '../core/check';
import type { Membership } from '../core/checkControl';
import type { CheckSettings } from '../core/settings';
import type { Finding } from '../core/types';

/** What the worker is started with (workerData). */
export interface CheckWorkerData {
  /** False in an untrusted workspace: the worker's host never runs git either. */
  trusted: boolean;
  statTtlMs: number;
  /** Int32Array[1] over it: the newest check generation; a running check with another one stops. */
  generation: SharedArrayBuffer;
}

export interface CheckOrder {
  generation: number;
  files: string[];
  languages: [string, ConfigLanguage][];
  /** Resolved settings of every file the check may ask about (documents and main candidates). */
  settings: [string, CheckSettings][];
  /** Main configuration candidates of the workspace folders. */
  mains: string[];
  budgetMs: number;
}

export type ToWorker =
  | { type: 'overlay'; path: string; text: string }
  | { type: 'close'; path: string }
  | { type: 'invalidate'; paths: string[] }
  | { type: 'check'; order: CheckOrder }
  | { type: 'heap'; id: number }
  | { type: 'crash' };

export type FromWorker =
  | { type: 'membership'; generation: number; membership: Membership }
  | { type: 'result'; generation: number; findings: Finding[]; membership: Membership }
  | { type: 'cancelled'; generation: number }
  | { type: 'failed'; generation: number; error: string }
  | { type: 'heap'; id: number; usedBytes: number };
