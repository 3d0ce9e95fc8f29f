// A real LSP client for tests: spawns the bundled server over stdio and talks JSON-RPC to it
// with vscode-languageserver-protocol, like an editor does. It answers workspace/configuration
// from a settings object, accepts capability registrations, and records every
// publishDiagnostics so that tests can wait for the one they expect.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  InitializeRequest,
  InitializedNotification,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  UnregistrationRequest,
  createProtocolConnection,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type ConfigurationItem,
  type Diagnostic,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
  type Registration,
} from 'vscode-languageserver-protocol/node';
import { CLI_BUNDLE, SERVER_BUNDLE, requireBundles } from './paths';

export type ServerEntry = 'cli' | 'server';

export interface StartOptions {
  /** `cli`: `node dist/cli.js serve --stdio` (default); `server`: `node dist/server.js --stdio`. */
  entry?: ServerEntry;
  /** Workspace folders (absolute paths). */
  workspaceFolders?: string[];
  /** The `sipTls` section answered to workspace/configuration (mutable through `settings`). */
  settings?: Record<string, unknown>;
  /** Advertise workspace/configuration support (default true). */
  configuration?: boolean;
  /** Advertise dynamic registration of watched files (default true). */
  watchedFilesRegistration?: boolean;
  /** initializationOptions; debounceMs defaults to 20 ms to keep tests fast. */
  initializationOptions?: Record<string, unknown>;
  /** What the client says it can do (default: everything the tests use). */
  capabilities?: { createFiles?: boolean };
  /** Environment variables of the server process, on top of this process's. */
  env?: Record<string, string>;
}

export interface WaitOptions {
  /** Only a publish carrying this document version. */
  version?: number;
  /** Only publishes received after this mark (see `mark()`). */
  after?: number;
  /** Only a publish whose diagnostics satisfy this. */
  where?: (diagnostics: Diagnostic[]) => boolean;
  timeoutMs?: number;
}

interface Received {
  seq: number;
  params: PublishDiagnosticsParams;
}

interface Waiter {
  uri: string;
  options: WaitOptions;
  resolve: (p: PublishDiagnosticsParams) => void;
}

export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}

