// Does a certificate cover a name? node:crypto's checkHost/checkIP decide (OpenSSL's
// X509_check_host: DNS SANs, the subject CN only when there is no DNS SAN, a wildcard in the
// left-most label only). On top: Kamailio's server_name_mode (reference §1.4, §1.10) —
// 0 the exact name, 1 the name and its subdomains, 2 only its subdomains.
import { isIP } from 'node:net';
import type { CertificateModel } from './certificate';

/**
 * The names a certificate is valid for, as peers see them: DNS and IP SANs, else the CN — unless
 * the CN is an IP address, which no peer matches (addressOnlyInCommonName).
 */
export function coveredNames(cert: CertificateModel): string[] {
  const names = [...cert.dnsNames, ...cert.ipAddresses];
  const cn = cert.subject.commonName;
  if (cert.dnsNames.length === 0 && cn && !isIP(cn.trim())) names.unshift(`${cn} (CN)`);
  return names;
}

/**
 * The IP address a certificate names only in its subject CN, with no DNS or IP subjectAltName:
 * peers check addresses against IP SANs only, so it names nothing they match.
 */
export function addressOnlyInCommonName(cert: CertificateModel): string | undefined {
  const cn = cert.subject.commonName?.trim();
  if (!cn || !isIP(cn) || cert.dnsNames.length > 0 || cert.ipAddresses.length > 0) return undefined;
  return cn;
}

export function coversHost(cert: CertificateModel, name: string): boolean {
  // Asked for every (profile, name) pair on every check; a parsed certificate stays the same
  // object while its file is unchanged, so each answer is computed once.
  let answers = coverage.get(cert);
  if (!answers) {
    answers = new Map();
    coverage.set(cert, answers);
  }
  let covered = answers.get(name);
  if (covered === undefined) {
    covered = checkCoverage(cert, name);
    if (answers.size < MAX_ANSWERS_PER_CERTIFICATE) answers.set(name, covered);
  }
  return covered;
}

const coverage = new WeakMap<CertificateModel, Map<string, boolean>>();
/** Names typed one keystroke at a time would otherwise pile up for a long-lived server. */
const MAX_ANSWERS_PER_CERTIFICATE = 256;

function checkCoverage(cert: CertificateModel, name: string): boolean {
  const host = name.replace(/\.$/, '');
  try {
    if (isIP(host)) return cert.x509.checkIP(host) !== undefined;
    return cert.x509.checkHost(host, { subject: 'default', wildcards: true, partialWildcards: true, multiLabelWildcards: false, singleLabelSubdomains: false }) !== undefined;
  } catch {
    return false;
  }
}

/** A label no real certificate lists, to ask "does a wildcard cover the subdomains of X". */
const PROBE_LABEL = 'sip-tls-subdomain-probe';

/** Covers some subdomain of `name`: a `*.name` wildcard or an explicit `x.name` SAN. */
export function coversSubdomains(cert: CertificateModel, name: string): boolean {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (coversHost(cert, `${PROBE_LABEL}.${lower}`)) return true;
  return cert.dnsNames.some((n) => n.toLowerCase().endsWith(`.${lower}`) && !n.startsWith('*'));
}

export interface ServerNameCoverage {
  /** What the profile serves is covered. */
  ok: boolean;
  /** The exact name is covered. */
  exact: boolean;
  /** Some subdomain is covered (mode 1 and 2). */
  subdomains: boolean;
  /** What was wanted, in words: `sip.example.com`, `sip.example.com and its subdomains`. */
  wanted: string;
}

export function serverNameCoverage(cert: CertificateModel, serverName: string, mode: number): ServerNameCoverage {
  const exact = coversHost(cert, serverName);
  if (mode === 1) {
    const subdomains = coversSubdomains(cert, serverName);
    return { ok: exact && subdomains, exact, subdomains, wanted: `${serverName} and its subdomains (server_name_mode = 1)` };
  }
  if (mode === 2) {
    const subdomains = coversSubdomains(cert, serverName);
    return { ok: subdomains, exact, subdomains, wanted: `the subdomains of ${serverName} (server_name_mode = 2)` };
  }
  return { ok: exact, exact, subdomains: false, wanted: serverName };
}
