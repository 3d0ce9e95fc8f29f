// `--format text`: one line per finding, `file:line:col severity code message` (1-based line and
// column), then a summary line. Colour only on a terminal, and never with NO_COLOR set.
import * as path from 'node:path';
import type { Finding, Severity } from '../core/types';
import { visibleControls } from '../core/util/visible';

export interface TextStyle {
  color: boolean;
}

const SGR: Record<Severity, string> = { error: '31;1', warning: '33;1', information: '36', hint: '2' };

function paint(text: string, code: string, style: TextStyle): string {
  return style.color ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/** A path relative to the current directory when it is inside it, else as is. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function formatText(files: string[], findings: Finding[], cwd: string, style: TextStyle, skipped: readonly { file: string }[] = []): string {
  const lines: string[] = [];
  for (const f of findings) {
    // File names and messages (which quote file content) are made visible before any colour is added.
    const where = `${visibleControls(displayPath(f.file, cwd))}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
    const message = visibleControls(f.message.replace(/\s*\r?\n\s*/g, ' '));
    lines.push(`${paint(where, '1', style)} ${paint(f.severity, SGR[f.severity], style)} ${paint(f.code, '2', style)} ${message}`);
  }
  const counts = countBySeverity(findings);
  const notRead = skipped.length > 0 ? `; ${plural(skipped.length, 'file')} found but not checked (Kamailio never reads ${skipped.length === 1 ? 'it' : 'them'}; --format json says why)` : '';
  const summary = `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')} in ${plural(files.length, 'file')}${notRead}`;
  lines.push(paint(summary, counts.error > 0 ? SGR.error : counts.warning > 0 ? SGR.warning : '32', style));
  return lines.join('\n') + '\n';
}

/** Colour when the stream is a terminal, unless NO_COLOR is set to something (no-color.org). */
export function wantsColor(isTTY: boolean | undefined, env: Record<string, string | undefined>): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return isTTY === true;
}
