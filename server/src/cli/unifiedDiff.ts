// A unified diff (git's layout, 3 lines of context) of one file's text before and after
// `--fix`, so `--fix-dry-run` can be reviewed and applied with `git apply` or `patch -p1`.
// Lines are compared whole, with their '\r' (a CRLF file keeps its line ends).

/** Edit script between two line lists: Myers' O(ND) greedy algorithm, then a backtrack. */
function lineDiff(a: readonly string[], b: readonly string[]): ('=' | '-' | '+')[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[max + k - 1]! < v[max + k + 1]!) ? v[max + k + 1]! : v[max + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[max + k] = x;
      if (x >= n && y >= m) break outer;
    }
  }
  const ops: ('=' | '-' | '+')[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d > 0; d--) {
    const vd = trace[d]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[max + k - 1]! < vd[max + k + 1]!) ? k + 1 : k - 1;
    const prevX = vd[max + prevK]!;
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push('=');
      x--;
      y--;
    }
    ops.push(x === prevX ? '+' : '-');
    if (x === prevX) y--;
    else x--;
  }
  while (x > 0 && y > 0) {
    ops.push('=');
    x--;
    y--;
  }
  return ops.reverse();
}

/** Marks a last line without '\n', so it never compares equal to the same text with one. */
const NO_EOL = '\u0000no-eol';

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (text.endsWith('\n')) lines.pop();
  else lines[lines.length - 1] += NO_EOL;
  return lines;
}

const CONTEXT = 3;
const NO_NEWLINE = '\\ No newline at end of file';

/** The diff of one file, '' when nothing changed. `name`: the path shown after a/ and b/. */
export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  const ops = lineDiff(a, b);
  // Each op with the line numbers it stands at (0-based) in a and b.
  const rows: { op: '=' | '-' | '+'; ai: number; bi: number }[] = [];
  let ai = 0;
  let bi = 0;
  for (const op of ops) {
    rows.push({ op, ai, bi });
    if (op !== '+') ai++;
    if (op !== '-') bi++;
  }
  const out = [`--- a/${name}`, `+++ b/${name}`];
  let i = 0;
  while (i < rows.length) {
    if (rows[i]!.op === '=') {
      i++;
      continue;
    }
    // A hunk: back CONTEXT lines, then forward until CONTEXT*2 unchanged lines in a row.
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    let same = 0;
    for (let j = i; j < rows.length; j++) {
      if (rows[j]!.op === '=') same++;
      else {
        same = 0;
        end = j;
      }
      if (same > CONTEXT * 2) break;
    }
    const last = Math.min(rows.length - 1, end + CONTEXT);
    const hunk = rows.slice(start, last + 1);
    const aCount = hunk.filter((r) => r.op !== '+').length;
    const bCount = hunk.filter((r) => r.op !== '-').length;
    const aStart = aCount === 0 ? hunk[0]!.ai : hunk[0]!.ai + 1;
    const bStart = bCount === 0 ? hunk[0]!.bi : hunk[0]!.bi + 1;
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const r of hunk) {
      const text = r.op === '+' ? b[r.bi]! : a[r.ai]!;
      // A last line without a final newline says so after it, as git writes it.
      if (text.endsWith(NO_EOL)) out.push((r.op === '=' ? ' ' : r.op) + text.slice(0, -NO_EOL.length), NO_NEWLINE);
      else out.push((r.op === '=' ? ' ' : r.op) + text);
    }
    i = last + 1;
  }
  return out.join('\n') + '\n';
}
