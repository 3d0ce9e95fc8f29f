// Chain building the way OpenSSL (and so Kamailio's peers) does it. Kamailio loads `certificate`
// with SSL_CTX_use_certificate_chain_file: the first certificate is its own, the rest are sent as
// the chain, in file order (reference §6). A peer then builds a path from that leaf, "trusted
// first" (X509_V_FLAG_TRUSTED_FIRST, the default since OpenSSL 1.1.0): at each step an issuer from
// its trust store wins over one from the received chain.
//
// Trust here: the ca_list/ca_path certificates of this configuration (a private PKI's root is
// usually there), the user's extra trust anchors, and the public roots. An intermediate that is
// only in a ca_list does not complete the chain: Kamailio never sends ca_list contents (§6).
import { isSelfSigned, issuerCandidates, sameEntity, signatureVerifies, type CertificateModel } from './certificate';
import { ISSUER_CANDIDATES_PER_STEP } from './cryptoBudgets';
import type { CertificateIndex } from './publicRoots';

export type CertificateOrigin =
  /** In the certificate file (the presented chain), at this position. */
  | { kind: 'file'; index: number }
  /** In a ca_list / ca_path of this configuration. */
  | { kind: 'ca-list'; path: string }
  /** In the user's trust anchors (sipTls.trustAnchors, --trust). */
  | { kind: 'trust-anchor'; path: string }
  /** Node's public root store. */
  | { kind: 'public' }
  /** Found in a file that no option references (beside the certificate, in the workspace). */
  | { kind: 'found'; path: string };

export interface PooledCertificate {
  cert: CertificateModel;
  origin: CertificateOrigin;
}

/** Certificates from several files, indexed by subject. */
export class CertificatePool {
  private readonly bySubject = new Map<string, PooledCertificate[]>();
  private readonly fingerprints = new Set<string>();

  add(cert: CertificateModel, origin: CertificateOrigin): void {
    if (this.fingerprints.has(cert.fingerprint256)) return;
    this.fingerprints.add(cert.fingerprint256);
    const entry = { cert, origin };
    const list = this.bySubject.get(cert.subject.canonical);
    if (list) list.push(entry);
    else this.bySubject.set(cert.subject.canonical, [entry]);
  }

  withSubject(canonicalName: string): readonly PooledCertificate[] {
    return this.bySubject.get(canonicalName) ?? [];
  }

  /** The pooled copy of `cert` (same certificate, or same subject and key). */
  find(cert: CertificateModel): PooledCertificate | undefined {
    return this.withSubject(cert.subject.canonical).find((p) => sameEntity(p.cert, cert));
  }

  all(): PooledCertificate[] {
    return [...this.bySubject.values()].flat();
  }
}

export interface TrustContext {
  /** ca_list / ca_path certificates of any profile of the configuration. */
  configured: CertificatePool;
  /** The user's extra trust anchors. */
  anchors: CertificatePool;
  /** The public root store (lazy: parsed only when a chain needs it). */
  publicRoots: () => CertificateIndex;
  /** Issuers found in files nobody references, for fixes (lazy; may be absent). */
  search?: (child: CertificateModel) => readonly PooledCertificate[];
  /**
   * The profile's own trust store when its certificate file holds the leaf alone: OpenSSL then
   * builds the chain it sends from that store (auto-chain, ssl_add_cert_chain), so an
   * intermediate found there is sent, not missing (verified on Kamailio 5.6.3).
   */
  autoChain?: CertificatePool;
}

export interface ChainLink {
  cert: CertificateModel;
  origin: CertificateOrigin;
}

export type ChainStatus =
  /** Reaches a trust anchor. */
  | 'trusted'
  /** Complete up to a self-signed root that no trust source holds. */
  | 'untrusted-root'
  /** The issuer of `stuckAt` is nowhere to be found. */
  | 'unknown-issuer'
  /** A certificate named like the issuer of `stuckAt` exists, but its signature does not verify. */
  | 'bad-signature';

