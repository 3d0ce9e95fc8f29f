// What a certificate, chain, key, CA list or CRL file holds, as plain facts: shared by the hover
// (certificateHover.ts) and `sip-tls show`. The verdict comes from the same rules as the
// diagnostics (the findings on the option's value), so a hover never contradicts the Problems
// panel. Nothing here ever reads out key material: a key is described by its type, size, whether
// it is encrypted and whether it matches the certificate (the SubjectPublicKeyInfo hash).
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { ResolvedPath } from '../paths';
import type { Finding } from '../types';
import type { TlsProfile } from '../tlscfg/model';
import { isSelfSigned, isoDay, EKU, type CertificateModel } from '../pki/certificate';
import { buildChain, findLeafIndex, type CertificateOrigin, type ChainResult } from '../pki/chain';
import { certificateModels, describeContents, type PkiFile } from '../pki/bundle';
import { containerName } from '../pki/key';
import { loadCaDirectory, loadPki, type LoadResult } from '../pki/load';
import { checkCertificates } from '../rules/certificates';
import { PkiRun, certProfiles, daysBetween, type CertProfile, type CertSlot } from '../rules/certContext';
import { Reporter } from '../rules/report';

export interface CertificateFacts {
  /** "leaf", "intermediate", "root", "certificate 3". */
  role: string;
  subject: string;
  issuer: string;
  names: string[];
  notBefore: string;
  notAfter: string;
  /** Negative once expired. */
  daysLeft: number;
  serial: string;
  /** Upper-case hex with colons, all 32 bytes. */
  sha256: string;
  key: string;
  signature: string;
  keyUsage: string[];
  extendedKeyUsage: string[];
  ca: boolean;
}

const EKU_NAMES: Record<string, string> = {
  [EKU.serverAuth]: 'serverAuth',
  [EKU.clientAuth]: 'clientAuth',
  [EKU.any]: 'anyExtendedKeyUsage',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

export function certificateFacts(cert: CertificateModel, now: Date, role: string): CertificateFacts {
  return {
    role,
    subject: cert.subject.text || '(empty subject)',
    issuer: cert.issuer.text || '(empty issuer)',
    names: [...cert.dnsNames.map((n) => `DNS:${n}`), ...cert.ipAddresses.map((n) => `IP:${n}`), ...cert.uris.map((n) => `URI:${n}`), ...cert.emailAddresses.map((n) => `email:${n}`)],
    notBefore: isoDay(cert.notBefore),
    notAfter: isoDay(cert.notAfter),
    daysLeft: daysBetween(now, cert.notAfter),
    serial: cert.serialHex.toUpperCase(),
    sha256: cert.fingerprint256.toUpperCase(),
    key: cert.publicKey.description,
    signature: cert.signature.name,
    keyUsage: cert.keyUsage ? [...cert.keyUsage] : [],
    extendedKeyUsage: (cert.extendedKeyUsage ?? []).map((oid) => EKU_NAMES[oid] ?? oid),
    ca: cert.isCa,
  };
}

export function roleOf(cert: CertificateModel, index: number, leafIndex: number): string {
  if (index === leafIndex) return 'leaf';
  if (isSelfSigned(cert)) return 'root';
  if (cert.isCa) return 'intermediate';
  return `certificate ${index + 1}`;
}

/** Where a chain link or trust anchor comes from, in words. */
export function originWords(origin: CertificateOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `certificate file, position ${origin.index + 1}`;
    case 'ca-list':
      return `CA list ${origin.path}`;
    case 'trust-anchor':
      return `trust anchor ${origin.path}`;
    case 'public':
      return 'public root store';
    case 'found':
      return `${origin.path} (no option references it)`;
  }
}

export interface KeyFacts {
  path: string;
  description: string;
  encrypted: boolean;
  /** undefined when it cannot be told (encrypted, unreadable, no certificate). */
  matches?: boolean;
}

export interface CertificateFileReport {
  path: string;
  /** `2 certificates and an RSA 2048 private key (PKCS#8)`. */
  contents: string;
  certificates: CertificateFacts[];
  chain?: { status: ChainResult['status']; links: { subject: string; origin: string; missing: boolean }[]; trustedBy?: string };
  key?: KeyFacts;
  /** The diagnostics the rules report on this option: the verdict. */
  findings: Finding[];
  /** Files over the size limit or not readable: the reason, and nothing else is filled. */
  unavailable?: string;
}

