// Certificates — `cert.*` and chains — `chain.*`: every certificate file a profile loads (its
// `certificate`, `certificate2`, or the built-in cert.pem), judged as Kamailio loads it
// (SSL_CTX_use_certificate_chain_file: the first certificate is its own, the rest is the chain it
// sends; OpenSSL 3 security level 2 checks every one of them; reference §6) and as its peers will
// (validity, names, purpose, a chain that reaches a root they trust). Keys: keys.ts; CA lists and
// CRLs: caList.ts; SIP domains and aliases: certNames.ts. A file that cannot be read at all is
// left to the path rules.
import { DEFAULT_MAX_FILE_BYTES } from '../host';
import type { Deployment } from '../deployment';
import type { Platform } from '../platform';
import type { FixData, RelatedLocation } from '../types';
import { certificateModels, describeBrokenEntry, describeContents, type PkiFile } from '../pki/bundle';
import { EKU, isSelfSigned, isSelfSignedForSecurityLevel, isoDay, type CertificateModel } from '../pki/certificate';
import { analyseOrder, buildChain, findLeafIndex, type ChainLink, type ChainResult, type CertificateOrigin, type FileOrder } from '../pki/chain';
import { toPem } from '../pki/pem';
import { coveredNamesListing, serverNameCoverage } from '../pki/names';
import { MAX_CHAIN_CERTIFICATES } from '../pki/load';
import { Reporter, fix } from './report';
import {
  PkiRun,
  certProfiles,
  daysBetween,
  pointOptionAt,
  quoteName,
  subject,
  type CertProfile,
  type CertSlot,
  type FileRef,
} from './certContext';
import { judgeKey, reportKeyMismatch } from './keys';
import { checkCaFiles } from './caList';
import { checkDomainCoverage, reportAddressInCommonName } from './certNames';
import { checkCommittedKeys } from './committedKeys';
import type { ProfileRun } from './profileRuns';
import { tlsEngineOf } from './wolfssl';
import * as posix from 'node:path/posix';
import { freeSiblingName } from '../freeName';

export function checkCertificates(deployment: Deployment, out: Reporter): void {
  let profiles: CertProfile[];
  try {
    profiles = certProfiles(deployment);
  } catch {
    return;
  }
  if (profiles.length === 0) return;
  const run = new PkiRun(deployment, profiles);
  // The trust pool is read here, in the run's recording, whichever profiles are judged or reused:
  // every profile's chains depend on it (rules/profileRuns.ts).
  guard(() => run.trust);
  const leaves = new Map<CertProfile, LoadedSlot[]>();
  const memo = deployment.profileRuns;
  const trustKey = JSON.stringify(profiles.map((p) => [p.caList?.path.local, p.crl?.path.local, p.caPath?.path.local]));
  const previous = memo?.previous?.trustKey === trustKey ? memo.previous.byProfile : undefined;
  if (memo) memo.next.trustKey = trustKey;
  for (const profile of profiles) {
    if (profile.sharesServerFiles) continue;
    const own = profile.view.profile;
    out.at(profile.view.file, profile.view.anchor);
    const reused = own ? previous?.get(own) : undefined;
    const result = reused ?? judgeProfile(run, profile);
    if (reused) deployment.probe.replay(reused.reads);
    for (const f of result.findings) out.findings.push(f);
    if (result.leaves.length > 0) leaves.set(profile, result.leaves);
    if (own && memo) memo.next.byProfile.set(own, result);
  }
  guard(() => checkDomainCoverage(run, leaves, out));
  guard(() => checkCommittedKeys(run, out));
}

/** The certificate, key and CA-list rules of one profile, with the file questions they asked. */
function judgeProfile(run: PkiRun, profile: CertProfile): ProfileRun {
  const out = new Reporter();
  const leaves: LoadedSlot[] = [];
  const reads = run.deployment.probe.startRecording();
  try {
    for (const slot of profile.slots) {
      guard(() => {
        const loaded = checkSlot(run, profile, slot, out);
        if (loaded) leaves.push(loaded);
      });
    }
    guard(() => checkCaFiles(run, profile, out));
  } finally {
    run.deployment.probe.stopRecording();
  }
  return { findings: out.findings, leaves, reads };
}

