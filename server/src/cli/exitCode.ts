// The exit code of `sip-tls check`, as CI systems read it: 0 clean, 1 findings at or above the
// failing level (or more warnings than --max-warnings allows, as eslint counts them: every
// warning, shown or not), 2 nothing to check — which is a usage error, not a pass: a mistyped
// folder or a README.md named by mistake must not turn a pipeline green.
import type { Finding, Severity } from '../core/types';
import type { FailLevel } from './args';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

export interface Verdict {
  code: number;
  /** Why the check failed when no finding at the failing level says it (for stderr). */
  reason?: string;
}

export function checkVerdict(findings: readonly Finding[], failOn: FailLevel, maxWarnings: number | undefined): Verdict {
  if (findings.some((f) => RANK[f.severity] >= RANK[failOn])) return { code: EXIT_FINDINGS };
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  if (maxWarnings !== undefined && warnings > maxWarnings) {
    return { code: EXIT_FINDINGS, reason: `too many warnings: ${warnings}, --max-warnings allows ${maxWarnings}` };
  }
  return { code: EXIT_OK };
}
