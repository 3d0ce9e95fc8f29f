// Does a certificate cover a name? node:crypto's checkHost/checkIP decide (OpenSSL's
// X509_check_host: DNS SANs, the subject CN only when there is no DNS SAN, a wildcard in the
// left-most label only). On top: Kamailio's server_name_mode (reference §1.4, §1.10) —
// 0 the exact name, 1 the name and its subdomains, 2 only its subdomains.
import { isIP } from 'node:net';
import type { CertificateModel } from './certificate';
import { listing } from '../listing';

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

/** coveredNames as a bounded listing (listing.ts), once per certificate: every profile's finding quotes it. */
export function coveredNamesListing(cert: CertificateModel): string {
  let text = coveredListings.get(cert);
  if (text === undefined) {
    text = listing(coveredNames(cert));
    coveredListings.set(cert, text);
  }
  return text;
}

const coveredListings = new WeakMap<CertificateModel, string>();

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
    const quick = dnsIndex(cert).answer(host);
    if (quick !== undefined) return quick;
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
  return dnsIndex(cert).hasNameBelow(lower);
}

/**
 * A certificate's DNS SANs indexed so that a name is answered without a scan: one certificate
 * with thousands of SANs is asked about every server_name and every alias= of a fleet, and
 * checkHost reads every SAN each time. Only answers checkHost would give are given: an exact
 * SAN matches; a name no exact SAN and no wildcard of its parent domain can match is not
 * covered — while the certificate has a DNS SAN (else OpenSSL falls back to the CN) and every
 * SAN is plain ASCII (else OpenSSL's rules for odd names decide). Anything else: undefined,
 * and checkHost decides.
 */
class DnsNameIndex {
  readonly exact = new Set<string>();
  /** Parent domains (`example.com`) of wildcard SANs (`*.example.com`, `f*.example.com`). */
  readonly wildcardParents = new Set<string>();
  /** `.example.com` for every SAN below example.com that does not start with a wildcard. */
  private readonly explicitSuffixes = new Set<string>();
  /** Whether a name neither exact nor under a wildcard parent is surely not covered. */
  readonly decisive: boolean;

  constructor(dnsNames: readonly string[]) {
    let plain = dnsNames.length > 0;
    for (const raw of dnsNames) {
      const name = raw.toLowerCase();
      if (!PLAIN_NAME.test(name) || name.endsWith('.')) plain = false;
      const dot = name.indexOf('.');
      if (!name.startsWith('*')) for (let i = dot; i >= 0; i = name.indexOf('.', i + 1)) this.explicitSuffixes.add(name.slice(i));
      if (name.includes('*')) {
        // A wildcard only counts in the left-most label (multiLabelWildcards: false).
        if (dot < 0 || name.lastIndexOf('*') > dot) plain = false;
        else this.wildcardParents.add(name.slice(dot + 1));
      } else this.exact.add(name);
    }
    this.decisive = plain;
  }

  /** checkHost's answer for a host name when the index knows it, else undefined. */
  answer(host: string): boolean | undefined {
    // A host with a star is matched against patterns by OpenSSL's own rules.
    if (!PLAIN_NAME.test(host) || host.includes('*')) return undefined;
    const lower = host.toLowerCase();
    if (this.exact.has(lower)) return true;
    const dot = lower.indexOf('.');
    if (dot >= 0 && this.wildcardParents.has(lower.slice(dot + 1))) return undefined;
    return this.decisive ? false : undefined;
  }

  /** An explicit SAN ends with `.name` (name in lower case). */
  hasNameBelow(name: string): boolean {
    return this.explicitSuffixes.has(`.${name}`);
  }
}

/** Printable ASCII without spaces: names OpenSSL compares byte by byte, case-insensitively. */
const PLAIN_NAME = /^[\x21-\x7e]+$/;

const dnsIndexes = new WeakMap<CertificateModel, DnsNameIndex>();

function dnsIndex(cert: CertificateModel): DnsNameIndex {
  let index = dnsIndexes.get(cert);
  if (!index) {
    index = new DnsNameIndex(cert.dnsNames);
    dnsIndexes.set(cert, index);
  }
  return index;
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

/**
 * Whether some certificate of a set covers a host name, for many names: the domains of a
 * fleet's 200,000 alias= lines against the certificates of its server profiles. Each name asks
 * only the certificates that can cover it — the one with it as an exact SAN, those with a
 * wildcard of its parent domain, and those whose SANs the index cannot decide on (no DNS SAN,
 * odd names) — instead of every certificate.
 */
export class CoverageIndex {
  private readonly all: CertificateModel[];
  private readonly byExactName = new Map<string, CertificateModel>();
  private readonly byWildcardParent = new Map<string, CertificateModel[]>();
  private readonly undecided: CertificateModel[] = [];

  constructor(certs: Iterable<CertificateModel>) {
    this.all = [...new Set(certs)];
    for (const cert of this.all) {
      const index = dnsIndex(cert);
      if (!index.decisive) {
        this.undecided.push(cert);
        continue;
      }
      for (const name of index.exact) if (!this.byExactName.has(name)) this.byExactName.set(name, cert);
      for (const parent of index.wildcardParents) {
        const list = this.byWildcardParent.get(parent);
        if (list) list.push(cert);
        else this.byWildcardParent.set(parent, [cert]);
      }
    }
  }

  coversHost(name: string): boolean {
    const host = name.toLowerCase().replace(/\.$/, '');
    if (isIP(host) || !PLAIN_NAME.test(host) || host.includes('*')) return this.all.some((c) => coversHost(c, name));
    const exact = this.byExactName.get(host);
    if (exact && coversHost(exact, name)) return true;
    const dot = host.indexOf('.');
    const wildcards = dot >= 0 ? (this.byWildcardParent.get(host.slice(dot + 1)) ?? []) : [];
    return wildcards.some((c) => coversHost(c, name)) || this.undecided.some((c) => coversHost(c, name));
  }
}
