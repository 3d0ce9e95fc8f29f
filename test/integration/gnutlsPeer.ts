// A second TLS stack as the peer: `gnutls-cli` (Debian gnutls-bin, GnuTLS 3.7 on Debian 12)
// connecting to the running Kamailio, next to the Node (OpenSSL) client of kamailioOracle.ts.
// GnuTLS builds and verifies chains, matches names and checks purposes with its own code, so a
// claim about "peers" holds only where both stacks agree (testing.md, "A second TLS stack for
// peer verdicts"); where they differ, ORACLE-NOTES.md says so.
//
// The probe is `gnutls-cli --x509cafile TRUST --sni-hostname N --verify-hostname N -p PORT
// 127.0.0.1` with stdin closed, so it exits right after the handshake (`< /dev/null`), under a
// timeout. Its verdict comes from the exit code and two lines: the certificate status
// ("- Status: The certificate is NOT trusted. The certificate issuer is unknown. ") and the
// failure ("*** PKI verification of server certificate failed...", older releases: "*** Verifying
// server certificate failed..."), or a handshake error / alert. They become a stable kind:
// `ok`, the status reasons joined by `+` (`issuer-unknown`, `expired`, `name-mismatch`, …),
// `alert:<description>` or `handshake:<GnuTLS error>`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CertPeer } from '../fixtures/certCases';
import type { KamailioCase } from '../fixtures/kamailioCases';
import type { CaseRun, MaterializedCase, PeerResult } from './kamailioOracle';

export const GNUTLS_CLI = process.env.GNUTLS_CLI ?? 'gnutls-cli';

export interface GnutlsAvailability {
  ok: boolean;
  version?: string;
  reason?: string;
}

export function gnutlsAvailable(): GnutlsAvailability {
  const r = spawnSync(GNUTLS_CLI, ['--version'], { encoding: 'utf8', timeout: 5000 });
  if (r.error || r.status !== 0) return { ok: false, reason: `${GNUTLS_CLI} cannot be run (${r.error?.message ?? `rc ${r.status}`}); install it with: apt-get install -y gnutls-bin` };
  return { ok: true, version: /gnutls-cli (\S+)/.exec(r.stdout)?.[1] ?? '?' };
}

export interface GnutlsProbeOptions {
  port: number;
  host?: string;
  /** PEM files of the only roots the client trusts. */
  trustFiles: string[];
  /** SNI and the name verified; null = connect by address: no SNI, the address is verified. */
  servername?: string | null;
  /** A client certificate chain and key (files) to present when Kamailio asks for one. */
  certFile?: string;
  keyFile?: string;
  /** A GnuTLS priority string (default: the library's NORMAL). */
  priority?: string;
  /** Give up after this long (default 3000 ms; a refused connection is retried until then). */
  timeoutMs?: number;
}

/**
 * With TLS 1.3 the client's handshake completes before Kamailio has judged its certificate; a
 * rejection arrives as an alert just after, possibly after gnutls-cli has seen the end of stdin
 * and closed the session. A client presenting a certificate therefore sends a SIP keep-alive and
 * keeps stdin open this long before closing it (the Node probe waits as long).
 */
const CLIENT_CERT_GRACE_MS = 700;

/** The argv of one probe (no shell). */
export function gnutlsArgs(o: GnutlsProbeOptions, trustFile: string): string[] {
  const host = o.host ?? '127.0.0.1';
  const name = o.servername === undefined ? 'sip.example.com' : o.servername;
  return [
    '--x509cafile', trustFile,
    // An IP address is never sent as SNI; gnutls-cli then verifies the address it connected to.
    ...(name ? ['--sni-hostname', name, '--verify-hostname', name] : []),
    ...(o.certFile && o.keyFile ? ['--x509certfile', o.certFile, '--x509keyfile', o.keyFile] : []),
    ...(o.priority ? ['--priority', o.priority] : []),
    '-p', String(o.port),
    host,
  ];
}

