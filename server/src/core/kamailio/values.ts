// Values as written after `=` or as a modparam argument (model.ts CfgValue), built from tokens.
import type { Range } from '../types';
import type { CfgValue } from './model';
import type { SrcToken } from './statements';
import { FALSE_WORDS, TRUE_WORDS } from './tokens';

/** Offsets in a file → LSP range. */
export type RangeOf = (file: string, start: number, end: number) => Range;

/** Range from the first to the last token (clamped to the first token's file). */
export function spanRange(first: SrcToken, last: SrcToken, rangeOf: RangeOf): Range {
  const end = last.file === first.file && last.end >= first.start ? last.end : first.end;
  return rangeOf(first.file, first.start, end);
}

/**
 * The range of a string's content without its quotes when the token is one plain literal in the
 * source; the whole token otherwise (joined strings, define expansions).
 */
export function contentRange(t: SrcToken, rangeOf: RangeOf): Range {
  if (!t.fromDefine && t.kind === 'string' && t.text.length >= 2) {
    const q = t.text[0]!;
    if ((q === '"' || q === "'") && t.text[t.text.length - 1] === q && t.text.indexOf(q, 1) === t.text.length - 1) {
      return rangeOf(t.file, t.start + 1, t.end - 1);
    }
  }
  return rangeOf(t.file, t.start, t.end);
}

/** The tokens' text as Kamailio sees it (after expansion), blanks kept where there were some. */
export function joinTokens(tokens: readonly SrcToken[]): string {
  let out = '';
  tokens.forEach((t, i) => {
    if (i > 0 && t.spaceBefore) out += ' ';
    out += t.kind === 'string' && t.substituted ? JSON.stringify(t.value ?? '') : t.text;
  });
  return out;
}

export function makeCfgValue(tokens: readonly SrcToken[], at: SrcToken, rangeOf: RangeOf, sourceOf: (file: string) => string): CfgValue {
  if (tokens.length === 0) {
    return { kind: 'other', raw: '', text: '', range: rangeOf(at.file, at.end, at.end) };
  }
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const range = spanRange(first, last, rangeOf);
  const end = last.file === first.file && last.end >= first.start ? last.end : first.end;
  const raw = sourceOf(first.file).slice(first.start, end);
  const fromDefine = tokens.some((t) => t.fromDefine !== undefined || t.substituted);
  const value = (kind: CfgValue['kind'], text: string): CfgValue => {
    const v: CfgValue = { kind, raw, text, range };
    if (fromDefine) v.fromDefine = true;
    return v;
  };
  if (tokens.length === 1) {
    const t = first;
    if (t.kind === 'string') return value('string', t.value ?? '');
    if (t.kind === 'number') return value('number', t.value ?? t.text);
    if (t.kind === 'word' && TRUE_WORDS.has(t.text)) return value('bool', 'yes');
    if (t.kind === 'word' && FALSE_WORDS.has(t.text)) return value('bool', 'no');
    if (t.kind === 'word') return value('identifier', t.text);
  }
  if (tokens.length === 2 && first.kind === 'punct' && first.text === '-' && last.kind === 'number') {
    return value('number', String(-Number(last.value ?? last.text)));
  }
  return value('other', joinTokens(tokens));
}
