// The probe's input and its report. The report is also the `--format json` document of
// `sip-tls probe` (version 1): every field is always present, `null` when it does not apply or is
// not known, so that scripts can rely on the shape. Nothing in it is key material.
import type { LookupFunction } from 'node:net';
import type { CertificateFacts } from '../features/certificateDetails';

export type TlsVersionName = 'TLSv1.2' | 'TLSv1.3';

export interface ProbeOptions {
  /** Host name or IP literal (IPv6 without brackets). */
  host: string;
  port: number;
  /** SNI and the name checked; undefined = HOST unless it is an IP literal (then no SNI). */
  servername?: string;
  /** Trust anchors (PEM file); undefined = Node's public roots. */
  caFile?: string;
  /** Client certificate (chain) and key for mutual TLS, PEM files. */
  certFile?: string;
  keyFile?: string;
  minVersion?: TlsVersionName;
  maxVersion?: TlsVersionName;
  /** OpenSSL cipher list (TLS 1.2 ciphers and TLS 1.3 suites alike). */
  ciphers?: string;
  /** Send a SIP OPTIONS request over the connection and wait for a final response. */
  sipOptions?: boolean;
  /** Budget for everything: connect, handshake and the SIP answer (default 5000 ms). */
  timeoutMs?: number;
  /** User-Agent of the OPTIONS request. */
  userAgent?: string;
  /** For tests: the instant certificates are judged against (default: now). */
  now?: Date;
  /** For tests: a resolver in place of the system's (node:net `lookup` signature). */
  lookup?: LookupFunction;
}

export const DEFAULT_PORT = 5061;
export const DEFAULT_TIMEOUT_MS = 5000;

/** Where a probe stopped. `setup`: a local problem (unreadable --ca/--cert/--key, bad cipher list). */
export type ProbePhase = 'setup' | 'dns' | 'connect' | 'handshake' | 'client-certificate' | 'sip' | 'timeout' | 'aborted';

export interface ProbeError {
  phase: ProbePhase;
  /** Node/OpenSSL code, e.g. ECONNREFUSED, ERR_SSL_TLSV1_ALERT_UNKNOWN_CA, TIMEOUT. */
  code: string;
  /** The short technical reason, e.g. "tlsv1 alert unknown ca". */
  message: string;
  /** What it means, in plain words. */
  explanation: string;
}

export interface ChainCertificate extends CertificateFacts {
  /** Position in the Certificate message (0 = the server's own certificate). */
  position: number;
}

export interface ProbeReport {
  version: 1;
  target: {
    host: string;
    port: number;
    /** The address connected to (after DNS). */
    address: string | null;
    /** The SNI sent; null = none (IP literal). */
    servername: string | null;
    /** The trust used: the --ca file, or "public roots". */
    trust: string;
  };
  /** Handshake done, chain verifies, name matches (and with --options a final SIP response). */
  ok: boolean;
  /** One line, the answer first. */
  verdict: string;
  /** Everything that is wrong, one sentence each (empty when ok). */
  problems: string[];
  error: ProbeError | null;
  tls: {
    protocol: string;
    cipher: string;
    /** Key exchange, e.g. "X25519 (253 bits)"; null when Node does not say. */
    keyExchange: string | null;
  } | null;
  /** The certificates the server sent, in the order sent. */
  chain: ChainCertificate[];
  /** "wire": read from the Certificate message; "node": rebuilt by Node (may include a store root). */
  chainSource: 'wire' | 'node' | null;
  /** The trusted root the chain ends at when the server did not send it; null otherwise. */
  trustAnchor: CertificateFacts | null;
  verification: {
    trusted: boolean;
    /** OpenSSL's code, e.g. UNABLE_TO_GET_ISSUER_CERT_LOCALLY; null when trusted. */
    code: string | null;
    /** OpenSSL's words, e.g. "unable to get local issuer certificate". */
    reason: string | null;
    explanation: string | null;
  } | null;
  hostname: {
    /** The name (or IP) checked against the certificate. */
    checked: string;
    matches: boolean;
    reason: string | null;
  } | null;
  clientCertificate: {
    /** Whether the server sent a CertificateRequest; null = could not be told. */
    requested: boolean | null;
    /** Whether --cert/--key were given (and so presented when asked). */
    offered: boolean;
    /** Distinguished names from the CertificateRequest's certificate_authorities. */
    acceptableCas: string[];
    /** How the server answered the client certificate (or its absence), when it refused. */
    refusal: string | null;
  };
  sip: {
    request: string;
    /** The final status line, e.g. "SIP/2.0 200 OK"; null when none came. */
    statusLine: string | null;
    status: number | null;
    /** Provisional responses before the final one. */
    provisional: string[];
    /** The Server (or User-Agent) header of the response. */
    server: string | null;
  } | null;
  timings: {
    dnsMs: number | null;
    connectMs: number | null;
    handshakeMs: number | null;
    sipMs: number | null;
    totalMs: number;
  };
}
