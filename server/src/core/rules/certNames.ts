// The SIP domains a server must answer for — sipTls.sipDomains and the host names of `alias=`
// lines in kamailio.cfg — against the certificates of the server profiles. Kamailio itself never
// checks names (reference §1.6); the peers do. A domain is fine when some server profile's
// certificate covers it, or when an SNI profile (server_name) serves it — that profile's own
// check then applies. Otherwise the finding goes on the default server profile's certificate:
// that is what a peer gets when it asks for the domain.
import { isIP } from 'node:net';
import type { RelatedLocation } from '../types';
import { addressOnlyInCommonName, CoverageIndex, coveredNamesListing } from '../pki/names';
import { firstListed, listingOf } from '../listing';
import { Reporter } from './report';
import { PkiRun, quoteName, subject, type CertProfile, type FileRef } from './certContext';
import type { CertificateModel } from '../pki/certificate';
import type { LoadedSlot } from './certificates';

interface WantedDomain {
  name: string;
  /** Where it comes from, for the message. */
  source: string;
  related?: RelatedLocation;
}

function wantedDomains(run: PkiRun): WantedDomain[] {
  const out = new Map<string, WantedDomain>();
  for (const d of run.deployment.settings.sipDomains) {
    const name = d.trim().toLowerCase().replace(/\.$/, '');
    if (name && !out.has(name)) out.set(name, { name, source: 'sipTls.sipDomains' });
  }
  for (const a of run.deployment.kamailio?.aliases ?? []) {
    const name = a.host.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
    // Host names only: an IP alias or a bare name such as localhost is not what peers check.
    if (!name || isIP(name) || !name.includes('.') || out.has(name)) continue;
    out.set(name, { name, source: `alias=${a.host}`, related: { file: a.file, range: a.hostRange, message: `alias ${a.host}` } });
  }
  return [...out.values()];
}

/** The server_name of an SNI server profile with its server_name_mode, normalised once per run. */
interface SniName {
  name: string;
  /** `.name`: what a subdomain ends with. */
  suffix: string;
  mode: 0 | 1 | 2;
}

function sniName(profile: CertProfile): SniName | undefined {
  if (profile.view.role !== 'server') return undefined;
  const name = profile.view.get('server_name')?.value.trim().toLowerCase().replace(/\.$/, '');
  if (!name) return undefined;
  const modeValue = Number(profile.view.get('server_name_mode')?.value ?? '0');
  return { name, suffix: `.${name}`, mode: modeValue === 1 || modeValue === 2 ? modeValue : 0 };
}

/**
 * The domains the SNI profiles serve, by name: every alias= of a fleet is looked up here, so a
 * domain costs one lookup per label instead of one comparison per profile.
 */
class SniIndex {
  /** server_name_mode 0 and 1 serve the name itself. */
  private readonly exact = new Set<string>();
  /** server_name_mode 1 and 2 serve its subdomains. */
  private readonly parents = new Set<string>();

  constructor(names: readonly SniName[]) {
    for (const n of names) {
      if (n.mode !== 2) this.exact.add(n.name);
      if (n.mode !== 0) this.parents.add(n.name);
    }
  }

  serves(domain: string): boolean {
    if (this.exact.has(domain)) return true;
    for (let i = domain.indexOf('.'); i >= 0; i = domain.indexOf('.', i + 1)) if (this.parents.has(domain.slice(i + 1))) return true;
    return false;
  }
}

export function checkDomainCoverage(run: PkiRun, leaves: Map<CertProfile, LoadedSlot[]>, out: Reporter): void {
  const wanted = wantedDomains(run);
  if (wanted.length === 0) return;
  const servers = run.profiles.filter((p) => p.view.role === 'server' && !p.sharesServerFiles);
  const defaultProfile = servers.find((p) => p.view.target.kind === 'default');
  if (!defaultProfile) return;
  const defaultSlot = leaves.get(defaultProfile)?.[0];
  if (!defaultSlot) return; // no readable certificate there: other rules say why
  // Every (domain, profile) pair counts: 200 profiles × 200,000 aliases in a fleet, so both
  // sides go through an index.
  const sni = new SniIndex(servers.map(sniName).filter((n): n is SniName => n !== undefined));
  const certificates = new CoverageIndex(servers.flatMap((p) => (leaves.get(p) ?? []).map((s) => s.leaf)));
  const missing = wanted.filter((d) => !sni.serves(d.name) && !certificates.coversHost(d.name));
  if (missing.length === 0) return;
  const names = listingOf(missing, (d) => `${d.name} (${d.source})`);
  const related = firstListed(missing.filter((d) => d.related)).map((d) => d.related!);
  const ref = defaultSlot.ref;
  const one = missing.length === 1;
  out.add(
    'cert.name-mismatch',
    ref.file,
    ref.range,
    `${subject(defaultProfile, ref)}: ${quoteName(defaultSlot.leaf)} covers ${coveredNamesListing(defaultSlot.leaf) || 'no name at all'}, not the SIP domain${one ? '' : 's'} ${names}, and no server profile serves ${one ? 'it' : 'them'} with a certificate that does: peers that connect to ${one ? 'that domain' : 'those domains'} and check the name reject the certificate. Add the name${one ? '' : 's'} to the certificate (SAN), or add a profile with server_name and a certificate for ${one ? 'it' : 'each'}.`,
    { related },
  );
}

/**
 * A server certificate whose only name is an IP address in the subject CN, without any
 * subjectAltName: no peer matches it. An address is compared with the SAN's IP entries only
 * (OpenSSL X509_check_ip and SSL_set1_host, Node's checkServerIdentity, GnuTLS, Python — all
 * measured: "IP address mismatch"), and a host name never equals the address in the CN
 * ("hostname mismatch"). Reported instead of cert.name-mismatch for the profile's server_name:
 * one cause, one finding. Returns whether it was reported.
 */
export function reportAddressInCommonName(profile: CertProfile, ref: FileRef, leaf: CertificateModel, out: Reporter): boolean {
  const address = addressOnlyInCommonName(leaf);
  if (!address) return false;
  const serverName = profile.view.get('server_name')?.value.trim();
  const sni = serverName ? ` — the server_name ${serverName} included` : '';
  out.add(
    'cert.ip-in-cn-only',
    ref.file,
    ref.range,
    `${subject(profile, ref)}: ${quoteName(leaf)} names the address ${address} only in its subject CN and has no subjectAltName: peers compare an address with the subjectAltName's IP entries only (OpenSSL: "IP address mismatch"; Node and GnuTLS alike), and a host name never matches an address ("hostname mismatch")${sni}, so every peer that checks the name rejects it, whether it connects by address or by name. Kamailio itself never checks names. Issue the certificate with subjectAltName = IP:${address}${serverName && serverName !== address ? `, DNS:${serverName}` : ''}.`,
  );
  return true;
}
