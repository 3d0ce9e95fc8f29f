// CA lists — `ca.*`: the trust store a profile verifies its peers with. `ca_list` is loaded with
// SSL_CTX_load_verify_locations (certificates and CRLs; at least one of either) and
// SSL_load_client_CA_file (the CA names a server advertises; needs a certificate); `ca_path` is
// an OpenSSL hashed folder looked up on demand; `crl` goes through SSL_CTX_load_verify_locations
// too and switches on X509_V_FLAG_CRL_CHECK | CRL_CHECK_ALL: every CA of a peer's chain then needs
// a current CRL from its issuer (reference §1.6, §6; checked against `openssl verify
// -crl_check_all`).
import * as posix from 'node:path/posix';
import type { Range } from '../types';
import { certificateModels, describeBrokenEntry, describeContents, type PkiFile } from '../pki/bundle';
import { isSelfSigned, isoDay, issuerCandidates, signatureVerifies, type CertificateModel } from '../pki/certificate';
import { crlIssuedBy, type CrlModel } from '../pki/crl';
import { MAX_CA_CERTIFICATES } from '../pki/load';
import { Reporter, edit, fix } from './report';
import { PkiRun, quoteName, subject, type CertProfile, type FileRef } from './certContext';
import { requiresPeerCertificate } from '../profiles';
import { listing, listingOf } from '../listing';

function caListLoadError(profile: CertProfile, ref: FileRef): string {
  return `${profile.view.logName}: Unable to load CA list file '${ref.path.deployed}' dir '${profile.caPath?.path.deployed ?? ''}'`;
}

function crlLoadError(profile: CertProfile, ref: FileRef): string {
  return `${profile.view.logName}: Unable to load certificate revocation list '${ref.path.deployed}'`;
}

interface TrustStore {
  certificates: { cert: CertificateModel; where: string }[];
  crls: { crl: CrlModel; where: string }[];
}

export function checkCaFiles(run: PkiRun, profile: CertProfile, out: Reporter): void {
  const store: TrustStore = { certificates: [], crls: [] };
  if (profile.caList) checkCaList(run, profile, profile.caList, store, out);
  if (profile.caPath) checkCaPath(run, profile, profile.caPath, store, out);
  if (profile.crl) checkCrl(run, profile, profile.crl, store, out);
  checkVerifyDepth(run, profile, out);
}

function named(list: CertificateModel[]): string {
  const names = list.slice(0, 3).map(quoteName).join(', ');
  return list.length > 3 ? `${names} and ${list.length - 3} more` : names;
}

