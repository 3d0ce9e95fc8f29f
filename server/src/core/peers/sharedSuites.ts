// Which TLS 1.2 suites a profile and a peer have in common, asked of OpenSSL (cipherSuites.ts
// explains why only "does this cipher string select anything?" can be asked). The peer's suites
// are OpenSSL names; "our list ∩ {s}" is our list with every other suite OpenSSL knows deleted
// (`!NAME` deletes for good, ciphers(1)), so the answer comes from OpenSSL's own reading of
// cipher_list — aliases, classes, `@STRENGTH`, `!`, `-` and `+` included — never from a table.
import { getCiphers } from 'node:tls';
import { classicPart, selectsAny, type SuiteKeyClass } from '../tlscfg/cipherSuites';

/** Suites the profile cannot negotiate with a key of this class (as in cipherSuites.ts). */
const NOT_FOR_KEY: Record<SuiteKeyClass, string[]> = {
  rsa: ['aECDSA', 'aDSS'],
  'rsa-pss': ['aECDSA', 'aDSS', 'kRSA'],
  ecdsa: ['aRSA', 'aDSS'],
};
const NEVER = ['PSK', 'SRP', 'aNULL', 'eNULL'];
/**
 * Node's getCiphers() lists OpenSSL's DEFAULT suites only; these classes cover the rest
 * (CAMELLIA, ARIA, SEED, CCM, …), so that deleting names and classes leaves nothing but the
 * suite asked about. `ALL:COMPLEMENTOFALL` minus both selects nothing (unit test).
 */
const OTHER_CLASSES = ['CAMELLIA', 'ARIA', 'SEED', 'IDEA', '3DES', 'DES', 'RC4', 'RC2', 'aDSS', 'aGOST', 'kGOST', 'kECDH', 'kDH', 'aECDH', 'CHACHA20', 'AESCCM', 'AESCCM8'];

let known: string[] | undefined;
/** Every TLS ≤ 1.2 suite name of the bundled OpenSSL (upper case, as cipher strings write them). */
function knownSuites(): string[] {
  known ??= getCiphers()
    .filter((c) => !c.startsWith('tls_'))
    .map((c) => c.toUpperCase());
  return known;
}

export interface SharedSuites {
  /** Peer suites our list selects (for the key), in the peer's order. */
  shared: string[];
  /** … of which use ECDHE or DHE key exchange. */
  forwardSecret: string[];
  /** Peer suites the bundled OpenSSL does not know, or could not be asked about alone (not judged). */
  unknown: string[];
}

const FORWARD_SECRET = /^(ECDHE|DHE|EDH)-/;

/**
 * The peer's `suites` that `list` (a cipher_list; '' = OpenSSL's DEFAULT) selects, for a
 * certificate key of class `key` (undefined: any key).
 */
export function sharedSuites(list: string, peerSuites: readonly string[], key: SuiteKeyClass | undefined): SharedSuites {
  const classic = list === '' ? 'DEFAULT' : classicPart(list);
  const all = knownSuites();
  const restrictions = [...NEVER, ...(key ? NOT_FOR_KEY[key] : [])].map((k) => `!${k}`);
  const shared: string[] = [];
  const unknown: string[] = [];
  for (const suite of peerSuites) {
    if (!all.includes(suite)) {
      unknown.push(suite);
      continue;
    }
    // Classes that hold the suite itself are not deleted; what else they hold must then be
    // absent too, or the answer would be about another suite: then it is not judged.
    const classes = OTHER_CLASSES.filter((c) => selectsAny(`${suite}:!${c}`));
    const others = [...all.filter((s) => s !== suite), ...classes].map((s) => `!${s}`);
    const only = [classic, ...restrictions, ...others].join(':');
    if (selectsAny(`${only}:!${suite}`)) unknown.push(suite);
    else if (selectsAny(only)) shared.push(suite);
  }
  // Security level 3 and above forbids suites without forward secrecy. OpenSSL applies it when
  // it lists the ciphers it will use and in the handshake, not when it checks whether a cipher
  // string matches anything (which is all selectsAny asks), so it is applied here.
  const level = /@SECLEVEL=(\d)/i.exec(list)?.[1];
  const usable = level !== undefined && Number(level) >= 3 ? shared.filter((s) => FORWARD_SECRET.test(s)) : shared;
  return { shared: usable, forwardSecret: usable.filter((s) => FORWARD_SECRET.test(s)), unknown };
}
