// Does the cost of a whole deployment grow linearly with its listen, alias, profile and SAN
// counts — and with their cross-product, sockets × profiles × names? Unlike scaling.ts (one
// pathological file, TLS often off), these deployments turn TLS on and carry a real certificate,
// so the listener, SNI and name-coverage rules all run. Each shape is checked at n and 4n by a
// fresh Checker; the median of a few runs is compared (a linear cost grows ×4, a quadratic one
// ×16), and so is the output: the CLI's text and JSON per finding must not grow with n (a
// message that names every alias once cost 5 GB).
import { formatJson } from '../../../server/src/cli/formatJson';
import { formatText } from '../../../server/src/cli/formatText';
import { Checker } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { defaultSettings } from '../../../server/src/core/settings';
import type { Finding } from '../../../server/src/core/types';
import { P256, TestPki, keyPem } from '../../fixtures/pki';
import { X509Certificate } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A collection of the previous size's garbage landing in a timed check doubles it: every check
// starts from a collected heap.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

// Work counted, not timed: every question "does this certificate cover that name" goes to
// OpenSSL, and each reads every SAN — the cross-product names × certificates × SANs shows here
// whatever the load of the machine.
let nameChecks = 0;
for (const method of ['checkHost', 'checkIP'] as const) {
  const original = X509Certificate.prototype[method] as (this: X509Certificate, ...args: unknown[]) => string | undefined;
  (X509Certificate.prototype as unknown as Record<string, unknown>)[method] = function (this: X509Certificate, ...args: unknown[]) {
    nameChecks += this.subjectAltName ? this.subjectAltName.length : 1;
    return original.apply(this, args);
  };
}

/** CPU time of this process in ms: other processes on a busy machine weigh less than on wall time. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const DIR = '/etc/kamailio';
const KAMAILIO = `${DIR}/kamailio.cfg`;
const TLS = `${DIR}/tls.cfg`;
const CERT = `${DIR}/cert.pem`;
const KEY = `${DIR}/key.pem`;
/** MemoryHost's clock: the certificate must be valid then. */
const NOW = new Date('2026-01-15T12:00:00Z');

export interface DeploymentShape {
  name: string;
  kamailio(n: number): string;
  tls(n: number): string;
  /** DNS SANs of the one certificate every server profile uses. */
  sans(n: number): string[];
}

const PREAMBLE = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\n';
const DEFAULT_PROFILE = `[server:default]\nmethod = TLSv1.2+\ncertificate = ${CERT}\nprivate_key = ${KEY}\n`;

function lines(n: number, line: (i: number) => string): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(line(i));
  return out.join('\n') + '\n';
}

/** The i-th address of a /16, so that n up to 65,536 gives distinct sockets and profiles. */
const ip = (prefix: string, i: number): string => `${prefix}.${(i >> 8) & 255}.${i & 255}`;

function serverProfile(i: number): string {
  return `[server:${ip('10.0', i)}:5061]\nmethod = TLSv1.2+\nserver_name = s${i}.example.com\nserver_id = id${i}\ncertificate = ${CERT}\nprivate_key = ${KEY}\n`;
}

