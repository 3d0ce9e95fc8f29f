// Findings for what sip-tls did not check: a budget against hostile input was crossed, or one
// step failed. Both name where they stopped, so nothing is silently left out.
import type { Finding, Range } from './types';
import { catalogEntry } from './catalog';
import { excerpt } from './quote';

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function checkLimitFinding(file: string, message: string, range: Range = START): Finding {
  return { file, range, code: 'project.check-limit', severity: catalogEntry('project.check-limit').severity, message };
}

export function internalErrorFinding(file: string, message: string, range: Range = START): Finding {
  return { file, range, code: 'project.internal-error', severity: catalogEntry('project.internal-error').severity, message };
}

/** An error as a finding may show it: its kind and message, bounded and escaped, no stack. */
export function failureSummary(error: unknown): string {
  if (error instanceof Error) return `${excerpt(error.name, 40)}: ${excerpt(error.message, 160)}`;
  return excerpt(String(error), 160);
}
