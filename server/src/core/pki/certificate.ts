// The X.509 certificate model the rules read. node:crypto's X509Certificate is the source of
// truth for parsing, signatures, host names and the public key; the DER reader (asn1.ts) adds
// what Node 20 does not expose: the signature algorithm, keyUsage bits, basicConstraints,
// key identifiers, the exact names and validity dates.
import { ISSUER_CANDIDATES_PER_STEP } from './cryptoBudgets';
import { X509Certificate, createHash } from 'node:crypto';
import {
  TAG,
  bitStringBits,
  children,
  content,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  decodeString,
  decodeTime,
  expectTag,
  integerHex,
  readTlv,
  type Tlv,
} from './asn1';

export type HashName = 'md2' | 'md4' | 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'intrinsic' | 'unknown';

export interface SignatureAlgorithm {
  oid: string;
  /** Human name, e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA384`, `ED25519`. */
  name: string;
  hash: HashName;
  /** MD2/MD4/MD5/SHA-1: refused by OpenSSL 3 at security level 1 and above ("ca md too weak"). */
  weak: boolean;
}

export type PublicKeyType = 'rsa' | 'rsa-pss' | 'ec' | 'ed25519' | 'ed448' | 'dsa' | 'dh' | 'x25519' | 'x448' | 'unknown';

export interface PublicKeyInfo {
  type: PublicKeyType;
  /** Modulus length (RSA/DSA) or curve size (EC). */
  bits?: number;
  /** OpenSSL curve name for EC keys, e.g. `prime256v1`. */
  curve?: string;
  /** OpenSSL's security bits (EVP_PKEY_get_security_bits): RSA 2048 → 112, P-256 → 128. */
  securityBits: number;
  /** `RSA 2048`, `ECDSA P-256`, `Ed25519`. */
  description: string;
  /** SubjectPublicKeyInfo DER as OpenSSL re-encodes it: equal for a certificate and its key. */
  spki: Uint8Array;
  /** sha256 of `spki`, hex. */
  spkiSha256: string;
}

export interface NameAttribute {
  oid: string;
  /** Short name (CN, O, OU, …) or the OID. */
  type: string;
  value: string;
}

export interface DistinguishedName {
  /** RDNs in order, each with its attributes. */
  rdns: NameAttribute[][];
  /** OpenSSL-style comparison key: values trimmed, white space collapsed, lower-cased. */
  canonical: string;
  /** `CN=sip.example.com, O=Example` (most significant last, as people read it). */
  text: string;
  commonName?: string;
}

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

export const EKU = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  any: '2.5.29.37.0',
} as const;

export interface CertificateModel {
  der: Uint8Array;
  x509: X509Certificate;
  /** `AB:CD:…` as node:crypto formats it. */
  fingerprint256: string;
  serialHex: string;
  version: number;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Subject CN, else the subject text: how a certificate is named in messages. */
  displayName: string;
  notBefore: Date;
  notAfter: Date;
  signature: SignatureAlgorithm;
  publicKey: PublicKeyInfo;
  /** basicConstraints, when present. */
  basicConstraints?: { ca: boolean; pathLength?: number };
  /** node:crypto's view: cA=TRUE in basicConstraints. */
  isCa: boolean;
  keyUsage?: Set<KeyUsageName>;
  /** Extended key usage OIDs; undefined when the extension is absent (= any purpose). */
  extendedKeyUsage?: string[];
  subjectKeyId?: string;
  authorityKeyId?: string;
  dnsNames: string[];
  ipAddresses: string[];
  emailAddresses: string[];
  uris: string[];
  /** Subject and issuer names are equal (a root, or a self-issued certificate). */
  selfIssued: boolean;
}

const NAME_TYPES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'street',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '2.5.4.42': 'GN',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

const SIGNATURES: Record<string, [string, HashName]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'md2'],
  '1.2.840.113549.1.1.3': ['md4WithRSAEncryption', 'md4'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'md5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'sha1'],
  '1.3.14.3.2.29': ['sha1WithRSA', 'sha1'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'sha224'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'sha256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'sha384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'sha512'],
  '1.2.840.113549.1.1.10': ['RSASSA-PSS', 'unknown'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'sha1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'sha224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'sha256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'sha384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'sha512'],
  '1.2.840.10040.4.3': ['dsa-with-SHA1', 'sha1'],
  '2.16.840.1.101.3.4.3.1': ['dsa-with-SHA224', 'sha224'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-SHA256', 'sha256'],
  '1.3.101.112': ['ED25519', 'intrinsic'],
  '1.3.101.113': ['ED448', 'intrinsic'],
};

const HASH_OIDS: Record<string, HashName> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.2.840.113549.2.5': 'md5',
};

