// `--format text`: the findings grouped per file, each as `file:line:col severity code message`
// (1-based line and column) followed by its source line with the range underlined, then a
// summary with the count per severity and the files checked. Colour only on a terminal, never
// with NO_COLOR set, and as --color/--no-color say.
import * as path from 'node:path';
import type { Finding, Severity } from '../core/types';
import { visibleControls } from '../core/util/visible';
import type { ShownSource } from './sourceExcerpt';

export interface TextStyle {
  color: boolean;
  /** `--quiet`: only error findings are listed (the summary still counts every severity). */
  quiet?: boolean;
  /** The lines of a file that may be shown under its findings; without it no source is shown. */
  source?: (file: string) => ShownSource | undefined;
  /** A file's name as shown (default: relative to the current directory when inside it). */
  name?: (file: string) => string;
  /** Findings `# sip-tls: ignore` comments suppressed: counted in the summary, not listed. */
  suppressed?: number;
}

const SGR: Record<Severity, string> = { error: '31;1', warning: '33;1', information: '36', hint: '2' };
const GUTTER = '34';
/** Files named in the summary; beyond them only their number is given. */
const SUMMARY_FILES = 8;

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

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export function formatText(files: string[], findings: Finding[], cwd: string, style: TextStyle, skipped: readonly { file: string }[] = []): string {
  // File names and messages (which quote file content) are made visible before any colour is added.
  const name = (file: string): string => visibleControls(style.name ? style.name(file) : displayPath(file, cwd));
  const shown = style.quiet ? findings.filter((f) => f.severity === 'error') : findings;
  const lines: string[] = [];
  for (const group of groupByFile(shown)) {
    const source = style.source?.(group[0]!.file);
    const gutter = String(Math.max(...group.map((f) => f.range.start.line + 1))).length;
    for (const f of group) {
      const where = `${name(f.file)}:${f.range.start.line + 1}:${f.range.start.character + 1}`;
      const message = visibleControls(f.message.replace(/\s*\r?\n\s*/g, ' '));
      lines.push(`${paint(where, '1', style)} ${paint(f.severity, SGR[f.severity], style)} ${paint(f.code, '2', style)} ${message}`);
      const excerpt = source?.excerpt(f.range);
      if (!excerpt) continue;
      lines.push(`${paint(`${String(excerpt.line).padStart(gutter)} |`, GUTTER, style)} ${excerpt.text}`);
      if (excerpt.underline === undefined) continue;
      const carets = excerpt.underline.trimStart();
      lines.push(`${paint(`${' '.repeat(gutter)} |`, GUTTER, style)} ${' '.repeat(excerpt.underline.length - carets.length)}${paint(carets, SGR[f.severity], style)}`);
    }
    lines.push('');
  }
  lines.push(paint(summary(files, findings, skipped, name) + (style.suppressed ? `; ${style.suppressed} suppressed by sip-tls: ignore comments` : ''), summaryColour(findings), style));
  return lines.join('\n') + '\n';
}

/** Findings of one file together, files in the order they first appear (the core sorts by file and position). */
function groupByFile(findings: readonly Finding[]): Finding[][] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const g = groups.get(f.file);
    if (g) g.push(f);
    else groups.set(f.file, [f]);
  }
  return [...groups.values()];
}

function summary(files: readonly string[], findings: readonly Finding[], skipped: readonly { file: string }[], name: (file: string) => string): string {
  const counts = countBySeverity(findings);
  const bySeverity = [plural(counts.error, 'error'), plural(counts.warning, 'warning'), `${counts.information} information`];
  if (counts.hint > 0) bySeverity.push(plural(counts.hint, 'hint'));
  const named = files.slice(0, SUMMARY_FILES).map(name);
  if (files.length > SUMMARY_FILES) named.push(`and ${files.length - SUMMARY_FILES} more`);
  const list = files.length > 0 ? `: ${named.join(', ')}` : '';
  const notRead = skipped.length > 0 ? `; ${plural(skipped.length, 'file')} found but not checked (Kamailio never reads ${skipped.length === 1 ? 'it' : 'them'}; --format json says why)` : '';
  return `${bySeverity.join(', ')} in ${plural(files.length, 'file')}${list}${notRead}`;
}

function summaryColour(findings: readonly Finding[]): string {
  const counts = countBySeverity(findings);
  return counts.error > 0 ? SGR.error : counts.warning > 0 ? SGR.warning : '32';
}

/** `--color`/`--no-color` decide; else colour when the stream is a terminal, unless NO_COLOR is set to something (no-color.org). */
export function wantsColor(isTTY: boolean | undefined, env: Record<string, string | undefined>, flag?: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return isTTY === true;
}
