// How an encrypted private key is protected, read from its header before any decryption — so
// that the cost of decrypting it (the key derivation the file asks for) is known first and kept
// within the budgets of cryptoBudgets.ts. OpenSSL sets no limit of its own: it runs whatever
// iteration count the file names (2^31 − 1 PBKDF2 iterations: many minutes).
//
//   EncryptedPrivateKeyInfo ::= SEQUENCE { encryptionAlgorithm AlgorithmIdentifier, encryptedData OCTET STRING }
//   PBES2-params ::= SEQUENCE { keyDerivationFunc AlgorithmIdentifier, encryptionScheme AlgorithmIdentifier }  (RFC 8018 A.4)
//   PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER, keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 }  (A.2)
//   scrypt-params ::= SEQUENCE { salt OCTET STRING, costParameter INTEGER, blockSize INTEGER, parallelizationParameter INTEGER, keyLength INTEGER OPTIONAL }  (RFC 7914 §7.1)
//   PBEParameter ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER }  (PBES1, RFC 8018 A.3; PKCS#12 PBE, RFC 7292 C)
// A legacy PEM key (Proc-Type: 4,ENCRYPTED) derives its key with EVP_BytesToKey: one MD5 round,
// a fixed cost.
import { Asn1Error, TAG, children, content, decodeOid, readTlv, type Tlv } from './asn1';
import { KDF_ITERATIONS_PER_KEY, KDF_MAX_KEY_LENGTH, SCRYPT_WORK_PER_KEY } from './cryptoBudgets';

export type KeyEncryption =
  | { scheme: 'pbkdf2'; iterations: number; keyLength?: number; prf: string; cipher: string }
  | { scheme: 'scrypt'; n: number; r: number; p: number; keyLength?: number; cipher: string }
  /** PKCS#12 PBE (pbeWithSHAAnd3-KeyTripleDES-CBC, …) or PBES1 (pbeWithMD5AndDES-CBC, …). */
  | { scheme: 'pbe'; iterations: number; algorithm: string }
  | { scheme: 'legacy-pem'; cipher: string }
  /** A header sipTls cannot read: the cost is unknown, so the key is never decrypted. */
  | { scheme: 'unreadable'; reason: string };

const PBES2 = '1.2.840.113549.1.5.13';
const PBKDF2 = '1.2.840.113549.1.5.12';
const SCRYPT = '1.3.6.1.4.1.11591.4.11';

const PBE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.5.1': 'pbeWithMD2AndDES-CBC',
  '1.2.840.113549.1.5.3': 'pbeWithMD5AndDES-CBC',
  '1.2.840.113549.1.5.4': 'pbeWithMD2AndRC2-CBC',
  '1.2.840.113549.1.5.6': 'pbeWithMD5AndRC2-CBC',
  '1.2.840.113549.1.5.10': 'pbeWithSHA1AndDES-CBC',
  '1.2.840.113549.1.5.11': 'pbeWithSHA1AndRC2-CBC',
  '1.2.840.113549.1.12.1.1': 'pbeWithSHAAnd128BitRC4',
  '1.2.840.113549.1.12.1.2': 'pbeWithSHAAnd40BitRC4',
  '1.2.840.113549.1.12.1.3': 'pbeWithSHAAnd3-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.4': 'pbeWithSHAAnd2-KeyTripleDES-CBC',
  '1.2.840.113549.1.12.1.5': 'pbeWithSHAAnd128BitRC2-CBC',
  '1.2.840.113549.1.12.1.6': 'pbeWithSHAAnd40BitRC2-CBC',
};

const PRFS: Record<string, string> = {
  '1.2.840.113549.2.7': 'HMAC-SHA1',
  '1.2.840.113549.2.8': 'HMAC-SHA224',
  '1.2.840.113549.2.9': 'HMAC-SHA256',
  '1.2.840.113549.2.10': 'HMAC-SHA384',
  '1.2.840.113549.2.11': 'HMAC-SHA512',
  '1.2.840.113549.2.12': 'HMAC-SHA512/224',
  '1.2.840.113549.2.13': 'HMAC-SHA512/256',
};

const CIPHERS: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'AES-128-CBC',
  '2.16.840.1.101.3.4.1.22': 'AES-192-CBC',
  '2.16.840.1.101.3.4.1.42': 'AES-256-CBC',
  '1.2.840.113549.3.7': 'DES-EDE3-CBC',
  '1.3.14.3.2.7': 'DES-CBC',
};

/**
 * A non-negative INTEGER up to 2^53 − 1; larger values come back as Infinity (they are over every
 * budget, and OpenSSL's own ASN1_INTEGER_get stops at a long). Negative: an error.
 */
