// Peers — `peer.*`: each profile judged against the peers it talks to (peers/connections.ts):
// TLS versions, shared TLS 1.2 suites (asked of OpenSSL, peers/sharedSuites.ts), the key type,
// whether the peer trusts our chain and finds the names it needs, mutual TLS both ways, and
// whether our trust store can verify the peer. Every message names the peer: the generic rules
// say what is wrong, these say who will refuse the handshake because of it.
import type { Deployment } from '../deployment';
import type { Finding, FixData, Range } from '../types';
import { effectiveMethod, profileViews, requiresPeerCertificate, verifiesPeer, type ProfileView } from '../profiles';
import { lookupMethod } from '../tlscfg/schema';
import { suiteKeyClass, type SuiteKeyClass } from '../tlscfg/cipherSuites';
import { certificateModels } from '../pki/bundle';
import { EKU, isoDay, type CertificateModel } from '../pki/certificate';
import { CertificatePool, findLeafIndex } from '../pki/chain';
import { chainAtPeer, sha256Hex } from '../peers/peerTrust';
import { coveredNamesListing, coversHost } from '../pki/names';
import { TLS_VERSIONS, type Peer, type PeerRoot, type TlsVersion } from '../peers/peer';
import { posix } from 'node:path';
import { freeSiblingName } from '../freeName';
import { toPem } from '../pki/der';
import { publicRootPem } from '../peers/peerTrust';
import { peerConnections, type PeerConnections, type PeerLink } from '../peers/connections';
import { sharedSuites } from '../peers/sharedSuites';
import { PkiRun, certProfiles, pointOptionAt, type CertProfile } from './certContext';
import { Reporter, edit, fix, lineStart } from './report';
import { tlsEngineOf } from './wolfssl';
import { listing } from '../listing';
import { checkPeerSrtp } from './peerSrtp';

export function checkPeers(deployment: Deployment, out: Reporter): void {
  const result = peerVerdicts(deployment);
  const anchorFile = deployment.settings.projectFile ?? deployment.mainFile ?? deployment.files()[0];
  for (const u of result.unresolved) if (anchorFile) out.add('peer.unknown', anchorFile, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, `${u.message}.`);
  reportInferred(result.verdicts.map((v) => v.link), out);
  for (const v of result.verdicts) out.findings.push(...v.findings);
  supersedeGenericSuiteFindings(out, result.verdicts.flatMap((v) => v.findings));
  checkPeerSrtp(deployment, result.verdicts.map((v) => v.link), out);
}

/**
 * One owner per defect: where a peer names the suites it needs on a cipher_list, the generic
 * tls.cipher-no-ecdhe on the same value (which can only guess at "peers that accept only ECDHE")
 * is dropped. Certificate findings stay side by side: the generic chain./cert. one explains the
 * defect and carries the fix, the peer one says who refuses the handshake because of it.
 */
function supersedeGenericSuiteFindings(out: Reporter, peerFindings: Finding[]): void {
  const owned = new Set(peerFindings.filter((f) => f.code === 'peer.no-shared-suite' || f.code === 'peer.no-forward-secret-suite').map(rangeKey));
  if (owned.size === 0) return;
  for (let i = out.findings.length - 1; i >= 0; i--) {
    const f = out.findings[i]!;
    if (f.code === 'tls.cipher-no-ecdhe' && owned.has(rangeKey(f))) out.findings.splice(i, 1);
  }
}

const rangeKey = (f: Finding) => `${f.file}:${f.range.start.line}:${f.range.start.character}:${f.range.end.line}:${f.range.end.character}`;

export interface PeerVerdict {
  link: PeerLink;
  /** The peer.* findings of this (profile, peer); none: the handshake is expected to succeed. */
  findings: Finding[];
}

