// Builds and signs X.509 v3 certificates and CRLs with node:crypto (RSA, ECDSA P-256/P-384/
// P-521, Ed25519). Used by the lab PKI command and by the test fixture generator; never by the
// checks, which only read certificates.
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import * as der from './der';

export type HashName = 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';

export interface NameAttributes {
  CN?: string;
  O?: string;
  OU?: string;
  C?: string;
  ST?: string;
  L?: string;
  /** PKCS#9 emailAddress (an IA5String). */
  emailAddress?: string;
}

export type KeyUsageBit =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign';

export interface CertificateSpec {
  subject: NameAttributes;
  /** Defaults to the subject (self-signed). */
  issuer?: NameAttributes;
  publicKey: KeyObject;
  /** The key that signs: the issuer's private key (or the subject's own for self-signed). */
  signingKey: KeyObject;
  /** The issuer's public key, for the authority key identifier (defaults to publicKey). */
  issuerPublicKey?: KeyObject;
  notBefore: Date;
  notAfter: Date;
  serial?: Uint8Array;
  /** A CA certificate (basicConstraints cA=TRUE). */
  ca?: { pathLength?: number };
  keyUsage?: KeyUsageBit[];
  extendedKeyUsage?: ('serverAuth' | 'clientAuth')[];
  dnsNames?: string[];
  ipAddresses?: string[];
  uris?: string[];
  /** rfc822Name SANs. */
  emailAddresses?: string[];
  /** Signature hash (ignored for Ed25519). Default sha256 (sha384 for P-384/P-521 issuers). */
  hash?: HashName;
}

const OID = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  ST: '2.5.4.8',
  L: '2.5.4.7',
  emailAddress: '1.2.840.113549.1.9.1',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  crlNumber: '2.5.29.20',
} as const;

const RSA_SIG: Record<HashName, string> = {
  md5: '1.2.840.113549.1.1.4',
  sha1: '1.2.840.113549.1.1.5',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
const ECDSA_SIG: Partial<Record<HashName, string>> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};
const ED25519 = '1.3.101.112';

function encodeName(name: NameAttributes): der.Der {
  const rdns: der.Der[] = [];
  for (const key of ['C', 'ST', 'L', 'O', 'OU', 'CN', 'emailAddress'] as const) {
    const value = name[key];
    if (value === undefined) continue;
    const str = key === 'C' ? der.printableString(value) : key === 'emailAddress' ? der.ia5String(value) : der.utf8String(value);
    rdns.push(der.set(der.sequence(der.oid(OID[key]), str)));
  }
  return der.sequence(...rdns);
}

interface SignatureChoice {
  algorithm: der.Der;
  hash: string | null;
}

function signatureFor(key: KeyObject, hash: HashName | undefined): SignatureChoice {
  const type = key.asymmetricKeyType;
  if (type === 'ed25519') return { algorithm: der.sequence(der.oid(ED25519)), hash: null };
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const h = hash ?? (curve === 'secp384r1' || curve === 'secp521r1' ? 'sha384' : 'sha256');
    const o = ECDSA_SIG[h];
    if (!o) throw new Error(`ECDSA with ${h} is not supported`);
    return { algorithm: der.sequence(der.oid(o)), hash: h };
  }
  if (type === 'rsa') {
    const h = hash ?? 'sha256';
    return { algorithm: der.sequence(der.oid(RSA_SIG[h]), der.nullValue()), hash: h };
  }
  throw new Error(`unsupported signing key type ${type}`);
}

function keyIdentifier(publicKey: KeyObject): Uint8Array {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha1').update(spki).digest();
}

function extension(id: string, critical: boolean, value: der.Der): der.Der {
  return critical ? der.sequence(der.oid(id), der.boolean(true), der.octetString(value)) : der.sequence(der.oid(id), der.octetString(value));
}