function checkCaList(run: PkiRun, profile: CertProfile, ref: FileRef, store: TrustStore, out: Reporter): void {
  const loaded = run.load(ref, 'ca');
  if (!loaded.ok) return; // missing, unreadable or over the size limit: path.* says so
  const file = loaded.file;
  const name = posix.basename(ref.path.deployed);
  const fatal = `Kamailio will refuse to start ("${caListLoadError(profile, ref)}")`;
  if (file.format === 'der') {
    const convert = file.derContent === 'certificate' ? ` (convert it: openssl x509 -inform der -in ${name} -out ${name.replace(/\.[^.]*$/, '')}.pem)` : '';
    out.add('ca.empty', ref.file, ref.range, `${subject(profile, ref)} holds ${describeContents(file)}, and Kamailio reads PEM only${convert}: ${fatal}.`);
    return;
  }
  const broken = file.broken.find((e) => e.framing || e.kind === 'certificate' || e.kind === 'crl');
  if (broken) {
    out.add('ca.unreadable', ref.file, ref.range, `${subject(profile, ref)} is damaged: ${describeBrokenEntry(broken)}, and OpenSSL stops reading the list there: ${fatal}.`);
  }
  if (file.certificateBlocks === 0 && file.crls.length === 0) {
    if (!broken) out.add('ca.empty', ref.file, ref.range, `${subject(profile, ref)} holds ${describeContents(file)}, no CA certificate and no CRL: ${fatal}.`);
    return;
  }
  if (file.certificateBlocks === 0) {
    out.add(
      'ca.empty',
      ref.file,
      ref.range,
      `${subject(profile, ref)} holds only CRLs, no CA certificate: Kamailio cannot build the list of client CA names from it and will refuse to start ("${profile.view.logName}: Error while setting client CA list"). Put the CA certificates in ca_list and the CRLs in crl.`,
    );
  }
  const where = ref.path.deployed;
  for (const c of file.certificates) store.certificates.push({ cert: c.certificate, where });
  for (const c of file.crls) store.crls.push({ crl: c.crl, where });

  const certs = certificateModels(file);
  const notCa = certs.filter((c) => !c.isCa && !isSelfSigned(c));
  if (notCa.length > 0) {
    const own = ownCertificates(run, profile);
    const isOwn = notCa.some((c) => own.has(c.fingerprint256));
    const looksLikeChain = certs.length > 1 && !certs[0]!.isCa && issuerCandidates(certs[0]!, certs.slice(1).filter((c) => c.isCa), (c) => c).some((c) => signatureVerifies(certs[0]!, c));
    const detail = isOwn
      ? `${named(notCa)} — this profile's own certificate${looksLikeChain ? ' (the full chain was given as ca_list)' : ''}`
      : `${named(notCa)}${looksLikeChain ? ' (it looks like a full chain: leaf first)' : ''}`;
    const cap = file.certificateBlocks > certs.length ? ` Only the first ${MAX_CA_CERTIFICATES} of its ${file.certificateBlocks} certificates were examined.` : '';
    out.add(
      'ca.not-ca',
      ref.file,
      ref.range,
      `${subject(profile, ref)} holds ${notCa.length === 1 ? 'a certificate that is not a CA certificate' : `${notCa.length} certificates that are not CA certificates`}: ${detail}. A leaf in the trust store verifies nothing (OpenSSL needs the chain to end at a self-signed root), and a server advertises its name as an acceptable client CA. Put the CA (root) certificates that issued your peers' certificates there instead.${cap}`,
    );
  }
  if (profile.verifiesPeer) reportNoRoot(profile, ref, certs, out);
}

/** The certificates this profile presents (to recognise them in its own ca_list). */
function ownCertificates(run: PkiRun, profile: CertProfile): Set<string> {
  const out = new Set<string>();
  for (const slot of profile.slots) {
    if (!slot.certificate) continue;
    const r = run.load(slot.certificate, 'certificate');
    if (r.ok) for (const c of r.file.certificates) out.add(c.certificate.fingerprint256);
  }
  return out;
}

/**
 * An intermediate CA in the trust store without its root: OpenSSL (without
 * X509_V_FLAG_PARTIAL_CHAIN, which Kamailio does not set) cannot finish any chain through it —
 * "unable to get issuer certificate" for every peer it should accept.
 */
function reportNoRoot(profile: CertProfile, ref: FileRef, certs: readonly CertificateModel[], out: Reporter): void {
  const orphans: CertificateModel[] = [];
  // Each certificate's issuer is looked up once (bounded candidates), not once per walk through it.
  const parents = new Map<CertificateModel, CertificateModel[]>();
  const parentOf = (cur: CertificateModel, seen: Set<string>) => {
    let verified = parents.get(cur);
    if (!verified) {
      verified = issuerCandidates(cur, certs, (p) => p).filter((p) => signatureVerifies(cur, p));
      parents.set(cur, verified);
    }
    return verified.find((p) => !seen.has(p.fingerprint256));
  };
  for (const c of certs) {
    if (!c.isCa || isSelfSigned(c)) continue;
    let cur = c;
    const seen = new Set([cur.fingerprint256]);
    let reached = false;
    for (let depth = 0; depth < 10; depth++) {
      const parent = parentOf(cur, seen);
      if (!parent) break;
      if (isSelfSigned(parent)) {
        reached = true;
        break;
      }
      seen.add(parent.fingerprint256);
      cur = parent;
    }
    if (!reached) orphans.push(c);
  }
  if (orphans.length === 0) return;
  const issuers = listing([...new Set(orphans.map((c) => `'${c.issuer.commonName ?? c.issuer.text}'`))]);
  out.add(
    'ca.no-root',
    ref.file,
    ref.range,
    `${subject(profile, ref)} holds the intermediate CA ${named(orphans)} but not its root ${issuers}: OpenSSL accepts a chain only when it ends at a self-signed root of the trust store, so every peer certificate issued under ${orphans.length === 1 ? 'it' : 'them'} fails verification ("unable to get issuer certificate"). Add the root certificate to the ca_list.`,
  );
}