/** Every (profile, peer) pair of the deployment, judged (also for the profile hover). */
export function peerVerdicts(deployment: Deployment): { verdicts: PeerVerdict[]; unresolved: PeerConnections['unresolved'] } {
  if (deployment.settings.peers.length === 0 && deployment.kamailio === undefined) return { verdicts: [], unresolved: [] };
  const views = profileViews(deployment);
  const { links, unresolved } = peerConnections(deployment, views);
  if (links.length === 0) return { verdicts: [], unresolved };
  const profiles = certProfiles(deployment);
  const run = new PkiRun(deployment, profiles);
  const openssl = tlsEngineOf(deployment) === 'tls';
  const verdicts: PeerVerdict[] = [];
  for (const link of links) {
    const profile = profiles.find((p) => p.view === link.view);
    if (!profile) continue;
    const out = new Reporter();
    new PeerJudge(deployment, run, profile, link.peer, link.names, out).judge(openssl);
    verdicts.push({ link, findings: out.findings });
  }
  return { verdicts, unresolved };
}

/** One information per peer inferred, listing its profiles: what sip-tls assumed, and how to say otherwise. */
function reportInferred(links: PeerLink[], out: Reporter): void {
  const byPeer = new Map<string, PeerLink[]>();
  for (const l of links) if (l.how === 'inferred' && l.at) byPeer.set(l.peer.id, [...(byPeer.get(l.peer.id) ?? []), l]);
  for (const group of byPeer.values()) {
    const first = group[0]!;
    const whom = group.map((l) => l.view.label).join(' and ');
    out.add('peer.inferred', first.at!.file, first.at!.range, `${first.peer.name} is a peer of ${whom}: ${first.why}. Its requirements are checked there; to confirm or change the pairing, list it under "peers" in .sip-tls.json (e.g. "${first.peer.id}": { "profiles": ["client:default"] }).`);
  }
}

interface Presented {
  leaf: CertificateModel;
  certs: readonly CertificateModel[];
  leafIndex: number;
}

class PeerJudge {
  private readonly view: ProfileView;
  constructor(
    private readonly deployment: Deployment,
    private readonly run: PkiRun,
    private readonly profile: CertProfile,
    private readonly peer: Peer,
    /** Names the peer dials (declared); empty: the profile's server_name. */
    private readonly names: readonly string[],
    private readonly out: Reporter,
  ) {
    this.view = profile.view;
  }

  private get who(): string {
    return `${this.peer.name} (${this.view.role === 'server' ? 'connecting to' : 'reached through'} ${this.view.label})`;
  }

  judge(openssl: boolean): void {
    const versions = openssl ? this.checkVersions() : undefined;
    const presented = this.presented();
    if (openssl && versions) this.checkSuites(versions, presented);
    const presents = this.view.role === 'server' || this.peer.clientCertificate !== 'none';
    if (presents) this.checkOurCertificate(presented);
    this.checkClientCertificates(presented);
    this.checkTheirRoots();
  }

  /** The versions both sides negotiate, or undefined when our method is reported elsewhere. */
  private checkVersions(): TlsVersion[] | undefined {
    const { value, explicit } = effectiveMethod(this.view);
    const spec = lookupMethod(value);
    if (!spec || spec.unusable) return undefined;
    const platform = this.deployment.settings.platform;
    const seclevel0 = /@SECLEVEL=0/i.test(this.view.get('cipher_list')?.value ?? '');
    const lowest = spec.min === 'SSLv2' || spec.min === 'SSLv3' ? '1.0' : spec.min;
    let ours = TLS_VERSIONS.filter((v) => (spec.exact ? v === lowest : v >= lowest));
    if (!platform.legacyTls && !seclevel0) ours = ours.filter((v) => v >= '1.2');
    if (ours.length === 0) return undefined; // tls.protocol-outdated: no handshake at all
    const both = ours.filter((v) => this.peer.versions.includes(v));
    if (both.length === 0) {
      const fixes = this.methodFix(this.peer.versions);
      this.out.add(
        'peer.version-mismatch',
        explicit?.file ?? this.view.file,
        explicit?.range ?? this.view.anchor,
        `${this.who} negotiates TLS ${this.peer.versions.join(' and ')} only, and method ${value} lets ${this.view.logName} use TLS ${ours.join(' and ')} on ${platform.name}: no version in common, every handshake fails ("unsupported protocol" / "wrong version number").`,
        fixes ? { fixes: [fixes] } : {},
      );
      return undefined;
    }
    return both;
  }

