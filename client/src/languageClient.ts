// How the VS Code client starts the bundled language server (dist/server.js over IPC) and which
// documents and file events it hands to it.
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';

/** The client id: VS Code reads `sipTls.trace.server` for it. */
export const CLIENT_ID = 'sipTls';
export const CLIENT_NAME = 'SIP-TLS';

const LANGUAGES = ['kamailio', 'kamailio-tls'];
const SCHEMES = ['file', 'untitled'];
export { WATCHED_FILES_GLOB } from '../../server/src/lsp/watchedFiles';

export function createLanguageClient(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
  watcher: vscode.FileSystemWatcher,
): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: SCHEMES.flatMap((scheme) => LANGUAGES.map((language) => ({ scheme, language }))),
    synchronize: { fileEvents: watcher },
    outputChannel: output,
    // Hovers show certificate subjects and file names from the repository: never trusted Markdown
    // (command: links would run) and no HTML. The server escapes that text as well (core/util/markdown.ts).
    markdown: { isTrusted: false, supportHtml: false },
    // Evaluated on every (re)start, so a restart after granting trust tells the server.
    // `commands`: client commands the server may offer as code actions (cert.self-signed → lab PKI).
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted, commands: ['sipTls.generateLabPki'] }),
  };
  return new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
}
