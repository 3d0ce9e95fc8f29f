// The language server over an LSP connection: capabilities, handlers, registrations. Every
// handler is guarded: an exception is logged and answered with a neutral result, never fatal.
// Every message passes the lifecycle gate first (lifecycle.ts): nothing runs before
// `initialize`, after `shutdown`, or on a second `initialize`.
// The same function runs behind `dist/server.js` and `sip-tls serve`.
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  ResourceOperationKind,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
  type ClientCapabilities,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { NodeHost } from '../core/nodeHost';
import { ignoreActionsFor } from './suppressActions';
import { codeActionsFor, type EditCapabilities } from './codeActions';
import { FILE_REPORT, FULLCHAIN, REPORT_AT, fileReportRequest, fullchainRequest, reportAtRequest, type FileParams, type ReportAtParams } from './commands';
import * as editor from './features';
import { readInitOptions } from './initOptions';
import type { Logger } from './log';
import { PRODUCT_NAME, PRODUCT_VERSION } from './productInfo';
import { LanguageSession, describeError } from './session';
import { GatedMessageReader, LifecycleGate } from './lifecycle';
import { openTransport } from './transport';
import { SETTINGS_SECTION } from './settings';
import { WATCHED_FILES_GLOB } from './watchedFiles';
import { visibleLines } from '../core/util/visible';
import { join } from 'node:path';
import { registerTestHooks } from './testHooks';

/** The check worker's bundle, next to the bundle this server runs from (dist/server.js, dist/cli.js). */
const CHECK_WORKER_SCRIPT = join(__dirname, 'checkWorker.js');


interface ClientFeatures {
  pullConfiguration: boolean;
  watchedFilesRegistration: boolean;
  configurationRegistration: boolean;
  workspaceFolders: boolean;
  edits: EditCapabilities;
}

function clientFeatures(caps: ClientCapabilities): ClientFeatures {
  const ws = caps.workspace;
  const resourceOps = ws?.workspaceEdit?.resourceOperations ?? [];
  return {
    pullConfiguration: ws?.configuration === true,
    watchedFilesRegistration: ws?.didChangeWatchedFiles?.dynamicRegistration === true,
    configurationRegistration: ws?.didChangeConfiguration?.dynamicRegistration === true,
    workspaceFolders: ws?.workspaceFolders === true,
    edits: { createFiles: ws?.workspaceEdit?.documentChanges === true && resourceOps.includes(ResourceOperationKind.Create), commands: [] },
  };
}

/**
 * Start the server on the transport named on the command line (--stdio, --node-ipc,
 * --socket=N, --pipe=NAME). Throws when none is given.
 */
