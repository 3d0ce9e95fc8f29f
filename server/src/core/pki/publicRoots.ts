// The public root store: Node's bundled Mozilla roots (tls.rootCertificates), parsed once, on
// first use, and indexed by subject. It stands for "what an ordinary peer trusts".
import { rootCertificates } from 'node:tls';
import { parseCertificate, type CertificateModel } from './certificate';
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

let publicIndex: CertificateIndex | undefined;

/** The public roots, parsed on first use (about 150 certificates, a few milliseconds). */
export function publicRoots(): CertificateIndex {
  if (publicIndex) return publicIndex;
  const index = new CertificateIndex();
  for (const pem of rootCertificates) {
    const block = scanPem(new TextEncoder().encode(pem)).blocks[0];
    if (!block?.der) continue;
    try {
      index.add(parseCertificate(block.der));
    } catch {
      // A root node:crypto cannot read is one no peer of ours relies on.
    }
  }
  publicIndex = index;
  return index;
}