export interface ChainResult {
  /** Leaf first, then each issuer. */
  links: ChainLink[];
  status: ChainStatus;
  /** The trust source that ends a trusted chain. */
  trustedBy?: CertificateOrigin;
  /** Issuers peers need that the certificate file does not hold (from a ca_list or found nearby). */
  missing: ChainLink[];
  /** unknown-issuer / bad-signature: the certificate whose issuer is missing or bad. */
  stuckAt?: CertificateModel;
  /** bad-signature: the certificate whose name matches but whose key does not verify. */
  badIssuer?: PooledCertificate;
}

const MAX_DEPTH = 16;

function verifiedIssuer(child: CertificateModel, candidates: readonly PooledCertificate[], seen: Set<string>, rejected: PooledCertificate[]): PooledCertificate | undefined {
  for (const c of issuerCandidates(child, candidates.filter((x) => !seen.has(x.cert.fingerprint256)), (x) => x.cert)) {
    if (signatureVerifies(child, c.cert)) return c;
    rejected.push(c);
  }
  return undefined;
}

/** A trust source's copy of a self-signed certificate. */
function trustedCopy(cert: CertificateModel, trust: TrustContext): CertificateOrigin | undefined {
  const anchor = trust.anchors.find(cert);
  if (anchor) return anchor.origin;
  const configured = trust.configured.find(cert);
  if (configured) return configured.origin;
  if (trust.publicRoots().withSubject(cert.subject.canonical).some((r) => sameEntity(r, cert))) return { kind: 'public' };
  return undefined;
}

export function buildChain(presented: readonly CertificateModel[], leafIndex: number, trust: TrustContext): ChainResult {
  const leaf = presented[leafIndex]!;
  const links: ChainLink[] = [{ cert: leaf, origin: { kind: 'file', index: leafIndex } }];
  const missing: ChainLink[] = [];
  const seen = new Set([leaf.fingerprint256]);
  const usedFile = new Set([leafIndex]);
  let cur = leaf;
  let curIndex = leafIndex;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    if (isSelfSigned(cur)) {
      const by = trustedCopy(cur, trust);
      return by ? { links, status: 'trusted', trustedBy: by, missing } : { links, status: 'untrusted-root', missing };
    }
    const rejected: PooledCertificate[] = [];
    const issuerName = cur.issuer.canonical;
    // 1. Trust anchors first (OpenSSL's trusted-first): the user's, the public roots, and the
    //    self-signed roots of the configuration's CA lists.
    const configuredRoots = trust.configured.withSubject(issuerName).filter((p) => isSelfSigned(p.cert));
    const anchor =
      verifiedIssuer(cur, [...trust.anchors.withSubject(issuerName), ...configuredRoots], seen, rejected) ??
      verifiedIssuer(cur, trust.publicRoots().withSubject(issuerName).map((cert): PooledCertificate => ({ cert, origin: { kind: 'public' } })), seen, rejected);
    if (anchor) {
      links.push(anchor);
      return { links, status: 'trusted', trustedBy: anchor.origin, missing };
    }
    // 2. The rest of the certificate file, the next certificate first.
    const fileCandidates = presented
      .map((cert, index): PooledCertificate & { index: number } => ({ cert, origin: { kind: 'file', index }, index }))
      .filter((c) => !usedFile.has(c.index) && c.cert.subject.canonical === issuerName)
      .sort((a, b) => (a.index === curIndex + 1 ? -1 : b.index === curIndex + 1 ? 1 : a.index - b.index));
    const inFile = verifiedIssuer(cur, fileCandidates, seen, rejected);
    if (inFile && inFile.origin.kind === 'file') {
      links.push(inFile);
      seen.add(inFile.cert.fingerprint256);
      usedFile.add(inFile.origin.index);
      cur = inFile.cert;
      curIndex = inFile.origin.index;
      continue;
    }
    // 3. An intermediate of a ca_list (peers do not have it), then one found nearby.
    const configuredIntermediates = trust.configured.withSubject(issuerName).filter((p) => !isSelfSigned(p.cert));
    const elsewhere =
      verifiedIssuer(cur, configuredIntermediates, seen, rejected) ?? (trust.search ? verifiedIssuer(cur, trust.search(cur), seen, rejected) : undefined);
    if (elsewhere) {
      links.push(elsewhere);
      seen.add(elsewhere.cert.fingerprint256);
      if (!isSelfSigned(elsewhere.cert) && !trust.autoChain?.find(elsewhere.cert)) missing.push(elsewhere);
      cur = elsewhere.cert;
      curIndex = -2;
      continue;
    }
    const bad = rejected[0];
    return bad ? { links, status: 'bad-signature', missing, stuckAt: cur, badIssuer: bad } : { links, status: 'unknown-issuer', missing, stuckAt: cur };
  }
  return { links, status: 'unknown-issuer', missing, stuckAt: cur };
}