/** GnuTLS status reasons (gnutls_certificate_verification_status_print, lib/cert-session.c) → kinds. */
const STATUS_REASONS: [RegExp, string][] = [
  [/The certificate chain is revoked\./, 'revoked'],
  [/The certificate issuer is unknown\./, 'issuer-unknown'],
  [/The certificate issuer is not a CA\./, 'issuer-not-ca'],
  [/The certificate chain violates the signer's constraints\./, 'signer-constraints'],
  [/The certificate chain does not match the intended purpose\./, 'purpose'],
  [/The certificate chain uses insecure algorithm\./, 'insecure-algorithm'],
  [/The certificate chain uses not yet valid certificate\./, 'not-yet-valid'],
  [/The certificate chain uses expired certificate\./, 'expired'],
  [/The signature in the certificate is invalid\./, 'signature-failure'],
  [/The name in the certificate does not match the expected\./, 'name-mismatch'],
  [/The certificate contains an unknown critical extension\./, 'unknown-critical-extension'],
];

export interface GnutlsRun {
  rc: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** The stable outcome of one gnutls-cli run (the `code` of a failed PeerResult is the kind). */
export function parseGnutlsRun(run: GnutlsRun): Omit<PeerResult, 'ms'> {
  const text = `${run.stdout}\n${run.stderr}`;
  const status = /^- Status: (.*)$/m.exec(text)?.[1]?.trim();
  const verifyFailed = /^\*\*\* (PKI verification of|Verifying) server certificate failed/m.test(text);
  const completed = /^- Handshake was completed/m.test(text);
  const protocol = /^- Description: \((TLS[\d.]+)/m.exec(text)?.[1];
  const chain = [...text.matchAll(/^ - subject `([^']*)'/gm)].map((m) => /(?:^|,)CN=([^,]*)/.exec(m[1]!)?.[1] ?? m[1]!);
  if (status !== undefined && /NOT trusted/.test(status)) {
    const reasons = STATUS_REASONS.filter(([re]) => re.test(status)).map(([, kind]) => kind);
    return { ok: false, code: reasons.length > 0 ? reasons.join('+') : 'not-trusted', message: status, chain };
  }
  if (verifyFailed) return { ok: false, code: 'not-trusted', message: status ?? 'verification failed', chain };
  const alert = /^\*\*\* Received alert \[\d+\]: (.*)$/m.exec(text)?.[1]?.trim();
  const fatal = /^\*\*\* (?:Fatal error|Handshake has failed|Error): (.*)$/m.exec(text)?.[1]?.trim() ?? /^(?:\*\*\* )?GnuTLS error: (.*)$/m.exec(text)?.[1]?.trim();
  if (alert) return { ok: false, code: `alert:${slug(alert)}`, message: alert, ...(completed ? { protocol, chain } : {}) };
  if (run.timedOut) return { ok: false, code: 'TIMEOUT', message: 'gnutls-cli did not finish in time' };
  if (/Could not connect|Connection refused/i.test(text)) return { ok: false, code: 'ECONNREFUSED', message: 'connection refused' };
  if (run.rc === 0 && completed) return { ok: true, ...(protocol ? { protocol } : {}), chain };
  if (fatal) return { ok: false, code: HANDSHAKE_ERRORS.find(([re]) => re.test(fatal))?.[1] ?? `handshake:${slug(fatal)}`, message: fatal };
  return { ok: false, code: 'error', message: `gnutls-cli rc ${run.rc}: ${text.trim().split('\n').slice(-3).join(' | ')}` };
}

/** GnuTLS errors that end a handshake before any certificate status (gnutls_strerror texts) → kinds. */
const HANDSHAKE_ERRORS: [RegExp, string][] = [
  // The leaf's key usage does not allow what the handshake needs (no digitalSignature).
  [/^Key usage violation in certificate has been detected/, 'key-usage-violation'],
];

function slug(text: string): string {
  return text.replace(/\.$/, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function runOnce(o: GnutlsProbeOptions, trustFile: string, timeoutMs: number): Promise<GnutlsRun> {
  return new Promise((resolve) => {
    const child = spawn(GNUTLS_CLI, gnutlsArgs(o, trustFile), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    let grace: NodeJS.Timeout | undefined;
    child.stdin.on('error', () => undefined); // it may exit before reading
    if (o.certFile) {
      // Keep the session up a moment for Kamailio's verdict on the client certificate.
      child.stdin.write('\r\n\r\n');
      grace = setTimeout(() => child.stdin.end(), CLIENT_CERT_GRACE_MS);
    } else child.stdin.end();
    child.once('error', (e) => {
      stderr += `spawn error: ${e.message}\n`;
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      clearTimeout(grace);
      resolve({ rc: code, stdout, stderr, timedOut });
    });
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** gnutls-cli connecting to Kamailio: what a GnuTLS peer sees. */
export async function probeGnutlsClient(o: GnutlsProbeOptions): Promise<PeerResult & { raw: string }> {
  const t0 = Date.now();
  const limit = o.timeoutMs ?? 3000;
  // gnutls-cli takes one CA file: several trust files are joined into a temporary one, outside
  // the case folder (sip-tls must not find it there).
  const tmp = o.trustFiles.length === 1 ? undefined : mkdtempSync(join(tmpdir(), 'sip-tls-gnutls-'));
  const trustFile = tmp ? join(tmp, 'trust.pem') : o.trustFiles[0]!;
  if (tmp) writeFileSync(trustFile, o.trustFiles.map((f) => readFileSync(f, 'utf8')).join('\n'));
  try {
    for (;;) {
      const run = await runOnce(o, trustFile, Math.max(500, limit - (Date.now() - t0)));
      const r = parseGnutlsRun(run);
      if (r.code === 'ECONNREFUSED' && Date.now() - t0 < limit) {
        await sleep(50);
        continue;
      }
      return { ...r, ms: Date.now() - t0, raw: `${GNUTLS_CLI} ${gnutlsArgs(o, trustFile).join(' ')}\nrc ${run.rc}\n${run.stdout}\n${run.stderr}` };
    }
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The GnuTLS priority string for a Node client's versions and ciphers: NORMAL restricted to the
 * same TLS versions (`DEFAULT@SECLEVEL=0` has no GnuTLS spelling; NORMAL with the old versions
 * enabled is what an old GnuTLS client offers).
 */
export function priorityFor(peer: Extract<CertPeer, { kind: 'client' }>): string | undefined {
  if (!peer.minVersion && !peer.maxVersion) return undefined;
  const order = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as const;
  const gnutlsName = { TLSv1: 'TLS1.0', 'TLSv1.1': 'TLS1.1', 'TLSv1.2': 'TLS1.2', 'TLSv1.3': 'TLS1.3' } as const;
  const from = order.indexOf(peer.minVersion ?? 'TLSv1.2');
  const to = order.indexOf(peer.maxVersion ?? 'TLSv1.3');
  return ['NORMAL', '-VERS-ALL', ...order.slice(from, to + 1).map((v) => `+VERS-${gnutlsName[v]}`)].join(':');
}

/** The gnutls-cli probe of a case (a TLS client peer with `gnutlsExpect`), over its materialized files. */
export function gnutlsProbeFor(c: KamailioCase, m: MaterializedCase): (() => Promise<PeerResult>) | undefined {
  const peer = c.peer;
  if (c.gnutlsExpect === undefined || !peer || peer.kind !== 'client') return undefined;
  const priority = priorityFor(peer);
  const options: GnutlsProbeOptions = {
    port: Number(m.vars.PORT),
    trustFiles: m.trust,
    servername: peer.servername === undefined ? 'sip.example.com' : peer.servername,
    ...(peer.cert && peer.key ? { certFile: join(m.dir, peer.cert), keyFile: join(m.dir, peer.key) } : {}),
    ...(priority ? { priority } : {}),
  };
  return () => probeGnutlsClient(options);
}

/**
 * A case's peer probe followed by its gnutls-cli probe, against the same running Kamailio: the
 * Node result, with the GnuTLS one in `gnutls`.
 */
export function withGnutlsPeer(c: KamailioCase, m: MaterializedCase, node: (() => Promise<PeerResult>) | undefined): (() => Promise<PeerResult>) | undefined {
  const gnutls = gnutlsProbeFor(c, m);
  if (!gnutls || !node) return node;
  return async () => {
    const first = await node();
    let second: PeerResult;
    try {
      second = await gnutls();
    } catch (e) {
      second = { ok: false, code: 'PROBE_FAILED', message: e instanceof Error ? e.message : String(e), ms: 0 };
    }
    return { ...first, gnutls: second };
  };
}

/** `ok`, or the failure kind, of the GnuTLS peer of a run. */
export function gnutlsOutcome(run: CaseRun): string | undefined {
  const g = run.verdict.peer?.gnutls;
  if (!g) return undefined;
  return g.ok ? 'ok' : (g.code ?? 'error');
}

/** '' when the GnuTLS peer saw what the case says, otherwise what differs. */
export function gnutlsMismatch(c: KamailioCase, run: CaseRun): string {
  if (c.gnutlsExpect === undefined || !run.verdict.started) return '';
  const got = gnutlsOutcome(run);
  if (got === c.gnutlsExpect) return '';
  const g = run.verdict.peer?.gnutls as (PeerResult & { raw?: string }) | undefined;
  const raw = g?.raw ? `\n--- gnutls-cli (tail)\n${g.raw.trim().split('\n').slice(-12).join('\n')}` : '';
  return `expected gnutls-cli to see ${c.gnutlsExpect}, it saw ${got ?? 'nothing (no gnutls probe ran)'}${g?.message ? ` (${g.message})` : ''}${raw}`;
}
