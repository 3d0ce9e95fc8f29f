// Does checking time grow linearly with input size? Pathological shapes — a long line of
// quotes, thousands of '/*' or '[', deep #!ifdef nesting, many profiles — are built at sizes
// n, 2n, 4n, 8n, checked by a fresh Checker each time, and the exponent k of time ≈ c·size^k is
// fitted by least squares on the log-log points. A backtracking regular expression or a
// rescan-from-the-start loop shows up as k ≈ 2 long before it shows up as a hang.
import { Checker } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { defaultSettings } from '../../../server/src/core/settings';
import { KAMAILIO, TLS } from './harness';

export interface Shape {
  name: string;
  /** Files for a size parameter `n` (number of repetitions of the pathological unit). */
  build(n: number): { kamailio: string; tls: string };
}

const PREAMBLE = '#!KAMAILIO\nloadmodule "tls.so"\nenable_tls=yes\nmodparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\n';
const TLS_OK = '[server:default]\nmethod = TLSv1.2+\n';

function kam(body: (n: number) => string): Shape['build'] {
  return (n) => ({ kamailio: PREAMBLE + body(n), tls: TLS_OK });
}

function tls(body: (n: number) => string): Shape['build'] {
  return (n) => ({ kamailio: PREAMBLE, tls: body(n) });
}

function lines(n: number, line: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(line(i));
  return out.join('\n') + '\n';
}

let salt = 0;

export const SHAPES: Shape[] = [
  { name: 'kamailio: one line of double quotes', build: kam((n) => '"'.repeat(n) + '\n') },
  { name: 'kamailio: one line of single quotes', build: kam((n) => "x='".repeat(n) + '\n') },
  { name: 'kamailio: escaped quotes in one string', build: kam((n) => '$var(a) = "' + '\\"'.repeat(n) + '\n') },
  { name: 'kamailio: many /*', build: kam((n) => '/*'.repeat(n) + '\n') },
  { name: 'kamailio: many */', build: kam((n) => '*/'.repeat(n) + '\n') },
  { name: 'kamailio: many /* on separate lines', build: kam((n) => lines(n, () => 'a /* b')) },
  { name: 'kamailio: many [', build: kam((n) => '['.repeat(n) + '\n') },
  { name: 'kamailio: many {', build: kam((n) => 'route {'.repeat(n) + '\n') },
  { name: 'kamailio: deep ( nesting', build: kam((n) => 'if ' + '('.repeat(n) + 'a' + ')'.repeat(n) + ' {}\n') },
  { name: 'kamailio: many $(', build: kam((n) => '$('.repeat(n) + '\n') },
  { name: 'kamailio: unbalanced #!ifdef', build: kam((n) => lines(n, (i) => `#!ifdef X${i % 7}`)) },
  { name: 'kamailio: nested #!ifdef/#!endif', build: kam((n) => lines(n, (i) => `#!ifndef X${i % 7}`) + lines(n, () => '#!endif')) },
  { name: 'kamailio: many #!define', build: kam((n) => lines(n, (i) => `#!define D${i} "v${i}"`) + lines(n, (i) => `alias=D${i}`)) },
  // Every string is run through every #!subst rule, and so is each new rule (cfg.lex does the
  // same): rules × strings is the real cost, so the rules stay few while the strings grow.
  { name: 'kamailio: #!subst rules over many strings', build: kam((n) => lines(16, (i) => `#!subst "/k${i}/v${i}/g"`) + lines(n, (i) => `alias="k${i % 16}.example.com"`)) },
  { name: 'kamailio: self-referencing define used often', build: kam((n) => '#!define A A A\n' + lines(n, () => 'A')) },
  { name: 'kamailio: many listen=tls', build: kam((n) => lines(n, (i) => `listen=tls:127.0.0.${(i % 250) + 1}:${5061 + (i % 1000)}`)) },
  { name: 'kamailio: many modparam', build: kam((n) => lines(n, (i) => `modparam("tls", "certificate", "/c${i}.pem")`)) },
  { name: 'kamailio: many missing include_file', build: kam((n) => lines(n, (i) => `include_file "missing${i}.cfg"`)) },
  { name: 'kamailio: long identifier', build: kam((n) => 'x'.repeat(n * 8) + '\n') },
  { name: 'kamailio: line continuations', build: kam((n) => 'alias="a' + '\\\n'.repeat(n) + '"\n') },
  { name: 'kamailio: CRLF statements', build: kam((n) => lines(n, (i) => `tcp_connection_lifetime=${i}\r`)) },
  { name: 'kamailio: many routes', build: kam((n) => lines(n, (i) => `route[R${i}] { route(R${i + 1}); }`)) },
  { name: 'kamailio: NUL bytes', build: kam((n) => '\u0000'.repeat(n) + '\n') },
  { name: 'tls.cfg: many [', build: tls((n) => '['.repeat(n) + '\n') },
  { name: 'tls.cfg: many [server:', build: tls((n) => '[server:'.repeat(n) + '\n') },
  { name: 'tls.cfg: line of quotes', build: tls((n) => '[server:default]\nserver_name = ' + '"'.repeat(n) + '\n') },
  { name: 'tls.cfg: many = ', build: tls((n) => '[server:default]\nmethod ' + '= '.repeat(n) + '\n') },
  { name: 'tls.cfg: many profiles', build: tls((n) => lines(n, (i) => `[server:10.0.${(i >> 8) & 255}.${i & 255}:${5061 + (i % 7)}]\nmethod = TLSv1.2+\ncertificate = c${i}.pem\nprivate_key = k${i}.pem`)) },
  { name: 'tls.cfg: duplicate profiles', build: tls((n) => lines(n, () => '[server:default]\nmethod = TLSv1.2+')) },
  { name: 'tls.cfg: duplicate options', build: tls((n) => '[server:default]\n' + lines(n, () => 'method = TLSv1.2+')) },
  // Salted per build: "did you mean" answers are memoised across checks, which would make the
  // repeated small runs look cheaper than they are.
  { name: 'tls.cfg: unknown options', build: tls((n) => '[server:default]\n' + lines(n, (i) => `certificat${i}x${salt++} = x`)) },
  { name: 'tls.cfg: long cipher_list', build: tls((n) => '[server:default]\ncipher_list = ' + Array.from({ length: n }, (_, i) => (i % 2 ? 'ECDHE-RSA-AES128-GCM-SHA256' : `X${i}`)).join(':') + '\n') },
  { name: 'tls.cfg: long comment lines', build: tls((n) => lines(n, () => '# ' + '[server:default] '.repeat(4))) },
];