// --- the file's own order ------------------------------------------------------------------------

/**
 * Which certificate of the file is the leaf: the one the private key belongs to; without a key,
 * the first one unless that is a CA certificate and a non-CA certificate that issues nothing
 * else in the file follows (a reversed full chain).
 */
export function findLeafIndex(presented: readonly CertificateModel[], keySpkiSha256?: string): number {
  if (keySpkiSha256) {
    const k = presented.findIndex((c) => c.publicKey.spkiSha256 === keySpkiSha256);
    if (k >= 0) return k;
  }
  const first = presented[0];
  if (!first || !first.isCa || presented.length === 1) return 0;
  // Bounded like an issuer lookup: a file of 64 certificates of one name is 64 × 8 checks, not 64².
  const issuesSomething = (i: number) =>
    presented
      .filter((c, j) => j !== i && c.issuer.canonical === presented[i]!.subject.canonical)
      .slice(0, ISSUER_CANDIDATES_PER_STEP)
      .some((c) => signatureVerifies(c, presented[i]!));
  const k = presented.findIndex((c, i) => !c.isCa && !issuesSomething(i));
  return k >= 0 ? k : 0;
}

export interface FileOrder {
  leafIndex: number;
  /** File positions of the leaf and its issuers found in the file, in chain order. */
  chain: number[];
  /** Positions of certificates that are not on the leaf's chain (unrelated or duplicates). */
  extras: number[];
  /** The leaf is first. */
  leafFirst: boolean;
  /** Leaf first, each certificate followed by its issuer, nothing else. */
  ordered: boolean;
}

export function analyseOrder(presented: readonly CertificateModel[], leafIndex: number): FileOrder {
  // Depends on the certificates alone: an unchanged file gives the same array (certificateModels).
  let byLeaf = orders.get(presented);
  if (!byLeaf) {
    byLeaf = new Map();
    orders.set(presented, byLeaf);
  }
  let order = byLeaf.get(leafIndex);
  if (!order) {
    order = fileOrder(presented, leafIndex);
    byLeaf.set(leafIndex, order);
  }
  return order;
}

const orders = new WeakMap<readonly CertificateModel[], Map<number, FileOrder>>();

function fileOrder(presented: readonly CertificateModel[], leafIndex: number): FileOrder {
  const chain = [leafIndex];
  const used = new Set(chain);
  let cur = presented[leafIndex]!;
  while (!isSelfSigned(cur) && chain.length < presented.length) {
    const last = chain[chain.length - 1]!;
    const candidates = presented
      .map((c, i) => ({ c, i }))
      .filter(({ c, i }) => !used.has(i) && c.subject.canonical === cur.issuer.canonical && !chain.some((k) => presented[k]!.fingerprint256 === c.fingerprint256))
      .sort((a, b) => (a.i === last + 1 ? -1 : b.i === last + 1 ? 1 : a.i - b.i));
    const next = issuerCandidates(cur, candidates, ({ c }) => c).find(({ c }) => signatureVerifies(cur, c));
    if (!next) break;
    chain.push(next.i);
    used.add(next.i);
    cur = next.c;
  }
  const extras = presented.map((_, i) => i).filter((i) => !used.has(i));
  const leafFirst = leafIndex === 0;
  const ordered = leafFirst && extras.length === 0 && chain.every((idx, i) => idx === i);
  return { leafIndex, chain, extras, leafFirst, ordered };
}
