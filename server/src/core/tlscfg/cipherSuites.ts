// Which TLS ≤ 1.2 suites of a cipher_list a Kamailio server can really negotiate, asked of
// OpenSSL itself. Kamailio hands the list to SSL_CTX_set_cipher_list (tls_domain.c
// set_cipher_list; reference §1.5), which accepts it as soon as it selects one suite; whether a
// handshake can then use one is decided per connection: the suite must authenticate with the
// certificate's key (aRSA needs an RSA key, aECDSA an EC or Ed25519 key) and use a key exchange
// the server can do — Kamailio configures no PSK identity and no SRP verifier, and an anonymous
// suite authenticates nobody. Otherwise OpenSSL answers "no shared cipher" (measured on 5.6.3:
// "TLS accept:error:0A0000C1:SSL routines::no shared cipher", test/integration/ORACLE-NOTES.md).
//
// OpenSSL only tells whether a cipher string selects something (createSecureContext throws "no
// cipher match" otherwise). That is enough to ask set questions with its own class keywords:
// `LIST:!aRSA:!PSK` selects nothing exactly when every suite of LIST authenticates with RSA or
// uses a PSK. No cipher name is listed here: the classes are OpenSSL's (ciphers(1) "cipher
// strings"), so suites this code never heard of (CAMELLIA, ARIA, …) are judged as well. Node's
// bundled OpenSSL (3.0 in Node 20) has the same classes as Kamailio's libssl 1.1.1 and 3.x.
import { createSecureContext } from 'node:tls';
import type { PublicKeyType } from '../pki/certificate';

/** How TLS ≤ 1.2 suites authenticate a certificate's key. */
export type SuiteKeyClass = 'rsa' | 'rsa-pss' | 'ecdsa';

/**
 * RSA keys sign (aRSA) and decrypt (kRSA); RSA-PSS keys only sign: OpenSSL refuses RSA key
 * exchange with them. EC and Ed25519/Ed448 keys use the aECDSA suites (RFC 8422); verified with
 * Node loopback handshakes (ORACLE-NOTES.md, "Cipher suites").
 */
export function suiteKeyClass(type: PublicKeyType): SuiteKeyClass | undefined {
  switch (type) {
    case 'rsa':
      return 'rsa';
    case 'rsa-pss':
      return 'rsa-pss';
    case 'ec':
    case 'ed25519':
    case 'ed448':
      return 'ecdsa';
    default:
      return undefined;
  }
}

/**
 * What Kamailio cannot negotiate with any key: PSK and SRP key exchanges (it configures no PSK
 * identity or SRP verifier), anonymous suites (OpenSSL offers them to no one at security level 1
 * and above: a Node client asking for aNULL only gets ERR_SSL_NO_CIPHERS_AVAILABLE).
 */
const NEVER_NEGOTIATED = ['PSK', 'SRP', 'aNULL'];

/** Suites a key of this class cannot be used with (OpenSSL class keywords). */
const NOT_FOR_KEY: Record<SuiteKeyClass, string[]> = {
  rsa: ['aECDSA', 'aDSS'],
  'rsa-pss': ['aECDSA', 'aDSS', 'kRSA'],
  ecdsa: ['aRSA', 'aDSS'],
};

/** Key exchanges that are not ECDHE, and the forward-secret one that is not either. */
const NOT_ECDHE = ['kRSA', 'kDHE'];

/** The classic (TLS ≤ 1.2) part of a cipher_list, as SSL_CTX_set_cipher_list reads it. */
export function classicPart(list: string): string {
  // Node sends TLS_* names to SSL_CTX_set_ciphersuites; Kamailio sends everything to
  // set_cipher_list, where they match nothing. Drop them so Node asks what Kamailio asks.
  return list
    .split(/[:, ]+/)
    .filter((e) => e !== '' && !/^[!+-]?TLS_/i.test(e))
    .join(':');
}

const answers = new Map<string, boolean>();

/** Does OpenSSL select at least one suite from this classic cipher string? Memoised. */
export function selectsAny(classic: string): boolean {
  if (classic === '') return false;
  const hit = answers.get(classic);
  if (hit !== undefined) return hit;
  let ok: boolean;
  try {
    createSecureContext({ ciphers: classic, minVersion: 'TLSv1', maxVersion: 'TLSv1.2' });
    ok = true;
  } catch {
    ok = false;
  }
  // The strings a workspace asks about are few; a fuzzer or a long session must not grow this.
  if (answers.size >= 4096) answers.clear();
  answers.set(classic, ok);
  return ok;
}

/** Does `classic` select a suite outside every class in `excluded`? */
function selectsOutside(classic: string, excluded: readonly string[]): boolean {
  return selectsAny([classic, ...excluded.map((k) => `!${k}`)].join(':'));
}

export interface SuiteVerdict {
  /** No suite the server can negotiate with this key (or, without a key, with any key). */
  noUsableSuite: boolean;
  /** The authentication every selected suite needs, when it is one kind (for messages). */
  onlyAuth?: 'RSA' | 'ECDSA';
  /** Usable suites exist, but none uses ECDHE key exchange. */
  noEcdhe: boolean;
  /** … and none uses DHE either: no forward secrecy at all. */
  noForwardSecrecy: boolean;
}

/**
 * The suites of `list` a Kamailio server with a certificate of `key` (undefined: not known, or a
 * client profile, whose peer's key decides) can negotiate over TLS ≤ 1.2. `list` must select
 * something (else it is tls.cipher-invalid).
 */
export function judgeSuites(list: string, key: SuiteKeyClass | undefined): SuiteVerdict {
  const classic = classicPart(list);
  const unusable = [...NEVER_NEGOTIATED, ...(key ? NOT_FOR_KEY[key] : [])];
  const noUsableSuite = !selectsOutside(classic, unusable);
  // Which single authentication the negotiable suites need, if there are any at all.
  const negotiable = selectsOutside(classic, NEVER_NEGOTIATED);
  const onlyAuth = !negotiable ? undefined : !selectsOutside(classic, [...NEVER_NEGOTIATED, 'aRSA']) ? 'RSA' : !selectsOutside(classic, [...NEVER_NEGOTIATED, 'aECDSA']) ? 'ECDSA' : undefined;
  if (noUsableSuite) return { noUsableSuite, ...(onlyAuth ? { onlyAuth } : {}), noEcdhe: false, noForwardSecrecy: false };
  const noEcdhe = !selectsOutside(classic, [...unusable, ...NOT_ECDHE]);
  const noForwardSecrecy = noEcdhe && !selectsOutside(classic, [...unusable, 'kRSA']);
  return { noUsableSuite, ...(onlyAuth ? { onlyAuth } : {}), noEcdhe, noForwardSecrecy };
}