  private methodFix(versions: TlsVersion[]): FixData | undefined {
    const lowest = [...versions].sort()[0]!;
    const value = lowest === '1.3' ? 'TLSv1.3+' : 'TLSv1.2+';
    if (lowest < '1.2') return undefined;
    return this.setOption('method', value, `Use ${value} (what ${this.peer.name} negotiates)`);
  }

  private setOption(name: string, value: string, title: string): FixData | undefined {
    const current = this.view.get(name);
    if (current) {
      const quoted = this.view.source === 'modparam' && current.modparam?.value.kind === 'string';
      return fix(title, [edit(current.file, current.range, quoted ? JSON.stringify(value) : value)], true);
    }
    if (this.view.source === 'tls.cfg') return fix(title, [edit(this.view.file, lineStart(this.view.anchor.start.line + 1), `${name} = ${value}\n`)], true);
    return undefined;
  }

  /** Our certificate(s) as Kamailio presents them (first slot; the second is another key type). */
  private presented(): Presented[] {
    const out: Presented[] = [];
    for (const slot of this.profile.slots) {
      if (!slot.certificate) continue;
      const loaded = this.run.load(slot.certificate, 'certificate');
      if (!loaded.ok) continue;
      const certs = certificateModels(loaded.file);
      if (certs.length === 0) continue;
      const leafIndex = findLeafIndex(certs);
      out.push({ leaf: certs[leafIndex]!, certs, leafIndex });
    }
    return out;
  }

  private checkSuites(versions: TlsVersion[], presented: Presented[]): void {
    if (versions.includes('1.3') || this.peer.suites.length === 0) return; // TLS 1.3 suites are not cipher_list's
    const list = this.view.get('cipher_list');
    const listText = list?.value ?? '';
    // A server authenticates the suite with its certificate's key; a client's suite is the peer's choice.
    const keys: (SuiteKeyClass | undefined)[] =
      this.view.role === 'server' ? presented.map((p) => suiteKeyClass(p.leaf.publicKey.type)).filter((k) => k !== undefined) : [undefined];
    if (keys.length === 0) keys.push(undefined);
    const verdicts = keys.map((k) => sharedSuites(listText, this.peer.suites, k));
    const shared = [...new Set(verdicts.flatMap((v) => v.shared))];
    const judged = this.peer.suites.filter((s) => !verdicts.some((v) => v.unknown.includes(s)));
    if (judged.length === 0) return;
    const where = list ? { file: list.file, range: list.range } : { file: this.view.file, range: this.view.anchor };
    const ourList = list ? `cipher_list ${JSON.stringify(listText)}` : "no cipher_list (OpenSSL's DEFAULT)";
    if (shared.length === 0) {
      const serverKeys = keys.filter((k) => k !== undefined);
      // No cipher_list could help: every suite of the peer needs another key type than ours.
      const keyBound = this.view.role === 'server' && serverKeys.length > 0 && serverKeys.every((k) => sharedSuites('ALL', this.peer.suites, k).shared.length === 0);
      const cause = keyBound
        ? `; none could be: they all authenticate with a key of another type than the certificate's ${presented.map((p) => p.leaf.publicKey.description).join(', ')} — present a certificate of the type they need (certificate2 can hold a second one)`
        : '';
      const fixes: FixData[] = [];
      if (list && !keyBound) {
        const next = `${this.peer.suites.join(':')}:${list.value}`;
        if (keys.some((k) => sharedSuites(next, this.peer.suites, k).shared.length > 0)) fixes.push(this.prependSuites(next, list.file, list.range));
      }
      this.out.add(
        'peer.no-shared-suite',
        where.file,
        where.range,
        `${this.who} accepts only ${listing(this.peer.suites)} over TLS 1.2, and ${ourList} enables none of them for this profile${cause}: every handshake fails ("no shared cipher" / "handshake failure").`,
        fixes.length ? { fixes } : {},
      );
      return;
    }
    const peerForwardSecret = this.peer.suites.some((s) => /^(ECDHE|DHE)-/.test(s));
    const fs = verdicts.flatMap((v) => v.forwardSecret);
    if (fs.length === 0 && peerForwardSecret) {
      this.out.add(
        'peer.no-forward-secret-suite',
        where.file,
        where.range,
        `${this.who}: the suites shared over TLS 1.2 (${listing(shared)}) use RSA key exchange — no forward secrecy, although ${this.peer.name} offers ECDHE suites that ${ourList} leaves out. Put ECDHE suites first.`,
      );
    }
  }