const WEAK_HASHES: ReadonlySet<HashName> = new Set(['md2', 'md4', 'md5', 'sha1']);

const KEY_USAGE_ORDER: KeyUsageName[] = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp192k1: 192,
  secp224r1: 224,
  secp224k1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

const CURVE_NAMES: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521', secp224r1: 'P-224', prime192v1: 'P-192' };

/** OpenSSL's RSA/DSA/DH security bits (crypto/rsa/rsa_lib.c: ossl_ifc_ffc_compute_security_bits). */
function ffcSecurityBits(bits: number): number {
  if (bits >= 15360) return 256;
  if (bits >= 7680) return 192;
  if (bits >= 3072) return 128;
  if (bits >= 2048) return 112;
  if (bits >= 1024) return 80;
  return 0;
}

export function parseName(bytes: Uint8Array, node: Tlv): DistinguishedName {
  expectTag(node, TAG.sequence, 'Name');
  const rdns: NameAttribute[][] = [];
  for (const set of children(bytes, node)) {
    const rdn: NameAttribute[] = [];
    for (const atv of children(bytes, set)) {
      const [type, value] = children(bytes, atv);
      if (!type || !value) continue;
      const oid = decodeOid(content(bytes, type));
      rdn.push({ oid, type: NAME_TYPES[oid] ?? oid, value: decodeString(value, bytes) });
    }
    rdns.push(rdn);
  }
  const canonical = rdns
    .map((rdn) => rdn.map((a) => `${a.oid}=${JSON.stringify(a.value.trim().replace(/\s+/g, ' ').toLowerCase())}`).sort().join('+'))
    .join(',');
  const text = [...rdns]
    .reverse()
    .map((rdn) => rdn.map((a) => `${a.type}=${a.value}`).join('+'))
    .join(', ');
  let commonName: string | undefined;
  for (const rdn of rdns) for (const a of rdn) if (a.oid === '2.5.4.3') commonName = a.value;
  return { rdns, canonical, text, ...(commonName !== undefined ? { commonName } : {}) };
}

export function signatureAlgorithm(bytes: Uint8Array, node: Tlv): SignatureAlgorithm {
  const [oidNode, params] = children(bytes, node);
  if (!oidNode) throw new Error('empty AlgorithmIdentifier');
  const oid = decodeOid(content(bytes, oidNode));
  const known = SIGNATURES[oid];
  let name = known?.[0] ?? oid;
  let hash: HashName = known?.[1] ?? 'unknown';
  if (oid === '1.2.840.113549.1.1.10') {
    // RSASSA-PSS-params: hashAlgorithm [0] DEFAULT sha1.
    hash = 'sha1';
    if (params && params.tag === TAG.sequence) {
      for (const p of children(bytes, params)) {
        if (p.tag === 0xa0) {
          const alg = children(bytes, p)[0];
          const h = alg ? children(bytes, alg)[0] : undefined;
          if (h) hash = HASH_OIDS[decodeOid(content(bytes, h))] ?? 'unknown';
        }
      }
    }
    name = `RSASSA-PSS with ${hash.toUpperCase()}`;
  }
  return { oid, name, hash, weak: WEAK_HASHES.has(hash) };
}

function publicKeyInfo(x509: X509Certificate): PublicKeyInfo {
  const key = x509.publicKey;
  const type = (key.asymmetricKeyType ?? 'unknown') as PublicKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  const spki = new Uint8Array(key.export({ type: 'spki', format: 'der' }));
  const spkiSha256 = createHash('sha256').update(spki).digest('hex');
  return describePublicKey(type, details.modulusLength, details.namedCurve, spki, spkiSha256);
}

export function describePublicKey(type: PublicKeyType, modulusLength: number | undefined, namedCurve: string | undefined, spki: Uint8Array, spkiSha256: string): PublicKeyInfo {
  switch (type) {
    case 'rsa':
    case 'rsa-pss':
    case 'dsa':
    case 'dh': {
      const bits = modulusLength ?? 0;
      const label = type === 'dsa' ? 'DSA' : type === 'dh' ? 'DH' : type === 'rsa-pss' ? 'RSA-PSS' : 'RSA';
      return { type, bits, securityBits: ffcSecurityBits(bits), description: `${label} ${bits}`, spki, spkiSha256 };
    }
    case 'ec': {
      const curve = namedCurve ?? 'unknown';
      const bits = CURVE_BITS[curve] ?? (Number(/(\d{3})/.exec(curve)?.[1]) || 0);
      return { type, bits, curve, securityBits: Math.floor(bits / 2), description: `ECDSA ${CURVE_NAMES[curve] ?? curve}`, spki, spkiSha256 };
    }
    case 'ed25519':
      return { type, bits: 256, securityBits: 128, description: 'Ed25519', spki, spkiSha256 };
    case 'ed448':
      return { type, bits: 456, securityBits: 224, description: 'Ed448', spki, spkiSha256 };
    default:
      return { type, securityBits: 128, description: type, spki, spkiSha256 };
  }
}