function checkCaPath(run: PkiRun, profile: CertProfile, ref: FileRef, store: TrustStore, out: Reporter): void {
  const st = run.deployment.probe.stat(ref.path.local);
  if ('error' in st || st.kind !== 'directory') return;
  const dir = run.caDirectory(ref.path.local);
  if (!dir) return;
  for (const f of dir.files) {
    for (const c of f.file.certificates) store.certificates.push({ cert: c.certificate, where: f.path });
    for (const c of f.file.crls) store.crls.push({ crl: c.crl, where: f.path });
  }
  if (dir.hashedNames === 0 && dir.otherNames.length > 0) {
    const shown = dir.otherNames.slice(0, 3).join(', ') + (dir.otherNames.length > 3 ? ', …' : '');
    const everyPeer = onlyTrustSourceOfRequiredPeers(profile);
    out.add(
      'ca.path-unhashed',
      ref.file,
      ref.range,
      `${subject(profile, ref)} holds ${dir.otherNames.length} certificate file${dir.otherNames.length === 1 ? '' : 's'} (${shown}) but no OpenSSL hashed names (<hash>.0): OpenSSL looks certificates up in a ca_path by hashed name only, so it finds none of them and every verification that needs them fails${everyPeer ? `. It is the only CA source of ${profile.view.label}, which ${everyPeer}` : ''}. Run openssl rehash ${ref.path.deployed} (or c_rehash) on the server.`,
      everyPeer ? { severity: 'error' } : {},
    );
  }
}

/**
 * What fails when a ca_path that OpenSSL finds nothing in is the profile's whole trust store (no
 * ca_list, no crl file, whose certificates would be trust anchors too — ORACLE-NOTES R3) and
 * every peer must present a verifying certificate; undefined otherwise.
 */
function onlyTrustSourceOfRequiredPeers(profile: CertProfile): string | undefined {
  if (profile.caList || profile.crl || !requiresPeerCertificate(profile.view)) return undefined;
  return profile.view.role === 'server'
    ? 'requires client certificates: every client is rejected (it sees the alert "unknown ca")'
    : 'verifies every server certificate: no outgoing TLS connection succeeds (Kamailio logs "certificate verify failed", the server gets the alert "unknown ca")';
}

function checkCrl(run: PkiRun, profile: CertProfile, ref: FileRef, store: TrustStore, out: Reporter): void {
  const loaded = run.load(ref, 'ca');
  if (!loaded.ok) return;
  const file: PkiFile = loaded.file;
  const name = posix.basename(ref.path.deployed);
  const fatal = `Kamailio will refuse to start ("${crlLoadError(profile, ref)}")`;
  if (file.format === 'der') {
    const convert = file.derContent === 'crl' ? ` (convert it: openssl crl -inform der -in ${name} -out ${name.replace(/\.[^.]*$/, '')}.pem)` : '';
    out.add('ca.unreadable', ref.file, ref.range, `${subject(profile, ref)} holds ${describeContents(file)}, and Kamailio reads PEM only${convert}: ${fatal}.`);
    return;
  }
  const broken = file.broken.find((e) => e.framing || e.kind === 'certificate' || e.kind === 'crl');
  if (broken) {
    out.add('ca.unreadable', ref.file, ref.range, `${subject(profile, ref)} is damaged: ${describeBrokenEntry(broken)}, and OpenSSL stops reading there: ${fatal}.`);
    return;
  }
  if (file.crls.length === 0) {
    if (file.certificateBlocks === 0) {
      out.add('ca.unreadable', ref.file, ref.range, `${subject(profile, ref)} holds ${describeContents(file)}, no CRL and no certificate: ${fatal}.`);
    } else {
      // Loaded like a CA list (SSL_CTX_load_verify_locations): accepted, and CRL checks are on
      // (ORACLE-NOTES R3).
      out.add(
        'ca.crl-empty',
        ref.file,
        ref.range,
        `${subject(profile, ref)} holds ${describeContents(file)} but no CRL: Kamailio loads it as trust anchors and starts, but with CRL checks switched on every ${profile.view.role === 'server' ? 'client' : 'server'} certificate it verifies fails ("unable to get certificate CRL")${profile.verifiesPeer ? '' : ' — as soon as this profile verifies its peers'}. Put the CRLs of your CAs in this file.`,
        profile.verifiesPeer ? {} : { severity: 'warning' },
      );
    }
    return;
  }
  for (const c of file.crls) store.crls.push({ crl: c.crl, where: ref.path.deployed });
  for (const c of file.certificates) store.certificates.push({ cert: c.certificate, where: ref.path.deployed });
  if (!profile.verifiesPeer) return; // CRLs matter only when peer certificates are verified (§1.6)
  reportCrlDates(run, profile, ref, store, out);
  reportCrlCoverage(profile, ref, store, out);
}