/** No exception may escape a rule: a file that trips the parser must not hide other findings. */
function guard(body: () => void): void {
  try {
    body();
  } catch {
    // The file is judged unreadable elsewhere, or not judged at all.
  }
}

/** The certificate a slot presents, for the cross-profile name checks. */
export interface LoadedSlot {
  slot: CertSlot;
  ref: FileRef;
  leaf: CertificateModel;
}

/** Kamailio's log line when the certificate file cannot be loaded (tls_domain.c load_cert). */
export function certLoadError(profile: CertProfile, ref: FileRef): string {
  return `${profile.view.logName}: Unable to load ${ref.option === 'certificate2' ? 'certificate2' : 'certificate'} file '${ref.path.deployed}'`;
}

function checkSlot(run: PkiRun, profile: CertProfile, slot: CertSlot, out: Reporter): LoadedSlot | undefined {
  const ref = slot.certificate;
  if (!ref) return undefined;
  const loaded = run.load(ref, 'certificate');
  if (!loaded.ok) {
    // Beyond the size any file is read at all, path.unreadable already says it: one finding, not two.
    if (loaded.reason === 'too-large' && loaded.size <= DEFAULT_MAX_FILE_BYTES) {
      out.add(
        'cert.unreadable',
        ref.file,
        ref.range,
        `${subject(profile, ref)} is ${loaded.size} bytes: a certificate chain is a few KB, and files over ${loaded.limit / 1024 / 1024} MiB are not examined. Check that the option names the certificate file.`,
        { severity: 'warning' },
      );
    }
    return undefined;
  }
  const file = loaded.file;
  const unreadable = whyNoCertificate(file, ref);
  if (unreadable) {
    out.add('cert.unreadable', ref.file, ref.range, `${subject(profile, ref)} ${unreadable}: Kamailio will refuse to start ("${certLoadError(profile, ref)}").`);
  }
  const certs = certificateModels(file);
  const key = judgeKey(run, profile, slot, out);
  if (certs.length === 0) return undefined;

  const keyIndex = key.spkiSha256 ? certs.findIndex((c) => c.publicKey.spkiSha256 === key.spkiSha256) : -1;
  const leafIndex = findLeafIndex(certs, keyIndex >= 0 ? key.spkiSha256 : undefined);
  const leaf = certs[leafIndex]!;
  if (key.spkiSha256 && keyIndex === -1 && key.ref && key.publicKey) reportKeyMismatch(run, profile, slot, key.ref, key.publicKey, certs[0]!, ref, out);

  const capNote = file.certificateBlocks > certs.length ? ` Only the first ${MAX_CHAIN_CERTIFICATES} of its ${file.certificateBlocks} certificates were examined.` : '';
  const order = analyseOrder(certs, leafIndex);
  reportOrder(run, profile, ref, certs, order, keyIndex, capNote, out);

  const folders = [posix.dirname(ref.path.local), ...(profile.caList ? [posix.dirname(profile.caList.path.local)] : [])];
  // A file with the leaf alone is completed by OpenSSL from the profile's own store (auto-chain).
  const autoChain = file.certificateBlocks === 1 ? run.storePool(profile) : undefined;
  const chain = buildChain(certs, leafIndex, { ...run.trustWithSearch(folders), ...(autoChain ? { autoChain } : {}) });
  // A self-signed leaf that the configuration's CA lists or the user's trust anchors hold is
  // pinned: the peers that matter preload it.
  const pinned = chain.trustedBy?.kind === 'trust-anchor' || chain.trustedBy?.kind === 'ca-list';
  reportChain(run, profile, ref, file, chain, out);

  // OpenSSL's checks at load time, on every certificate of the file (ssl_security_cert); wolfSSL
  // (tls_wolfssl) has limits of its own, not these.
  const openssl = tlsEngineOf(run.deployment) === 'tls';
  certs.forEach((c, i) => {
    const role = describeRole(c, i, leafIndex, certs.length);
    reportValidity(run, profile, ref, c, role, out);
    if (openssl && isWeakKey(c)) {
      out.add(
        'cert.weak-key',
        ref.file,
        ref.range,
        `${subject(profile, ref)}: ${role} ${quoteName(c)} has ${/^[AEIOU]|^(RSA|EC|Ed)/.test(c.publicKey.description) ? 'an' : 'a'} ${c.publicKey.description} key (${c.publicKey.securityBits} security bits); OpenSSL 3 at security level 2 (the Debian and Ubuntu default) needs RSA/DSA of at least 2048 bits and EC of at least 224: Kamailio will refuse to start ("${certLoadError(profile, ref)}", OpenSSL: "${i === 0 ? 'ee key too small' : 'ca key too small'}"). Issue a new certificate with a stronger key.`,
      );
    }
    if (openssl && c.signature.weak && !isSelfSignedForSecurityLevel(c)) {
      out.add(
        'cert.weak-signature',
        ref.file,
        ref.range,
        `${subject(profile, ref)}: ${role} ${quoteName(c)} is signed with ${c.signature.name} (${c.signature.hash.toUpperCase()}); ${weakSignatureFate(run.deployment.settings.platform, certLoadError(profile, ref))} Have it re-issued with SHA-256.`,
      );
    }
  });

  // The leaf, as peers judge it.
  if (isSelfSigned(leaf) && !pinned) {
    out.add(
      'cert.self-signed',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${quoteName(leaf)} is self-signed: Kamailio starts, but carriers, phones and other peers reject it unless they have exactly this certificate preloaded. Use a certificate from a CA your peers trust (\`sip-tls lab\` creates a test CA and a CA-signed certificate); if the peers do preload it, add it to sipTls.trustAnchors.`,
    );
  }
  reportPurpose(profile, ref, leaf, out);
  reportCaAsLeaf(profile, ref, chain, out);
  const addressOnly = profile.view.role === 'server' && reportAddressInCommonName(profile, ref, leaf, out);
  if (!addressOnly) reportServerName(profile, ref, leaf, out);
  return { slot, ref, leaf };
}

/** Why OpenSSL's SSL_CTX_use_certificate_chain_file fails on this file, if it does. */
function whyNoCertificate(file: PkiFile, ref: FileRef): string | undefined {
  const name = posix.basename(ref.path.deployed);
  const stem = name.replace(/\.[^.]*$/, '');
  if (file.format === 'der') {
    if (file.derContent === 'certificate') return `is a DER (binary) certificate${file.derCertificate ? ` for ${file.derCertificate.displayName}` : ''}, and Kamailio reads PEM only (convert it: openssl x509 -inform der -in ${name} -out ${stem}.pem)`;
    if (file.derContent === 'pkcs12') return `is a PKCS#12 (.p12/.pfx) bundle, and Kamailio reads PEM only (extract it: openssl pkcs12 -in ${name} -nokeys -out ${stem}.crt, and -nocerts -nodes for the key)`;
    if (file.derContent === 'private-key') return `is a DER (binary) private key, not a certificate`;
    return `holds ${describeContents(file)}, not a PEM certificate`;
  }
  if (file.certificateBlocks === 0) {
    const hint = file.keys.length > 0 ? ' (a key file given as certificate?)' : file.entries.some((e) => e.kind === 'certificate-request') ? ' (send the CSR to the CA and use the certificate it returns)' : '';
    return `holds ${describeContents(file)}, no certificate${hint}`;
  }
  const broken = file.broken.find((e) => e.framing || e.kind === 'certificate');
  if (broken) return `is damaged: ${describeBrokenEntry(broken)}, and OpenSSL stops reading the chain there`;
  return undefined;
}

/**
 * What an MD5/SHA-1 signature does on the platform: OpenSSL 3.0 refuses the file at load time,
 * OpenSSL 3.5 loads it and leaves the refusal to every peer (platform.ts weakSignatureAtLoad).
 */
function weakSignatureFate(platform: Platform, loadError: string): string {
  const peers = 'every peer at its default security level rejects the certificate (OpenSSL 3 and Node: "CA signature digest algorithm too weak"; GnuTLS: "The certificate chain uses insecure algorithm")';
  if (platform.weakSignatureAtLoad === 'refused') {
    return `OpenSSL ${platform.openssl} refuses MD5 and SHA-1 signatures when Kamailio loads the file: on ${platform.name} Kamailio will refuse to start ("${loadError}", OpenSSL: "ca md too weak").`;
  }
  if (platform.weakSignatureAtLoad === 'loaded') {
    return `on ${platform.name} Kamailio loads it and starts, but ${peers}.`;
  }
  return `with OpenSSL 3.0 (Debian 12, Ubuntu 22.04/24.04) Kamailio refuses to start ("${loadError}", OpenSSL: "ca md too weak"); with OpenSSL 3.5 (Debian 13) it starts, and ${peers}. Set the target platform (sipTls.platform, --platform) for one verdict.`;
}

function isWeakKey(c: CertificateModel): boolean {
  const k = c.publicKey;
  if (k.type === 'rsa' || k.type === 'rsa-pss' || k.type === 'dsa') return (k.bits ?? 0) < 2048;
  if (k.type === 'ec') return (k.bits ?? 0) < 224;
  return false;
}

/** "the certificate", "the intermediate", "the root", "certificate 3 of 4". */
function describeRole(c: CertificateModel, index: number, leafIndex: number, count: number): string {
  if (index === leafIndex) return count > 1 ? 'the leaf certificate' : 'the certificate';
  if (isSelfSigned(c)) return 'the root certificate';
  if (c.isCa) return 'the intermediate certificate';
  return `certificate ${index + 1} of ${count}`;
}

function reportValidity(run: PkiRun, profile: CertProfile, ref: FileRef, c: CertificateModel, role: string, out: Reporter): void {
  const now = run.now;
  run.dependsOn(c.notAfter);
  run.dependsOn(c.notBefore);
  if (now.getTime() > c.notAfter.getTime()) {
    const ago = daysBetween(c.notAfter, now);
    out.add(
      'cert.expired',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${role} ${quoteName(c)} expired on ${isoDay(c.notAfter)} (${ago === 0 ? 'today' : ago === 1 ? '1 day ago' : `${ago} days ago`}): Kamailio starts and sends it, and peers reject the handshake ("certificate has expired"). Renew it.`,
    );
    return;
  }
  if (now.getTime() < c.notBefore.getTime()) {
    const ahead = daysBetween(now, c.notBefore);
    out.add(
      'cert.not-yet-valid',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${role} ${quoteName(c)} is valid only from ${c.notBefore.toISOString().replace('.000', '')} (${ahead === 0 ? 'later today' : ahead === 1 ? 'in 1 day' : `in ${ahead} days`}): until then peers reject the handshake ("certificate is not yet valid"). Check the clock of the machine that issued it.`,
    );
    return;
  }
  const left = daysBetween(now, c.notAfter);
  const soon = run.deployment.settings.expiryDays;
  if (soon > 0 && c.notAfter.getTime() - now.getTime() <= soon * 86_400_000) {
    out.add(
      'cert.expiring-soon',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${role} ${quoteName(c)} expires on ${isoDay(c.notAfter)}, ${left === 0 ? 'today' : left === 1 ? 'in 1 day' : `in ${left} days`} (the warning threshold is ${soon} days). Renew it, then reload Kamailio's TLS configuration (kamcmd tls.reload).`,
    );
  }
}

function reportPurpose(profile: CertProfile, ref: FileRef, leaf: CertificateModel, out: Reporter): void {
  const role = profile.view.role;
  const problems: string[] = [];
  let hard = false;
  const eku = leaf.extendedKeyUsage;
  if (eku && !eku.includes(EKU.any)) {
    const needed = role === 'server' ? EKU.serverAuth : EKU.clientAuth;
    if (!eku.includes(needed)) {
      hard = true;
      const has = eku.map((o) => (o === EKU.serverAuth ? 'serverAuth' : o === EKU.clientAuth ? 'clientAuth' : o)).join(', ') || 'nothing';
      problems.push(
        role === 'server'
          ? `its extended key usage (${has}) lacks serverAuth, so TLS clients refuse it as a server certificate ("unsuitable certificate purpose")`
          : `its extended key usage (${has}) lacks clientAuth, so servers that ask for a client certificate (mutual TLS) refuse it ("unsuitable certificate purpose")`,
      );
    }
  }
  const ku = leaf.keyUsage;
  if (ku && !ku.has('digitalSignature') && !ku.has('keyEncipherment') && !ku.has('keyAgreement')) {
    hard = true;
    problems.push('its key usage allows no TLS use (no digitalSignature, keyEncipherment or keyAgreement), so peers refuse it');
  } else if (ku && !ku.has('digitalSignature') && leaf.publicKey.type !== 'rsa') {
    problems.push('its key usage lacks digitalSignature, which TLS handshakes with this key type need');
  }
  if (problems.length === 0) return;
  out.add('cert.purpose', ref.file, ref.range, `${subject(profile, ref)}: ${quoteName(leaf)} does not fit a ${role} profile: ${problems.join('; ')}.`, hard ? {} : { severity: 'warning' });
}

/**
 * basicConstraints CA:TRUE on the certificate Kamailio presents. OpenSSL, Node and GnuTLS accept
 * it as a leaf when its key usage fits TLS (measured, ORACLE-NOTES "CA certificate as leaf");
 * Firefox does not (mozilla::pkix CheckBasicConstraints: ERROR_CA_CERT_USED_AS_END_ENTITY), and
 * the CA/Browser Forum rules forbid it. A self-signed one is cert.self-signed's.
 */
function reportCaAsLeaf(profile: CertProfile, ref: FileRef, chain: ChainResult, out: Reporter): void {
  const leaf = chain.links[0]!.cert;
  if (!leaf.isCa || isSelfSigned(leaf)) return;
  const signs = canSignUnderItsRoot(chain.links);
  const root = chain.links[chain.links.length - 1]!.cert;
  const signing = signs ? `its key can sign certificates for any name that every peer trusting ${quoteName(root)} accepts (no pathLenConstraint above it forbids one more CA)` : undefined;
  if (profile.view.role === 'server') {
    out.add(
      'cert.ca-as-leaf',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${quoteName(leaf)} is a CA certificate (basicConstraints CA:TRUE) used as the server certificate: OpenSSL, Node and GnuTLS peers accept it when its key usage fits TLS, but Firefox refuses it (MOZILLA_PKIX_ERROR_CA_CERT_USED_AS_END_ENTITY), so WebRTC clients over WSS cannot connect, and the CA/Browser Forum rules forbid it${signing ? `; and ${signing}` : ''}. Issue it with basicConstraints CA:FALSE.`,
    );
  } else if (signing) {
    out.add(
      'cert.ca-as-leaf',
      ref.file,
      ref.range,
      `${subject(profile, ref)}: ${quoteName(leaf)} is a CA certificate (basicConstraints CA:TRUE) used as the client certificate: servers accept it, but ${signing}. Issue it with basicConstraints CA:FALSE.`,
    );
  }
}

/**
 * A CA:TRUE leaf can issue certificates that chain to its root: its key usage allows keyCertSign
 * (or is absent), the chain reaches a self-signed root, and no CA above it has a
 * pathLenConstraint smaller than the number of CAs that would then lie below it (RFC 5280
 * §4.2.1.9; OpenSSL check_chain).
 */
function canSignUnderItsRoot(links: readonly ChainLink[]): boolean {
  const leaf = links[0]!.cert;
  if (leaf.keyUsage && !leaf.keyUsage.has('keyCertSign')) return false;
  if (links.length < 2 || !isSelfSigned(links[links.length - 1]!.cert)) return false;
  return links.slice(1).every((link, i) => {
    const limit = link.cert.basicConstraints?.pathLength;
    return limit === undefined || limit >= i + 1;
  });
}

function serverNameMode(profile: CertProfile): number {
  const v = Number(profile.view.get('server_name_mode')?.value ?? '0');
  return v === 1 || v === 2 ? v : 0; // any other value behaves as 0 (reference §1.4)
}

function reportServerName(profile: CertProfile, ref: FileRef, leaf: CertificateModel, out: Reporter): void {
  if (profile.view.role !== 'server') return;
  const sn = profile.view.get('server_name');
  if (!sn || sn.value.trim() === '') return;
  const coverage = serverNameCoverage(leaf, sn.value.trim(), serverNameMode(profile));
  if (coverage.ok) return;
  const partial = coverage.exact || coverage.subdomains;
  const related: RelatedLocation[] = [{ file: sn.file, range: sn.range, message: `server_name = ${sn.value}` }];
  out.add(
    'cert.name-mismatch',
    ref.file,
    ref.range,
    `${subject(profile, ref)}: ${quoteName(leaf)} covers ${coveredNamesListing(leaf) || 'no name at all'}, not ${coverage.wanted}: Kamailio selects this profile for that SNI name, and peers that check the name reject the certificate.`,
    { related, ...(partial ? { severity: 'warning' as const } : {}) },
  );
}

// --- order and chain -----------------------------------------------------------------------------

function reportOrder(run: PkiRun, profile: CertProfile, ref: FileRef, certs: readonly CertificateModel[], order: FileOrder, keyIndex: number, capNote: string, out: Reporter): void {
  if (order.ordered) return;
  const leaf = certs[order.leafIndex]!;
  const first = certs[0]!;
  const chainCerts = order.chain.map((i) => certs[i]!);
  const fixes: FixData[] = [];
  const target = freeSiblingName(run.deployment.probe, ref.path.local, 'ordered');
  const editPoint = pointOptionAt(run.deployment, profile, ref, target);
  const dropped = order.extras.length;
  if (editPoint && (!order.leafFirst || order.chain.some((idx, i) => idx !== i) || dropped > 0)) {
    fixes.push({
      title: `Write the chain leaf first to ${posix.basename(target)}${dropped > 0 ? ` (without ${dropped} unrelated certificate${dropped === 1 ? '' : 's'})` : ''} and use it`,
      isPreferred: true,
      createFiles: [{ file: target, content: chainCerts.map((c) => toPem('CERTIFICATE', c.der)).join('') }],
      edits: [editPoint],
    });
  }
  const orderWords = order.chain.map((i) => `${quoteName(certs[i]!)} is certificate ${i + 1}`).join(', ');
  if (!order.leafFirst) {
    const because = keyIndex >= 0 ? `the private key belongs to ${quoteName(leaf)} (certificate ${order.leafIndex + 1} of ${certs.length})` : `the leaf is ${quoteName(leaf)} (certificate ${order.leafIndex + 1} of ${certs.length})`;
    out.add(
      'chain.order',
      ref.file,
      ref.range,
      `${subject(profile, ref)} starts with ${quoteName(first)}${first.isCa ? ', a CA certificate,' : ''} but ${because}: Kamailio takes the first certificate as its own, so it will refuse to start ("key values mismatch"). The file must hold the leaf first, then each issuer (${orderWords}).${capNote}`,
      { fixes },
    );
    return;
  }
  const misordered = order.chain.some((idx, i) => idx !== i);
  const parts: string[] = [];
  if (misordered) parts.push(`the certificates after the leaf are not in chain order (${orderWords})`);
  if (dropped > 0) {
    const names = order.extras.slice(0, 3).map((i) => quoteName(certs[i]!));
    parts.push(`${dropped === 1 ? 'it holds a certificate' : `it holds ${dropped} certificates`} that ${dropped === 1 ? 'is' : 'are'} not on the chain of ${quoteName(leaf)} (${names.join(', ')}${dropped > 3 ? ', …' : ''})`);
  }
  out.add(
    'chain.intermediate-order',
    ref.file,
    ref.range,
    `${subject(profile, ref)}: ${parts.join(', and ')}: Kamailio starts and sends them as they are; OpenSSL peers sort it out (TLS 1.3 allows any order), but stricter TLS 1.2 stacks in phones and SBCs reject the chain.${capNote}`,
    { fixes },
  );
}

function whereIs(origin: CertificateOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `certificate ${origin.index + 1} of the file`;
    case 'ca-list':
      return `the CA list ${origin.path}`;
    case 'trust-anchor':
      return `the trust anchors (${origin.path})`;
    case 'public':
      return 'the public root store';
    default:
      return origin.path;
  }
}

function reportChain(run: PkiRun, profile: CertProfile, ref: FileRef, file: PkiFile, chain: ChainResult, out: Reporter): void {
  const leaf = chain.links[0]!.cert;
  if (chain.missing.length > 0) reportIncomplete(run, profile, ref, file, chain, out);
  switch (chain.status) {
    case 'bad-signature': {
      const child = chain.stuckAt!;
      const bad = chain.badIssuer!;
      out.add(
        'chain.bad-signature',
        ref.file,
        ref.range,
        `${subject(profile, ref)}: ${quoteName(child)} names ${quoteName(bad.cert)} as its issuer, and ${whereIs(bad.origin)} holds a certificate of that name, but its key does not verify the signature of ${quoteName(child)}: peers reject the chain (a signature failure, or "unable to verify the first certificate" when the key identifiers differ). It is a different CA with the same name (re-keyed or re-created); use the issuer certificate that really signed it.`,
      );
      return;
    }
    case 'unknown-issuer': {
      const stuck = chain.stuckAt!;
      const issuer = stuck.issuer.commonName ?? stuck.issuer.text;
      if (stuck === leaf || !stuck.isCa) {
        if (chain.missing.length > 0) return; // reported as incomplete, with what was found
        out.add(
          'chain.incomplete',
          ref.file,
          ref.range,
          `${subject(profile, ref)}: the issuer of ${quoteName(stuck)}, '${issuer}', is not in the file and is not a known root (no ca_list/ca_path of this configuration, trust anchor or public root holds it): Kamailio sends ${quoteName(stuck)} without it, and peers fail with "unable to get local issuer certificate" (Unknown CA). Append the intermediate certificate(s) after the leaf — the CA's "full chain" file.`,
        );
        return;
      }
      out.add(
        'chain.untrusted',
        ref.file,
        ref.range,
        `${subject(profile, ref)}: the chain ends at ${quoteName(stuck)}, issued by '${issuer}', which is not a known root (not in a ca_list/ca_path of this configuration, the trust anchors or the public roots): only peers that hold '${issuer}' as a trust anchor accept it. If it is your private CA, add its certificate to sipTls.trustAnchors (or --trust).`,
      );
      return;
    }
    case 'untrusted-root': {
      if (isSelfSigned(leaf)) return; // cert.self-signed says it
      const root = chain.links[chain.links.length - 1]!;
      out.add(
        'chain.untrusted',
        ref.file,
        ref.range,
        `${subject(profile, ref)}: the chain of ${quoteName(leaf)} ends at the root ${quoteName(root.cert)} (${whereIs(root.origin)}), which is neither in a ca_list/ca_path of this configuration, nor a public root, nor a trust anchor: only peers that have that root preloaded accept it. If your peers trust it, add it to sipTls.trustAnchors (or --trust).`,
      );
      return;
    }
    default:
      return;
  }
}

