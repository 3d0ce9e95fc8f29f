// Core findings → LSP diagnostics. The fix data travels in Diagnostic.data, already in URIs, so
// that a code action is built from the diagnostic alone.
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation, type Range } from 'vscode-languageserver';
import type { Finding, FixData, Severity } from '../core/types';

export const DIAGNOSTIC_SOURCE = 'sip-tls';

/** An editor shows at most this many diagnostics per document (errors first). */
export const MAX_DIAGNOSTICS_PER_DOCUMENT = 1000;

export interface FixEditData {
  uri: string;
  range: Range;
  newText: string;
}

export interface FixCreateFileData {
  uri: string;
  content: string;
}

export interface FixDataForEditor {
  title: string;
  isPreferred?: boolean;
  createFiles?: FixCreateFileData[];
  edits: FixEditData[];
}

/** What Diagnostic.data holds for a finding with fixes. */
export interface DiagnosticFixData {
  fixes: FixDataForEditor[];
}

export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    case 'information':
      return DiagnosticSeverity.Information;
    case 'hint':
      return DiagnosticSeverity.Hint;
  }
}

function fixForEditor(fix: FixData, uriFor: (path: string) => string): FixDataForEditor {
  const out: FixDataForEditor = {
    title: fix.title,
    edits: fix.edits.map((e) => ({ uri: uriFor(e.file), range: e.range, newText: e.newText })),
  };
  if (fix.isPreferred) out.isPreferred = true;
  if (fix.createFiles && fix.createFiles.length > 0) {
    out.createFiles = fix.createFiles.map((c) => ({ uri: uriFor(c.file), content: c.content }));
  }
  return out;
}

export function toDiagnostic(finding: Finding, uriFor: (path: string) => string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: finding.range,
    severity: toLspSeverity(finding.severity),
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map(
      (r): DiagnosticRelatedInformation => ({ location: { uri: uriFor(r.file), range: r.range }, message: r.message }),
    );
  }
  if (finding.fixes && finding.fixes.length > 0) {
    const data: DiagnosticFixData = { fixes: finding.fixes.map((f) => fixForEditor(f, uriFor)) };
    diagnostic.data = data;
  }
  return diagnostic;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/**
 * The diagnostics of one document, in position order. Past the cap the most severe are kept, so
 * a pathological file (thousands of repeated lines) cannot flood the editor.
 */
export function diagnosticsForDocument(findings: Finding[], uriFor: (path: string) => string): { diagnostics: Diagnostic[]; dropped: number } {
  let kept = findings;
  if (findings.length > MAX_DIAGNOSTICS_PER_DOCUMENT) {
    const ranked = findings.map((f, i) => ({ f, i }));
    ranked.sort((a, b) => SEVERITY_RANK[a.f.severity] - SEVERITY_RANK[b.f.severity] || a.i - b.i);
    kept = ranked.slice(0, MAX_DIAGNOSTICS_PER_DOCUMENT).sort((a, b) => a.i - b.i).map((x) => x.f);
  }
  return { diagnostics: kept.map((f) => toDiagnostic(f, uriFor)), dropped: findings.length - kept.length };
}

function isRange(value: unknown): value is Range {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as { start?: { line?: unknown; character?: unknown }; end?: { line?: unknown; character?: unknown } };
  return (
    typeof r.start?.line === 'number' &&
    typeof r.start.character === 'number' &&
    typeof r.end?.line === 'number' &&
    typeof r.end.character === 'number'
  );
}

/** Read fix data back from a diagnostic the client sent (it is untrusted JSON). */
export function fixDataOf(diagnostic: Diagnostic): FixDataForEditor[] {
  const data: unknown = diagnostic.data;
  if (typeof data !== 'object' || data === null) return [];
  const fixes = (data as { fixes?: unknown }).fixes;
  if (!Array.isArray(fixes)) return [];
  const out: FixDataForEditor[] = [];
  for (const candidate of fixes) {
    if (typeof candidate !== 'object' || candidate === null) continue;
    const fix = candidate as { title?: unknown; isPreferred?: unknown; edits?: unknown; createFiles?: unknown };
    if (typeof fix.title !== 'string' || !Array.isArray(fix.edits)) continue;
    const edits: FixEditData[] = [];
    let valid = true;
    for (const e of fix.edits as unknown[]) {
      const edit = e as { uri?: unknown; range?: unknown; newText?: unknown } | null;
      if (edit && typeof edit.uri === 'string' && isRange(edit.range) && typeof edit.newText === 'string') {
        edits.push({ uri: edit.uri, range: edit.range, newText: edit.newText });
      } else valid = false;
    }
    const createFiles: FixCreateFileData[] = [];
    if (Array.isArray(fix.createFiles)) {
      for (const c of fix.createFiles as unknown[]) {
        const create = c as { uri?: unknown; content?: unknown } | null;
        if (create && typeof create.uri === 'string' && typeof create.content === 'string') {
          createFiles.push({ uri: create.uri, content: create.content });
        } else valid = false;
      }
    }
    if (!valid) continue;
    const parsed: FixDataForEditor = { title: fix.title, edits };
    if (fix.isPreferred === true) parsed.isPreferred = true;
    if (createFiles.length > 0) parsed.createFiles = createFiles;
    out.push(parsed);
  }
  return out;
}
