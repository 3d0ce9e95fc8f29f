// The palette commands that replace the openssl cheat-sheet: certificate report, fullchain file,
// lab PKI. Reports come from the language server (custom requests, see server/src/lsp/commands.ts)
// and open as a Markdown preview; files are created through WorkspaceEdits that never overwrite,
// or — for private keys, which must be mode 0600 from the first byte — through the command
// line's output writer (examined with lstat first, all or nothing), replacing an existing entry —
// a dangling symbolic link is one — only after an explicit confirmation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { generateLabPki } from '../../server/src/core/pki/lab';
import { notificationText } from './notificationText';
import { OutputError, commitOutputs, describeOccupant, planOutputs } from '../../server/src/cli/outputFiles';

const REPORT_AT = 'sipTls/reportAt';
const FILE_REPORT = 'sipTls/fileReport';
const FULLCHAIN = 'sipTls/fullchain';

type FullchainAnswer =
  | { ok: true; content: string; suggestedUri: string; certificates: { subject: string; origin: string }[]; complete: boolean; note?: string }
  | { ok: false; reason: string };

const CERT_FILTERS = { 'Certificates and keys': ['pem', 'crt', 'cer', 'cert', 'key', 'p12', 'pfx', 'der'], 'All files': ['*'] };

async function showMarkdown(markdown: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.commands.executeCommand('markdown.showPreview', doc.uri);
}

function isConfigEditor(editor: vscode.TextEditor | undefined): boolean {
  return editor !== undefined && (editor.document.languageId === 'kamailio' || editor.document.languageId === 'kamailio-tls');
}

async function pickFile(title: string): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({ title, canSelectMany: false, filters: CERT_FILTERS });
  return picked?.[0];
}

/** The file a command is about: the explorer selection, the path value under the cursor, the open PEM file, or a picked one. */
async function targetFile(client: LanguageClient, arg: unknown, title: string): Promise<{ uri: vscode.Uri; atCursor?: string } | undefined> {
  if (arg instanceof vscode.Uri) return { uri: arg };
  const editor = vscode.window.activeTextEditor;
  if (editor && isConfigEditor(editor)) {
    const at = await client.sendRequest<{ uri: string; markdown: string } | null>(REPORT_AT, {
      textDocument: { uri: editor.document.uri.toString() },
      position: editor.selection.active,
    });
    if (at) return { uri: vscode.Uri.parse(at.uri), atCursor: at.markdown };
  } else if (editor && editor.document.uri.scheme === 'file' && /\.(pem|crt|cer|cert|key)$/i.test(editor.document.uri.fsPath)) {
    return { uri: editor.document.uri };
  }
  const picked = await pickFile(title);
  return picked ? { uri: picked } : undefined;
}

export async function showCertificateReport(client: LanguageClient | undefined, arg: unknown): Promise<void> {
  if (!client) return void vscode.window.showWarningMessage('SIP-TLS: the language server is not running.');
  const target = await targetFile(client, arg, 'Certificate, key, CA list or CRL to report on');
  if (!target) return;
  if (target.atCursor) return showMarkdown(target.atCursor);
  const answer = await client.sendRequest<{ markdown: string } | null>(FILE_REPORT, { uri: target.uri.toString() });
  if (!answer) return void vscode.window.showWarningMessage(notificationText(`SIP-TLS: ${target.uri.fsPath} is not a file on disk.`));
  await showMarkdown(answer.markdown);
}

