// The public root store: Node's bundled Mozilla roots (tls.rootCertificates), parsed once, on
// first use, and indexed by subject. It stands for "what an ordinary peer trusts".
import { rootCertificates } from 'node:tls';
import { children, readTlv } from './asn1';
import { parseCertificate, parseName, type CertificateModel } from './certificate';
import { scanPem } from './pem';

export class CertificateIndex {
  private readonly bySubject = new Map<string, CertificateModel[]>();
  private readonly fingerprints = new Set<string>();
  private count = 0;

  add(cert: CertificateModel): void {
    if (this.fingerprints.has(cert.fingerprint256)) return;
    this.fingerprints.add(cert.fingerprint256);
    const list = this.bySubject.get(cert.subject.canonical);
    if (list) list.push(cert);
    else this.bySubject.set(cert.subject.canonical, [cert]);
    this.count++;
  }

  /** Certificates whose subject is `canonicalName`. */
  withSubject(canonicalName: string): readonly CertificateModel[] {
    return this.bySubject.get(canonicalName) ?? [];
  }

  has(cert: CertificateModel): boolean {
    return this.fingerprints.has(cert.fingerprint256);
  }

  get size(): number {
    return this.count;
  }
}

let publicIndex: LazyRootIndex | undefined;

/**
 * The public roots, indexed by subject on first use from their DER alone; a root is parsed into a
 * CertificateModel (node:crypto's X509Certificate, key export) only when a chain asks for its
 * subject. Parsing all ~150 up front cost ~80 ms of every `sip-tls check`.
 */
class LazyRootIndex extends CertificateIndex {
  private readonly pending = new Map<string, Uint8Array[]>();

  constructor(ders: Uint8Array[]) {
    super();
    for (const der of ders) {
      try {
        const subject = subjectOf(der);
        const list = this.pending.get(subject);
        if (list) list.push(der);
        else this.pending.set(subject, [der]);
      } catch {
        // A root our DER reader cannot read is one no peer of ours relies on.
      }
    }
  }

  override withSubject(canonicalName: string): readonly CertificateModel[] {
    const waiting = this.pending.get(canonicalName);
    if (waiting) {
      this.pending.delete(canonicalName);
      for (const der of waiting) {
        try {
          this.add(parseCertificate(der));
        } catch {
          // as above
        }
      }
    }
    return super.withSubject(canonicalName);
  }

  override has(cert: CertificateModel): boolean {
    this.withSubject(cert.subject.canonical);
    return super.has(cert);
  }

  override get size(): number {
    let waiting = 0;
    for (const list of this.pending.values()) waiting += list.length;
    return super.size + waiting;
  }
}

/** The canonical subject name of a DER certificate, read from the TBSCertificate. */
function subjectOf(der: Uint8Array): string {
  const [tbs] = children(der, readTlv(der, 0));
  if (!tbs) throw new Error('incomplete certificate');
  const parts = children(der, tbs);
  // [0] version (optional), serialNumber, signature, issuer, validity, subject
  const offset = parts[0]?.tag === 0xa0 ? 1 : 0;
  const subject = parts[offset + 4];
  if (!subject) throw new Error('no subject');
  return parseName(der, subject).canonical;
}

/** The public roots (about 150 certificates; indexed cheaply, parsed on demand). */
export function publicRoots(): CertificateIndex {
  if (publicIndex) return publicIndex;
  const ders: Uint8Array[] = [];
  for (const pem of rootCertificates) {
    const block = scanPem(new TextEncoder().encode(pem)).blocks[0];
    if (block?.der) ders.push(block.der);
  }
  publicIndex = new LazyRootIndex(ders);
  return publicIndex;
}
