// `runProbe`: one live TLS connection to a SIP server, as `openssl s_client` would make, judged
// the way a SIP peer judges it. The connection is made with rejectUnauthorized:false and the
// verification is read afterwards (authorized/authorizationError, tls.checkServerIdentity) so that
// the report shows the chain also when it does not verify: that is when it is needed most.
import { readFileSync } from 'node:fs';
import { isIP, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { afterHandshake, connectTcp, handshake, type Clock, type Step } from './connect';
import { readTlv } from '../pki/asn1';
import { parseName } from '../pki/certificate';
import { scanPem } from '../pki/pem';
import { chainFacts } from './chainFacts';
import { decide } from './verdict';
import { SipResponseReader, buildOptions } from './sip';
import { TapStream } from './tap';
import { hostPort } from './target';
import { verifyReason } from './explain';
import { readServerFlight } from './wire';
import { DEFAULT_TIMEOUT_MS, type ProbeError, type ProbeOptions, type ProbeReport } from './types';

/** How long to wait after a TLS 1.3 handshake for the server's verdict on the client certificate. */
const CLIENT_CERT_GRACE_MS = 1000;
/** A SIP response head larger than this is not a SIP server talking. */
const MAX_SIP_BYTES = 64 * 1024;

type Draft = Omit<ProbeReport, 'ok' | 'verdict' | 'problems'>;

function setupError(what: string, e: unknown): ProbeError {
  const message = e instanceof Error ? tlsMessage(e) : String(e);
  return { phase: 'setup', code: (e as NodeJS.ErrnoException)?.code ?? 'SETUP', message: `${what}: ${message}`, explanation: `Fix ${what} and try again.` };
}

/** An OpenSSL message without anything that could echo file contents. */
function tlsMessage(e: Error): string {
  return (e.message.split('\n')[0] ?? '').replace(/error:[0-9A-Fa-f]+:([^:]*):[^:]*:([^:]+).*/, '$1: $2');
}

function isProbeError(x: unknown): x is ProbeError {
  return typeof x === 'object' && x !== null && 'phase' in x && 'explanation' in x;
}

function readPem(file: string, what: string): Buffer | ProbeError {
  try {
    return readFileSync(file);
  } catch (e) {
    return setupError(`${what} ${file}`, e);
  }
}

/** The secure context: trust, client certificate, versions, ciphers. */
function context(o: ProbeOptions): tls.SecureContext | ProbeError {
  const parts: tls.SecureContextOptions = {};
  if (o.caFile) {
    const ca = readPem(o.caFile, '--ca');
    if (isProbeError(ca)) return ca;
    // Node silently accepts a file without any certificate, and would then trust nothing.
    if (!scanPem(ca).blocks.some((b) => b.label === 'CERTIFICATE')) return setupError(`--ca ${o.caFile}`, new Error('no PEM certificate (-----BEGIN CERTIFICATE-----) in it'));
    parts.ca = ca;
  }
  if (o.certFile || o.keyFile) {
    if (!o.certFile || !o.keyFile) return setupError('--cert/--key', new Error('both are needed for a client certificate'));
    const cert = readPem(o.certFile, '--cert');
    if (isProbeError(cert)) return cert;
    const key = readPem(o.keyFile, '--key');
    if (isProbeError(key)) return key;
    parts.cert = cert;
    parts.key = key;
  }
  if (o.minVersion) parts.minVersion = o.minVersion;
  if (o.maxVersion) parts.maxVersion = o.maxVersion;
  if (o.ciphers) parts.ciphers = o.ciphers;
  try {
    return tls.createSecureContext(parts);
  } catch (e) {
    const what = /cipher/i.test(String((e as Error).message)) ? '--cipher' : o.certFile ? '--ca/--cert/--key' : o.caFile ? '--ca' : 'the TLS options';
    return setupError(what, e);
  }
}

/** A report with nothing known yet (also the start of a `setup` error report, see index.ts). */
export function emptyDraft(o: ProbeOptions, servername: string | null): Draft {
  return {
    version: 1,
    target: { host: o.host, port: o.port, address: null, servername, trust: o.caFile ?? 'public roots' },
    error: null,
    tls: null,
    chain: [],
    chainSource: null,
    trustAnchor: null,
    verification: null,
    hostname: null,
    clientCertificate: { requested: null, offered: Boolean(o.certFile && o.keyFile), acceptableCas: [], refusal: null },
    sip: null,
    timings: { dnsMs: null, connectMs: null, handshakeMs: null, sipMs: null, totalMs: 0 },
  };
}

/** Runs one probe. Never rejects: every failure is a report with `error` set. */
export async function runProbe(o: ProbeOptions, signal?: AbortSignal): Promise<ProbeReport> {
  const t0 = performance.now();
  const budgetMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock: Clock = { left: () => budgetMs - (performance.now() - t0), budgetMs, ...(signal ? { signal } : {}) };
  // An IP literal is never sent as SNI (RFC 6066 §3); the identity is then checked as an address.
  const checkedName = o.servername ?? o.host;
  const servername = isIP(checkedName) === 0 ? checkedName : null;
  const draft = emptyDraft(o, servername);
  const done = (): ProbeReport => {
    draft.timings.totalMs = Math.round(performance.now() - t0);
    return decide(draft, o);
  };

  const ctx = context(o);
  if (isProbeError(ctx)) {
    draft.error = ctx;
    return done();
  }
  const target = hostPort(o.host, o.port);
  if (signal?.aborted) {
    draft.error = { phase: 'aborted', code: 'ABORTED', message: 'cancelled', explanation: 'The probe was cancelled.' };
    return done();
  }
  const tcp = await connectTcp(o.host, o.port, target, clock, o.lookup);
  if (!tcp.ok) {
    draft.error = tcp.error;
    return done();
  }
  draft.target.address = tcp.value.address;
  draft.timings.dnsMs = tcp.value.dnsMs;
  draft.timings.connectMs = tcp.value.connectMs;

  const tap = new TapStream(tcp.value.socket);
  let serverSecret: Buffer | undefined;
  const offered = draft.clientCertificate.offered;
  let socket: tls.TLSSocket;
  try {
    // checkServerIdentity is a no-op here: Node would otherwise fold a name mismatch into
    // authorizationError, and the report keeps "chain trusted" and "name matches" apart.
    socket = tls.connect({
      socket: tap,
      secureContext: ctx,
      rejectUnauthorized: false,
      checkServerIdentity: () => undefined,
      ...(servername ? { servername } : {}),
    });
  } catch (e) {
    tap.destroy();
    draft.error = setupError('the TLS options', e);
    return done();
  }
  socket.on('keylog', (line: Buffer) => {
    const [label, , secret] = line.toString('latin1').trim().split(' ');
    if (label === 'SERVER_HANDSHAKE_TRAFFIC_SECRET' && secret) serverSecret = Buffer.from(secret, 'hex');
  });
  // Errors after a step has settled must not become uncaught exceptions.
  socket.on('error', () => undefined);
  try {
    const hs = await handshake(socket, clock, offered, target);
    const flight = readServerFlight(tap.received(), serverSecret);
    tap.stopRecording();
    if (flight.certificateRequested !== undefined) draft.clientCertificate.requested = flight.certificateRequested;
    draft.clientCertificate.acceptableCas = flight.acceptableCas.map(nameText);
    if (!hs.ok) {
      draft.error = hs.error;
      if (/certificate required/i.test(hs.error.message)) draft.clientCertificate.requested = true;
      noteRefusal(draft, hs.error);
      // The chain may still have been read from the wire before the server gave up.
      if (flight.certificates) Object.assign(draft, chainFacts(flight.certificates, undefined, o.now ?? new Date()));
      return done();
    }
    draft.timings.handshakeMs = hs.value;
    const cipher = socket.getCipher();
    const eph = socket.getEphemeralKeyInfo();
    draft.tls = {
      protocol: socket.getProtocol() ?? 'unknown',
      cipher: cipher.standardName || cipher.name,
      keyExchange: eph && 'name' in eph && eph.name ? `${eph.name} (${eph.size} bits)` : null,
    };
    const peer = socket.getPeerCertificate(true);
    Object.assign(draft, chainFacts(flight.certificates, peer, o.now ?? new Date()));
    const code = socket.authorized ? null : String(socket.authorizationError ?? 'UNKNOWN');
    draft.verification = code === null ? { trusted: true, code: null, reason: null, explanation: null } : { trusted: false, code, ...verifyReason(code) };
    const identity = Object.keys(peer).length > 0 ? tls.checkServerIdentity(checkedName, peer) : new Error('the server sent no certificate');
    draft.hostname = { checked: checkedName, matches: identity === undefined, reason: identity ? identity.message : null };

    let after = await clientCertVerdict(socket, clock, draft);
    if (after.ok && o.sipOptions) after = await sipExchange(socket, tcp.value.socket, o, clock, draft);
    if (!after.ok) {
      draft.error = after.error;
      noteRefusal(draft, after.error);
    }
    return done();
  } finally {
    socket.destroy();
    tap.destroy();
  }
}

function nameText(der: Buffer): string {
  try {
    // A DistinguishedName is an X.509 Name: read it the way certificate subjects are read.
    return parseName(der, readTlv(der, 0)).text;
  } catch {
    return `(unreadable name, ${der.length} bytes)`;
  }
}

/** A refusal that concerns the client certificate (or its absence) is reported as such. */
function noteRefusal(draft: Draft, error: ProbeError): void {
  const cc = draft.clientCertificate;
  const aboutCert = /certificate required|unknown ca|bad certificate|certificate unknown|certificate expired|unsupported certificate|certificate revoked/i.test(error.message);
  // TLS 1.2 has no "certificate required" alert: a server that asked (CertificateRequest seen)
  // and got none ends the handshake with a plain handshake_failure.
  const missingIn12 = cc.requested === true && !cc.offered && /handshake failure/i.test(error.message);
  if (!aboutCert && !missingIn12) return;
  cc.refusal = error.message;
  error.phase = 'client-certificate';
  if (missingIn12) {
    error.explanation = 'The server asked for a client certificate and ended the handshake when none came: it requires one (Kamailio: verify_certificate = yes, require_certificate = yes). Use --cert and --key.';
  }
}

/**
 * In TLS 1.3 the client finishes its handshake before the server has judged the client
 * certificate (or its absence): a refusal arrives as an alert about one round trip later. So when
 * the server asked for a certificate, wait for that alert before writing anything: a write into a
 * connection the server is closing fails with EPIPE and hides the alert. A NewSessionTicket
 * ('session') means the server has read our Finished and carried on: accepted.
 */
async function clientCertVerdict(socket: tls.TLSSocket, clock: Clock, draft: Draft): Promise<Step<undefined>> {
  const fine: Step<undefined> = { ok: true, value: undefined };
  if (draft.tls?.protocol !== 'TLSv1.3' || draft.clientCertificate.requested === false) return fine;
  const waitMs = Math.min(CLIENT_CERT_GRACE_MS, Math.max(200, 3 * (draft.timings.handshakeMs ?? 0) + 100));
  const r = await afterHandshake<undefined>(
    socket,
    clock,
    draft.clientCertificate.offered,
    () => fine,
    () => ({
      ok: false,
      error: {
        phase: 'client-certificate',
        code: 'CLOSED',
        message: 'connection closed right after the handshake',
        explanation: 'The server asked for a client certificate and closed the connection once the handshake was done: it refused the certificate given, or the absence of one.',
      },
    }),
    () => ({ phase: 'timeout', code: 'GRACE', message: '', explanation: '' }),
    waitMs,
    { event: 'session', value: undefined },
  );
  if (!r.ok && r.error.code === 'CLOSED') draft.clientCertificate.refusal = r.error.message;
  return !r.ok && r.error.code === 'GRACE' ? fine : r;
}

async function sipExchange(socket: tls.TLSSocket, raw: Socket, o: ProbeOptions, clock: Clock, draft: Draft): Promise<Step<undefined>> {
  const request = buildOptions(o.host, o.port, { address: raw.localAddress ?? '0.0.0.0', port: raw.localPort ?? 0 }, o.userAgent ?? 'sip-tls');
  const sip: NonNullable<Draft['sip']> = { request: request.requestLine, statusLine: null, status: null, provisional: [], server: null };
  draft.sip = sip;
  const t0 = performance.now();
  const reader = new SipResponseReader();
  socket.write(request.text);
  const r = await afterHandshake<undefined>(
    socket,
    clock,
    draft.clientCertificate.offered,
    (chunk) => {
      for (const response of reader.push(chunk)) {
        if (response.server) sip.server = response.server;
        if (response.status < 200) {
          sip.provisional.push(response.statusLine);
          continue;
        }
        sip.statusLine = response.statusLine;
        sip.status = response.status;
        draft.timings.sipMs = Math.round(performance.now() - t0);
        return { ok: true, value: undefined };
      }
      if (reader.pending > MAX_SIP_BYTES) return { ok: false, error: { phase: 'sip', code: 'NOT_SIP', message: 'no SIP response head in 64 KiB', explanation: 'The server answered with something that is not SIP.' } };
      return undefined;
    },
    () => ({
      ok: false,
      error: { phase: 'sip', code: 'CLOSED', message: 'connection closed without a SIP response', explanation: 'The server closed the TLS connection instead of answering the OPTIONS request: its routing script may drop it, or it refused the client certificate after the handshake.' },
    }),
    () => ({
      phase: 'timeout',
      code: 'TIMEOUT',
      message: `no final SIP response within ${clock.budgetMs} ms`,
      explanation: 'The TLS connection works but the OPTIONS request got no final answer: the request_route may ignore OPTIONS (Kamailio answers them only when the script does, e.g. sl_send_reply("200","OK")).',
    }),
  );
  if (!r.ok && r.error.phase === 'client-certificate' && !/certificate|unknown ca/i.test(r.error.message)) r.error.phase = 'sip';
  return r;
}