const KEY_USAGE_BITS: KeyUsageBit[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'];

function keyUsageValue(bits: KeyUsageBit[]): der.Der {
  let value = 0;
  let highest = 0;
  for (const b of bits) {
    const i = KEY_USAGE_BITS.indexOf(b);
    value |= 0x80 >> i;
    highest = Math.max(highest, i);
  }
  // DER: no trailing zero bits, so the bits after the highest one set are "unused".
  return der.bitString(Uint8Array.of(value), 7 - highest);
}

function ipBytes(ip: string): Uint8Array {
  if (ip.includes(':')) {
    const [head, tail] = ip.split('::') as [string, string | undefined];
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
    const out = new Uint8Array(16);
    groups.forEach((g, i) => {
      const v = parseInt(g, 16);
      out[2 * i] = v >> 8;
      out[2 * i + 1] = v & 0xff;
    });
    return out;
  }
  return Uint8Array.from(ip.split('.').map(Number));
}

export interface BuiltCertificate {
  der: Uint8Array;
  pem: string;
}

export function buildCertificate(spec: CertificateSpec): BuiltCertificate {
  const issuerName = spec.issuer ?? spec.subject;
  const sig = signatureFor(spec.signingKey, spec.hash);
  const serial = spec.serial ?? (() => {
    const b = randomBytes(16);
    b[0] = b[0]! & 0x7f;
    return b;
  })();

  const extensions: der.Der[] = [];
  if (spec.ca) {
    const bc = spec.ca.pathLength !== undefined ? der.sequence(der.boolean(true), der.integer(spec.ca.pathLength)) : der.sequence(der.boolean(true));
    extensions.push(extension(OID.basicConstraints, true, bc));
  }
  if (spec.keyUsage && spec.keyUsage.length > 0) extensions.push(extension(OID.keyUsage, true, keyUsageValue(spec.keyUsage)));
  if (spec.extendedKeyUsage && spec.extendedKeyUsage.length > 0) {
    extensions.push(extension(OID.extKeyUsage, false, der.sequence(...spec.extendedKeyUsage.map((e) => der.oid(OID[e])))));
  }
  const names: der.Der[] = [
    ...(spec.dnsNames ?? []).map((n) => der.implicitPrimitive(2, new TextEncoder().encode(n))),
    ...(spec.emailAddresses ?? []).map((e) => der.implicitPrimitive(1, new TextEncoder().encode(e))),
    ...(spec.uris ?? []).map((u) => der.implicitPrimitive(6, new TextEncoder().encode(u))),
    ...(spec.ipAddresses ?? []).map((ip) => der.implicitPrimitive(7, ipBytes(ip))),
  ];
  if (names.length > 0) extensions.push(extension(OID.subjectAltName, false, der.sequence(...names)));
  extensions.push(extension(OID.subjectKeyIdentifier, false, der.octetString(keyIdentifier(spec.publicKey))));
  extensions.push(
    extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, keyIdentifier(spec.issuerPublicKey ?? spec.publicKey)))),
  );

  const tbs = der.sequence(
    der.explicit(0, der.integer(2)),
    der.integerFromBytes(serial),
    sig.algorithm,
    encodeName(issuerName),
    der.sequence(der.time(spec.notBefore), der.time(spec.notAfter)),
    encodeName(spec.subject),
    new Uint8Array(spec.publicKey.export({ type: 'spki', format: 'der' })),
    der.explicit(3, der.sequence(...extensions)),
  );
  const signature = sign(sig.hash, tbs, spec.signingKey);
  const certificate = der.sequence(tbs, sig.algorithm, der.bitString(new Uint8Array(signature)));
  return { der: certificate, pem: der.toPem('CERTIFICATE', certificate) };
}

export interface CrlSpec {
  issuer: NameAttributes;
  signingKey: KeyObject;
  issuerPublicKey: KeyObject;
  thisUpdate: Date;
  nextUpdate: Date;
  revoked?: { serial: Uint8Array; date: Date }[];
  crlNumber?: number;
  hash?: HashName;
}

export function buildCrl(spec: CrlSpec): BuiltCertificate {
  const sig = signatureFor(spec.signingKey, spec.hash);
  const revoked = (spec.revoked ?? []).map((r) => der.sequence(der.integerFromBytes(r.serial), der.time(r.date)));
  const crlExtensions = der.explicit(
    0,
    der.sequence(
      extension(OID.authorityKeyIdentifier, false, der.sequence(der.implicitPrimitive(0, keyIdentifier(spec.issuerPublicKey)))),
      extension(OID.crlNumber, false, der.integer(spec.crlNumber ?? 1)),
    ),
  );
  const tbs = der.sequence(
    der.integer(1),
    sig.algorithm,
    encodeName(spec.issuer),
    der.time(spec.thisUpdate),
    der.time(spec.nextUpdate),
    ...(revoked.length > 0 ? [der.sequence(...revoked)] : []),
    crlExtensions,
  );
  const signature = sign(sig.hash, tbs, spec.signingKey);
  const crl = der.sequence(tbs, sig.algorithm, der.bitString(new Uint8Array(signature)));
  return { der: crl, pem: der.toPem('X509 CRL', crl) };
}