  private prependSuites(next: string, file: string, range: Range): FixData {
    const text = this.view.source === 'modparam' ? JSON.stringify(next) : next;
    return fix(`Add ${this.peer.name}'s suites to cipher_list`, [edit(file, range, text)], true);
  }

  /** What the peer checks in the certificate we present to it. */
  private checkOurCertificate(presented: Presented[]): void {
    const p = presented[0];
    if (!p) return;
    const leaf = p.leaf;
    const at = this.profile.slots[0]?.certificate;
    if (!at) return;
    const ref = { file: at.file, range: at.range };
    if (this.peer.keyTypes.length > 0) {
      const type = leaf.publicKey.type === 'rsa' || leaf.publicKey.type === 'rsa-pss' ? 'rsa' : leaf.publicKey.type === 'ec' ? 'ec' : undefined;
      if (!presented.some((x) => (x.leaf.publicKey.type === 'rsa' ? this.peer.keyTypes.includes('rsa') : x.leaf.publicKey.type === 'ec' && this.peer.keyTypes.includes('ec')))) {
        this.out.add('peer.key-type', ref.file, ref.range, `${this.who} accepts ${this.peer.keyTypes.map((k) => k.toUpperCase()).join(' or ')} certificates only, and ${leaf.displayName} has a ${leaf.publicKey.description} key${type ? '' : ' (neither)'}: the handshake fails. Present a certificate of an accepted type (certificate2 may hold a second one).`);
        return;
      }
    }
    if (this.peer.minRsaBits && leaf.publicKey.type === 'rsa' && (leaf.publicKey.bits ?? 0) < this.peer.minRsaBits) {
      this.out.add('peer.key-type', ref.file, ref.range, `${this.who} needs RSA keys of at least ${this.peer.minRsaBits} bits, and ${leaf.displayName} has ${leaf.publicKey.description}.`);
    }
    const now = this.run.now;
    this.run.dependsOn(leaf.notAfter);
    this.run.dependsOn(leaf.notBefore);
    if (leaf.notAfter < now) {
      this.out.add('peer.certificate-rejected', ref.file, ref.range, `${this.who} rejects ${leaf.displayName}: it expired on ${isoDay(leaf.notAfter)} ("certificate has expired").`);
      return;
    }
    if (this.peer.needsDnsSan && leaf.dnsNames.length === 0) {
      this.out.add('peer.certificate-rejected', ref.file, ref.range, `${this.who} checks the DNS names in the subject alternative name, and ${leaf.displayName} has none${leaf.ipAddresses.length ? ` (only ${leaf.ipAddresses.join(', ')})` : ''}: the name check fails. Use a certificate whose SAN holds the FQDN the peer connects to.`);
    }
    const dialled = this.dialledNames();
    const uncovered = dialled.filter((n) => !coversHost(leaf, n));
    if (uncovered.length > 0) {
      this.out.add('peer.certificate-rejected', ref.file, ref.range, `${this.who} expects ${listing(uncovered)} in our certificate, and ${leaf.displayName} covers ${coveredNamesListing(leaf) || 'no name'} ("hostname mismatch"): the name check fails. Use a certificate whose subject alternative names include ${listing(uncovered)}.`);
    }
    const via = this.peer.trustsOurCertificateVia;
    const { chain, judgeable } = chainAtPeer(p.certs, p.leafIndex, via === 'public-roots' ? via : via.roots, this.run.trust, this.ownStore());
    const top = chain.links[chain.links.length - 1]!.cert;
    const trusted = via === 'public-roots' ? 'a public root' : `one of the roots ${this.peer.name} trusts (${listing(via.roots.map((r) => r.name))})`;
    let problem: string | undefined;
    if (chain.status === 'untrusted-root') {
      problem = chain.links.length === 1 ? `it is self-signed ("self-signed certificate")` : `its chain ends at ${top.displayName}, a private CA that ${this.peer.name} does not trust ("self-signed certificate in certificate chain")`;
    } else if ((chain.status === 'unknown-issuer' || chain.status === 'bad-signature') && judgeable) {
      problem = `the issuer of ${chain.stuckAt?.displayName ?? top.displayName} is not sent and is not ${trusted} ("unable to get local issuer certificate")${chain.stuckAt === leaf ? ': send the intermediates with the certificate (fullchain)' : ''}`;
    } else if (chain.status === 'trusted' && chain.missing.length > 0) {
      problem = `${listing(chain.missing.map((m) => m.cert.displayName))} is not sent ("unable to get local issuer certificate"): send the intermediates with the certificate (fullchain)`;
    } else if (chain.status === 'trusted') {
      const expired = chain.links.find((l) => l.cert.notAfter < now);
      if (expired) problem = `${expired.cert.displayName} in its chain expired on ${isoDay(expired.cert.notAfter)}`;
    }
    if (problem) this.out.add('peer.certificate-rejected', ref.file, ref.range, `${this.who} rejects ${leaf.displayName}: ${problem}.`);
  }

