// Markdown for hovers, completion documentation and certificate/probe reports. Text that comes
// from a file, a certificate or a peer must never become markup: a subject `![x](https://host/x)`
// makes the editor fetch an image (a network request in a workspace where nothing else
// connects), `[OK](command:…)` offers a link, `<img>` is HTML, a newline starts a fake verdict
// line. So Markdown is a type of its own, built with the `md` tag: its literal parts are the
// program's own, every interpolated string is escaped, and only Markdown values pass unchanged.
// A hover, report or completion item takes a Markdown value, so a string cannot reach one
// unescaped. Content never becomes a link or an image: the only markup around it is ours.
import { elideSecretLooking } from '../quote';
import { visibleControls } from './visible';

const TOKEN: unique symbol = Symbol('Markdown');

export class Markdown {
  /** Only this module makes Markdown values: `md`, `text`, `code`, `trusted`. */
  constructor(token: typeof TOKEN, readonly value: string) {
    if (token !== TOKEN) throw new TypeError('Markdown is built with md``, text(), code() or trusted()');
  }

  get isEmpty(): boolean {
    return this.value === '';
  }

  /** Markdown pasted into a plain string would lose its type (and read "[object Object]"): say so at once. */
  toString(): never {
    throw new TypeError('a Markdown value was used as a string: interpolate it with md`…` or read .value at the protocol boundary');
  }
}

const make = (value: string) => new Markdown(TOKEN, value);

/**
 * Every ASCII punctuation character that CommonMark, GFM, marked (VS Code's hovers) or
 * markdown-it with linkify (VS Code's preview) reads as syntax, backslash-escaped (CommonMark
 * §2.4: any ASCII punctuation may be). `:`, `/`, `.` and `@` too, because autolinks (`https://`,
 * `//host`, `www.host`, `host.example`, `a@b.c`) need no brackets. Left as they are: `"'%,;?`.
 */
const PUNCTUATION = /[!#$&()*+\-./:<=>@[\\\]^_`{|}~]/g;

/** Leading and trailing spaces: an indented code block at a line start, a hard break at a line end. */
const EDGE_SPACES = /^ +| +$/g;

/** Plain text shown as it is: controls made visible, markup characters escaped, edge spaces kept as spaces. */
export function text(value: string): Markdown {
  // A key pasted into a file is never repeated, whatever shows the text (quote.ts).
  return make(visibleControls(elideSecretLooking(value)).replace(PUNCTUATION, '\\$&').replace(EDGE_SPACES, (spaces) => '&#32;'.repeat(spaces.length)));
}

/**
 * A code span showing `value` exactly (controls made visible): the fence is longer than any run of
 * backticks inside, padded when the value starts or ends with a backtick or with spaces that the
 * span would strip. Nothing inside a code span is markup. Not for table cells, where `|` ends the cell.
 */
export function code(value: string): Markdown {
  const v = visibleControls(elideSecretLooking(value));
  const longest = Math.max(0, ...(v.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = v.startsWith('`') || v.endsWith('`') || (v.startsWith(' ') && v.endsWith(' ') && v.trim() !== '') || v === '' ? ' ' : '';
  return make(`${fence}${pad}${v}${pad}${fence}`);
}

/**
 * Markdown written in this repository — documentation tables of options and parameters — taken
 * as it is. Never for anything read from a file, a certificate, a peer or the user.
 */
export function trusted(literal: string): Markdown {
  return make(literal);
}

export type Interpolation = Markdown | string | number;

function piece(value: Interpolation): string {
  if (value instanceof Markdown) return value.value;
  if (typeof value === 'number') return String(value);
  return text(value).value;
}

/** The tag: md`**${name}** — ${code(path)}`; strings are escaped, Markdown values kept. */
export function md(literals: TemplateStringsArray, ...values: Interpolation[]): Markdown {
  let out = literals[0] ?? '';
  values.forEach((v, i) => (out += piece(v) + (literals[i + 1] ?? '')));
  return make(out);
}

/** Separators are literals of the program, never text from outside. */
export type Separator = ', ' | '; ' | '\n' | '\n\n';

/** Join Markdown values (empty ones and undefined left out) with a separator. */
export function join(items: readonly (Markdown | undefined)[], separator: Separator): Markdown {
  return make(items.filter((m): m is Markdown => m !== undefined && !m.isEmpty).map((m) => m.value).join(separator));
}
