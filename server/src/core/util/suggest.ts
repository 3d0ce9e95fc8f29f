// "Did you mean …?" for misspelt option and parameter names.

/** Damerau–Levenshtein distance (adjacent transpositions count as one edit). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, () => new Array<number>(cols).fill(0));
  for (let i = 0; i < rows; i++) d[i]![0] = i;
  for (let j = 0; j < cols; j++) d[0]![j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The closest candidate, if it is close enough to be a plausible typo: at most a third of the
 * word's length in edits (and at least one), or a candidate that differs only in separators.
 */
export function closestMatch(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const key = `${maxDistance ?? ''}\0${word}\0${candidates.join('\0')}`;
  if (memo.has(key)) return memo.get(key);
  const result = computeClosest(word, candidates, maxDistance);
  // The same typo tends to repeat (a pasted block, a generated file): remember a bounded number.
  if (memo.size > 5000) memo.clear();
  memo.set(key, result);
  return result;
}

const memo = new Map<string, string | undefined>();

function computeClosest(word: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const w = word.toLowerCase();
  // Words far longer than any candidate cannot be a typo of one: skip the quadratic distance.
  if (w.length > 64) return undefined;
  const squash = (s: string) => s.toLowerCase().replace(/[-_.\s]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  const limitFor = maxDistance ?? Math.max(1, Math.floor(w.length / 3));
  for (const c of candidates) {
    if (squash(c) === squash(w)) return c;
    if (Math.abs(c.length - w.length) > limitFor) continue;
    const dist = editDistance(w, c.toLowerCase());
    if (dist < bestDistance) {
      bestDistance = dist;
      best = c;
    }
  }
  const limit = maxDistance ?? Math.max(1, Math.floor(w.length / 3));
  return bestDistance <= limit ? best : undefined;
}