/** The profile a hovered value belongs to, in the rules' terms. */
function findProfile(profiles: CertProfile[], profile: TlsProfile | undefined, local: string): { profile: CertProfile; slot?: CertSlot } | undefined {
  const candidates = profile ? profiles.filter((p) => p.view.profile === profile) : profiles.filter((p) => p.view.source === 'modparam' && p.view.role === 'server');
  for (const p of [...candidates, ...profiles]) {
    const slot = p.slots.find((s) => s.certificate?.path.local === local || s.privateKey?.path.local === local);
    if (slot) return { profile: p, slot };
    if (candidates.includes(p) && (p.caList?.path.local === local || p.caPath?.path.local === local || p.crl?.path.local === local)) return { profile: p };
  }
  return candidates[0] ? { profile: candidates[0] } : undefined;
}

/**
 * The certificate findings of a whole deployment, computed once per Deployment object: the
 * server keeps the deployment of its last check while nothing changes, so every hover after the
 * first is a lookup instead of re-checking every profile (~10 ms for 200 profiles).
 */
const certificateFindings = new WeakMap<Deployment, Finding[]>();

/**
 * The profiles and one PkiRun per Deployment object, for the same reason: the trust pool and the
 * folder listings a chain needs are built once, not on every hover.
 */
const pkiRuns = new WeakMap<Deployment, { profiles: CertProfile[]; run: PkiRun }>();

function pkiRunFor(deployment: Deployment): { profiles: CertProfile[]; run: PkiRun } {
  let hit = pkiRuns.get(deployment);
  if (!hit) {
    const profiles = certProfiles(deployment);
    hit = { profiles, run: new PkiRun(deployment, profiles) };
    pkiRuns.set(deployment, hit);
  }
  return hit;
}

function deploymentCertificateFindings(deployment: Deployment): Finding[] {
  const hit = certificateFindings.get(deployment);
  if (hit) return hit;
  const out = new Reporter();
  try {
    checkCertificates(deployment, out);
  } catch {
    return [];
  }
  certificateFindings.set(deployment, out.findings);
  return out.findings;
}

/** The findings the certificate rules report on the option value naming `local`. */
function findingsFor(deployment: Deployment, local: string, found: CertProfile | undefined, slot: CertSlot | undefined): Finding[] {
  const all = deploymentCertificateFindings(deployment);
  const refs = [slot?.certificate, slot?.privateKey, found?.caList, found?.caPath, found?.crl].filter((r) => r && r.path.local === local);
  return all.filter((f) => refs.some((r) => r && r.file === f.file && r.range.start.line === f.range.start.line && r.range.start.character === f.range.start.character));
}

function unavailable(r: LoadResult): string | undefined {
  if (r.ok) return undefined;
  if (r.reason === 'too-large') return `${r.size} bytes: over the ${r.limit / 1024 / 1024} MiB examined`;
  return 'not readable';
}

/** What a file's first private key is, and whether it belongs to `leaf` — never its material. */
export function keyFacts(file: PkiFile, path: string, leaf: CertificateModel | undefined): KeyFacts | undefined {
  const entry = file.keys[0];
  if (!entry) return undefined;
  const key = entry.key;
  const description = key.publicKey ? `${key.publicKey.description} (${containerName(key.container)})` : `${containerName(key.container)}${key.cipher ? `, ${key.cipher}` : ''}`;
  const matches = key.publicKey && leaf ? key.publicKey.spkiSha256 === leaf.publicKey.spkiSha256 : undefined;
  return { path, description, encrypted: key.encrypted, ...(matches === undefined ? {} : { matches }) };
}

/** The full report on a certificate file as one profile loads it. */
export function certificateFileReport(deployment: Deployment, path: ResolvedPath, profile: TlsProfile | undefined): CertificateFileReport {
  const loaded = loadPki(deployment.probe, path.local, 'certificate');
  const why = unavailable(loaded);
  if (why || !loaded.ok) return { path: path.deployed, contents: '', certificates: [], findings: [], unavailable: why ?? 'not readable' };
  const file = loaded.file;
  const { profiles, run } = pkiRunFor(deployment);
  const found = findProfile(profiles, profile, path.local);
  const certs = certificateModels(file);

  // The key is the profile's private_key, or a key in the certificate file itself.
  const keyRef = found?.slot?.privateKey;
  const separateKey = keyRef && keyRef.path.local !== path.local ? keyRef : undefined;
  const keyLoaded = separateKey ? loadPki(deployment.probe, separateKey.path.local, 'certificate') : loaded;
  const keyFile = keyLoaded.ok ? keyLoaded.file : undefined;
  const leafIndex = findLeafIndex(certs, keyFile?.keys[0]?.key.publicKey?.spkiSha256);
  const leaf = certs[leafIndex];
  const key = keyFile ? keyFacts(keyFile, separateKey ? separateKey.path.deployed : path.deployed, leaf) : undefined;

  const now = deployment.probe.now();
  const report: CertificateFileReport = {
    path: path.deployed,
    contents: describeContents(file),
    certificates: certs.map((c, i) => certificateFacts(c, now, roleOf(c, i, leafIndex))),
    ...(key ? { key } : {}),
    findings: findingsFor(deployment, path.local, found?.profile, found?.slot),
  };
  if (leaf) {
    const autoChain = file.certificateBlocks === 1 && found ? run.storePool(found.profile) : undefined;
    // The same search as the chain rules (the certificate's folder, the CA list's), so that the
    // chain shown names the intermediate the diagnostic names.
    const folders = [posix.dirname(path.local), ...(found?.profile.caList ? [posix.dirname(found.profile.caList.path.local)] : [])];
    const chain = buildChain(certs, leafIndex, { ...run.trustWithSearch(folders), ...(autoChain ? { autoChain } : {}) });
    const missing = new Set(chain.missing.map((m) => m.cert.fingerprint256));
    report.chain = {
      status: chain.status,
      links: chain.links.map((l) => ({ subject: l.cert.displayName, origin: originWords(l.origin), missing: missing.has(l.cert.fingerprint256) })),
      ...(chain.trustedBy ? { trustedBy: originWords(chain.trustedBy) } : {}),
    };
  }
  return report;
}