export async function createFullchain(client: LanguageClient | undefined, arg: unknown): Promise<void> {
  if (!client) return void vscode.window.showWarningMessage('SIP-TLS: the language server is not running.');
  const target = await targetFile(client, arg, 'Certificate (leaf) to build a fullchain file for');
  if (!target) return;
  const answer = await client.sendRequest<FullchainAnswer>(FULLCHAIN, { uri: target.uri.toString() });
  if (!answer.ok) return void vscode.window.showErrorMessage(notificationText(`SIP-TLS: cannot build a fullchain from ${target.uri.fsPath}: ${answer.reason}.`));
  const newUri = vscode.Uri.parse(answer.suggestedUri);
  const edit = new vscode.WorkspaceEdit();
  edit.createFile(newUri, { overwrite: false, ignoreIfExists: false, contents: new TextEncoder().encode(answer.content) });
  if (!(await vscode.workspace.applyEdit(edit))) return void vscode.window.showErrorMessage(notificationText(`SIP-TLS: could not create ${newUri.fsPath}.`));
  const list = answer.certificates.map((c) => c.subject).join(' → ');
  // The subjects come from the certificates: never a link in the notification.
  const message = notificationText(`SIP-TLS: wrote ${path.basename(newUri.fsPath)} (${list}).${answer.complete ? ' Point certificate = at it.' : ` Incomplete: ${answer.note ?? ''}`}`);
  if (answer.complete) void vscode.window.showInformationMessage(message);
  else void vscode.window.showWarningMessage(message);
  await vscode.window.showTextDocument(newUri, { preview: true });
}

export async function generateLab(): Promise<void> {
  const domains = await vscode.window.showInputBox({
    title: 'SIP-TLS lab PKI (1/3): server names',
    prompt: 'DNS names for the server certificate, separated by spaces or commas',
    value: 'sip.example.com',
    validateInput: (v) => (v.split(/[\s,]+/).filter(Boolean).every((d) => /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(d)) ? undefined : 'Host names only (a wildcard only as the first label)'),
  });
  if (!domains) return;
  const client = await vscode.window.showQuickPick(['No client certificate', 'Also a client certificate (mutual TLS)'], { title: 'SIP-TLS lab PKI (2/3)' });
  if (!client) return;
  const folder = await vscode.window.showOpenDialog({ title: 'SIP-TLS lab PKI (3/3): folder for the files', canSelectFiles: false, canSelectFolders: true, canSelectMany: false });
  const dir = folder?.[0]?.fsPath;
  if (!dir) return;
  const names = domains.split(/[\s,]+/).filter(Boolean);
  const files = generateLabPki({ domains: names, ips: [], days: 825, keyType: 'rsa', ...(client.startsWith('Also') ? { client: `client.${names[0]!.replace(/^\*\./, '')}` } : {}), now: new Date(), deployedDir: dir });
  const outputs = files.map((f) => ({ path: path.join(dir, f.name), content: f.content, secret: f.secret }));
  const plan = planOutputs(outputs, { createFolder: false });
  if (plan.blockers.length > 0) return void vscode.window.showErrorMessage(notificationText(`SIP-TLS: nothing written: ${plan.blockers[0]}.`));
  if (plan.replaces.length > 0) {
    const list = plan.replaces.map((r) => `${path.basename(r.path)}${r.occupant.kind === 'file' ? '' : ` (${describeOccupant(r.occupant)})`}`).join(', ');
    const answer = await vscode.window.showWarningMessage(notificationText(`SIP-TLS: ${plan.replaces.length} file(s) exist in ${dir}: ${list}. Replace them?`), { modal: true }, 'Replace');
    if (answer !== 'Replace') return;
  }
  try {
    // Examined again: the folder may have changed while the prompt was open.
    const fresh = planOutputs(outputs, { createFolder: false });
    const confirmed = new Set(plan.replaces.map((r) => r.path));
    const unconfirmed = fresh.replaces.find((r) => !confirmed.has(r.path));
    if (unconfirmed) throw new OutputError(`${unconfirmed.path} appeared meanwhile; not replaced`);
    commitOutputs(fresh, fresh.replaces.length > 0);
  } catch (error) {
    return void vscode.window.showErrorMessage(`SIP-TLS: nothing written: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const example = vscode.Uri.file(path.join(dir, 'tls.cfg.example'));
  void vscode.window.showInformationMessage(notificationText(`SIP-TLS: lab PKI written to ${dir} (keys mode 0600). Copy the profiles of tls.cfg.example into your tls.cfg.`));
  await vscode.window.showTextDocument(example, { preview: true });
}