function count(bytes: Uint8Array, node: Tlv, what: string): number {
  if (node.tag !== TAG.integer) throw new Asn1Error(`${what} is not an INTEGER`);
  const c = content(bytes, node);
  if (c.length === 0 || (c[0]! & 0x80) !== 0) throw new Asn1Error(`${what} is negative or empty`);
  let v = 0;
  for (const b of c) v = v * 256 + b;
  return Number.isSafeInteger(v) ? v : Infinity;
}

function field(list: Tlv[], i: number, what: string): Tlv {
  const f = list[i];
  if (!f) throw new Asn1Error(`no ${what}`);
  return f;
}

function oidOf(bytes: Uint8Array, algorithm: Tlv | undefined, what: string): { oid: string; params: Tlv | undefined } {
  if (!algorithm || algorithm.tag !== TAG.sequence) throw new Asn1Error(`no ${what}`);
  const [id, params] = children(bytes, algorithm);
  if (!id || id.tag !== TAG.oid) throw new Asn1Error(`no ${what} identifier`);
  return { oid: decodeOid(content(bytes, id)), params };
}

function params(bytes: Uint8Array, node: Tlv | undefined, what: string): Tlv[] {
  if (!node || node.tag !== TAG.sequence) throw new Asn1Error(`no ${what} parameters`);
  return children(bytes, node);
}

function cipherName(bytes: Uint8Array, scheme: Tlv | undefined): string {
  const { oid } = oidOf(bytes, scheme, 'encryption scheme');
  return CIPHERS[oid] ?? oid;
}

function readPbes2(bytes: Uint8Array, node: Tlv | undefined): KeyEncryption {
  const [kdf, scheme] = params(bytes, node, 'PBES2');
  const cipher = cipherName(bytes, scheme);
  const { oid, params: kdfParams } = oidOf(bytes, kdf, 'key derivation function');
  const fields = params(bytes, kdfParams, oid === SCRYPT ? 'scrypt' : 'PBKDF2');
  if (!fields[0] || fields[0].tag !== TAG.octetString) throw new Asn1Error('no salt');
  if (oid === PBKDF2) {
    const iterations = count(bytes, field(fields, 1, 'iterationCount'), 'iterationCount');
    let i = 2;
    const keyLength = fields[i]?.tag === TAG.integer ? count(bytes, fields[i++]!, 'keyLength') : undefined;
    const prfOid = fields[i] ? oidOf(bytes, fields[i], 'PRF').oid : '1.2.840.113549.2.7';
    return { scheme: 'pbkdf2', iterations, ...(keyLength !== undefined ? { keyLength } : {}), prf: PRFS[prfOid] ?? prfOid, cipher };
  }
  if (oid === SCRYPT) {
    const n = count(bytes, field(fields, 1, 'costParameter'), 'costParameter');
    const r = count(bytes, field(fields, 2, 'blockSize'), 'blockSize');
    const p = count(bytes, field(fields, 3, 'parallelizationParameter'), 'parallelizationParameter');
    const keyLength = fields[4] ? count(bytes, fields[4], 'keyLength') : undefined;
    return { scheme: 'scrypt', n, r, p, ...(keyLength !== undefined ? { keyLength } : {}), cipher };
  }
  return { scheme: 'unreadable', reason: `key derivation function ${oid} is not PBKDF2 or scrypt` };
}

/** The protection of an EncryptedPrivateKeyInfo (the DER of an `ENCRYPTED PRIVATE KEY` block). */
export function readEncryptedKeyInfo(der: Uint8Array): KeyEncryption {
  try {
    const outer = readTlv(der, 0);
    if (outer.tag !== TAG.sequence || outer.end !== der.length) throw new Asn1Error('not one DER SEQUENCE');
    const [algorithm, data] = children(der, outer);
    if (!data || data.tag !== TAG.octetString) throw new Asn1Error('no encrypted data');
    const { oid, params: p } = oidOf(der, algorithm, 'encryption algorithm');
    if (oid === PBES2) return readPbes2(der, p);
    const pbe = PBE_ALGORITHMS[oid];
    if (pbe) {
      const fields = params(der, p, pbe);
      if (!fields[0] || fields[0].tag !== TAG.octetString) throw new Asn1Error('no salt');
      return { scheme: 'pbe', iterations: count(der, field(fields, 1, 'iterationCount'), 'iterationCount'), algorithm: pbe };
    }
    return { scheme: 'unreadable', reason: `encryption algorithm ${oid} is not PBES2, PBES1 or PKCS#12 PBE` };
  } catch (err) {
    return { scheme: 'unreadable', reason: err instanceof Error ? err.message : String(err) };
  }
}

