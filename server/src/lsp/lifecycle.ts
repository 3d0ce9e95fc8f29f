// The LSP lifecycle, enforced where messages enter the server: a gate around the transport's
// MessageReader that sees every message before any handler does. So no handler — registered
// today or later — can run out of order:
//   - before `initialize`, a request is answered ServerNotInitialized (-32002) and a
//     notification is dropped, except `exit` (LSP 3.17 "Initialize Request");
//   - a second `initialize` is answered InvalidRequest: "the initialize request may only be sent
//     once" (same section); it used to replace the session, after which hovers on the documents
//     already open answered nothing;
//   - after `shutdown`, every request is answered InvalidRequest and every notification but
//     `exit` is dropped ("Shutdown Request");
//   - `exit` without `shutdown` ends the process with code 1 (the library's watchdog does that).
import {
  Disposable,
  Emitter,
  ErrorCodes,
  Message,
  type DataCallback,
  type MessageReader,
  type MessageWriter,
  type NotificationMessage,
  type PartialMessageInfo,
  type RequestMessage,
  type ResponseMessage,
} from 'vscode-languageserver/node';

export type LifecyclePhase = 'awaiting-initialize' | 'running' | 'shut-down';

/** What to do with one incoming message. */
export type Admission = { kind: 'forward' } | { kind: 'drop' } | { kind: 'reject'; response: ResponseMessage };

const INITIALIZE = 'initialize';
const SHUTDOWN = 'shutdown';
const EXIT = 'exit';

function reject(request: RequestMessage, code: number, message: string): Admission {
  return { kind: 'reject', response: { jsonrpc: '2.0', id: request.id, error: { code, message } } };
}

/** The lifecycle state machine; pure, so that every ordering can be tested without a process. */
export class LifecycleGate {
  private current: LifecyclePhase = 'awaiting-initialize';

  get phase(): LifecyclePhase {
    return this.current;
  }

  admit(message: Message): Admission {
    // Responses answer requests the server sent (configuration, registrations): never gated.
    if (Message.isResponse(message)) return { kind: 'forward' };
    if (Message.isRequest(message)) return this.admitRequest(message);
    if (Message.isNotification(message)) return this.admitNotification(message);
    return { kind: 'forward' }; // not a JSON-RPC message: the connection reports it
  }

  private admitRequest(request: RequestMessage): Admission {
    switch (this.current) {
      case 'awaiting-initialize':
        if (request.method !== INITIALIZE) return reject(request, ErrorCodes.ServerNotInitialized, `the server is not initialized: '${request.method}' before 'initialize'`);
        this.current = 'running';
        return { kind: 'forward' };
      case 'running':
        if (request.method === INITIALIZE) return reject(request, ErrorCodes.InvalidRequest, "the initialize request may only be sent once: the server is already initialized");
        if (request.method === SHUTDOWN) this.current = 'shut-down';
        return { kind: 'forward' };
      case 'shut-down':
        return reject(request, ErrorCodes.InvalidRequest, `the server is shut down: '${request.method}' after 'shutdown' (only 'exit' is accepted)`);
    }
  }

  private admitNotification(notification: NotificationMessage): Admission {
    if (notification.method === EXIT) return { kind: 'forward' };
    return this.current === 'running' ? { kind: 'forward' } : { kind: 'drop' };
  }
}

/** A MessageReader that passes only what the lifecycle admits, and answers what it rejects. */
export class GatedMessageReader implements MessageReader {
  private readonly partial = new Emitter<PartialMessageInfo>();

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
    readonly gate: LifecycleGate = new LifecycleGate(),
    private readonly onRejected: (message: Message, response: ResponseMessage) => void = () => undefined,
  ) {}

  get onError() {
    return this.inner.onError;
  }

  get onClose() {
    return this.inner.onClose;
  }

  get onPartialMessage() {
    return this.inner.onPartialMessage ?? this.partial.event;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      const admission = this.gate.admit(message);
      if (admission.kind === 'forward') return callback(message);
      if (admission.kind === 'reject') {
        this.onRejected(message, admission.response);
        void this.writer.write(admission.response).catch(() => undefined);
      }
    });
  }

  dispose(): void {
    this.inner.dispose();
    this.partial.dispose();
  }
}