export const DEPLOYMENT_SHAPES: DeploymentShape[] = [
  {
    name: 'listen=tls sockets',
    kamailio: (n) => PREAMBLE + lines(n, (i) => `listen=tls:${ip('127.0', i)}:${5061 + (i >> 16)}`),
    tls: () => DEFAULT_PROFILE,
    sans: () => ['sip.example.com'],
  },
  {
    // Every alias is a SIP domain the certificate does not cover: one finding that lists them.
    name: 'alias= domains',
    kamailio: (n) => PREAMBLE + 'listen=tls:127.0.0.1:5061\n' + lines(n, (i) => `alias=a${i}.example.com`),
    tls: () => DEFAULT_PROFILE,
    sans: () => ['sip.example.com'],
  },
  {
    // Server and client profiles with server_name/server_id, none with a socket: a finding per
    // profile that lists the sockets.
    name: 'tls.cfg profiles',
    kamailio: () => PREAMBLE + 'listen=tls:127.0.0.1:5061\n',
    tls: (n) => DEFAULT_PROFILE + lines(n, (i) => `${serverProfile(i)}[client:${ip('10.1', i)}:5061]\nserver_name = c${i}.example.com\nserver_id = cid${i}\n`),
    sans: () => ['sip.example.com'],
  },
  {
    name: 'certificate SANs',
    kamailio: () => PREAMBLE + 'listen=tls:127.0.0.1:5061\n' + lines(16, (i) => `alias=s${i}.example.com`),
    tls: () => DEFAULT_PROFILE,
    sans: (n) => Array.from({ length: n }, (_, i) => `s${i}.example.com`),
  },
  {
    // The cross-product: n sockets, n SNI profiles (half of them on a socket), n SAN names of
    // which half are asked for, n aliases of which half are not covered.
    name: 'sockets × profiles × names',
    kamailio: (n) => PREAMBLE + lines(n, (i) => `listen=tls:${ip('10.0', 2 * i)}:5061`) + lines(n, (i) => `alias=${i % 2 ? 'a' : 's'}${i}.example.com`),
    tls: (n) => DEFAULT_PROFILE + lines(n, serverProfile),
    sans: (n) => Array.from({ length: n }, (_, i) => (i % 2 ? `s${i}.example.com` : `x${i}.example.com`)),
  },
];

const certificates = new Map<string, { cert: string; key: string }>();

function certificateFor(sans: string[]): { cert: string; key: string } {
  const id = `${sans.length}:${sans[0]}:${sans[sans.length - 1]}`;
  let hit = certificates.get(id);
  if (!hit) {
    const issued = new TestPki(NOW).selfSigned(sans[0]!, { key: P256, dns: sans });
    hit = { cert: issued.pem, key: keyPem(issued.privateKey) };
    certificates.clear(); // one size at a time: a 200,000-SAN certificate is megabytes
    certificates.set(id, hit);
  }
  return hit;
}

export interface Measurement {
  n: number;
  /** Median CPU time of a check. */
  ms: number;
  /** SAN entries OpenSSL read to answer name questions (checkHost/checkIP). */
  work: number;
  findings: number;
  /** The finding codes, sorted: both sizes must take the same path through the rules. */
  codes: string;
  /** The CLI's JSON output for all findings, in bytes. */
  totalJson: number;
  /** The largest finding in the CLI's JSON and text output, in bytes. */
  largestJson: number;
  largestText: number;
}

