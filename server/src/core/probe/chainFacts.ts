// The certificates of a probe as facts (the same CertificateFacts the hovers and `show` use). The
// chain is the one the server sent, read from the wire; Node's getPeerCertificate(true) is the
// fallback, and also tells which trusted root the chain was completed with (Node appends it from
// the local store, which is why it cannot stand for "what the server sent" on its own).
import { X509Certificate, createHash } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import { certificateFacts, roleOf, type CertificateFacts } from '../features/certificateDetails';
import { parseCertificate } from '../pki/certificate';
import type { ChainCertificate, ProbeReport } from './types';

const DAY = 86_400_000;

function fingerprint(der: Uint8Array): string {
  return createHash('sha256').update(der).digest('hex');
}

/** Facts of one certificate; a certificate the parser refuses still gets what node:crypto reads. */
function factsOf(der: Buffer, index: number, now: Date): CertificateFacts {
  try {
    const cert = parseCertificate(der);
    return certificateFacts(cert, now, roleOf(cert, index, 0));
  } catch {
    let x: X509Certificate | undefined;
    try {
      x = new X509Certificate(der);
    } catch {
      // Not even node:crypto reads it: only the fingerprint is known.
    }
    const notAfter = x ? new Date(x.validTo) : undefined;
    return {
      role: index === 0 ? 'leaf' : `certificate ${index + 1}`,
      subject: x?.subject.replace(/\n/g, ', ') ?? '(unreadable certificate)',
      issuer: x?.issuer.replace(/\n/g, ', ') ?? '',
      names: x?.subjectAltName?.split(', ') ?? [],
      notBefore: x ? new Date(x.validFrom).toISOString().slice(0, 10) : '',
      notAfter: notAfter ? notAfter.toISOString().slice(0, 10) : '',
      daysLeft: notAfter ? Math.floor((notAfter.getTime() - now.getTime()) / DAY) : 0,
      serial: x?.serialNumber ?? '',
      sha256: fingerprint(der).toUpperCase().replace(/(..)(?!$)/g, '$1:'),
      key: '',
      signature: '',
      keyUsage: [],
      extendedKeyUsage: [],
      ca: x?.ca ?? false,
    };
  }
}

/** Node's chain: the peer certificate, then issuerCertificate until it refers to itself. */
function walk(peer: DetailedPeerCertificate | undefined): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  let c: DetailedPeerCertificate | undefined = peer;
  while (c && c.raw && !seen.has(c.fingerprint256)) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
    if (c.issuerCertificate === c) break;
    c = c.issuerCertificate;
  }
  return out;
}

export function chainFacts(wire: Buffer[] | undefined, peer: DetailedPeerCertificate | undefined, now: Date): Pick<ProbeReport, 'chain' | 'chainSource' | 'trustAnchor'> {
  const nodeChain = walk(peer);
  const presented = wire ?? nodeChain;
  const chain: ChainCertificate[] = presented.map((der, i) => ({ position: i, ...factsOf(der, i, now) }));
  let trustAnchor: CertificateFacts | null = null;
  const top = nodeChain.at(-1);
  if (wire && top && nodeChain.length > 1) {
    const sent = new Set(wire.map(fingerprint));
    if (!sent.has(fingerprint(top))) trustAnchor = { ...factsOf(top, nodeChain.length - 1, now), role: 'trust anchor' };
  }
  return { chain, chainSource: presented.length === 0 ? null : wire ? 'wire' : 'node', trustAnchor };
}
