// The requests behind the editor commands (custom LSP methods, so that every LSP client can use
// them): the certificate report at the cursor or for a file, and the fullchain file for a
// certificate. They only read files; a new file is written by the client through a WorkspaceEdit
// that never overwrites.
import { FileProbe } from '../core/fileProbe';
import type { Host } from '../core/host';
import { fileReport, fileReportMarkdown } from '../core/features/fileReport';
import { buildFullchain } from '../core/features/fullchain';
import { reportAt } from '../core/features/reportAt';
import type { Position } from '../core/types';
import type { LanguageSession } from './session';
import { isFileUri, pathToUri, uriToPath } from './uris';

export const REPORT_AT = 'sipTls/reportAt';
export const FILE_REPORT = 'sipTls/fileReport';
export const FULLCHAIN = 'sipTls/fullchain';

export interface ReportAtParams {
  textDocument: { uri: string };
  position: Position;
}

export interface FileParams {
  uri: string;
}

export function reportAtRequest(session: LanguageSession, params: ReportAtParams): { uri: string; markdown: string } | null {
  const doc = session.documents.get(params.textDocument.uri);
  if (!doc) return null;
  const deployment = session.deploymentFor(doc.path);
  if (!deployment) return null;
  const r = reportAt(deployment, doc.path, params.position);
  return r ? { uri: pathToUri(r.path), markdown: r.markdown.value } : null;
}

function localPath(uri: string): string | undefined {
  return isFileUri(uri) ? uriToPath(uri) : undefined;
}

export function fileReportRequest(session: LanguageSession, host: Host, params: FileParams): { markdown: string } | null {
  const path = localPath(params.uri);
  if (!path) return null;
  const settings = session.settings.settingsFor(path);
  const report = fileReport(new FileProbe(host), path, { trust: settings.trustAnchors, expiryDays: settings.expiryDays });
  return { markdown: fileReportMarkdown(report).value };
}

export function fullchainRequest(session: LanguageSession, host: Host, params: FileParams) {
  const path = localPath(params.uri);
  if (!path) return { ok: false as const, reason: 'not a file on disk' };
  const settings = session.settings.settingsFor(path);
  const r = buildFullchain(new FileProbe(host), path, settings.trustAnchors);
  if (!r.ok) return r;
  const { suggestedPath, ...rest } = r;
  return { ...rest, suggestedUri: pathToUri(suggestedPath) };
}
