// `#!ifexp` / `#!defexp` expressions. Kamailio evaluates them with its bundled snexpr library
// (src/core/utils/snexpr.h) where a name stands for a define: undefined → 0, defined without a
// value → 1, defined with a value → that value as a string (enclosing quotes stripped)
// (ppcfg.c: pp_snexpr_defval). This is a small evaluator for the common subset: numbers,
// quoted strings, names, parentheses, `! - * / % + - < <= > >= == != && ||`. Strings that look
// like numbers compare as numbers. Anything it cannot parse evaluates to `undefined`, which the
// callers treat as false (documented behaviour of this checker, not of Kamailio).

export type ExprValue = number | string;

export type DefineLookup = (name: string) => { defined: false } | { defined: true; value?: string };

interface Lexeme {
  kind: 'num' | 'str' | 'name' | 'op';
  text: string;
}

function tokenize(src: string): Lexeme[] | undefined {
  const out: Lexeme[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i;
      while (j < src.length && /[0-9.xXa-fA-F]/.test(src[j]!)) j++;
      out.push({ kind: 'num', text: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      const close = src.indexOf(c, i + 1);
      if (close === -1) return undefined;
      out.push({ kind: 'str', text: src.slice(i + 1, close) });
      i = close + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < src.length && /[A-Za-z0-9_]/.test(src[j]!)) j++;
      out.push({ kind: 'name', text: src.slice(i, j) });
      i = j;
      continue;
    }
    const two = src.slice(i, i + 2);
    if (['<=', '>=', '==', '!=', '&&', '||'].includes(two)) {
      out.push({ kind: 'op', text: two });
      i += 2;
      continue;
    }
    if ('!<>+-*/%()'.includes(c)) {
      out.push({ kind: 'op', text: c });
      i++;
      continue;
    }
    return undefined;
  }
  return out;
}

function toNumber(v: ExprValue): number | undefined {
  if (typeof v === 'number') return v;
  const s = v.trim();
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function truthy(v: ExprValue): boolean {
  return typeof v === 'number' ? v !== 0 : v.length > 0;
}

const PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': 3,
  '!=': 3,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
  '%': 6,
};

class ExprParser {
  private i = 0;
  constructor(
    private readonly toks: Lexeme[],
    private readonly lookup: DefineLookup,
  ) {}

  parse(): ExprValue | undefined {
    const v = this.binary(0);
    return v !== undefined && this.i === this.toks.length ? v : undefined;
  }

  private primary(): ExprValue | undefined {
    const t = this.toks[this.i++];
    if (!t) return undefined;
    if (t.kind === 'num') {
      const n = Number(t.text);
      return Number.isFinite(n) ? n : undefined;
    }
    if (t.kind === 'str') return t.text;
    if (t.kind === 'name') {
      const d = this.lookup(t.text);
      if (!d.defined) return 0;
      if (d.value === undefined) return 1;
      const v = d.value.trim();
      if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
      return v;
    }
    if (t.text === '(') {
      const v = this.binary(0);
      if (this.toks[this.i]?.text !== ')') return undefined;
      this.i++;
      return v;
    }
    if (t.text === '!') {
      const v = this.primary();
      return v === undefined ? undefined : truthy(v) ? 0 : 1;
    }
    if (t.text === '-') {
      const v = this.primary();
      const n = v === undefined ? undefined : toNumber(v);
      return n === undefined ? undefined : -n;
    }
    return undefined;
  }

  private binary(minPrec: number): ExprValue | undefined {
    let left = this.primary();
    if (left === undefined) return undefined;
    for (;;) {
      const op = this.toks[this.i];
      if (!op || op.kind !== 'op') return left;
      const prec = PRECEDENCE[op.text];
      if (prec === undefined || prec < minPrec) return left;
      this.i++;
      const right = this.binary(prec + 1);
      if (right === undefined) return undefined;
      left = apply(op.text, left, right);
      if (left === undefined) return undefined;
    }
  }
}

function apply(op: string, a: ExprValue, b: ExprValue): ExprValue | undefined {
  const na = toNumber(a);
  const nb = toNumber(b);
  const numeric = na !== undefined && nb !== undefined;
  switch (op) {
    case '||':
      return truthy(a) || truthy(b) ? 1 : 0;
    case '&&':
      return truthy(a) && truthy(b) ? 1 : 0;
    case '==':
      return (numeric ? na === nb : String(a) === String(b)) ? 1 : 0;
    case '!=':
      return (numeric ? na !== nb : String(a) !== String(b)) ? 1 : 0;
    case '<':
      return (numeric ? na < nb : String(a) < String(b)) ? 1 : 0;
    case '<=':
      return (numeric ? na <= nb : String(a) <= String(b)) ? 1 : 0;
    case '>':
      return (numeric ? na > nb : String(a) > String(b)) ? 1 : 0;
    case '>=':
      return (numeric ? na >= nb : String(a) >= String(b)) ? 1 : 0;
    case '+':
      return numeric ? na + nb : String(a) + String(b);
    case '-':
      return numeric ? na - nb : undefined;
    case '*':
      return numeric ? na * nb : undefined;
    case '/':
      return numeric && nb !== 0 ? Math.trunc(na / nb) : undefined;
    case '%':
      return numeric && nb !== 0 ? na % nb : undefined;
    default:
      return undefined;
  }
}

/** The value of an expression, or undefined when this evaluator cannot compute it. */
export function evaluateExpression(src: string, lookup: DefineLookup): ExprValue | undefined {
  const toks = tokenize(src);
  if (!toks || toks.length === 0) return undefined;
  return new ExprParser(toks, lookup).parse();
}

/** `#!ifexp` truth: non-zero number or non-empty string; unknown counts as false. */
export function expressionIsTrue(src: string, lookup: DefineLookup): boolean {
  const v = evaluateExpression(src, lookup);
  return v !== undefined && truthy(v);
}

export function formatExprValue(v: ExprValue): string {
  return typeof v === 'number' ? String(v) : v;
}