  /** What the peer dials: the declared names, else the SNI name the profile answers for. */
  private dialledNames(): string[] {
    if (this.names.length > 0) return [...this.names];
    const sni = this.view.role === 'server' ? this.view.get('server_name')?.value.trim().toLowerCase() : undefined;
    return sni ? [sni] : [];
  }

  private ownStore(): CertificatePool {
    const pool = new CertificatePool();
    for (const e of this.run.storeOf(this.profile)) pool.add(e.cert, e.origin);
    return pool;
  }

  /** Mutual TLS both ways. */
  private checkClientCertificates(presented: Presented[]): void {
    const view = this.view;
    if (view.role === 'client' && this.peer.clientCertificate === 'required') {
      if (presented.length === 0 && !this.profile.slots[0]?.certificate) {
        this.out.add('peer.client-certificate-missing', view.file, view.anchor, `${this.who} requires a client certificate (mutual TLS), and ${view.label} presents none: ${this.peer.name} ends the handshake. Give the profile certificate and private_key.`);
        return;
      }
    }
    if (view.role === 'client' && this.peer.clientCertificate !== 'none' && this.peer.clientCertificateEku === 'clientAuth') {
      const leaf = presented[0]?.leaf;
      const eku = leaf?.extendedKeyUsage;
      if (leaf && eku && !eku.includes(EKU.clientAuth) && !eku.includes(EKU.any)) {
        const at = this.profile.slots[0]!.certificate!;
        this.out.add('peer.client-certificate-eku', at.file, at.range, `${this.who} checks that a client certificate is for client authentication, and ${leaf.displayName} allows ${eku.includes(EKU.serverAuth) ? 'serverAuth only' : 'other purposes only'} ("unsupported certificate purpose"). Let's Encrypt certificates have no clientAuth since 2026-02-11: use a certificate with the clientAuth extended key usage.`);
      }
    }
    if (view.role === 'server' && this.peer.mustNotBeAskedForCertificate && requiresPeerCertificate(view)) {
      const s = view.get('require_certificate') ?? view.get('verify_client') ?? view.get('verify_certificate');
      this.out.add('peer.client-certificate-required', s?.file ?? view.file, s?.range ?? view.anchor, `${this.who} does not present a client certificate, and ${view.label} requires one: every connection from ${this.peer.name} fails. Set require_certificate = no (and verify_client = off) on the profile it connects to.`, {
        ...(s && s.option ? { fixes: [fix('Set it to no', [edit(s.file, s.range, s.option.name === 'verify_client' ? 'off' : 'no')], true)] } : {}),
      });
    }
  }

