// Grammar-aware mutations of kamailio.cfg and tls.cfg text. They work on a token stream cut
// with the lexical classes both grammars share (words, numbers, quoted strings, comment
// openers, brackets, operators, line ends), so that a mutation hits the structure the parsers
// care about instead of random bytes in the middle of a word. Byte-level damage (NUL, broken
// UTF-8) is applied afterwards by `damageBytes`.
import type { Rng } from './prng';
import { hostileString } from '../hostileText';

/** Tokens both parsers treat specially; inserted, duplicated and used to unbalance things. */
const GRAMMAR_TOKENS = [
  '#!ifdef', '#!ifndef', '#!else', '#!endif', '#!define', '#!redefine', '#!trydef', '#!undef',
  '#!subst', '#!substdef', '#!substdefs', '#!KAMAILIO', '#!ifexp', '!!ifdef', '#!include_file',
  'include_file', 'import_file', 'import_files', 'loadmodule', 'loadpath', 'modparam', 'modparamx',
  'route', 'request_route', 'event_route[tls:connection-out]', 'listen=', 'listen=tls:', 'enable_tls=',
  'tls_method=', 'alias=', 'advertise', 'name', 'socket', 'proto', 'port', 'tls', 'tcp', 'udp', 'sctp', 'ws', 'wss',
  '[server:default]', '[client:default]', '[server:any]', '[client:any]', '[server:127.0.0.1:5061]', '[server:[::1]:0]',
  'certificate', 'private_key', 'ca_list', 'ca_path', 'crl', 'certificate2', 'private_key2', 'method', 'server_name',
  'verify_certificate', 'require_certificate', 'cipher_list', 'TLSv1.2+', 'TLSv1.3+', 'SSLv23', 'yes', 'no',
  '{', '}', '(', ')', '[', ']', '"', "'", '`', '/*', '*/', '//', '#', '=', '==', '=~', ':', ';', ',', '.', '$', '$var(',
  '$(', '${', '\\', '\\"', '\\\n', '!', '&&', '||', '+', '-', '*', '/', '%', '<', '>', '|', '&', '@', '~',
  '"tls.so"', '"tls"', '"config"', '"tls.cfg"', '"certificate"', '/etc/kamailio/certs/server.crt',
  '../', './', '/dev/zero', '/uri:', '/engine:', '0.0.0.0', '::', '[::]', '255.255.255.256', '65536', '-1',
];

const HUGE_NUMBERS = [
  '99999999999999999999999999999999999999', '-99999999999999999999', '1e308', '0x7fffffffffffffff', '18446744073709551616',
  '4294967296', '2147483648', '-2147483649', '00000000000000000000001', '1'.repeat(400), '0.0000000001', 'NaN', 'Infinity',
];

const CONTROL = ['\u0000', '\u0001', '\u001b[31m', '\ufeff', '\ufffd', '\ud800', '\udfff', '\u2028', '\u0085', '\r', '\r\n', '\t', '\u00a0'];