function reportCrlDates(run: PkiRun, profile: CertProfile, ref: FileRef, store: TrustStore, out: Reporter): void {
  const now = run.now.getTime();
  for (const { crl } of store.crls) {
    if (crl.nextUpdate) run.dependsOn(crl.nextUpdate);
    run.dependsOn(crl.thisUpdate);
    const issuer = `'${crl.issuer.commonName ?? crl.issuer.text}'`;
    if (crl.nextUpdate && crl.nextUpdate.getTime() < now) {
      out.add(
        'ca.crl-expired',
        ref.file,
        ref.range,
        `${subject(profile, ref)}: the CRL of ${issuer} expired on ${isoDay(crl.nextUpdate)} (next update): with CRL checks on, every peer certificate issued by ${issuer} fails verification ("CRL has expired"). Fetch a current CRL, and refresh it regularly.`,
      );
    } else if (crl.thisUpdate.getTime() > now) {
      out.add(
        'ca.crl-expired',
        ref.file,
        ref.range,
        `${subject(profile, ref)}: the CRL of ${issuer} is valid only from ${isoDay(crl.thisUpdate)}: until then every peer certificate issued by ${issuer} fails verification ("CRL is not yet valid").`,
      );
    }
  }
}

/** CRL_CHECK_ALL: every CA of the trust store that issues peer certificates needs its CRL. */
function reportCrlCoverage(profile: CertProfile, ref: FileRef, store: TrustStore, out: Reporter): void {
  const cas = store.certificates.map((s) => s.cert).filter((c) => c.isCa || isSelfSigned(c));
  const uncovered = cas.filter((ca) => !store.crls.some(({ crl }) => crlIssuedBy(crl, ca) !== false));
  if (uncovered.length === 0) return;
  const related: { file: string; range: Range; message: string }[] = profile.caList ? [{ file: profile.caList.file, range: profile.caList.range, message: 'The CA list whose CAs need CRLs' }] : [];
  out.add(
    'ca.crl-missing',
    ref.file,
    ref.range,
    `${subject(profile, ref)} has no CRL issued by ${named(uncovered)}: with crl set, Kamailio checks revocation for every certificate of the peer's chain (X509_V_FLAG_CRL_CHECK_ALL), so certificates issued by ${uncovered.length === 1 ? 'that CA' : 'those CAs'} fail verification ("unable to get certificate CRL"). Add ${uncovered.length === 1 ? 'its CRL' : 'their CRLs'} to the crl file.`,
    { related },
  );
}

/**
 * verify_depth goes to SSL_CTX_set_verify_depth (tls_domain.c set_verification; Kamailio 5.6
 * installs no verify callback, so its VERIFY_DEPTH_S of 3 plays no part). OpenSSL counts the
 * intermediate CAs between the peer's certificate and the trust anchor: depth N accepts at most N
 * of them ("certificate chain too long" beyond). Measured on 5.6.3: verify_depth = 0 accepts a
 * client issued by the root itself only, 1 a client under one intermediate, 2 under two.
 * The CAs at the bottom of the trust store (those that issue no other CA of it) are the ones
 * that issue the clients: a client under one of them needs as many intermediates as lie between
 * it and its root, that CA included.
 */
