// The chain our certificate builds *at the peer*: the peer holds its own roots (the public store,
// or the ones it pins) and nothing of our configuration — an intermediate that sits only in one
// of our ca_lists is one the peer never gets, unless OpenSSL sends it by auto-chaining (the
// certificate file holds the leaf alone; then the profile's own store completes the chain).
import { isSelfSigned, type CertificateModel } from '../pki/certificate';
import { buildChain, CertificatePool, type ChainResult, type PooledCertificate, type TrustContext } from '../pki/chain';
import { CertificateIndex, publicRoots } from '../pki/publicRoots';
import { X509Certificate } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { PeerRoot } from './peer';

export function sha256Hex(cert: CertificateModel): string {
  return cert.fingerprint256.replace(/:/g, '').toLowerCase();
}

/** A pool that answers with the certificates of `sources` whose fingerprint is pinned (lazy: the public store is asked per subject). */
class PinnedPool extends CertificatePool {
  constructor(
    private readonly pinned: ReadonlySet<string>,
    private readonly ours: TrustContext,
  ) {
    super();
  }
  override withSubject(name: string): readonly PooledCertificate[] {
    const candidates = [
      ...this.ours.anchors.withSubject(name),
      ...this.ours.configured.withSubject(name),
      ...this.ours.publicRoots().withSubject(name).map((cert): PooledCertificate => ({ cert, origin: { kind: 'public' } })),
    ];
    return candidates.filter((c) => this.pinned.has(sha256Hex(c.cert)));
  }
  /** Whether any pinned root is known as a certificate (anchors or our stores; the public store cannot be listed). */
  anyKnown(): boolean {
    return [...this.ours.anchors.all(), ...this.ours.configured.all()].some((c) => this.pinned.has(sha256Hex(c.cert)));
  }
}

const NO_PUBLIC_ROOTS = new CertificateIndex();

export interface PeerChain {
  chain: ChainResult;
  /** Pinned roots only: whether a stuck chain can be judged (some pinned root is known by its certificate). */
  judgeable: boolean;
}

/**
 * `ours`: the run's trust (every ca_list, the user's anchors, the public store) — it supplies the
 * pinned roots' certificates and the intermediates a chain may miss; `ownStore`: the profile's
 * store, for auto-chaining.
 */
export function chainAtPeer(certs: readonly CertificateModel[], leafIndex: number, roots: 'public-roots' | PeerRoot[], ours: TrustContext, ownStore: CertificatePool): PeerChain {
  // Intermediates of our stores help find what is missing; their roots are not the peer's.
  const intermediates = new CertificatePool();
  for (const c of [...ours.configured.all(), ...ours.anchors.all()]) if (!isSelfSigned(c.cert)) intermediates.add(c.cert, c.origin);
  const pinned = roots === 'public-roots' ? undefined : new PinnedPool(new Set(roots.map((r) => r.sha256)), ours);
  const chain = buildChain(certs, leafIndex, {
    configured: intermediates,
    anchors: pinned ?? new CertificatePool(),
    publicRoots: pinned ? () => NO_PUBLIC_ROOTS : publicRoots,
    ...(certs.length === 1 ? { autoChain: ownStore } : {}),
  });
  return { chain, judgeable: !pinned || chain.status === 'trusted' || pinned.anyKnown() };
}

let rootsBySha: Map<string, string> | undefined;

/** The PEM of a root of the public store bundled with Node (Mozilla's), by SHA-256 fingerprint. */
export function publicRootPem(sha256: string): string | undefined {
  if (!rootsBySha) {
    rootsBySha = new Map();
    for (const pem of rootCertificates) {
      try {
        rootsBySha.set(new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase(), pem.endsWith('\n') ? pem : pem + '\n');
      } catch {
        /* a root Node cannot parse is not offered */
      }
    }
  }
  return rootsBySha.get(sha256);
}