function ipText(b: Uint8Array): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length === 16) {
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    // Compress the longest run of zero groups, as inet_ntop does.
    let best = -1;
    let bestLen = 0;
    for (let i = 0; i < 8; ) {
      if (groups[i] !== '0') {
        i++;
        continue;
      }
      let j = i;
      while (j < 8 && groups[j] === '0') j++;
      if (j - i > bestLen && j - i > 1) {
        best = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (best === -1) return groups.join(':');
    return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  }
  return Buffer.from(b).toString('hex');
}

/**
 * Parse one DER certificate. Throws when node:crypto or the DER reader cannot read it (callers
 * turn that into "does not parse"). Trailing bytes after the certificate (the auxiliary trust
 * data of a `TRUSTED CERTIFICATE` block) are ignored.
 */
export function parseCertificate(input: Uint8Array): CertificateModel {
  const outer = readTlv(input, 0);
  const der = input.subarray(0, outer.end);
  expectTag(outer, TAG.sequence, 'Certificate');
  const [tbs, sigAlg] = children(der, outer);
  if (!tbs || !sigAlg) throw new Error('incomplete certificate');
  const x509 = new X509Certificate(der);
  const parts = children(der, tbs);
  let i = 0;
  let version = 1;
  if (parts[i]?.tag === 0xa0) {
    const v = children(der, parts[i]!)[0];
    if (v) version = decodeSmallInteger(content(der, v)) + 1;
    i++;
  }
  const serial = parts[i++]!;
  i++; // inner signature algorithm (must equal the outer one; OpenSSL checks that while verifying)
  const issuerNode = parts[i++]!;
  const validity = parts[i++]!;
  const subjectNode = parts[i++]!;
  i++; // SubjectPublicKeyInfo: read through node:crypto
  const issuer = parseName(der, issuerNode);
  const subject = parseName(der, subjectNode);
  const [nb, na] = children(der, validity);
  if (!nb || !na) throw new Error('incomplete validity');

  const model: CertificateModel = {
    der,
    x509,
    fingerprint256: x509.fingerprint256,
    serialHex: integerHex(content(der, serial)),
    version,
    subject,
    issuer,
    displayName: subject.commonName ?? (subject.text || '(empty subject)'),
    notBefore: decodeTime(nb, der),
    notAfter: decodeTime(na, der),
    signature: signatureAlgorithm(der, sigAlg),
    publicKey: publicKeyInfo(x509),
    isCa: x509.ca,
    dnsNames: [],
    ipAddresses: [],
    emailAddresses: [],
    uris: [],
    selfIssued: subject.canonical === issuer.canonical,
  };

  for (; i < parts.length; i++) {
    if (parts[i]!.tag !== 0xa3) continue;
    const list = children(der, parts[i]!)[0];
    if (!list) continue;
    for (const ext of children(der, list)) {
      const fields = children(der, ext);
      const id = decodeOid(content(der, fields[0]!));
      const valueNode = fields[fields.length - 1]!;
      const value = readTlv(der, valueNode.contentStart, valueNode.end);
      readExtension(model, id, der, value);
    }
  }
  return model;
}

function readExtension(model: CertificateModel, id: string, der: Uint8Array, value: Tlv): void {
  switch (id) {
    case '2.5.29.19': {
      let ca = false;
      let pathLength: number | undefined;
      for (const f of children(der, value)) {
        if (f.tag === TAG.boolean) ca = decodeBoolean(content(der, f));
        else if (f.tag === TAG.integer) pathLength = decodeSmallInteger(content(der, f));
      }
      model.basicConstraints = pathLength !== undefined ? { ca, pathLength } : { ca };
      return;
    }
    case '2.5.29.15': {
      const bits = bitStringBits(content(der, value));
      model.keyUsage = new Set(KEY_USAGE_ORDER.filter((_, n) => bits[n]));
      return;
    }
    case '2.5.29.37':
      model.extendedKeyUsage = children(der, value).map((o) => decodeOid(content(der, o)));
      return;
    case '2.5.29.14':
      model.subjectKeyId = Buffer.from(content(der, value)).toString('hex');
      return;
    case '2.5.29.35':
      for (const f of children(der, value)) if (f.tag === 0x80) model.authorityKeyId = Buffer.from(content(der, f)).toString('hex');
      return;
    case '2.5.29.17':
      for (const g of children(der, value)) {
        const c = content(der, g);
        if (g.tag === 0x82) model.dnsNames.push(new TextDecoder('latin1').decode(c));
        else if (g.tag === 0x87) model.ipAddresses.push(ipText(c));
        else if (g.tag === 0x81) model.emailAddresses.push(new TextDecoder('latin1').decode(c));
        else if (g.tag === 0x86) model.uris.push(new TextDecoder('latin1').decode(c));
      }
      return;
    default:
      return;
  }
}

// --- issuer relations ------------------------------------------------------------------------

const signatureMemo = new WeakMap<CertificateModel, Map<string, boolean>>();

/** `issuer`'s key verifies `child`'s signature (memoised: certificate models are cached). */
export function signatureVerifies(child: CertificateModel, issuer: CertificateModel): boolean {
  let memo = signatureMemo.get(child);
  if (!memo) {
    memo = new Map();
    signatureMemo.set(child, memo);
  }
  const hit = memo.get(issuer.fingerprint256);
  if (hit !== undefined) return hit;
  let ok = false;
  try {
    ok = child.x509.verify(issuer.x509.publicKey);
  } catch {
    ok = false;
  }
  memo.set(issuer.fingerprint256, ok);
  return ok;
}

/**
 * `candidate` could have issued `child` by name and key identifier (X509_check_issued without
 * the keyUsage test): the issuer name matches and, when both are present, the authority key id
 * of the child equals the candidate's subject key id.
 */
export function nameMatchesIssuer(child: CertificateModel, candidate: CertificateModel): boolean {
  if (child.issuer.canonical !== candidate.subject.canonical) return false;
  if (child.authorityKeyId && candidate.subjectKeyId && child.authorityKeyId !== candidate.subjectKeyId) return false;
  return true;
}

/**
 * The certificates of `candidates` worth a signature check as the issuer of `child`, at most
 * ISSUER_CANDIDATES_PER_STEP (cryptoBudgets.ts): subject = child's issuer, those whose subject
 * key identifier is the child's authority key identifier first (what X509_check_akid prefers),
 * then the others in the given order. OpenSSL itself checks one signature per step; a trust store
 * with thousands of certificates of one name is an attack on the checker, not a configuration.
 */
export function issuerCandidates<T>(child: CertificateModel, candidates: Iterable<T>, certOf: (t: T) => CertificateModel): T[] {
  const matching: T[] = [];
  const others: T[] = [];
  for (const c of candidates) {
    const cert = certOf(c);
    if (cert.subject.canonical !== child.issuer.canonical) continue;
    (child.authorityKeyId && cert.subjectKeyId === child.authorityKeyId ? matching : others).push(c);
    if (matching.length >= ISSUER_CANDIDATES_PER_STEP) break;
  }
  return [...matching, ...others].slice(0, ISSUER_CANDIDATES_PER_STEP);
}

/** Issued `child`: names match and the signature verifies. */
export function isIssuerOf(candidate: CertificateModel, child: CertificateModel): boolean {
  return nameMatchesIssuer(child, candidate) && signatureVerifies(child, candidate);
}

/**
 * Self-signed as OpenSSL means it (EXFLAG_SS): subject = issuer, the key identifiers agree, the
 * keyUsage (if any) allows certificate signing, and its own key verifies the signature.
 */
export function isSelfSigned(cert: CertificateModel): boolean {
  if (!cert.selfIssued) return false;
  if (cert.authorityKeyId && cert.subjectKeyId && cert.authorityKeyId !== cert.subjectKeyId) return false;
  return signatureVerifies(cert, cert);
}

/** OpenSSL's EXFLAG_SS also needs keyCertSign when keyUsage is present; it exempts such certs from "ca md too weak". */
export function isSelfSignedForSecurityLevel(cert: CertificateModel): boolean {
  return isSelfSigned(cert) && (!cert.keyUsage || cert.keyUsage.has('keyCertSign'));
}

/** Same certificate, or the same subject with the same key (a re-issued or cross-signed copy). */
export function sameEntity(a: CertificateModel, b: CertificateModel): boolean {
  return a.fingerprint256 === b.fingerprint256 || (a.subject.canonical === b.subject.canonical && a.publicKey.spkiSha256 === b.publicKey.spkiSha256);
}

/** Day precision, UTC: `2026-01-15`. */
export function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}
