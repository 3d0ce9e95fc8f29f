// `--format github`: GitHub Actions workflow commands, one annotation per finding, shown on the
// pull request's diff and in the job summary without any upload step.
//
// The escaping is @actions/core's (actions/toolkit packages/core/src/command.ts, escapeData and
// escapeProperty): the runner splits commands on line ends and properties on ',' and ':', so a
// message holding "\n::add-mask::x" or a path holding ',' cannot start a second command or a
// forged property. '%' is escaped first so that an escape in the text is not decoded.
import type { Finding } from '../core/types';
import { ciPath } from './ciPaths';

type Command = 'error' | 'warning' | 'notice';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * Line separators other than \r and \n are not line ends for the runner, but a log viewer may
 * break on them; they are written as the visible escape the rest of the CLI uses.
 */
function oneLine(text: string): string {
  return text.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function commandOf(f: Finding): Command {
  return f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
}

export function githubAnnotation(f: Finding, cwd: string): string {
  // GitHub's lines and columns are 1-based and its end column is inclusive (the core's end is
  // exclusive and 0-based: the same number); columns are only meaningful on one line.
  const props: [string, string][] = [
    ['file', ciPath(f.file, cwd)],
    ['line', String(f.range.start.line + 1)],
    ['endLine', String(f.range.end.line + 1)],
  ];
  if (f.range.start.line === f.range.end.line) {
    props.push(['col', String(f.range.start.character + 1)], ['endColumn', String(Math.max(f.range.end.character, f.range.start.character + 1))]);
  }
  props.push(['title', `sip-tls ${f.code}`]);
  const properties = props.map(([k, v]) => `${k}=${escapeProperty(oneLine(v))}`).join(',');
  return `::${commandOf(f)} ${properties}::${escapeData(oneLine(f.message))}`;
}

export function formatGithub(findings: readonly Finding[], cwd: string): string {
  return findings.map((f) => githubAnnotation(f, cwd) + '\n').join('');
}