/** Milliseconds one full check of the shape at size n takes (best of `repeat`). */
export function timeCheck(shape: Shape, n: number, repeat: number): { ms: number; bytes: number } {
  let best = Infinity;
  let bytes = 0;
  for (let r = 0; r < repeat; r++) {
    const files = shape.build(n);
    bytes = files.kamailio.length + files.tls.length;
    const host = new MemoryHost({ [KAMAILIO]: files.kamailio, [TLS]: files.tls });
    const settings = defaultSettings();
    const t0 = performance.now();
    new Checker(host).check({ files: [KAMAILIO, TLS], settingsFor: () => settings });
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, bytes };
}

/** Least-squares slope of log(ms) over log(bytes). */
export function fitExponent(points: { bytes: number; ms: number }[]): number {
  const xs = points.map((p) => Math.log(p.bytes));
  const ys = points.map((p) => Math.log(Math.max(p.ms, 1e-3)));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < xs.length; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my);
    den += (xs[i]! - mx) ** 2;
  }
  return num / den;
}

export interface ScalingResult {
  shape: string;
  exponent: number;
  points: { n: number; bytes: number; ms: number }[];
}

/**
 * Grow n from `startN` until one check takes at least `minMs` (so that the fixed cost of a
 * check does not flatten the curve), then time n, 2n, 4n, 8n.
 */
export function measureScaling(shape: Shape, options: { startN: number; minMs: number; maxBytes: number; repeat: number }): ScalingResult {
  let n = options.startN;
  timeCheck(shape, n, 2); // warm the JIT up: the first checks of a shape are the slowest
  for (;;) {
    const t = timeCheck(shape, n, 2);
    if (t.ms >= options.minMs || t.bytes * 16 > options.maxBytes) break;
    n *= 2;
  }
  const points = [1, 2, 4, 8].map((f) => ({ n: n * f, ...timeCheck(shape, n * f, options.repeat) }));
  // The smallest size is the noisiest (cache effects, a collection landing in it); a real
  // superlinear cost shows in the three larger sizes just as well, so the lower fit counts.
  return { shape: shape.name, exponent: Math.min(fitExponent(points), fitExponent(points.slice(1))), points };
}