function check(shape: DeploymentShape, n: number): { ms: number; work: number; findings: Finding[] } {
  const { cert, key } = certificateFor(shape.sans(n));
  const host = new MemoryHost({ [KAMAILIO]: shape.kamailio(n), [TLS]: shape.tls(n), [CERT]: cert, [KEY]: key });
  const settings = defaultSettings();
  collectGarbage();
  const work0 = nameChecks;
  const t0 = cpuMs();
  const result = new Checker(host).check({ files: [KAMAILIO, TLS], settingsFor: () => settings });
  return { ms: cpuMs() - t0, work: nameChecks - work0, findings: result.findings };
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median time of `runs` checks at size n, and the size of the largest finding as the CLI prints it. */
export function measureDeployment(shape: DeploymentShape, n: number, runs: number): Measurement {
  const times: number[] = [];
  let findings: Finding[] = [];
  let work = 0;
  for (let r = 0; r < runs; r++) {
    const c = check(shape, n);
    times.push(c.ms);
    findings = c.findings;
    work = c.work;
  }
  let largestJson = 0;
  let largestText = 0;
  for (const f of findings) {
    largestJson = Math.max(largestJson, Buffer.byteLength(formatJson([f.file], [f])));
    largestText = Math.max(largestText, Buffer.byteLength(formatText([f.file], [f], DIR, { color: false })));
  }
  const totalJson = Buffer.byteLength(formatJson([KAMAILIO, TLS], findings));
  const codes = [...new Set(findings.map((f) => f.code))].sort().join(' ');
  return { n, ms: median(times), work, findings: findings.length, codes, totalJson, largestJson, largestText };
}

export interface Growth {
  shape: string;
  /** The same shape at n = 1: the fixed cost of a check (trust store, certificate, rules). */
  base: Measurement;
  small: Measurement;
  large: Measurement;
  /** (large − base) / (small − base) for 4× the size: ~4 when linear, ~16 when quadratic. */
  timeRatio: number;
  /** The same for the counted name-check work (1 when there is none at either size). */
  workRatio: number;
}

export interface GrowthOptions {
  /** First n tried. */
  startN: number;
  /** n doubles until the cost above the fixed cost reaches this, so that noise does not decide. */
  minMs: number;
  /** ... or until n reaches this. */
  maxN: number;
  runs: number;
}

/**
 * Cost at n and 4n above the fixed cost of a check. One warm-up check first, so that the JIT
 * does not weigh on the smaller size.
 */
export function measureGrowth(shape: DeploymentShape, options: GrowthOptions): Growth {
  check(shape, options.startN);
  const base = measureDeployment(shape, 1, options.runs);
  let n = options.startN;
  let small = measureDeployment(shape, n, options.runs);
  while (small.ms - base.ms < options.minMs && 2 * n <= options.maxN) {
    n *= 2;
    small = measureDeployment(shape, n, options.runs);
  }
  const large = measureDeployment(shape, 4 * n, options.runs);
  // When the fixed cost still dominates at n (the size cap was reached), subtracting it leaves
  // noise: the plain ratio then, which a linear cost keeps under 4 as well.
  const above = small.ms - base.ms;
  const timeRatio = above >= small.ms / 4 ? Math.max(0, large.ms - base.ms) / above : large.ms / Math.max(small.ms, 1e-3);
  const workRatio = large.work <= base.work ? 1 : (large.work - base.work) / Math.max(small.work - base.work, 1);
  return { shape: shape.name, base, small, large, timeRatio, workRatio };
}

export function describeGrowth(g: Growth): string {
  const m = (x: Measurement) => `n=${x.n}: ${x.ms.toFixed(0)} ms CPU, ${x.work} SANs read, ${x.findings} findings, ${x.totalJson} B JSON, largest ${x.largestJson} B JSON / ${x.largestText} B text`;
  return `${g.shape}: time ×${g.timeRatio.toFixed(1)} above the fixed ${g.base.ms.toFixed(0)} ms, work ×${g.workRatio.toFixed(1)}, for 4× the size (${m(g.small)}; ${m(g.large)})`;
}

/**
 * What is wrong with a growth: work or time superlinear beyond the limits (4 is linear, 16
 * quadratic), or a finding that grew with n as the CLI prints it (text or JSON).
 */
export function growthProblems(g: Growth, limits: { work: number; time: number }): string[] {
  const out: string[] = [];
  const what = describeGrowth(g);
  if (g.small.codes !== g.large.codes) out.push(`different findings at n (${g.small.codes}) and 4n (${g.large.codes}): ${what}`);
  if (g.workRatio > limits.work) out.push(`name checks grow ×${g.workRatio.toFixed(1)}: ${what}`);
  if (g.timeRatio > limits.time) out.push(`time grows ×${g.timeRatio.toFixed(1)}: ${what}`);
  // A message that names what it lists shows a bounded number of them (core/listing.ts).
  const bounded = (small: number, large: number) => large <= small * 1.1 + 256;
  if (!bounded(g.small.largestJson, g.large.largestJson)) out.push(`the largest finding grows in JSON (${g.small.largestJson} → ${g.large.largestJson} B): ${what}`);
  if (!bounded(g.small.largestText, g.large.largestText)) out.push(`the largest finding grows in text (${g.small.largestText} → ${g.large.largestText} B): ${what}`);
  const perFinding = (m: Measurement) => m.totalJson / Math.max(m.findings, 1);
  if (!bounded(perFinding(g.small), perFinding(g.large))) out.push(`JSON per finding grows (${perFinding(g.small).toFixed(0)} → ${perFinding(g.large).toFixed(0)} B): ${what}`);
  if (g.large.largestJson > 16_384) out.push(`a finding of ${g.large.largestJson} B in JSON: ${what}`);
  return out;
}
