// Suppression comments: `# sip-tls: ignore CODE[, CODE…] -- reason` on a finding's line (after
// the configuration) or alone on the line above it, and `# sip-tls: ignore-file CODE… -- reason`
// for the whole file. They are read only where Kamailio itself reads a comment (reference §2 for
// tls.cfg: `#` outside a quoted string; §4.1 for kamailio.cfg: `#` or `//` outside strings and
// block comments, `#!`/`!!` being directives), so a `#` inside a quoted value is never one.
// A suppressed finding is kept, with the reason, for reports that list suppressions (SARIF).
import { CATALOG, catalogEntry, isKnownCode } from './catalog';
import type { Finding, Range } from './types';
import { closestMatch } from './util/suggest';

export type CommentLanguage = 'kamailio' | 'tls';

export interface Suppression {
  kind: 'inSource';
  justification: string;
}

export interface SuppressedFinding extends Finding {
  suppression: Suppression;
}

interface Directive {
  file: string;
  /** The line it applies to; -1 for the whole file. */
  target: number;
  codes: { code: string; range: Range }[];
  reason: string;
  range: Range;
  used: Set<string>;
}

/** A comment where Kamailio sees one: its line, the column of its marker, where its text starts. */
export interface LineComment {
  line: number;
  column: number;
  textStart: number;
  text: string;
  /** Nothing but white space before it on its line. */
  ownLine: boolean;
}

export function commentsOf(text: string, language: CommentLanguage): LineComment[] {
  const out: LineComment[] = [];
  const lines = text.split('\n');
  let blockDepth = 0;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/\r$/, '');
    let quote: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (blockDepth > 0) {
        if (c === '*' && line[i + 1] === '/') {
          blockDepth--;
          i++;
        } else if (c === '/' && line[i + 1] === '*') {
          blockDepth++; // Kamailio's block comments nest (reference §4.1)
          i++;
        }
        continue;
      }
      if (quote) {
        if (c === '\\' && language === 'kamailio') i++;
        else if (c === quote) quote = undefined;
        continue;
      }
      if (c === '"' || (c === "'" && language === 'kamailio')) {
        quote = c;
        continue;
      }
      if (language === 'kamailio' && c === '/' && line[i + 1] === '*') {
        blockDepth++;
        i++;
        continue;
      }
      const slashes = language === 'kamailio' && c === '/' && line[i + 1] === '/';
      if (c === '#' || slashes) {
        const start = i + (slashes ? 2 : 1);
        // `#!define`, `#!ifdef`, `!!…`: preprocessor directives, not comments.
        if (c === '#' && line[start] === '!' && language === 'kamailio') break;
        out.push({ line: n, column: i, textStart: start, text: line.slice(start), ownLine: line.slice(0, i).trim() === '' });
        break;
      }
    }
  }
  return out;
}

const DIRECTIVE = /^\s*sip-tls:\s*(ignore-file|ignore)\b(.*)$/;
const CODE = /[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+/y;

function parseDirective(file: string, comment: LineComment, lineCount: number, ownLineAt: Set<number>): Directive | undefined {
  const m = DIRECTIVE.exec(comment.text);
  if (!m) return undefined;
  const body = m[2]!;
  const bodyStart = comment.textStart + comment.text.length - body.length;
  const codes: Directive['codes'] = [];
  let i = 0;
  let reason = '';
  while (i < body.length) {
    const ws = /[\s,]*/y;
    ws.lastIndex = i;
    ws.exec(body);
    i = ws.lastIndex;
    if (body.startsWith('--', i)) {
      reason = body.slice(i + 2).trim();
      break;
    }
    CODE.lastIndex = i;
    const c = CODE.exec(body);
    if (!c) break;
    const at = bodyStart + i;
    codes.push({ code: c[0], range: { start: { line: comment.line, character: at }, end: { line: comment.line, character: at + c[0].length } } });
    i = CODE.lastIndex;
  }
  // Alone on its line, it is about the next line that is not itself such a comment.
  let target = comment.line;
  if (m[1] === 'ignore-file') target = -1;
  else if (comment.ownLine) {
    target = comment.line + 1;
    while (ownLineAt.has(target) && target < lineCount) target++;
  }
  const range = { start: { line: comment.line, character: comment.column }, end: { line: comment.line, character: comment.textStart + comment.text.length } };
  return { file, target, codes, reason, range, used: new Set() };
}

function finding(file: string, range: Range, code: string, message: string): Finding {
  return { file, range, code, severity: catalogEntry(code).severity, message };
}

/**
 * Split `findings` into those shown and those suppressed, and add the suppressions' own findings:
 * without a reason (warning; it still suppresses), naming an unknown code (warning), or suppressing
 * nothing (information). Findings of these codes are never suppressed themselves.
 */
export function applySuppressions(findings: readonly Finding[], languageOf: ReadonlyMap<string, CommentLanguage>, textOf: (file: string) => string | undefined): { shown: Finding[]; suppressed: SuppressedFinding[] } {
  const directives = new Map<string, Directive[]>();
  for (const [file, language] of languageOf) {
    const text = textOf(file);
    if (text === undefined || !text.includes('sip-tls:')) continue;
    const comments = commentsOf(text, language);
    const ownLineAt = new Set(comments.filter((c) => c.ownLine && DIRECTIVE.test(c.text)).map((c) => c.line));
    const lineCount = text.split('\n').length;
    const list = comments.flatMap((c) => parseDirective(file, c, lineCount, ownLineAt) ?? []);
    if (list.length > 0) directives.set(file, list);
  }
  if (directives.size === 0) return { shown: [...findings], suppressed: [] };

  const shown: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const d = f.code.startsWith('suppression.') ? undefined : directives.get(f.file)?.find((x) => (x.target === -1 || x.target === f.range.start.line) && x.codes.some((c) => c.code === f.code));
    if (!d) {
      shown.push(f);
      continue;
    }
    d.used.add(f.code);
    suppressed.push({ ...f, suppression: { kind: 'inSource', justification: d.reason } });
  }
  const codes = CATALOG.map((e) => e.code);
  for (const list of directives.values()) {
    for (const d of list) {
      const where = d.target === -1 ? 'in this file' : d.target === d.range.start.line ? 'on this line' : `on line ${d.target + 1}`;
      if (d.codes.length === 0) {
        shown.push(finding(d.file, d.range, 'suppression.unknown-code', "This sip-tls suppression names no diagnostic code: write '# sip-tls: ignore CODE -- reason' (sip-tls explain lists the codes)."));
        continue;
      }
      if (d.reason === '') shown.push(finding(d.file, d.range, 'suppression.no-reason', `The suppression of ${d.codes.map((c) => c.code).join(', ')} gives no reason: add ' -- why', so the next reader knows it was meant.`));
      for (const c of d.codes) {
        if (!isKnownCode(c.code)) {
          const near = closestMatch(c.code, codes);
          shown.push(finding(d.file, c.range, 'suppression.unknown-code', `'${c.code}' is not a sip-tls diagnostic code, so nothing is suppressed${near ? `; did you mean '${near}'?` : '.'}`));
        } else if (!d.used.has(c.code)) {
          shown.push(finding(d.file, c.range, 'suppression.unused', `Nothing to suppress: there is no ${c.code} finding ${where}. Remove the suppression, or move it to the line it is about.`));
        }
      }
    }
  }
  return { shown, suppressed };
}