/** "PBKDF2 (HMAC-SHA256, AES-256-CBC) at 2,048 iterations" */
export function describeEncryption(e: KeyEncryption): string {
  switch (e.scheme) {
    case 'pbkdf2':
      return `PBKDF2 (${e.prf}, ${e.cipher}) at ${formatCount(e.iterations)} iterations`;
    case 'scrypt':
      return `scrypt (N=${formatCount(e.n)}, r=${formatCount(e.r)}, p=${formatCount(e.p)}, ${e.cipher})`;
    case 'pbe':
      return `${e.algorithm} at ${formatCount(e.iterations)} iterations`;
    case 'legacy-pem':
      return `legacy PEM encryption (${e.cipher})`;
    default:
      return `parameters sip-tls cannot read (${e.reason})`;
  }
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US') : 'more than 2^53';
}

/** OpenSSL's default scrypt memory limit (SCRYPT_MAX_MEM in crypto/evp/pbe_scrypt.c): 32 MiB. */
export const OPENSSL_SCRYPT_MAX_MEMORY = 32 * 1024 * 1024;

/** The memory EVP_PBE_scrypt_ex asks for: B (p × 128 × r) plus V (128 × r × (N + 2)). */
export function scryptMemory(e: { n: number; r: number; p: number }): number {
  return 128 * e.r * e.p + 128 * e.r * (e.n + 2);
}

/** PKCS#12 PBE schemes OpenSSL 3's default provider runs (the others need the legacy provider). */
const DEFAULT_PROVIDER_PBE = new Set(['pbeWithSHAAnd3-KeyTripleDES-CBC', 'pbeWithSHAAnd2-KeyTripleDES-CBC']);

export type DecryptionCost =
  | { ok: true; units: number }
  /**
   * Not done. `over-budget`: more work than sip-tls runs per key (`what` says which parameter and
   * the budget; `kamailioRuns`: OpenSSL 3 runs this scheme, so Kamailio pays that work);
   * `openssl-refuses`: more memory than OpenSSL allows scrypt, so it fails before any work;
   * `unknown`: the header cannot be read.
   */
  | { ok: false; kind: 'over-budget'; what: string; kamailioRuns: boolean }
  | { ok: false; kind: 'openssl-refuses'; what: string }
  | { ok: false; kind: 'unknown'; what: string };

function tooLongKey(keyLength: number | undefined): DecryptionCost | undefined {
  if (keyLength === undefined || keyLength <= KDF_MAX_KEY_LENGTH) return undefined;
  return { ok: false, kind: 'unknown', what: `its header asks for a derived key of ${formatCount(keyLength)} bytes, more than any cipher takes (${KDF_MAX_KEY_LENGTH})` };
}

/**
 * The key derivation work of decrypting the key once, in budget units (one PBKDF2/PBE iteration,
 * or one unit of scrypt's N × r × p), or why it is not done at all. Read from the header alone.
 */
export function decryptionCost(e: KeyEncryption): DecryptionCost {
  switch (e.scheme) {
    case 'legacy-pem':
      return { ok: true, units: 1 }; // EVP_BytesToKey with one MD5 round
    case 'pbkdf2':
    case 'pbe': {
      const long = e.scheme === 'pbkdf2' ? tooLongKey(e.keyLength) : undefined;
      if (long) return long;
      if (e.iterations > KDF_ITERATIONS_PER_KEY) {
        const kamailioRuns = e.scheme === 'pbkdf2' || DEFAULT_PROVIDER_PBE.has(e.algorithm);
        return { ok: false, kind: 'over-budget', what: `more than the ${formatCount(KDF_ITERATIONS_PER_KEY)} iterations sip-tls runs per key`, kamailioRuns };
      }
      return { ok: true, units: Math.max(1, e.iterations) };
    }
    case 'scrypt': {
      const long = tooLongKey(e.keyLength);
      if (long) return long;
      const memory = scryptMemory(e);
      if (!(memory <= OPENSSL_SCRYPT_MAX_MEMORY)) {
        return { ok: false, kind: 'openssl-refuses', what: `it needs ${formatMiB(memory)} of memory, more than the 32 MiB OpenSSL allows scrypt` };
      }
      const work = e.n * e.r * e.p;
      if (!(work <= SCRYPT_WORK_PER_KEY)) return { ok: false, kind: 'over-budget', what: `N × r × p = ${formatCount(work)}, more than the ${formatCount(SCRYPT_WORK_PER_KEY)} sip-tls runs per key`, kamailioRuns: true };
      return { ok: true, units: Math.max(1, work) };
    }
    default:
      return { ok: false, kind: 'unknown', what: `its encryption header cannot be read (${e.reason}), so the work it asks for is unknown` };
  }
}

function formatMiB(bytes: number): string {
  return Number.isFinite(bytes) ? `${formatCount(Math.round(bytes / 1024 / 1024))} MiB` : "more than 2^53 bytes";
}
