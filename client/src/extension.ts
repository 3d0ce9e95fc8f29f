// The VS Code extension: starts the sip-tls language server, restarts it when workspace trust is
// granted, and registers the palette commands (commands.ts, probeCommand.ts). Checking, hovers
// and fixes live in the server.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createFullchain, generateLab, showCertificateReport } from './commands';
import { probeServer } from './probeCommand';
import { CLIENT_NAME, WATCHED_FILES_GLOB, createLanguageClient } from './languageClient';
import { notificationText } from './notificationText';

let controller: ServerController | undefined;

/** Starts, stops and restarts the client one operation at a time. */
class ServerController {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly watcher: vscode.FileSystemWatcher,
  ) {}

  /** The running client, for the commands that ask the server. */
  get current(): LanguageClient | undefined {
    return this.client;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startNow());
  }

  stop(): Promise<void> {
    return this.enqueue(() => this.stopNow());
  }

  restart(): Promise<void> {
    return this.enqueue(async () => {
      await this.stopNow();
      await this.startNow();
    });
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(step).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.output.appendLine(`[client] ${message}`);
      void vscode.window.showErrorMessage(notificationText(`${CLIENT_NAME}: ${message}`));
    });
    return this.queue;
  }

  private async startNow(): Promise<void> {
    if (this.client) return;
    const client = createLanguageClient(this.context, this.output, this.watcher);
    this.client = client;
    await client.start();
  }

  private async stopNow(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.dispose();
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel(CLIENT_NAME);
  const watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES_GLOB);
  const server = new ServerController(context, output, watcher);
  controller = server;
  context.subscriptions.push(
    output,
    watcher,
    vscode.commands.registerCommand('sipTls.restartServer', () => server.restart()),
    vscode.commands.registerCommand('sipTls.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('sipTls.showCertificateReport', (arg: unknown) => showCertificateReport(server.current, arg)),
    vscode.commands.registerCommand('sipTls.createFullchain', (arg: unknown) => createFullchain(server.current, arg)),
    vscode.commands.registerCommand('sipTls.generateLabPki', () => generateLab()),
    vscode.commands.registerCommand('sipTls.probe', () => probeServer()),
    // The server reads files only while the workspace is untrusted; tell it as soon as that changes.
    vscode.workspace.onDidGrantWorkspaceTrust(() => server.restart()),
  );
  await server.start();
}

export async function deactivate(): Promise<void> {
  const server = controller;
  controller = undefined;
  if (server) await server.stop();
}
