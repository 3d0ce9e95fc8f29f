// cipher_list as Kamailio hands it to OpenSSL (tls_domain.c set_cipher_list; reference §1.5):
// with method TLSv1.3/TLSv1.3+ the string goes to SSL_CTX_set_ciphersuites (TLS 1.3 suite
// names), otherwise to SSL_CTX_set_cipher_list (classic names), which fails only when nothing
// at all is selected ("no cipher match"). Node's bundled OpenSSL (3.0 on Node 20) is the same
// library Kamailio links on Debian 12, so we ask it directly instead of re-implementing the
// cipher-string language.
import { classicPart, selectsAny } from './cipherSuites';
import { quoted } from '../quote';

/** A cipher list is quoted longer than other tokens: its suites are what the message is about. */
const CIPHER_LIST_SHOWN = 120;

export const TLS13_SUITES = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_128_CCM_SHA256',
  'TLS_AES_128_CCM_8_SHA256',
];

/** Does OpenSSL select at least one classic (TLS ≤ 1.2) cipher from this string? */
export function classicListSelectsSomething(list: string): boolean {
  return selectsAny(classicPart(list));
}

export interface CipherVerdict {
  invalid?: string;
  weak: string[];
}

const WEAK_ELEMENTS: { test: RegExp; label: string }[] = [
  { test: /RC4/i, label: 'RC4' },
  { test: /(^|[-+])3?DES(?!-?CBC3)|DES-CBC3|3DES|^DES$/i, label: 'DES/3DES' },
  { test: /^eNULL$|^NULL$|NULL-/i, label: 'NULL (no encryption)' },
  { test: /^EXP(ORT)?|EXP-/i, label: 'EXPORT' },
  { test: /MD5/i, label: 'MD5' },
  { test: /^aNULL$|^ADH|^AECDH/i, label: 'anonymous (unauthenticated) suites' },
  { test: /^LOW$/i, label: 'LOW' },
  { test: /^@SECLEVEL=0$/i, label: '@SECLEVEL=0 (all security checks off)' },
];

export function judgeCipherList(list: string, tls13Method: boolean): CipherVerdict {
  const elements = list.split(/[:, ]+/).filter((e) => e !== '');
  if (tls13Method) {
    const known = elements.filter((e) => TLS13_SUITES.includes(e.toUpperCase()));
    if (known.length === 0) {
      return {
        invalid: `with a TLSv1.3 method Kamailio passes cipher_list to SSL_CTX_set_ciphersuites, which only knows TLS 1.3 suite names (${TLS13_SUITES.slice(0, 3).join(', ')}, …); ${quoted(list, CIPHER_LIST_SHOWN)} names none, so no TLS 1.3 suite is enabled and every handshake fails`,
        weak: [],
      };
    }
    return { weak: [] };
  }
  if (!classicListSelectsSomething(list)) {
    const onlyTls13 = elements.length > 0 && elements.every((e) => /^[!+-]?TLS_/i.test(e));
    return {
      invalid: onlyTls13
        ? `${quoted(list, CIPHER_LIST_SHOWN)} names only TLS 1.3 suites, but with a method other than TLSv1.3/TLSv1.3+ Kamailio passes it to SSL_CTX_set_cipher_list, which knows only TLS ≤ 1.2 names: Kamailio exits with "Failure to set SSL context cipher list"`
        : `OpenSSL selects no cipher from ${quoted(list, CIPHER_LIST_SHOWN)} ("no cipher match"): Kamailio exits with "Failure to set SSL context cipher list"`,
      weak: [],
    };
  }
  const negated = new Set(elements.filter((e) => e.startsWith('!') || e.startsWith('-')).map((e) => e.slice(1).toUpperCase()));
  const weak = new Set<string>();
  for (const e of elements) {
    if (e.startsWith('!') || e.startsWith('-')) continue;
    const name = e.replace(/^\+/, '');
    for (const w of WEAK_ELEMENTS) {
      // A weak element that selects nothing in this OpenSSL (RC4, DES in OpenSSL 3) is dead
      // weight, not a weakness.
      if (w.test.test(name) && (name.startsWith('@') || classicListSelectsSomething(name))) weak.add(w.label);
    }
    if (/^(ALL|COMPLEMENTOFALL|COMPLEMENTOFDEFAULT)$/i.test(name) && !negated.has('ANULL') && !negated.has('ADH')) {
      weak.add('anonymous (unauthenticated) suites via ALL without !aNULL');
    }
  }
  return { weak: [...weak] };
}

export const MODERN_CIPHER_LIST = 'HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES';
