// Finding private-key material in text: the PEM body itself, or any 16-byte run of the key's
// DER written as base64 (at any of the 3 byte alignments) or as hex (upper or lower case, with
// or without colons). Runs that also occur in public data (the certificate, the public key)
// are not secret — an RSA private key holds its modulus, an EC key its public point — and are
// left out so that a hover showing a public key is not taken for a leak. With `addEncoded`, also
// any 16 characters of the base64 written in a key file (a PEM body, a JWK value, an OpenSSH
// body) and, with `addPrivateHex`, any 8 bytes of a private component written in hex.
import type { KeyObject } from 'node:crypto';

const RUN = 16;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function windows(bytes: Uint8Array): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + RUN <= bytes.length; i++) out.add(hex(bytes.subarray(i, i + RUN)));
  return out;
}

/** The DER inside each PEM block of a text (encrypted bodies included). */
export function pemBodies(pem: string): { lines: string[]; der: Uint8Array }[] {
  const out: { lines: string[]; der: Uint8Array }[] = [];
  for (const m of pem.matchAll(/-----BEGIN [^-]+-----\r?\n([\s\S]*?)-----END [^-]+-----/g)) {
    const lines = m[1]!.split(/\r?\n/).filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l));
    out.push({ lines, der: new Uint8Array(Buffer.from(lines.join(''), 'base64')) });
  }
  return out;
}

/** Characters of a key file's base64 that count as a leak. */
const ENCODED_RUN = 16;
/** Bytes of a private component (d, p, q, …) in hex that count as a leak. */
const HEX_BYTES = 8;

export class SecretScanner {
  private readonly secret = new Set<string>();
  private readonly pemLines = new Set<string>();
  private readonly encoded = new Set<string>();
  private readonly privateHex = new Set<string>();

  /** Register a private key: its PKCS#8 DER and every PEM form it was written in. */
  addKey(key: KeyObject, pems: string[], publicDers: Uint8Array[]): void {
    const pub = new Set<string>();
    for (const d of publicDers) for (const w of windows(d)) pub.add(w);
    const ders: Uint8Array[] = [new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }))];
    const lines: string[] = [];
    for (const pem of pems) {
      for (const body of pemBodies(pem)) {
        ders.push(body.der);
        lines.push(...body.lines);
      }
    }
    for (const d of ders) for (const w of windows(d)) if (!pub.has(w)) this.secret.add(w);
    // A PEM line is secret when it encodes a secret run (the last lines of an EC key encode
    // only the public point, which the certificate shows too).
    for (const l of lines) {
      const bytes = new Uint8Array(Buffer.from(l, 'base64'));
      if ([...windows(bytes)].some((w) => this.secret.has(w))) this.pemLines.add(l);
    }
  }

  /**
   * Register the text of a key file: every 16 characters of each base64 run in it (a line of a
   * PEM body, a JWK value) are secret, unless the bytes those characters fully encode occur in
   * public data (a DER header the certificate shares, the modulus).
   */
  addEncoded(fileText: string, publicDers: Uint8Array[]): void {
    const pub = new Set<string>();
    for (const d of publicDers) for (let i = 0; i + 11 <= d.length; i++) pub.add(hex(d.subarray(i, i + 11)));
    // The base64 of a key file: lines of nothing else (a PEM or PuTTY body, bare base64) and
    // JSON string values (a JWK); not the framing, headers or labels around them.
    const runs = fileText.split(/\r?\n/).flatMap((line) => {
      const t = line.trim();
      if (/^[A-Za-z0-9+/=_-]{16,}$/.test(t) && !t.startsWith('-----')) return [t.replace(/=+$/, '')];
      return [...t.matchAll(/"([A-Za-z0-9+/_-]{16,})"/g)].map((m) => m[1]!);
    });
    for (const run of runs) {
      const bytes = new Uint8Array(Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
      for (let i = 0; i + ENCODED_RUN <= run.length; i++) {
        // The bytes the window encodes whole (its first and last characters may hold parts).
        const from = Math.ceil((6 * i) / 8);
        const covered = bytes.subarray(from, from + 11);
        if (covered.length === 11 && pub.has(hex(covered))) continue;
        this.encoded.add(run.slice(i, i + ENCODED_RUN));
      }
    }
  }

  /** Register the bytes of a binary key file (DER, PKCS#12): every 16-byte run not in public data. */
  addSecretDer(bytes: Uint8Array, publicDers: Uint8Array[]): void {
    const pub = new Set<string>();
    for (const d of publicDers) for (const w of windows(d)) pub.add(w);
    for (const w of windows(bytes)) if (!pub.has(w)) this.secret.add(w);
  }

  /** Register private components (hex, no separators): every 8 bytes of them are secret. */
  addPrivateHex(components: string[]): void {
    for (const c of components) for (let i = 0; i + 2 * HEX_BYTES <= c.length; i += 2) this.privateHex.add(c.slice(i, i + 2 * HEX_BYTES).toLowerCase());
  }

  get size(): number {
    return this.secret.size + this.encoded.size + this.privateHex.size;
  }

  /** Where in `text` key material appears, if anywhere (a short description per hit). */
  find(text: string): string[] {
    const hits: string[] = [];
    for (const line of this.pemLines) if (text.includes(line.slice(0, 24))) hits.push(`PEM body line ${line.slice(0, 24)}…`);
    if (this.encoded.size > 0) {
      for (let i = 0; i + ENCODED_RUN <= text.length; i++) {
        const w = text.slice(i, i + ENCODED_RUN);
        if (this.encoded.has(w)) {
          hits.push(`16 characters of the key file's base64: ${w.slice(0, 6)}…`);
          break;
        }
      }
    }
    if (this.privateHex.size > 0) {
      for (const m of text.matchAll(/(?:[0-9a-fA-F]{2}[:\s]?){8,}/g)) {
        const digits = m[0].replace(/[:\s]/g, '').toLowerCase();
        for (let i = 0; i + 2 * HEX_BYTES <= digits.length; i++) {
          if (this.privateHex.has(digits.slice(i, i + 2 * HEX_BYTES))) {
            hits.push(`hex of a private component: ${digits.slice(i, i + 6)}…`);
            break;
          }
        }
      }
    }
    // Hex, with or without colons/spaces between bytes, either case, at both nibble offsets.
    for (const m of text.matchAll(/(?:[0-9a-fA-F]{2}[:\s]?){16,}/g)) {
      const digits = m[0].replace(/[:\s]/g, '').toLowerCase();
      for (let shift = 0; shift < 2; shift++) {
        const d = digits.slice(shift);
        this.scanBytes(Buffer.from(d.slice(0, d.length & ~1), 'hex'), `hex ${m[0].slice(0, 40)}`, hits);
      }
    }
    // Base64 (and base64url) runs, decoded from each of the 4 character offsets.
    for (const m of text.matchAll(/[A-Za-z0-9+/_-]{22,}={0,2}/g)) {
      const run = m[0].replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
      for (let off = 0; off < 4; off++) {
        const part = run.slice(off);
        // Node decodes an unpadded tail too, so the last bytes of the run are not lost.
        this.scanBytes(Buffer.from(part, 'base64'), `base64 ${m[0].slice(0, 40)}`, hits);
      }
    }
    return hits;
  }

  private scanBytes(bytes: Uint8Array, what: string, hits: string[]): void {
    for (let i = 0; i + RUN <= bytes.length; i++) {
      if (this.secret.has(hex(bytes.subarray(i, i + RUN)))) {
        hits.push(what);
        return;
      }
    }
  }
}
