// Configuration files that a deploy step renders: placeholders of the usual template engines —
// `${VAR}` / `${VAR:-default}` (envsubst, compose, shell), `{{ var }}` (Jinja/Ansible, Go/Helm,
// Mustache), `{% … %}` blocks (Jinja), `%VAR%`, `@VAR@` (autoconf), `__VAR__` (sed), and in
// tls.cfg, which has no `$` syntax of its own, `$VAR`. What depends on a placeholder is unknown
// until rendered: with a value (--var, "vars" in the project file) the placeholder is replaced,
// otherwise by a filler of the same length, and no finding may touch it (the checker drops them;
// project.template says what was not judged). Positions are mapped back to the template.
import type { Position, Range } from '../types';

export type TemplateLanguage = 'kamailio' | 'tls';

/** One placeholder in the original text. */
export interface Placeholder {
  start: number;
  end: number;
  /** Variable name (`DOMAIN`, `kamailio.domain`), or the block keyword for `{% … %}`. */
  name: string;
  /** A value from the template itself (`${VAR:-default}`). */
  fallback?: string;
  /** A `{% if %}…{% endif %}` region: its content is unknown too. */
  block?: boolean;
}

const PATTERNS: { re: RegExp; languages: TemplateLanguage[]; fallback?: (m: RegExpExecArray) => string | undefined }[] = [
  { re: /\{\{-?\s*(\.?[A-Za-z_][\w.]*)\s*(?:\|[^{}\n]*)?-?\}\}/g, languages: ['kamailio', 'tls'] },
  {
    re: /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-=])([^}\n]*))?\}/g,
    languages: ['kamailio', 'tls'],
    fallback: (m) => (m[2] ? m[3] ?? '' : undefined),
  },
  { re: /%([A-Z_][A-Z0-9_]*)%/g, languages: ['kamailio', 'tls'] },
  { re: /@([A-Z_][A-Z0-9_]*)@/g, languages: ['kamailio', 'tls'] },
  { re: /__([A-Z][A-Z0-9_]*[A-Z0-9])__/g, languages: ['kamailio', 'tls'] },
  // tls.cfg has no `$` syntax: `$VAR` is a placeholder there (in kamailio.cfg it is a pseudo-variable).
  { re: /\$([A-Z_][A-Z0-9_]*)/g, languages: ['tls'] },
];

const BLOCK_TAG = /\{%-?\s*(\w+)[^%\n]*?-?%\}/g;
const BLOCK_OPEN = new Set(['if', 'for', 'macro', 'block', 'with', 'filter', 'call', 'raw']);