export function tokenize(text: string): string[] {
  return text.match(/\r?\n|[ \t]+|#![A-Za-z_]+|\/\*|\*\/|\/\/|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[A-Za-z_][\w.+-]*|\d+|[^\s]/g) ?? [];
}

type Mutation = (tokens: string[], rng: Rng, donors: readonly string[]) => void;

function randomToken(rng: Rng): string {
  return rng.pick(GRAMMAR_TOKENS);
}

function insertAt(tokens: string[], rng: Rng, ...items: string[]): void {
  tokens.splice(rng.int(tokens.length + 1), 0, ...items);
}

/** Index range of whole lines [start, end) in the token list. */
function lineStarts(tokens: string[]): number[] {
  const starts = [0];
  tokens.forEach((t, i) => {
    if (t.endsWith('\n')) starts.push(i + 1);
  });
  return starts;
}

const MUTATIONS: { name: string; weight: number; apply: Mutation }[] = [
  { name: 'delete-token', weight: 6, apply: (t, r) => void (t.length > 0 && t.splice(r.int(t.length), r.chance(0.8) ? 1 : r.between(2, 8))) },
  { name: 'insert-token', weight: 8, apply: (t, r) => insertAt(t, r, randomToken(r), r.chance(0.5) ? ' ' : '') },
  {
    name: 'duplicate-token',
    weight: 4,
    apply: (t, r) => {
      if (t.length === 0) return;
      const i = r.int(t.length);
      // Bounded by size too: 2,000 copies of a 60 KB token would be a 120 MB input, which
      // tests memory, not the parsers.
      const times = Math.min(r.chance(0.8) ? r.between(1, 4) : r.between(50, 2000), Math.max(1, Math.floor(200_000 / t[i]!.length)));
      t.splice(i, 0, ...Array<string>(times).fill(t[i]!));
    },
  },
  {
    name: 'swap-tokens',
    weight: 3,
    apply: (t, r) => {
      if (t.length < 2) return;
      const a = r.int(t.length);
      const b = r.int(t.length);
      [t[a], t[b]] = [t[b]!, t[a]!];
    },
  },
  {
    name: 'replace-token',
    weight: 5,
    apply: (t, r) => {
      if (t.length === 0) return;
      const i = r.int(t.length);
      t[i] = /^\d+$/.test(t[i]!) || r.chance(0.3) ? r.pick(HUGE_NUMBERS) : randomToken(r);
    },
  },
  {
    name: 'splice-lines',
    weight: 5,
    apply: (t, r, donors) => {
      if (donors.length === 0) return;
      const lines = r.pick(donors).split('\n');
      const from = r.int(lines.length);
      const chunk = lines.slice(from, from + r.between(1, 12)).join('\n') + '\n';
      const starts = lineStarts(t);
      t.splice(r.pick(starts), 0, ...tokenize(chunk));
    },
  },
  {
    name: 'delete-or-duplicate-lines',
    weight: 3,
    apply: (t, r) => {
      const starts = lineStarts(t);
      const a = r.int(starts.length);
      const b = Math.min(starts.length - 1, a + r.between(1, 6));
      const from = starts[a]!;
      const to = starts[b] ?? t.length;
      if (r.chance(0.5)) t.splice(from, to - from);
      else t.splice(from, 0, ...t.slice(from, to));
    },
  },
  {
    name: 'unbalance',
    weight: 5,
    apply: (t, r) => insertAt(t, r, r.pick(['{', '}', '(', ')', '[', ']', '"', "'", '/*', '*/', '#!ifdef X\n', '#!endif\n', '#!else\n', '"\\', '`'])),
  },
  {
    name: 'preprocessor-nesting',
    weight: 5,
    apply: (t, r) => {
      const starts = lineStarts(t);
      const depth = r.chance(0.8) ? r.between(1, 6) : r.between(50, 400);
      const a = r.pick(starts);
      const b = Math.max(a, r.pick(starts));
      const names = ['WITH_TLS', 'WITH_DEBUG', 'A', 'B', 'TLS_PORT', 'MY_IP'];
      const open: string[] = [];
      const close: string[] = [];
      for (let d = 0; d < depth; d++) {
        open.push(`${r.pick(['#!ifdef', '#!ifndef'])} ${r.pick(names)}\n`);
        if (r.chance(0.3)) open.push(`#!define ${r.pick(names)}${r.chance(0.5) ? ` ${r.pick(names)}` : ''}\n`);
        close.push(r.chance(0.2) ? '#!else\n#!endif\n' : '#!endif\n');
      }
      if (r.chance(0.25)) close.pop(); // unbalanced on purpose
      t.splice(b, 0, ...close);
      t.splice(a, 0, ...open);
    },
  },
  {
    name: 'define-games',
    weight: 4,
    apply: (t, r) => {
      const shapes = [
        '#!define A A\nA\n',
        '#!define A B\n#!define B A\nA B\n',
        '#!define A A A A\nA\n',
        '#!subst "/a/aa/g"\naaaa\n',
        '#!subst "/x/yx/g"\nxxxx\n',
        '#!substdef "/Z/ZZ/g"\nZ Z Z\n',
        '#!subst "/(a*)*b/c/"\n' + 'a'.repeat(40) + '\n',
        '#!subst "/\\/x/"\n',
        '#!subst ""\n',
        '#!define LONG ' + 'v'.repeat(r.between(100, 5000)) + '\nLONG LONG LONG\n',
        '#!define F(x) x x\nF(F(F(F(1))))\n',
        '#!define TLS_PORT 5061 \\\n 5062\nlisten=tls:127.0.0.1:TLS_PORT\n',
      ];
      insertAt(t, r, ...tokenize(r.pick(shapes)));
    },
  },
  {
    name: 'long-token',
    weight: 3,
    apply: (t, r) => {
      const unit = r.pick(['a', '9', '"', "'", '[', '{', '(', '/*', '*/', '\\', '#', '=', ':', '.', '$', ' ', 'é', '\u0000']);
      insertAt(t, r, unit.repeat(r.chance(0.7) ? r.between(100, 2000) : r.between(10_000, 60_000)));
    },
  },
  {
    name: 'deep-nesting',
    weight: 2,
    apply: (t, r) => {
      const [open, close] = r.pick([['{', '}'], ['(', ')'], ['[', ']'], ['$(', ')'], ['if (a) {', '}'], ['"', '"']]);
      const n = r.between(100, 3000);
      insertAt(t, r, open!.repeat(n), r.chance(0.5) ? close!.repeat(r.chance(0.5) ? n : r.int(n)) : '');
    },
  },
  {
    name: 'control-chars',
    weight: 3,
    apply: (t, r) => insertAt(t, r, r.pick(CONTROL).repeat(r.chance(0.8) ? 1 : r.between(2, 500))),
  },
  {
    // Markdown, HTML, terminal sequences and bidi text that messages may quote (issue 11).
    name: 'hostile-text',
    weight: 2,
    apply: (t, r) => insertAt(t, r, r.chance(0.5) ? `"${hostileString(r).replace(/["\\]/g, '')}"` : hostileString(r)),
  },
  {
    name: 'line-endings',
    weight: 2,
    apply: (t, r) => {
      const mode = r.int(3);
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== '\n' && t[i] !== '\r\n') continue;
        if (mode === 0) t[i] = '\r\n';
        else if (mode === 1 && r.chance(0.5)) t[i] = '\r';
        else if (mode === 2 && r.chance(0.3)) t[i] = '\\\n';
      }
    },
  },
];