function reportIncomplete(run: PkiRun, profile: CertProfile, ref: FileRef, file: PkiFile, chain: ChainResult, out: Reporter): void {
  const leaf = chain.links[0]!.cert;
  const names = chain.missing.map((l) => quoteName(l.cert)).join(' and ');
  const own = new Set(run.storeOf(profile).map((e) => e.cert.fingerprint256));
  const others = file.certificateBlocks - 1;
  const where = chain.missing.map((l) => describeMissing(l, own.has(l.cert.fingerprint256), others)).join('; ');
  // The fixed file: the leaf and every issuer up to (not including) the root, in chain order.
  const fullchain = chain.links.filter((l) => !isSelfSigned(l.cert) || l === chain.links[0]);
  const target = freeSiblingName(run.deployment.probe, ref.path.local, 'fullchain');
  const editPoint = pointOptionAt(run.deployment, profile, ref, target);
  const fixes: FixData[] = editPoint
    ? [
        fix(`Create ${posix.basename(target)} (${fullchain.map((l) => quoteName(l.cert)).join(' + ')}) and use it`, [editPoint], true),
      ].map((f) => ({ ...f, createFiles: [{ file: target, content: fullchain.map((l) => toPem('CERTIFICATE', l.cert.der)).join('') }] }))
    : [];
  out.add(
    'chain.incomplete',
    ref.file,
    ref.range,
    `${subject(profile, ref)}: the chain of ${quoteName(leaf)} lacks the intermediate ${names} (${where}): Kamailio sends only what the certificate file holds, so peers fail with "unable to get local issuer certificate" (Unknown CA). Put the leaf and its intermediates in one file, leaf first.`,
    { fixes },
  );
}

function describeMissing(link: ChainLink, inOwnStore: boolean, otherCertificates: number): string {
  switch (link.origin.kind) {
    case 'ca-list':
      return inOwnStore
        ? `it is in the CA list ${link.origin.path}, but OpenSSL completes the chain from the CA list only when the certificate file holds the leaf alone, and this one holds ${otherCertificates === 1 ? 'another certificate' : `${otherCertificates} other certificates`}`
        : `it is only in ${link.origin.path}, the CA list of another profile: OpenSSL completes a chain from the profile's own ca_list/ca_path only`;
    case 'found':
      return `found in ${link.origin.path}`;
    default:
      return whereIs(link.origin);
  }
}