/** Placeholders of `text`, in order, non-overlapping. */
export function findPlaceholders(text: string, language: TemplateLanguage): Placeholder[] {
  if (!/[{$%@_]/.test(text)) return [];
  const found: Placeholder[] = [];
  // A name the configuration itself defines (#!define __X__, #!substdef "!__X__!…") is no placeholder.
  const defined = new Set<string>();
  for (const m of text.matchAll(/(?:#!|!!)(?:define|def|trydef|trydefine|redefine|redef)[ \t]+(__[A-Z0-9_]+__)/g)) defined.add(m[1]!);
  for (const m of text.matchAll(/(?:#!|!!)substdefs?[ \t]+"(.)(__[A-Z0-9_]+__)\1/g)) defined.add(m[2]!);
  for (const { re, languages, fallback } of PATTERNS) {
    if (!languages.includes(language)) continue;
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].startsWith('__') && defined.has(m[0])) continue;
      const p: Placeholder = { start: m.index, end: m.index + m[0].length, name: m[1]! };
      const f = fallback?.(m);
      if (f !== undefined) p.fallback = f;
      found.push(p);
    }
  }
  found.push(...blocks(text));
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Placeholder[] = [];
  for (const p of found) {
    const last = out[out.length - 1];
    if (last && p.start < last.end) continue; // inside an earlier one (a `{{ }}` inside a block)
    out.push(p);
  }
  return out;
}

/** `{% if %}…{% endif %}` (and for, macro, …) regions, outermost; a stray tag alone. */
function blocks(text: string): Placeholder[] {
  const out: Placeholder[] = [];
  const stack: { name: string; start: number }[] = [];
  BLOCK_TAG.lastIndex = 0;
  for (let m = BLOCK_TAG.exec(text); m; m = BLOCK_TAG.exec(text)) {
    const word = m[1]!;
    const end = m.index + m[0].length;
    if (BLOCK_OPEN.has(word)) stack.push({ name: word, start: m.index });
    else if (word.startsWith('end')) {
      const open = stack.pop();
      if (open && stack.length === 0) out.push({ start: open.start, end, name: open.name, block: true });
      else if (!open) out.push({ start: m.index, end, name: word, block: true });
    } else if (stack.length === 0) out.push({ start: m.index, end, name: word, block: true });
  }
  for (const open of stack) out.push({ start: open.start, end: text.length, name: open.name, block: true });
  return out.filter((b, i, all) => !all.some((o, j) => j !== i && o.start <= b.start && b.end <= o.end && (o.start !== b.start || o.end !== b.end)));
}

/** The variable names a file uses (for `sip-tls init` and the information). */
export function templateVariables(text: string, file: string): string[] {
  const language: TemplateLanguage = /(^|\/)tls[^/]*$/i.test(file) ? 'tls' : 'kamailio';
  return [...new Set(findPlaceholders(text, language).filter((p) => !p.block).map((p) => p.name))];
}

/** A rendered text and how to map its positions back to the template. */
export interface Rendering {
  text: string;
  /** Placeholders left unknown (no value), in rendered offsets. */
  unknown: { start: number; end: number; name: string }[];
  /** Placeholders replaced by a value, with their names. */
  rendered: string[];
  /** Per substitution: where it is in both texts (rendered offsets ascending). */
  spans: { origStart: number; origEnd: number; start: number; end: number }[];
  /** The original text. */
  original: string;
}

/**
 * Render `text` with `vars`. A placeholder without a value (and without a fallback) becomes a
 * filler of underscores of the same length, which both lexers read as part of a word and which
 * never holds a line break. Values holding a line break are not used.
 */
export function renderTemplate(text: string, language: TemplateLanguage, vars: Readonly<Record<string, string>>): Rendering | undefined {
  const placeholders = findPlaceholders(text, language);
  if (placeholders.length === 0) return undefined;
  let out = '';
  let last = 0;
  const unknown: Rendering['unknown'] = [];
  const rendered: string[] = [];
  const spans: Rendering['spans'] = [];
  for (const p of placeholders) {
    out += text.slice(last, p.start);
    const given = p.block ? undefined : vars[p.name] !== undefined && vars[p.name] !== '' ? vars[p.name] : p.fallback;
    const start = out.length;
    if (given !== undefined && !/[\r\n]/.test(given)) {
      out += given;
      rendered.push(p.name);
    } else {
      // Same length, line breaks kept (a block spans lines): nothing below moves.
      out += text.slice(p.start, p.end).replace(/[^\r\n]/g, '_');
      unknown.push({ start, end: out.length, name: p.name });
    }
    spans.push({ origStart: p.start, origEnd: p.end, start, end: out.length });
    last = p.end;
  }
  out += text.slice(last);
  return { text: out, unknown, rendered, spans, original: text };
}

/** Offsets ↔ positions of a rendering, both ways. */
export class RenderingMap {
  private readonly renderedLines: number[];
  private readonly originalLines: number[];

  constructor(readonly rendering: Rendering) {
    this.renderedLines = lineStarts(rendering.text);
    this.originalLines = lineStarts(rendering.original);
  }

  private offsetIn(lines: number[], text: string, p: Position): number {
    const start = lines[Math.min(p.line, lines.length - 1)] ?? 0;
    return Math.min(start + p.character, text.length);
  }

  private positionIn(lines: number[], offset: number): Position {
    let lo = 0;
    let hi = lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lines[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - lines[lo]! };
  }

  /** Whether a rendered range touches a placeholder that has no value. */
  touchesUnknown(range: Range): boolean {
    const a = this.offsetIn(this.renderedLines, this.rendering.text, range.start);
    const b = this.offsetIn(this.renderedLines, this.rendering.text, range.end);
    return this.rendering.unknown.some((u) => (a < u.end && b > u.start) || (a === b && a >= u.start && a <= u.end));
  }

  /** Whether a rendered range touches any substituted text (a fix there would edit the template wrongly). */
  touchesSubstitution(range: Range): boolean {
    const a = this.offsetIn(this.renderedLines, this.rendering.text, range.start);
    const b = this.offsetIn(this.renderedLines, this.rendering.text, range.end);
    return this.rendering.spans.some((s) => a < s.end && b > s.start);
  }

  /** A rendered position in the template: inside a substitution, its start (or end). */
  toOriginal(p: Position, edge: 'start' | 'end'): Position {
    const offset = this.offsetIn(this.renderedLines, this.rendering.text, p);
    let delta = 0;
    for (const s of this.rendering.spans) {
      if (offset < s.start) break;
      if (offset < s.end || (offset === s.end && edge === 'end' && offset > s.start)) {
        return this.positionIn(this.originalLines, edge === 'start' ? s.origStart : s.origEnd);
      }
      delta += s.origEnd - s.origStart - (s.end - s.start);
    }
    return this.positionIn(this.originalLines, offset + delta);
  }

  rangeToOriginal(r: Range): Range {
    return { start: this.toOriginal(r.start, 'start'), end: this.toOriginal(r.end, 'end') };
  }
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
