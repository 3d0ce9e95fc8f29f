// `--format json`: the document described in cli.md. Positions are 0-based (LSP), files absolute.
import type { Finding, Range, Severity } from '../core/types';
import type { SuppressedFinding } from '../core/suppressions';

export interface JsonRelated {
  file: string;
  range: Range;
  message: string;
}

export interface JsonDiagnostic {
  file: string;
  range: Range;
  severity: Severity;
  code: string;
  source: 'sip-tls';
  message: string;
  related: JsonRelated[];
  /** Present only when the finding has fixes: tools can apply them without the editor. */
  fixes?: JsonFix[];
}

/** A fix as data: files to create (never over an existing one), then edits; 0-based ranges. */
export interface JsonFix {
  title: string;
  isPreferred: boolean;
  createFiles: { file: string; content: string }[];
  edits: { file: string; range: Range; newText: string }[];
}

export interface JsonReport {
  version: 1;
  files: string[];
  diagnostics: JsonDiagnostic[];
  /** Files found or named that were not checked (Kamailio never reads them, or not a configuration). */
  skipped: { file: string; reason: string }[];
  /** Present when `# sip-tls: ignore` comments suppressed findings: each with the reason given. */
  suppressed?: (JsonDiagnostic & { justification: string })[];
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

function jsonDiagnostic(f: Finding): JsonDiagnostic {
  return {
      file: f.file,
      range: copyRange(f.range),
      severity: f.severity,
      code: f.code,
      source: 'sip-tls',
      message: f.message,
      related: (f.related ?? []).map((r) => ({ file: r.file, range: copyRange(r.range), message: r.message })),
      ...(f.fixes && f.fixes.length > 0
        ? {
            fixes: f.fixes.map((x) => ({
              title: x.title,
              isPreferred: x.isPreferred === true,
              createFiles: (x.createFiles ?? []).map((c) => ({ file: c.file, content: c.content })),
              edits: x.edits.map((e) => ({ file: e.file, range: copyRange(e.range), newText: e.newText })),
            })),
          }
        : {}),
  };
}

export function jsonReport(files: string[], findings: Finding[], skipped: readonly { file: string; reason: string }[] = [], suppressed: readonly SuppressedFinding[] = []): JsonReport {
  const report: JsonReport = {
    version: 1,
    files: [...files],
    diagnostics: findings.map(jsonDiagnostic),
    skipped: skipped.map((s) => ({ file: s.file, reason: s.reason })),
  };
  if (suppressed.length > 0) report.suppressed = suppressed.map((f) => ({ ...jsonDiagnostic(f), justification: f.suppression.justification }));
  return report;
}

export function formatJson(files: string[], findings: Finding[], skipped: readonly { file: string; reason: string }[] = [], suppressed: readonly SuppressedFinding[] = []): string {
  return JSON.stringify(jsonReport(files, findings, skipped, suppressed), null, 2) + '\n';
}