export function startServer(argv: readonly string[] = process.argv.slice(2)): void {
  const transport = openTransport(argv);
  const gate = new LifecycleGate();
  const reader = new GatedMessageReader(transport.reader, transport.writer, gate, (message, response) => {
    const method = 'method' in message ? String(message.method) : '?';
    log.warn(`rejected '${method.slice(0, 80)}': ${response.error?.message ?? ''}`);
  });
  const connection = createConnection(ProposedFeatures.all, reader, transport.writer);
  // Messages name files and quote errors: an editor may show its log in a terminal (Neovim's
  // :LspLog, a log file), so no control or bidi character goes there raw.
  const log: Logger = {
    info: (m) => connection.console.info(visibleLines(m)),
    warn: (m) => connection.console.warn(visibleLines(m)),
    error: (m) => connection.console.error(visibleLines(m)),
  };
  // With stdio, stdout is the protocol: a stray console.log would corrupt it (the library does the
  // same when it picks the transport itself).
  if (transport.stdio) {
    console.log = (...a: unknown[]) => log.info(a.map(String).join(' '));
    console.info = console.log;
    console.warn = (...a: unknown[]) => log.warn(a.map(String).join(' '));
    console.error = (...a: unknown[]) => log.error(a.map(String).join(' '));
  }
  // The transport ended: nothing more can arrive. Exit code as for `exit` (0 only after shutdown).
  reader.onClose(() => process.exit(gate.phase === 'shut-down' ? 0 : 1));
  const commandHost = new NodeHost();
  const guard = <A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return fn(...args);
      } catch (error) {
        log.error(`${name} failed: ${describeError(error)}`);
        return fallback;
      }
    };

  process.on('uncaughtException', (error) => log.error(`uncaught exception: ${describeError(error)}`));
  process.on('unhandledRejection', (error) => log.error(`unhandled rejection: ${describeError(error)}`));

  const documents = new TextDocuments(TextDocument);
  let session: LanguageSession | undefined;
  let features: ClientFeatures | undefined;

  connection.onInitialize(
    guard('initialize', { capabilities: {} } as InitializeResult, (params: InitializeParams): InitializeResult => {
      const options = readInitOptions(params.initializationOptions);
      features = clientFeatures(params.capabilities);
      features.edits.commands = options.commands;
      session = new LanguageSession(
        // git runs (to find committed private keys) only in a trusted workspace: a repository's
        // own git configuration can make git run other programs.
        new NodeHost(undefined, { runGit: options.trusted }),
        {
          debounceMs: options.debounceMs,
          trusted: options.trusted,
          ...(features.pullConfiguration
            ? {
                pullConfiguration: (scopeUris: string[]) =>
                  connection.workspace.getConfiguration(scopeUris.map((scopeUri) => ({ scopeUri, section: SETTINGS_SECTION }))),
              }
            : {}),
          initialSettings: options.settings,
          workerScript: CHECK_WORKER_SCRIPT,
          checkBudgetMs: options.checkBudgetMs,
        },
        (uri, version, diagnostics) => void connection.sendDiagnostics({ uri, ...(version !== undefined ? { version } : {}), diagnostics }),
        log,
      );
      const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
      session.setWorkspaceFolders(folders);
      if (!options.trusted) log.info('untrusted workspace: sip-tls only reads files (no programs, no network)');
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
          hoverProvider: true,
          definitionProvider: true,
          documentLinkProvider: { resolveProvider: false },
          documentSymbolProvider: true,
          foldingRangeProvider: true,
          completionProvider: { triggerCharacters: ['[', '=', ' ', '/', '"', ':'] },
          workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
        },
        serverInfo: { name: PRODUCT_NAME, version: PRODUCT_VERSION },
      };
    }),
  );

  connection.onInitialized(
    guard('initialized', undefined, () => {
      if (!session || !features) return;
      const s = session;
      if (features.watchedFilesRegistration) {
        connection.client
          .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED_FILES_GLOB }] })
          .catch((error: unknown) => log.warn(`could not register file watchers: ${describeError(error)}`));
      }
      if (features.configurationRegistration) {
        connection.client
          .register(DidChangeConfigurationNotification.type, { section: SETTINGS_SECTION })
          .catch((error: unknown) => log.warn(`could not register for configuration changes: ${describeError(error)}`));
      }
      if (features.workspaceFolders) {
        connection.workspace.onDidChangeWorkspaceFolders(
          guard('didChangeWorkspaceFolders', undefined, (event) => s.workspaceFoldersChanged(event.added, event.removed)),
        );
      }
      s.scanFolders();
      s.scheduleCheck();
    }),
  );

  documents.onDidChangeContent(guard('didChange', undefined, (event) => session?.documentChanged(event.document)));
  documents.onDidClose(guard('didClose', undefined, (event) => session?.documentClosed(event.document.uri)));

  connection.onDidChangeConfiguration(
    guard('didChangeConfiguration', undefined, (params) => {
      const raw: unknown = params.settings;
      const section = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[SETTINGS_SECTION] : undefined;
      session?.configurationChanged(section);
    }),
  );

  connection.onDidChangeWatchedFiles(guard('didChangeWatchedFiles', undefined, (params) => session?.watchedFilesChanged(params.changes)));

  connection.onCodeAction(
    guard('codeAction', null, (params) => {
      if (!session || !features || !session.documents.get(params.textDocument.uri)) return null;
      const doc = documents.get(params.textDocument.uri);
      const lineText = (line: number) => doc?.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
      return [...codeActionsFor(params, features.edits, session.publishedFor(params.textDocument.uri)), ...ignoreActionsFor(params, lineText)];
    }),
  );

  const withSession = <P extends { textDocument: { uri: string } }, R>(name: string, fn: (s: LanguageSession, params: P) => R | null) =>
    guard(name, null, (params: P): R | null => (session && session.documents.get(params.textDocument.uri) ? fn(session, params) : null));
  connection.onHover(withSession('hover', (s, p) => editor.hover(s, p.textDocument.uri, p.position)));
  connection.onDefinition(withSession('definition', (s, p) => editor.definition(s, p.textDocument.uri, p.position)));
  connection.onDocumentLinks(withSession('documentLink', (s, p) => editor.links(s, p.textDocument.uri)));
  connection.onDocumentSymbol(withSession('documentSymbol', (s, p) => editor.symbols(s, p.textDocument.uri)));
  connection.onFoldingRanges(withSession('foldingRange', (s, p) => editor.folding(s, p.textDocument.uri)));
  connection.onCompletion(withSession('completion', (s, p) => editor.completion(s, p.textDocument.uri, p.position)));

  // The editor commands (see commands.ts).
  connection.onRequest(REPORT_AT, guard(REPORT_AT, null, (params: ReportAtParams) => (session ? reportAtRequest(session, params) : null)));
  connection.onRequest(FILE_REPORT, guard(FILE_REPORT, null, (params: FileParams) => (session ? fileReportRequest(session, commandHost, params) : null)));
  connection.onRequest(FULLCHAIN, guard(FULLCHAIN, null, (params: FileParams) => (session ? fullchainRequest(session, commandHost, params) : null)));

  if (process.env['SIP_TLS_TEST_HOOKS'] === '1') registerTestHooks(connection, () => session);

  connection.onShutdown(guard('shutdown', undefined, () => session?.dispose()));

  documents.listen(connection);
  connection.listen();
}
