// The budgets of every costly cryptographic step: a repository controls its files, and so the
// work those files ask for (a key that wants 2^31 PBKDF2 iterations kept `check` and the server
// busy for minutes). Each step reads its cost from the file first — the KDF parameters from the
// ASN.1 header of the encrypted key, the key size from the certificate — and over the budget it
// reports what it did not do (key.decryption-cost) instead of doing it. The README section
// "Robustness" lists these; test/unit/docs.test.ts checks that it lists every one of them.

/** PBKDF2, PKCS#12-PBE and PBES1 iterations per encrypted key (OpenSSL writes 2,048; OWASP advises 600,000 for PBKDF2-HMAC-SHA256). */
export const KDF_ITERATIONS_PER_KEY = 1_000_000;

/**
 * scrypt work per encrypted key, N × r × p (openssl pkcs8 -scrypt writes N=16384, r=8, p=1:
 * 131,072). One unit costs about what one PBKDF2-HMAC-SHA256 iteration does (measured in Node 20).
 */
export const SCRYPT_WORK_PER_KEY = 1_048_576;

/**
 * Key derivation work per check, in the units above, shared by the distinct (key file, password)
 * pairs of the deployment in configuration order: a key that does not fit in what is left is not
 * decrypted (an information names it).
 */
export const KDF_WORK_PER_CHECK = 4_000_000;

/** Key derivation work spent looking for a matching key beside a mismatched one (a fix). */
export const KDF_WORK_PER_FIX_SEARCH = 1_000_000;

/** A PBKDF2 keyLength field longer than this (bytes) is not one OpenSSL accepts for a cipher key. */
export const KDF_MAX_KEY_LENGTH = 64;

/**
 * Issuer candidates whose signature is verified per step of a chain (same subject name): OpenSSL
 * verifies one (X509_STORE_CTX_get1_issuer picks by name and key identifier, then checks the
 * signature once); more than a few certificates with one name are not a real trust store.
 */
export const ISSUER_CANDIDATES_PER_STEP = 8;

export interface BudgetDescription {
  name: string;
  value: number;
  unit: string;
  /** What happens over it (user-facing). */
  over: string;
}

/** For the README "Robustness" list (and the test that keeps it current). */
export const CRYPTO_BUDGETS: readonly BudgetDescription[] = [
  { name: 'PBKDF2 / PKCS#12 / PBES1 iterations per encrypted key', value: KDF_ITERATIONS_PER_KEY, unit: 'iterations', over: 'the key is not decrypted and not matched against its certificate; a key.decryption-cost warning says what Kamailio will spend on it' },
  { name: 'scrypt work per encrypted key (N × r × p)', value: SCRYPT_WORK_PER_KEY, unit: 'N × r × p', over: 'the same' },
  { name: 'key derivation work per check', value: KDF_WORK_PER_CHECK, unit: 'iterations (or N × r × p)', over: 'a key that does not fit in what is left, in configuration order, is not decrypted (key.decryption-cost information)' },
  { name: 'key derivation work per matching-key search (the key.mismatch fix)', value: KDF_WORK_PER_FIX_SEARCH, unit: 'iterations', over: 'further encrypted keys beside the certificate are not tried' },
  { name: 'issuer candidates verified per chain step', value: ISSUER_CANDIDATES_PER_STEP, unit: 'certificates with the same name', over: 'the others are not tried' },
];
