// The network steps of a probe, each a promise that settles with a value or a ProbeError and
// never rejects: the TCP connection (with DNS), the TLS handshake over the tap, and waiting for
// data after it. Every step honours the one deadline and the abort signal, and cleans up its
// listeners, so that a probe inside the editor leaves nothing behind.
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { EventEmitter } from 'node:events';
import { explainHandshake, explainNetwork, opensslReason } from './explain';
import type { ProbeError } from './types';

export type Step<T> = { ok: true; value: T } | { ok: false; error: ProbeError };

export interface Clock {
  /** ms left until the deadline. */
  left(): number;
  /** Total budget, for messages. */
  budgetMs: number;
  signal?: AbortSignal;
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
};

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA', 'EAI_FAIL']);

/**
 * Waits for one of the `settle` events on `emitter`, the deadline or the abort signal. Listeners
 * are removed whatever happens.
 */
function waitFor<T>(
  emitter: EventEmitter,
  clock: Clock,
  handlers: Record<string, (...args: never[]) => Step<T> | undefined>,
  onTimeout: () => ProbeError,
): Promise<Step<T>> {
  return new Promise((resolve) => {
    const bound: [string, (...args: unknown[]) => void][] = [];
    let timer: NodeJS.Timeout | undefined;
    const finish = (r: Step<T>): void => {
      clearTimeout(timer);
      for (const [event, fn] of bound) emitter.off(event, fn);
      clock.signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    const onAbort = (): void => finish({ ok: false, error: { phase: 'aborted', code: 'ABORTED', message: 'cancelled', explanation: 'The probe was cancelled.' } });
    if (clock.signal?.aborted) return onAbort();
    for (const [event, handler] of Object.entries(handlers)) {
      const fn = (...args: unknown[]): void => {
        const r = (handler as (...a: unknown[]) => Step<T> | undefined)(...args);
        if (r) finish(r);
      };
      bound.push([event, fn]);
      emitter.on(event, fn);
    }
    clock.signal?.addEventListener('abort', onAbort, { once: true });
    timer = setTimeout(() => finish({ ok: false, error: onTimeout() }), Math.max(0, clock.left()));
  });
}

export interface Connected {
  socket: net.Socket;
  address: string;
  dnsMs: number | null;
  connectMs: number;
}

/** TCP connection, DNS included. */
export async function connectTcp(host: string, port: number, target: string, clock: Clock, lookup?: net.LookupFunction): Promise<Step<Connected>> {
  const t0 = performance.now();
  let dnsMs: number | null = null;
  const socket = net.connect({ host, port, ...(lookup ? { lookup } : {}) });
  socket.setNoDelay(true);
  socket.once('lookup', () => {
    dnsMs = Math.round(performance.now() - t0);
  });
  const step = await waitFor<Connected>(
    socket,
    clock,
    {
      connect: () => ({ ok: true, value: { socket, address: socket.remoteAddress ?? host, dnsMs, connectMs: Math.round(performance.now() - t0) } }),
      error: (e: NodeJS.ErrnoException) => {
        const code = e.code ?? 'ERROR';
        const phase = DNS_CODES.has(code) ? 'dns' : 'connect';
        return { ok: false, error: { phase, code, message: NETWORK_WORDS[code] ?? e.message, explanation: explainNetwork(code, target) } };
      },
    },
    () => ({
      phase: 'timeout',
      code: 'TIMEOUT',
      message: `no TCP connection within ${clock.budgetMs} ms`,
      explanation: `${target} did not accept a TCP connection in time: a firewall that drops packets, a wrong address, or a host that is down.`,
    }),
  );
  if (!step.ok) socket.destroy();
  return step;
}

export function tlsError(e: NodeJS.ErrnoException, hasClientCert: boolean, phase: ProbeError['phase'] = 'handshake'): ProbeError {
  const message = opensslReason(e.message);
  return { phase, code: e.code ?? 'ERROR', message, explanation: explainHandshake(`${message} ${e.code ?? ''}`, hasClientCert) };
}

/** The TLS handshake on a socket already handed to tls.connect. */
export function handshake(socket: tls.TLSSocket, clock: Clock, hasClientCert: boolean, target: string): Promise<Step<number>> {
  const t0 = performance.now();
  return waitFor<number>(
    socket,
    clock,
    {
      secureConnect: () => ({ ok: true, value: Math.round(performance.now() - t0) }),
      error: (e: NodeJS.ErrnoException) => ({ ok: false, error: tlsError(e, hasClientCert) }),
      close: () => ({
        ok: false,
        error: { phase: 'handshake', code: 'ECONNRESET', message: 'connection closed during the handshake', explanation: explainHandshake('disconnected', hasClientCert) },
      }),
    },
    () => ({
      phase: 'timeout',
      code: 'TIMEOUT',
      message: `no TLS handshake within ${clock.budgetMs} ms`,
      explanation: `${target} accepted the TCP connection but never answered the TLS ClientHello: a plain TCP (SIP over TCP, not TLS) listener that waits for a request, or an overloaded server.`,
    }),
  );
}

/**
 * After the handshake: waits until `accept` says enough data has come, the connection fails or
 * closes, or the deadline. `onTimeout` undefined = running out of time is fine (a grace wait).
 */
export function afterHandshake<T>(
  socket: tls.TLSSocket,
  clock: Clock,
  hasClientCert: boolean,
  onData: (chunk: Buffer) => Step<T> | undefined,
  onClose: () => Step<T>,
  onTimeout: () => ProbeError,
  waitMs?: number,
  /** An event that ends the wait successfully. */
  doneOn?: { event: string; value: T },
): Promise<Step<T>> {
  const limited: Clock = waitMs === undefined ? clock : { ...clock, left: () => Math.min(clock.left(), waitMs) };
  return waitFor<T>(
    socket,
    limited,
    {
      ...(doneOn ? { [doneOn.event]: (): Step<T> => ({ ok: true, value: doneOn.value }) } : {}),
      data: (chunk: Buffer) => onData(chunk),
      error: (e: NodeJS.ErrnoException) => ({ ok: false, error: tlsError(e, hasClientCert, 'client-certificate') }),
      end: () => onClose(),
      close: () => onClose(),
    },
    onTimeout,
  );
}