export class LspTestClient {
  /** The `sipTls` section the client answers with; change it, then call `configurationChanged()`. */
  settings: Record<string, unknown>;
  /** Settings for particular scope URIs (override `settings`). */
  readonly settingsByScope = new Map<string, Record<string, unknown>>();
  readonly configurationRequests: ConfigurationItem[][] = [];
  readonly registrations: Registration[] = [];
  readonly logs: string[] = [];
  readonly stderr: string[] = [];
  private readonly published: Received[] = [];
  private waiters: Waiter[] = [];
  private seq = 0;
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly process: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
    readonly options: StartOptions,
  ) {
    this.settings = options.settings ?? {};
    this.exited = new Promise((resolve) => {
      process.on('exit', (code) => {
        this.exitCode = code;
        resolve();
      });
    });
    process.stderr.setEncoding('utf8');
    process.stderr.on('data', (chunk: string) => this.stderr.push(chunk));

    connection.onRequest(ConfigurationRequest.type, (params) => {
      this.configurationRequests.push(params.items);
      return params.items.map((item) => {
        const scoped = item.scopeUri !== undefined ? this.settingsByScope.get(item.scopeUri) : undefined;
        if (item.section === 'sipTls') return scoped ?? this.settings;
        if (item.section === undefined) return { sipTls: scoped ?? this.settings };
        return null;
      });
    });
    connection.onRequest(RegistrationRequest.type, (params) => {
      this.registrations.push(...params.registrations);
    });
    connection.onRequest(UnregistrationRequest.type, () => undefined);
    connection.onNotification(LogMessageNotification.type, (params) => this.logs.push(params.message));
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const received: Received = { seq: ++this.seq, params };
      this.published.push(received);
      const still: Waiter[] = [];
      for (const w of this.waiters) {
        if (matches(received, w.uri, w.options)) w.resolve(params);
        else still.push(w);
      }
      this.waiters = still;
    });
    connection.listen();
  }

  /** Spawn the bundled server and connect (not yet initialized). */
  static spawn(options: StartOptions = {}): LspTestClient {
    requireBundles();
    const args = options.entry === 'server' ? [SERVER_BUNDLE, '--stdio'] : [CLI_BUNDLE, 'serve', '--stdio'];
    const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    return new LspTestClient(child, connection, options);
  }

  /** Spawn, initialize and send `initialized`. */
  static async start(options: StartOptions = {}): Promise<{ client: LspTestClient; result: InitializeResult }> {
    const client = LspTestClient.spawn(options);
    try {
      const result = await client.initialize();
      return { client, result };
    } catch (error) {
      client.kill();
      throw error;
    }
  }

  async initialize(): Promise<InitializeResult> {
    const o = this.options;
    const capabilities: ClientCapabilities = {
      workspace: {
        configuration: o.configuration ?? true,
        didChangeConfiguration: { dynamicRegistration: true },
        didChangeWatchedFiles: { dynamicRegistration: o.watchedFilesRegistration ?? true },
        workspaceFolders: true,
        workspaceEdit: { documentChanges: true, resourceOperations: o.capabilities?.createFiles === false ? [] : ['create'] },
      },
      textDocument: {
        synchronization: { dynamicRegistration: false, didSave: false },
        publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: { dataSupport: true, isPreferredSupport: true },
      },
    };
    const folders = (o.workspaceFolders ?? []).map((p, i) => ({ uri: fileUri(p), name: `folder${i}` }));
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders.length > 0 ? folders : null,
      capabilities,
      initializationOptions: { debounceMs: 20, ...(o.initializationOptions ?? {}) },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  /** Replace the whole text (full sync). */
  change(uri: string, text: string, version: number): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
  }

  /** Incremental edits (ranges in the previous text), as editors send keystrokes. */
  edit(uri: string, version: number, changes: { range: Range; text: string }[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Tell the server the configuration changed (pull model: settings null). */
  configurationChanged(): Promise<void> {
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  filesChanged(changes: { uri: string; type: FileChangeType }[]): Promise<void> {
    return this.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes });
  }

  codeActions(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(Command | CodeAction)[] | null> {
    return this.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics } });
  }

  /** A point in the stream of publishes: `waitForDiagnostics({after})` ignores what came before. */
  mark(): number {
    return this.seq;
  }

  /** Every publish received for a URI so far, oldest first. */
  publishedFor(uri: string): PublishDiagnosticsParams[] {
    return this.published.filter((r) => r.params.uri === uri).map((r) => r.params);
  }

  /** The first publish (already received or coming) for `uri` that matches the options. */
  waitForDiagnostics(uri: string, options: WaitOptions = {}): Promise<PublishDiagnosticsParams> {
    const hit = this.published.find((r) => matches(r, uri, options));
    if (hit) return Promise.resolve(hit.params);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        uri,
        options,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.publishedFor(uri).map((p) => `v${p.version ?? '-'}: ${p.diagnostics.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`).join(', ') || '(none)'}`);
        reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; received: ${seen.join(' | ') || 'nothing'}; server log: ${this.logs.join(' / ')}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Wait until the server has logged a message matching `pattern`. */
  async waitForLog(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.logs.find((l) => pattern.test(l));
      if (hit !== undefined) return hit;
      if (Date.now() > deadline) throw new Error(`no log message matching ${pattern} within ${timeoutMs} ms; log: ${this.logs.join(' / ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** shutdown + exit; kill the process when it does not exit in time. Returns its exit code. */
  async shutdown(timeoutMs = 5000): Promise<number | null | undefined> {
    if (this.exitCode !== undefined) return this.exitCode;
    const timedOut = Symbol('timeout');
    const deadline = (ms: number) => new Promise<typeof timedOut>((resolve) => setTimeout(() => resolve(timedOut), ms).unref());
    try {
      const answer = await Promise.race([this.connection.sendRequest(ShutdownRequest.type), deadline(timeoutMs)]);
      if (answer !== timedOut) await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // The process may already be gone; it is killed below if not.
    }
    const exited = await Promise.race([this.exited.then(() => true), deadline(timeoutMs).then(() => false)]);
    if (!exited) this.kill();
    this.connection.dispose();
    return this.exitCode;
  }

  /** Wait for the process to end by itself; its exit code, or 'running' after `timeoutMs`. */
  async waitForExit(timeoutMs = 5000): Promise<number | null | 'running'> {
    if (this.exitCode !== undefined) return this.exitCode;
    const timedOut = new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), timeoutMs).unref());
    return Promise.race([this.exited.then(() => this.exitCode ?? null), timedOut]);
  }

  kill(): void {
    if (this.exitCode === undefined) this.process.kill('SIGKILL');
    this.connection.dispose();
  }

  get hasExited(): boolean {
    return this.exitCode !== undefined;
  }
}

function matches(r: Received, uri: string, o: WaitOptions): boolean {
  if (r.params.uri !== uri) return false;
  if (o.after !== undefined && r.seq <= o.after) return false;
  if (o.version !== undefined && r.params.version !== o.version) return false;
  if (o.where && !o.where(r.params.diagnostics)) return false;
  return true;
}

/** The diagnostics with a code, in order. */
export function withCode(diagnostics: Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}
