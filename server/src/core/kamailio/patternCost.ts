// What running a #!subst pattern costs in JavaScript, judged before it runs. V8 falls back to its
// linear-time engine on excessive backtracking (subst.ts), but not for counted repetitions or
// back-references: `(a{1,30}){1,30}b`, `(a+){1,30}b` and `(a*)*\1b` each ran for minutes on 200
// characters, where Kamailio's POSIX regexec stays linear. Such patterns are not run at all.

/** The pattern's size with counted repetitions unrolled (`a{1,1000}` costs 1,000). */
export interface PatternCost {
  size: number;
  /** Why JavaScript could backtrack without bound on it, when it could. */
  unbounded?: string;
}

/** Upper bound of a counted repetition that may repeat a repeated group. */
const NESTED_COUNT_LIMIT = 10;

interface Group {
  size: number;
  /** The last atom's size, which a following quantifier multiplies. */
  last: number;
  /** A variable quantifier inside this group. */
  repeats: boolean;
  /** A counted repetition with a large upper bound inside this group. */
  counted: boolean;
}

/** Parses `{m}`, `{m,}` or `{m,n}` at `i`; undefined when it is a literal brace. */
function countedAt(p: string, i: number): { end: number; min: number; max: number | undefined } | undefined {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i, i + 24));
  if (!m) return undefined;
  const min = Number(m[1]);
  const max = m[2] === undefined ? min : m[3] === '' ? undefined : Number(m[3]);
  return { end: i + m[0].length, min, max };
}

export function patternCost(pattern: string): PatternCost {
  const stack: Group[] = [{ size: 0, last: 0, repeats: false, counted: false }];
  let backReference = false;
  let nested = false;
  let nestedCounted = false;
  const top = () => stack[stack.length - 1]!;
  const atom = (size: number) => {
    const g = top();
    g.size += size;
    g.last = size;
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      if (/[1-9]/.test(pattern[i + 1] ?? '')) backReference = true;
      i++;
      atom(1);
      continue;
    }
    if (c === '[') {
      // A bracket expression is one atom; `]` right after `[` or `[^` is a member.
      let j = i + 1;
      if (pattern[j] === '^') j++;
      if (pattern[j] === ']') j++;
      while (j < pattern.length && pattern[j] !== ']') j += pattern[j] === '\\' ? 2 : 1;
      i = j;
      atom(1);
      continue;
    }
    if (c === '(') {
      stack.push({ size: 0, last: 0, repeats: false, counted: false });
      continue;
    }
    if (c === ')' && stack.length > 1) {
      const g = stack.pop()!;
      const outer = top();
      outer.size += g.size;
      outer.last = g.size;
      outer.repeats ||= g.repeats;
      outer.counted ||= g.counted;
      // Remember the inner group's flags for the quantifier that may follow it.
      const q = pattern[i + 1];
      const counted = q === '{' ? countedAt(pattern, i + 1) : undefined;
      if (q === '*' || q === '+' || q === '?' || counted) {
        const large = counted !== undefined && (counted.max === undefined || counted.max > NESTED_COUNT_LIMIT);
        if (g.repeats) nested = true;
        if ((g.repeats && large) || (g.counted && q !== '?')) nestedCounted = true;
      }
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      top().repeats = true;
      continue;
    }
    if (c === '{') {
      const counted = countedAt(pattern, i);
      if (counted) {
        const g = top();
        const times = Math.max(counted.min, counted.max ?? counted.min, 1);
        g.size += g.last * (times - 1);
        g.last *= times;
        if (counted.max !== counted.min) g.repeats = true;
        if ((counted.max ?? Infinity) > NESTED_COUNT_LIMIT) g.counted = true;
        i = counted.end - 1;
        continue;
      }
    }
    if (c === '|') continue;
    atom(1);
  }
  let size = 0;
  for (const g of stack) size += g.size;
  size = Math.max(1, size);
  if (nestedCounted) return { size, unbounded: 'a counted repetition of a repeated group' };
  if (nested && backReference) return { size, unbounded: 'a repeated group together with a back-reference' };
  return { size };
}
