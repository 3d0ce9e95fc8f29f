// Findings are built here so that every rule gets the catalog's default severity and the same
// shape of fixes (edits carry absolute file paths), and so that no message, related message or
// fix title carries a run that looks like key material, whatever a rule quoted (quote.ts).
import { catalogEntry } from '../catalog';
import type { Finding, FixData, Range, RelatedLocation, Severity, TextEditData } from '../types';
import type { ParseProblem } from '../kamailio/model';
import { elideSecretLooking } from '../quote';

export interface ReportOptions {
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: FixData[];
}

export class Reporter {
  readonly findings: Finding[] = [];
  /**
   * What a rule is looking at, when it says so (`checking`): a rule that throws is reported
   * there instead of at the deployment's first line.
   */
  checking: { file: string; range: Range } | undefined;

  /** Marks the place a rule checks now (see `checking`). */
  at(file: string, range: Range): void {
    this.checking = { file, range };
  }

  add(code: string, file: string, range: Range, message: string, options: ReportOptions = {}): void {
    const entry = catalogEntry(code);
    const finding: Finding = { file, range, code, severity: options.severity ?? entry.severity, message: elideSecretLooking(message) };
    if (options.related && options.related.length > 0) finding.related = options.related.map((r) => ({ ...r, message: elideSecretLooking(r.message) }));
    if (options.fixes && options.fixes.length > 0) finding.fixes = options.fixes.map((f) => ({ ...f, title: elideSecretLooking(f.title) }));
    this.findings.push(finding);
  }

  /** A parser's problem, with its file-less fixes anchored to `file`. */
  addProblem(file: string, problem: ParseProblem): void {
    this.add(problem.code, file, problem.range, problem.message, {
      ...(problem.fixes ? { fixes: problem.fixes.map((f) => fix(f.title, f.edits.map((e) => edit(file, e.range, e.newText)), f.isPreferred)) } : {}),
      ...(problem.related ? { related: problem.related.map((r) => ({ file, range: r.range, message: r.message })) } : {}),
    });
  }
}

export function edit(file: string, range: Range, newText: string): TextEditData {
  return { file, range, newText };
}

export function fix(title: string, edits: TextEditData[], isPreferred = false): FixData {
  return isPreferred ? { title, isPreferred, edits } : { title, edits };
}

/** An empty range at the start of a line (for inserting whole lines). */
export function lineStart(line: number): Range {
  return { start: { line, character: 0 }, end: { line, character: 0 } };
}

/** The range of whole lines [line, line+1) — deleting it removes the line and its newline. */
export function wholeLine(line: number): Range {
  return { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
}