export interface CaFileReport {
  path: string;
  contents: string;
  /** At most `limit` certificates, with their facts. */
  certificates: CertificateFacts[];
  total: number;
  crls: { issuer: string; thisUpdate: string; nextUpdate?: string; revoked: number }[];
  findings: Finding[];
  unavailable?: string;
}

/** A ca_list, crl or ca_path: what OpenSSL will load from it. */
export function caReport(deployment: Deployment, path: ResolvedPath, kind: 'ca-list' | 'crl' | 'directory', profile: TlsProfile | undefined, limit = 8): CaFileReport {
  const now = deployment.probe.now();
  const found = findProfile(pkiRunFor(deployment).profiles, profile, path.local);
  const findings = findingsFor(deployment, path.local, found?.profile, undefined);
  if (kind === 'directory') {
    const dir = loadCaDirectory(deployment.probe, path.local);
    if (!dir) return { path: path.deployed, contents: '', certificates: [], total: 0, crls: [], findings, unavailable: 'not a readable folder' };
    const certs = dir.files.flatMap((f) => f.file.certificates.map((c) => c.certificate));
    const other = dir.otherNames.length > 0 ? `; ${dir.otherNames.length} certificate file(s) without a hashed name, which OpenSSL never reads (run openssl rehash)` : '';
    return {
      path: path.deployed,
      contents: `${dir.hashedNames} hashed-name file(s)${other}`,
      certificates: certs.slice(0, limit).map((c) => certificateFacts(c, now, c.isCa ? 'CA' : 'certificate')),
      total: certs.length,
      crls: [],
      findings,
    };
  }
  const loaded = loadPki(deployment.probe, path.local, 'ca');
  const why = unavailable(loaded);
  if (why || !loaded.ok) return { path: path.deployed, contents: '', certificates: [], total: 0, crls: [], findings, unavailable: why ?? 'not readable' };
  const file = loaded.file;
  const certs = certificateModels(file);
  return {
    path: path.deployed,
    contents: describeContents(file),
    certificates: certs.slice(0, limit).map((c) => certificateFacts(c, now, isSelfSigned(c) ? 'root' : c.isCa ? 'intermediate' : 'certificate')),
    total: file.certificateBlocks,
    crls: file.entries.flatMap((e) => (e.crl ? [{ issuer: e.crl.issuer.text, thisUpdate: isoDay(e.crl.thisUpdate), ...(e.crl.nextUpdate ? { nextUpdate: isoDay(e.crl.nextUpdate) } : {}), revoked: e.crl.revokedCount }] : [])),
    findings,
  };
}

/** A private key file: never its material. */
export function keyReport(deployment: Deployment, path: ResolvedPath, profile: TlsProfile | undefined): { path: string; key?: KeyFacts; contents: string; findings: Finding[]; unavailable?: string } {
  const loaded = loadPki(deployment.probe, path.local, 'certificate');
  const why = unavailable(loaded);
  const found = findProfile(pkiRunFor(deployment).profiles, profile, path.local);
  const findings = findingsFor(deployment, path.local, found?.profile, found?.slot);
  if (why || !loaded.ok) return { path: path.deployed, contents: '', findings, unavailable: why ?? 'not readable' };
  let leaf: CertificateModel | undefined;
  const certRef = found?.slot?.certificate;
  const certFile = certRef ? loadPki(deployment.probe, certRef.path.local, 'certificate') : loaded;
  if (certFile.ok) {
    const certs = certificateModels(certFile.file);
    const spki = loaded.file.keys[0]?.key.publicKey?.spkiSha256;
    leaf = certs[findLeafIndex(certs, spki)];
  }
  const key = keyFacts(loaded.file, path.deployed, leaf);
  return { path: path.deployed, ...(key ? { key } : {}), contents: describeContents(loaded.file), findings };
}
