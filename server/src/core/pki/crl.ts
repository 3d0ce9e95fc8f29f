// Certificate revocation lists: issuer, validity and signature. Node 20 has no CRL API, so the
// DER reader does the parsing; the revoked entries are only counted (by their headers), so a
// CRL of many megabytes costs little.
import { verify as verifySignature } from 'node:crypto';
import { TAG, children, content, decodeSmallInteger, decodeTime, expectTag, readTlv, raw, type Tlv } from './asn1';
import { parseName, signatureAlgorithm, type CertificateModel, type DistinguishedName, type SignatureAlgorithm } from './certificate';

export interface CrlModel {
  issuer: DistinguishedName;
  thisUpdate: Date;
  nextUpdate?: Date;
  signature: SignatureAlgorithm;
  revokedCount: number;
  version: number;
  /** The signed part and the signature, to check the issuer. */
  tbs: Uint8Array;
  signatureValue: Uint8Array;
}

export function parseCrl(der: Uint8Array): CrlModel {
  const outer = readTlv(der, 0);
  expectTag(outer, TAG.sequence, 'CertificateList');
  const [tbs, sigAlg, sigValue] = children(der, outer);
  if (!tbs || !sigAlg || !sigValue) throw new Error('incomplete CRL');
  const parts = children(der, tbs);
  let i = 0;
  let version = 1;
  if (parts[i]?.tag === TAG.integer) version = decodeSmallInteger(content(der, parts[i++]!)) + 1;
  i++; // inner signature algorithm
  const issuer = parseName(der, parts[i++]!);
  const thisUpdate = decodeTime(parts[i++]!, der);
  let nextUpdate: Date | undefined;
  const maybeNext: Tlv | undefined = parts[i];
  if (maybeNext && (maybeNext.tag === TAG.utcTime || maybeNext.tag === TAG.generalizedTime)) {
    nextUpdate = decodeTime(maybeNext, der);
    i++;
  }
  let revokedCount = 0;
  if (parts[i]?.tag === TAG.sequence) revokedCount = countChildren(der, parts[i]!);
  const sig = content(der, sigValue);
  return {
    issuer,
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    signature: signatureAlgorithm(der, sigAlg),
    revokedCount,
    version,
    tbs: raw(der, tbs),
    signatureValue: sig.subarray(1), // skip the unused-bits octet
  };
}

function countChildren(bytes: Uint8Array, node: Tlv): number {
  let n = 0;
  let p = node.contentStart;
  while (p < node.end) {
    p = readTlv(bytes, p, node.end).end;
    n++;
  }
  return n;
}

const HASH_FOR_NODE: Record<string, string | null> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  intrinsic: null,
};

/** The CRL names `issuer` and its signature verifies with the issuer's key (undefined: cannot tell). */
export function crlIssuedBy(crl: CrlModel, issuer: CertificateModel): boolean | undefined {
  if (crl.issuer.canonical !== issuer.subject.canonical) return false;
  const hash = HASH_FOR_NODE[crl.signature.hash];
  if (hash === undefined) return undefined;
  try {
    return verifySignature(hash, crl.tbs, issuer.x509.publicKey, crl.signatureValue);
  } catch {
    return undefined;
  }
}
