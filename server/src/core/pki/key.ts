// Private keys: which container (PKCS#8, PKCS#1, SEC1, encrypted), which algorithm, and the
// public half — the SubjectPublicKeyInfo that OpenSSL's X509_check_private_key compares with the
// certificate's. Only the public half is kept; an encrypted key keeps its (encrypted) PEM so that
// a passphrase can be tried later — within the budget its header allows (keyEncryption.ts): the
// key derivation a file asks for is read before it is run, and a key over the budget is never
// handed to OpenSSL with a passphrase. Nothing from a key ever goes into a message.
import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { describePublicKey, type PublicKeyInfo, type PublicKeyType } from './certificate';
import { decryptionCost, readEncryptedKeyInfo, type DecryptionCost, type KeyEncryption } from './keyEncryption';

export type KeyContainer = 'pkcs8' | 'pkcs1' | 'sec1' | 'dsa' | 'encrypted-pkcs8';

export interface PrivateKeyEntry {
  container: KeyContainer;
  /** `ENCRYPTED PRIVATE KEY`, or a legacy PEM with `Proc-Type: 4,ENCRYPTED`. */
  encrypted: boolean;
  /** The DEK-Info cipher of a legacy encrypted PEM, e.g. `AES-256-CBC`. */
  cipher?: string;
  /** The public half, when the key could be read without a passphrase. */
  publicKey?: PublicKeyInfo;
  /** Why an unencrypted key could not be read (an OpenSSL reason, never key material). */
  problem?: string;
  /** Encrypted keys only: the PEM block, to try a passphrase. */
  encryptedPem?: string;
  /** Encrypted keys only: how, read from the header (what decrypting it costs). */
  encryption?: KeyEncryption;
}

export const KEY_LABELS: Record<string, KeyContainer> = {
  'PRIVATE KEY': 'pkcs8',
  'ANY PRIVATE KEY': 'pkcs8',
  'RSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'DSA PRIVATE KEY': 'dsa',
  'ENCRYPTED PRIVATE KEY': 'encrypted-pkcs8',
};

export function containerName(c: KeyContainer): string {
  switch (c) {
    case 'pkcs8':
      return 'PKCS#8';
    case 'pkcs1':
      return 'PKCS#1';
    case 'sec1':
      return 'SEC1';
    case 'dsa':
      return 'legacy DSA';
    default:
      return 'encrypted PKCS#8';
  }
}

export function publicInfoOf(key: KeyObject): PublicKeyInfo {
  const pub = key.type === 'private' ? createPublicKey(key) : key;
  const spki = new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
  const details = pub.asymmetricKeyDetails ?? {};
  return describePublicKey((pub.asymmetricKeyType ?? 'unknown') as PublicKeyType, details.modulusLength, details.namedCurve, spki, createHash('sha256').update(spki).digest('hex'));
}

/** A short reason from an OpenSSL error, without anything that could echo input. */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /routines::(.+)$/.exec(message);
  return (m ? m[1]! : message).slice(0, 120);
}

/** How an encrypted PEM block is protected. */
function encryptionOf(container: KeyContainer, legacy: boolean, cipher: string | undefined, der: Uint8Array | undefined): KeyEncryption {
  if (legacy) {
    // EVP_BytesToKey (one MD5 round) for the traditional labels. Around a PKCS#8 body the
    // decrypted content may be another encrypted key whose header cannot be read beforehand.
    if (container === 'pkcs8' || container === 'encrypted-pkcs8') return { scheme: 'unreadable', reason: 'legacy PEM encryption around a PKCS#8 key' };
    return { scheme: 'legacy-pem', cipher: cipher ?? 'unknown cipher' };
  }
  return der ? readEncryptedKeyInfo(der) : { scheme: 'unreadable', reason: 'the block does not decode' };
}

/** Read a PEM key block (`pem` = the block as written, `der` = its decoded body). */
export function readPemKey(label: string, pem: string, headers: Record<string, string>, der?: Uint8Array): PrivateKeyEntry {
  const container = KEY_LABELS[label] ?? 'pkcs8';
  const legacyEncrypted = /ENCRYPTED/i.test(headers['Proc-Type'] ?? '');
  const encrypted = container === 'encrypted-pkcs8' || legacyEncrypted;
  if (encrypted) {
    const cipher = headers['DEK-Info']?.split(',')[0];
    return { container, encrypted, ...(cipher ? { cipher } : {}), encryptedPem: pem, encryption: encryptionOf(container, legacyEncrypted, cipher, der) };
  }
  try {
    return { container, encrypted, publicKey: publicInfoOf(createPrivateKey({ key: pem, format: 'pem' })) };
  } catch (err) {
    return { container, encrypted, problem: reasonOf(err) };
  }
}

/** Try to read a DER key (a binary file): PKCS#8, PKCS#1 or SEC1. */
export function readDerKey(der: Uint8Array): PrivateKeyEntry | undefined {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      const key = createPrivateKey({ key: Buffer.from(der), format: 'der', type });
      return { container: type, encrypted: false, publicKey: publicInfoOf(key) };
    } catch {
      // try the next container
    }
  }
  return undefined;
}

export type UnlockResult =
  | { ok: true; publicKey: PublicKeyInfo }
  | { ok: false; reason: string }
  /** Not tried: decrypting it costs more than the budget per key allows, or an unknown amount. */
  | { ok: false; notTried: DecryptionCost };

const unlockMemo = new WeakMap<PrivateKeyEntry, Map<string, UnlockResult>>();

/**
 * Decrypt an encrypted key with a passphrase (memoised per key and passphrase digest), never
 * beyond the budget per key: its cost is read from the header first (keyEncryption.ts).
 */
export function unlockKey(entry: PrivateKeyEntry, passphrase: string): UnlockResult {
  if (entry.publicKey) return { ok: true, publicKey: entry.publicKey };
  if (!entry.encryptedPem) return { ok: false, reason: entry.problem ?? 'unreadable' };
  const cost = decryptionCost(entry.encryption ?? { scheme: 'unreadable', reason: 'no header' });
  if (!cost.ok) return { ok: false, notTried: cost };
  let memo = unlockMemo.get(entry);
  if (!memo) {
    memo = new Map();
    unlockMemo.set(entry, memo);
  }
  const id = createHash('sha256').update(passphrase).digest('hex');
  const hit = memo.get(id);
  if (hit) return hit;
  let result: UnlockResult;
  try {
    result = { ok: true, publicKey: publicInfoOf(createPrivateKey({ key: entry.encryptedPem, format: 'pem', passphrase })) };
  } catch (err) {
    result = { ok: false, reason: reasonOf(err) };
  }
  memo.set(id, result);
  return result;
}
