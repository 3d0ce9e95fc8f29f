// Findings for what sip-tls did not check: a budget against hostile input was crossed, or one
// step failed. Both name where they stopped, so nothing is silently left out.
import type { Finding, Range } from './types';
import { catalogEntry } from './catalog';

const START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export function checkLimitFinding(file: string, message: string, range: Range = START): Finding {
  return { file, range, code: 'project.check-limit', severity: catalogEntry('project.check-limit').severity, message };
}

export function internalErrorFinding(file: string, message: string, range: Range = START): Finding {
  return { file, range, code: 'project.internal-error', severity: catalogEntry('project.internal-error').severity, message };
}