const TOTAL_WEIGHT = MUTATIONS.reduce((s, m) => s + m.weight, 0);

function pickMutation(rng: Rng): (typeof MUTATIONS)[number] {
  let x = rng.int(TOTAL_WEIGHT);
  for (const m of MUTATIONS) {
    if (x < m.weight) return m;
    x -= m.weight;
  }
  return MUTATIONS[0]!;
}

/** Apply 1–`max` random mutations to `text`; returns the text and the mutation names. */
export function mutateText(text: string, rng: Rng, donors: readonly string[], max = 6): { text: string; applied: string[] } {
  const tokens = tokenize(text);
  const applied: string[] = [];
  const count = rng.between(1, max);
  for (let i = 0; i < count; i++) {
    const m = pickMutation(rng);
    m.apply(tokens, rng, donors);
    applied.push(m.name);
  }
  return { text: tokens.join(''), applied };
}

/**
 * Encode as UTF-8 and sometimes break the bytes: NUL, lone continuation bytes, truncated
 * sequences, overlong encodings, a UTF-16 BOM.
 */
export function damageBytes(text: string, rng: Rng): Uint8Array {
  let bytes = new TextEncoder().encode(text);
  const hits = rng.between(1, 8);
  for (let i = 0; i < hits; i++) {
    const bad = rng.pick(BAD_BYTES);
    const at = rng.int(bytes.length + 1);
    const next = new Uint8Array(bytes.length + bad.length);
    next.set(bytes.subarray(0, at), 0);
    next.set(bad, at);
    next.set(bytes.subarray(at), at + bad.length);
    bytes = next;
  }
  return bytes;
}

const BAD_BYTES = [[0x00], [0xff], [0xfe, 0xff], [0x80], [0xc3], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]];
