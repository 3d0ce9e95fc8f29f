// "Probe a SIP TLS server": a handshake like `openssl s_client -connect … -servername …
// -showcerts`, optionally with a client certificate and a SIP OPTIONS, run in the extension host
// only when the user asks, and never in an untrusted workspace (it opens a network connection).
import * as vscode from 'vscode';
import { formatProbeMarkdown, probeTarget } from '../../server/src/core/probe';

async function pickPem(title: string): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: { PEM: ['pem', 'crt', 'cer', 'key'], 'All files': ['*'] } });
  return picked?.[0]?.fsPath;
}

export async function probeServer(): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('SIP-TLS: probing opens a network connection, which is disabled in an untrusted workspace. Trust the workspace to use it.');
    return;
  }
  const target = await vscode.window.showInputBox({ title: 'SIP-TLS probe (1/3): server', prompt: 'HOST, HOST:PORT or [IPv6]:PORT (default port 5061)', placeHolder: 'sip.example.com:5061' });
  if (!target) return;
  const servername = await vscode.window.showInputBox({ title: 'SIP-TLS probe (2/3): SNI', prompt: 'Server name to send and check (empty: the host name)', value: '' });
  if (servername === undefined) return;
  const extras = await vscode.window.showQuickPick(
    [
      { label: 'Send a SIP OPTIONS', id: 'options', picked: true },
      { label: 'Trust a CA file (instead of the public roots)…', id: 'ca' },
      { label: 'Present a client certificate (mutual TLS)…', id: 'client' },
    ],
    { title: 'SIP-TLS probe (3/3): options', canPickMany: true },
  );
  if (!extras) return;
  const ids = new Set(extras.map((e) => e.id));
  const caFile = ids.has('ca') ? await pickPem('CA certificate(s) to trust') : undefined;
  const certFile = ids.has('client') ? await pickPem('Client certificate (PEM)') : undefined;
  const keyFile = certFile ? await pickPem('Client private key (PEM)') : undefined;
  const report = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `SIP-TLS: probing ${target}…`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return probeTarget(
        target,
        {
          ...(servername ? { servername } : {}),
          ...(caFile ? { caFile } : {}),
          ...(certFile && keyFile ? { certFile, keyFile } : {}),
          sipOptions: ids.has('options'),
        },
        abort.signal,
      );
    },
  );
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: formatProbeMarkdown(report).value });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}
