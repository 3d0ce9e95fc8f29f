// `--format gitlab`: a GitLab Code Quality report (`artifacts: reports: codequality:`), the
// subset of the Code Climate issue format GitLab reads: description, check_name, fingerprint,
// severity and location (docs.gitlab.com/ci/testing/code_quality, "Code Quality report format").
import { createHash } from 'node:crypto';
import type { Finding, Severity } from '../core/types';
import { ciPath } from './ciPaths';

export type GitlabSeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

export interface GitlabIssue {
  type: 'issue';
  description: string;
  check_name: string;
  fingerprint: string;
  severity: GitlabSeverity;
  location: { path: string; lines: { begin: number; end: number } };
}

/**
 * An error stops Kamailio or a handshake: 'critical', which GitLab lists first. A warning is
 * 'major'; information and hints are 'info'.
 */
function gitlabSeverity(s: Severity): GitlabSeverity {
  return s === 'error' ? 'critical' : s === 'warning' ? 'major' : 'info';
}

/**
 * GitLab compares the fingerprints of the merge request's report with the target branch's to say
 * what is new and what was fixed. So the fingerprint leaves out what an unrelated edit moves (the
 * line, the checkout's absolute path) and keeps what names the problem: the code, the file relative
 * to the repository and the message with its numbers blanked (messages cite other lines, "set
 * again on line 8", and count days, "expires in 12 days"), plus the ordinal among identical ones
 * so that the same finding at two places gives two issues.
 */
export function gitlabReport(findings: readonly Finding[], cwd: string): GitlabIssue[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const file = ciPath(f.file, cwd);
    const identity = JSON.stringify([f.code, file, f.message.replace(/[0-9]+/g, '#')]);
    const ordinal = seen.get(identity) ?? 0;
    seen.set(identity, ordinal + 1);
    return {
      type: 'issue',
      description: f.message,
      check_name: f.code,
      fingerprint: createHash('sha256').update(`${identity}\0${ordinal}`).digest('hex'),
      severity: gitlabSeverity(f.severity),
      location: { path: file, lines: { begin: f.range.start.line + 1, end: f.range.end.line + 1 } },
    };
  });
}

export function formatGitlab(findings: readonly Finding[], cwd: string): string {
  return JSON.stringify(gitlabReport(findings, cwd), null, 2) + '\n';
}