function checkVerifyDepth(run: PkiRun, profile: CertProfile, out: Reporter): void {
  if (profile.view.role !== 'server' || !profile.verifiesPeer) return;
  const setting = profile.view.get('verify_depth');
  if (!setting || !/^\d+$/.test(setting.value.trim())) return; // the default 9; a bad value is tlscfg.bad-value
  const allowed = Number(setting.value.trim());
  const cas = uniqueCertificates(run.storeOf(profile).map((e) => e.cert)).filter((c) => c.isCa || isSelfSigned(c));
  const depthOf = intermediatesAbove(cas);
  const issuesCa = (c: CertificateModel): boolean => cas.some((o) => o !== c && !isSelfSigned(o) && o.issuer.canonical === c.subject.canonical && signatureVerifies(o, c));
  const bottoms = cas.filter((c) => !issuesCa(c) && depthOf(c) !== undefined);
  const short = bottoms.filter((c) => depthOf(c)! > allowed);
  if (short.length === 0) return;
  const needed = Math.max(...short.map((c) => depthOf(c)!));
  const every = short.length === bottoms.length && requiresPeerCertificate(profile.view);
  const related = profile.caList ? [{ file: profile.caList.file, range: profile.caList.range, message: 'The CA list with the intermediate CAs' }] : [];
  const intermediates = (n: number): string => `${n} intermediate CA${n === 1 ? '' : 's'}`;
  const accepts = allowed === 0 ? 'no intermediate CA' : `at most ${intermediates(allowed)}`;
  const issued =
    short.length === 1
      ? `a client certificate issued by ${quoteName(short[0]!)} (in the trust store) has ${intermediates(needed)} above it (${quoteName(short[0]!)} included)`
      : `client certificates issued by ${listingOf(short, (c) => `${quoteName(c)} (${intermediates(depthOf(c)!)})`)} have more above them (the issuing CA included)`;
  out.add(
    'tls.verify-depth-short',
    setting.file,
    setting.range,
    `${profile.view.label}: verify_depth = ${allowed} lets OpenSSL accept ${accepts} between a client certificate and its root, but ${issued}: ${every ? 'every client is rejected' : `every client certificate issued by ${short.length === 1 ? 'that CA' : 'those CAs'} is rejected`} (OpenSSL: "certificate chain too long"; Kamailio logs "certificate verify failed", the client gets the alert "unknown ca"). Set verify_depth = ${needed} or more (Kamailio's default is 9).`,
    { related, ...(every ? {} : { severity: 'warning' as const }), fixes: [fix(`Set verify_depth = ${needed}`, [edit(setting.file, setting.range, String(needed))], true)] },
  );
}

/** A certificate in ca_list and in a hashed ca_path file is one CA. */
function uniqueCertificates(list: readonly CertificateModel[]): CertificateModel[] {
  const byFingerprint = new Map<string, CertificateModel>();
  for (const c of list) if (!byFingerprint.has(c.fingerprint256)) byFingerprint.set(c.fingerprint256, c);
  return [...byFingerprint.values()];
}

/**
 * The number of intermediate CAs a client issued by each CA of the store has above it: 0 for a
 * self-signed root, 1 + its issuer's for an intermediate; undefined when the path ends without
 * a root (ca.no-root says so).
 */
function intermediatesAbove(cas: readonly CertificateModel[]): (c: CertificateModel) => number | undefined {
  const memo = new Map<CertificateModel, number | undefined>();
  const visit = (c: CertificateModel, seen: Set<CertificateModel>): number | undefined => {
    if (memo.has(c)) return memo.get(c);
    let depth: number | undefined;
    if (isSelfSigned(c)) depth = 0;
    else if (!seen.has(c)) {
      seen.add(c);
      const parent = cas.find((p) => p !== c && p.subject.canonical === c.issuer.canonical && signatureVerifies(c, p));
      const above = parent ? visit(parent, seen) : undefined;
      depth = above === undefined ? undefined : above + 1;
    }
    memo.set(c, depth);
    return depth;
  };
  return (c) => visit(c, new Set());
}