  /** Can our profile verify the peer's certificate? */
  private checkTheirRoots(): void {
    const roots = this.peer.itsRoots;
    if (!roots || !verifiesPeer(this.view)) return;
    if (this.view.role === 'server' && !this.peer.presentsClientCertificate) return;
    const ca = this.profile.caList ?? this.profile.caPath;
    if (!ca) return; // tls.verify-no-ca
    if (this.profile.caList && !this.run.load(this.profile.caList, 'ca').ok) return; // unreadable, or deploy-time
    const held = new Set(this.run.storeOf(this.profile).map((e) => sha256Hex(e.cert)));
    const have = roots.roots.filter((r) => held.has(r.sha256));
    const expired = (roots.expired ?? []).filter((r) => held.has(r.sha256));
    const missing = roots.roots.filter((r) => !held.has(r.sha256));
    const fixes = this.rootsFileFix(missing);
    if (have.length === 0) {
      this.out.add(
        'peer.cannot-verify',
        ca.file,
        ca.range,
        `${this.who}: ${this.view.label} verifies the peer's certificate, and its trust store holds ${expired.length ? `only ${expired.map((r) => r.name).join(', ')}, which has expired,` : 'none'} of the roots ${this.peer.name}'s certificates chain to (${listing(roots.roots.map((r) => r.name))}): every ${this.peer.name} certificate fails verification. Add them, e.g. ca_list = /etc/ssl/certs/ca-certificates.crt.`,
        fixes,
      );
    } else if (roots.required === 'all' && missing.length > 0) {
      this.out.add('peer.roots-incomplete', ca.file, ca.range, `${this.who}: the trust store lacks ${listing(missing.map((r) => r.name))} of the roots ${this.peer.name} uses (it rotates among them): when its certificate changes to one of those, verification fails.`, fixes);
    }
  }

  /**
   * On request only (a code action that creates a file, never --fix): a new CA file beside the
   * ca_list with what it holds plus the missing roots — the certificates come from the public
   * root store bundled with sip-tls, picked by the preset's fingerprints — and ca_list pointed at
   * it. Kamailio reads one ca_list file, so the roots cannot be added as a second one.
   */
  private rootsFileFix(missing: PeerRoot[]): { fixes?: FixData[] } {
    const caList = this.profile.caList;
    if (!caList || missing.length === 0) return {};
    const found = missing.map((r) => ({ root: r, pem: publicRootPem(r.sha256) })).filter((x) => x.pem !== undefined);
    if (found.length === 0) return {};
    const loaded = this.run.load(caList, 'ca');
    if (!loaded.ok) return {};
    const target = freeSiblingName(this.deployment.probe, caList.path.local, `${this.peer.id}-roots`);
    const point = pointOptionAt(this.deployment, this.profile, caList, target);
    if (!point) return {};
    const content = [...loaded.file.certificates.map((c) => toPem('CERTIFICATE', c.certificate.der)), ...found.map((x) => x.pem!)].join('');
    const absent = missing.length - found.length;
    return {
      fixes: [
        {
          title: `Write ca_list's certificates and ${listing(found.map((x) => x.root.name))} to ${posix.basename(target)} and use it${absent ? ` (${absent} root${absent === 1 ? ' is' : 's are'} not in the public store: add ${absent === 1 ? 'it' : 'them'} by hand)` : ''}`,
          edits: [point],
          createFiles: [{ file: target, content }],
        },
      ],
    };
  }
}

