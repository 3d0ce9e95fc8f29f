// What a file about to be read as a configuration really is, when it is key or certificate
// material: PEM of every label (keys, OpenSSH and PGP keys, certificates), DER (PKCS#1, PKCS#8,
// encrypted PKCS#8, SEC1 and DSA keys, certificates, public keys), PKCS#12, PuTTY and SSH2 keys,
// JSON Web Keys, OpenSSL's text dump of a key, and base64 of any of these. Such a file is never
// parsed as kamailio.cfg or tls.cfg (issue 11): parse messages quote tokens, and a key's tokens
// are its secret. Kamailio 5.6.3 refuses every one of them as tls.cfg and as include_file/
// import_file (test/integration/ORACLE-NOTES.md, "Key material read as configuration").
//
// Only the start of the file decides, so a configuration that mentions a PEM block further down
// (in a comment, in a string) stays a configuration: the first meaningful line must open the
// material (after the attribute lines `openssl pkcs12 -nodes` writes before each block).
import { TAG, children, content, decodeOid, decodeSmallInteger, readTlv, type Tlv } from './asn1';
import { kindOf as pemLabelKind, looksLikePkcs12 } from './bundle';
import { KEY_LABELS, containerName } from './key';
import { scanPem } from './pem';

export interface CryptoMaterial {
  /** Holds a private or secret key (or may: unknown DER, bare base64), not only public data. */
  secret: boolean;
  /** What it is, in words that quote nothing from the file, e.g. "a PEM private key (PKCS#8)". */
  description: string;
}

/** The part of a text file examined (a key or a certificate chain is a few KB). */
const HEAD_CHARS = 64 * 1024;
/** A DER file is examined whole up to this size (a PKCS#12 bundle with a long chain). */
const MAX_DER_BYTES = 1024 * 1024;

export function sniffCryptoMaterial(input: string | Uint8Array): CryptoMaterial | undefined {
  if (typeof input !== 'string') return sniffBytes(input);
  const head = input.length > HEAD_CHARS ? input.slice(0, HEAD_CHARS) : input;
  if (!looksBinary(head)) return sniffText(head, () => new Uint8Array(Buffer.from(head, 'utf8')));
  // Invalid UTF-8 became U+FFFD when the file was decoded: binary whose bytes are lost.
  if (head.includes('\uFFFD')) return lossyBinary(head);
  return sniffBinary(new Uint8Array(Buffer.from(input.length > MAX_DER_BYTES ? input.slice(0, MAX_DER_BYTES) : input, 'utf8')));
}

function sniffBytes(bytes: Uint8Array): CryptoMaterial | undefined {
  const head = bytes.length > HEAD_CHARS ? bytes.subarray(0, HEAD_CHARS) : bytes;
  if (isBinary(head)) return sniffBinary(bytes.length > MAX_DER_BYTES ? bytes.subarray(0, MAX_DER_BYTES) : bytes);
  return sniffText(Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1'), () => head);
}

/**
 * A text file: its first meaningful line says whether it can be material at all, so that a
 * configuration costs one look at its first line (this runs on every parse, every keystroke).
 */
function sniffText(text: string, bytes: () => Uint8Array): CryptoMaterial | undefined {
  const first = firstMeaningfulLine(text);
  if (first === undefined) return undefined;
  if (/^-----BEGIN [^-]*-----\s*$/.test(first)) return describePem(bytes());
  if (/^---- BEGIN SSH2 (?:ENCRYPTED )?PRIVATE KEY ----/.test(first)) return secret('an SSH2 (RFC 4716) private key');
  if (/^PuTTY-User-Key-File-\d+:/.test(first)) return secret('a PuTTY private key (.ppk)');
  if (/^SSH PRIVATE KEY FILE FORMAT 1\.1/.test(first)) return secret('an SSH1 private key');
  if (/^(?:RSA |EC |DSA |DH |ED25519 |ED448 |X25519 |X448 )?Private-Key: /.test(first)) return secret("OpenSSL's text dump of a private key (openssl pkey -text)");
  if (/^[{[]/.test(first)) return describeJson(text);
  if (/^[A-Za-z0-9+/_-]{16,}={0,2}\s*$/.test(first)) return describeBase64(text);
  return undefined;
}

function secret(description: string): CryptoMaterial {
  return { secret: true, description };
}

function publicData(description: string): CryptoMaterial {
  return { secret: false, description };
}

// --- text ------------------------------------------------------------------------------------

/** Lines `openssl pkcs12 -nodes` and `openssl x509 -subject` write before a PEM block. */
const PREAMBLE = /^(?:Bag Attributes|Key Attributes:|Certificate bag|subject=|issuer=|[ \t]+[A-Za-z][\w .-]*:)/;

/** The first line that is not blank or preamble, trimmed at its end; undefined: nothing else. */
function firstMeaningfulLine(text: string): string | undefined {
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    const line = text.slice(start, nl === -1 ? text.length : nl).replace(/\r$/, '');
    start = nl === -1 ? text.length : nl + 1;
    if (line.trim() === '' || PREAMBLE.test(line)) continue;
    return line.replace(/^\uFEFF/, '').trimStart();
  }
  return undefined;
}

const PRIVATE_LABEL = /PRIVATE KEY/;

function describePem(bytes: Uint8Array): CryptoMaterial {
  const labels = scanPem(bytes).blocks.map((b) => b.label);
  const privateLabels = labels.filter((l) => PRIVATE_LABEL.test(l) || l in KEY_LABELS);
  if (privateLabels.length > 0) {
    const label = privateLabels[0]!;
    const others = labels.length - privateLabels.length;
    const withCerts = others > 0 ? ` and ${others === 1 ? 'a certificate or other block' : `${others} other blocks`}` : '';
    if (label === 'OPENSSH PRIVATE KEY') return secret(`an OpenSSH private key${withCerts}`);
    if (label === 'PGP PRIVATE KEY BLOCK') return secret(`a PGP private key block${withCerts}`);
    // Only labels OpenSSL knows are named: any other label is text from the file.
    const container = KEY_LABELS[label];
    const kind = container ? ` (${containerName(container)})` : '';
    return secret(`${container === 'encrypted-pkcs8' || /ENCRYPTED/.test(label) ? 'an encrypted' : 'a'} PEM private key${kind}${withCerts}`);
  }
  const kinds = new Set(labels.map(pemLabelKind));
  if (kinds.size === 1 && kinds.has('certificate')) return publicData(labels.length === 1 ? 'a PEM certificate' : `${labels.length} PEM certificates`);
  if (kinds.size === 1 && kinds.has('public-key')) return publicData('a PEM public key');
  if (kinds.size === 1 && kinds.has('certificate-request')) return publicData('a PEM certificate request (CSR)');
  if (kinds.size === 1 && kinds.has('crl')) return publicData('a PEM CRL');
  if (kinds.size === 1 && kinds.has('parameters')) return publicData('PEM key parameters (DH or EC)');
  if (kinds.size === 1 && kinds.has('pkcs7')) return publicData('a PEM PKCS#7 bundle');
  if (labels.some((l) => /PGP/.test(l))) return publicData('a PGP armored block');
  // An unknown label, a broken block: not known to be public.
  return { secret: kinds.has('other') || labels.length === 0, description: 'PEM data' };
}

const JWK_FIELD = /"kty"\s*:/;
const JWK_PRIVATE_FIELD = /"(?:d|k|p|q|dp|dq|qi|priv)"\s*:/;

function describeJson(text: string): CryptoMaterial | undefined {
  if (!JWK_FIELD.test(text)) return undefined;
  return JWK_PRIVATE_FIELD.test(text) ? secret('a JSON Web Key with its private part') : publicData('a JSON Web Key (public)');
}

/** A file of nothing but base64 (or base64url), long enough to be a key or a certificate. */
function describeBase64(text: string): CryptoMaterial | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 64 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(compact)) return undefined;
  if (!/[A-Z]/.test(compact) || !/[a-z]/.test(compact) || !/[0-9]/.test(compact)) return undefined;
  const decoded = new Uint8Array(Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  if (Buffer.from(decoded.subarray(0, 15)).toString('latin1') === 'openssh-key-v1\0') return secret('base64 of an OpenSSH private key');
  const der = decoded[0] === TAG.sequence ? describeDer(decoded) : undefined;
  if (der) return { secret: der.secret, description: `base64 of ${der.description.replace(/^a DER /, 'a ')}` };
  return secret('base64-encoded data (possibly a key)');
}

// --- binary ----------------------------------------------------------------------------------

function isControl(c: number): boolean {
  return c === 0 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) || c === 0x7f;
}

/** NUL or control characters in the first bytes: not text (a Latin-1 comment is still text). */
function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 64);
  for (let i = 0; i < n; i++) if (isControl(bytes[i]!)) return true;
  return false;
}

function looksBinary(text: string): boolean {
  const n = Math.min(text.length, 64);
  for (let i = 0; i < n; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

function lossyBinary(text: string): CryptoMaterial | undefined {
  // A DER structure starts with the SEQUENCE tag ('0'); its bytes did not survive decoding.
  if (text.startsWith('0')) return secret('binary ASN.1 (DER) data: a key, a certificate or a PKCS#12 bundle');
  return undefined;
}

/** OpenPGP secret-key packets (RFC 4880 §4.2: old-format tags 5 and 7, new-format 0xC5/0xC7). */
const PGP_SECRET_KEY_TAGS = new Set([0x94, 0x95, 0x96, 0x97, 0x9c, 0x9d, 0x9e, 0x9f, 0xc5, 0xc7]);

function sniffBinary(bytes: Uint8Array): CryptoMaterial | undefined {
  if (bytes[0] === TAG.sequence) return describeDer(bytes.length > MAX_DER_BYTES ? bytes.subarray(0, MAX_DER_BYTES) : bytes) ?? undefined;
  if (PGP_SECRET_KEY_TAGS.has(bytes[0]!)) return secret('a binary OpenPGP secret key');
  return undefined;
}

function tryChildren(bytes: Uint8Array, node: Tlv): Tlv[] | undefined {
  try {
    return children(bytes, node);
  } catch {
    return undefined;
  }
}

function integerValue(bytes: Uint8Array, node: Tlv | undefined): number | undefined {
  if (!node || node.tag !== TAG.integer || node.end - node.contentStart > 4) return undefined;
  return decodeSmallInteger(content(bytes, node));
}

/**
 * A DER SEQUENCE that spans the file (up to a trailing newline): which key container, a
 * certificate, a public key, PKCS#12. Undefined when the bytes are no such SEQUENCE.
 */
function describeDer(bytes: Uint8Array): CryptoMaterial | undefined {
  let outer: Tlv;
  try {
    outer = readTlv(bytes, 0);
  } catch {
    return undefined;
  }
  if (outer.tag !== TAG.sequence || outer.end < bytes.length - 2) return undefined;
  const kids = tryChildren(bytes, outer);
  if (!kids || kids.length === 0) return secret('binary ASN.1 (DER) data');
  const [a, b, c] = kids;
  const version = integerValue(bytes, a);
  if (kids.length === 3 && a!.tag === TAG.sequence && b!.tag === TAG.sequence && c!.tag === TAG.bitString) return publicData('a DER certificate');
  if (kids.length === 2 && a!.tag === TAG.sequence && b!.tag === TAG.bitString) return publicData('a DER public key');
  if (looksLikePkcs12(bytes)) return secret('a PKCS#12 (.p12/.pfx) bundle');
  if ((version === 0 || version === 1) && b?.tag === TAG.sequence && c?.tag === TAG.octetString) return secret('a DER private key (PKCS#8)');
  if (kids.length === 2 && a!.tag === TAG.sequence && b!.tag === TAG.octetString && isEncryptionAlgorithm(bytes, a!)) return secret('a DER encrypted private key (PKCS#8)');
  if (version === 0 && kids.length >= 9 && kids.slice(0, 9).every((k) => k.tag === TAG.integer)) return secret('a DER RSA private key (PKCS#1)');
  if (version === 0 && kids.length === 6 && kids.every((k) => k.tag === TAG.integer)) return secret('a DER DSA private key');
  if (version === 1 && b?.tag === TAG.octetString) return secret('a DER EC private key (SEC1)');
  // Some other structure: not known to be public.
  return secret('binary ASN.1 (DER) data');
}

/** PBES1/PBES2 (1.2.840.113549.1.5.*) or PKCS#12 PBE (1.2.840.113549.1.12.1.*) algorithm identifiers. */
function isEncryptionAlgorithm(bytes: Uint8Array, algorithm: Tlv): boolean {
  const oid = tryChildren(bytes, algorithm)?.[0];
  if (!oid || oid.tag !== TAG.oid) return false;
  try {
    const dotted = decodeOid(content(bytes, oid));
    return dotted.startsWith('1.2.840.113549.1.5.') || dotted.startsWith('1.2.840.113549.1.12.1.');
  } catch {
    return false;
  }
}

// --- key material inside a configuration -----------------------------------------------------

/** Key material pasted into a configuration: offsets [start, end) in the text, 0-based lines. */
export interface SecretSpan {
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  description: string;
}

// Scanned by hand, not with regular expressions: a configuration may have a line of megabytes,
// and a pattern run over it can exhaust V8's backtracking stack (found by the scaling check).

function isBase64Char(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d;
}

/** The line without leading and trailing blanks, when it is nothing but base64 (`=` padding at the end). */
function base64Content(line: string): { from: number; to: number; upper: boolean; lower: boolean; digit: boolean } | undefined {
  let from = 0;
  let to = line.length;
  while (from < to && isBlank(line.charCodeAt(from))) from++;
  while (to > from && isBlank(line.charCodeAt(to - 1))) to--;
  let end = to;
  while (end > from && to - end < 2 && line.charCodeAt(end - 1) === 0x3d) end--;
  if (end === from) return undefined;
  let upper = false;
  let lower = false;
  let digit = false;
  for (let i = from; i < end; i++) {
    const c = line.charCodeAt(i);
    if (!isBase64Char(c)) return undefined;
    if (c >= 0x41 && c <= 0x5a) upper = true;
    else if (c >= 0x61 && c <= 0x7a) lower = true;
    else if (c >= 0x30 && c <= 0x39) digit = true;
  }
  return { from, to: end, upper, lower, digit };
}

/** A line of a key body: nothing but base64, 40 characters or more, mixed like random data. */
function isBase64BodyLine(line: string): boolean {
  const b = base64Content(line);
  return b !== undefined && b.to - b.from >= 40 && b.upper && b.lower && b.digit;
}

/** The short last line of a base64 body (`BR4ypqgJ0ZlXncAz+Q==`). */
function isBase64TailLine(line: string): boolean {
  const b = base64Content(line);
  return b !== undefined && b.to - b.from >= 4;
}

/** Inside a PEM block: base64, a blank line, or an RFC 1421 header (`Proc-Type: 4,ENCRYPTED`). */
function isPemBodyLine(line: string): boolean {
  if (line.trim() === '') return true;
  if (base64Content(line) !== undefined) return true;
  const colon = line.indexOf(':');
  if (colon <= 0 || colon > 40) return false;
  for (let i = 0; i < colon; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d)) return false;
  }
  return true;
}

/** A private-key BEGIN marker on the line: where it starts and its label. */
function privateKeyBegin(line: string): { at: number; label: string } | undefined {
  for (let at = line.indexOf('-----BEGIN '); at !== -1; at = line.indexOf('-----BEGIN ', at + 1)) {
    const close = line.indexOf('-----', at + 11);
    if (close === -1 || close - at > 80) continue;
    const label = line.slice(at + 11, close);
    if (/^[A-Z0-9 ]+$/.test(label) && label.includes('PRIVATE KEY')) return { at, label };
  }
  return undefined;
}

/** Offset just past an END marker on the line, if there is one. */
function pemEnd(line: string): number | undefined {
  const at = line.indexOf('-----END ');
  if (at === -1) return undefined;
  const close = line.indexOf('-----', at + 9);
  return close === -1 ? undefined : close + 5;
}

/**
 * PEM private-key blocks (from their BEGIN marker, wherever it stands on its line, to their END
 * marker, or to the last base64 line of a block cut short) and runs of bare base64 lines (two or
 * more, or one of 64 characters and more) inside a text that is otherwise a configuration. The
 * parsers never quote what lies there (tlscfg/parser.ts, kamailio/parser.ts).
 */
export function embeddedSecretSpans(text: string): SecretSpan[] {
  const spans: SecretSpan[] = [];
  const hasPem = text.includes('PRIVATE KEY');
  const lines: { start: number; text: string }[] = [];
  for (let at = 0; at <= text.length; ) {
    const nl = text.indexOf('\n', at);
    const end = nl === -1 ? text.length : nl;
    lines.push({ start: at, text: text.slice(at, end) });
    if (nl === -1) break;
    at = nl + 1;
  }
  const contentEnd = (i: number): number => lines[i]!.start + lines[i]!.text.replace(/[ \t\r]+$/, '').length;
  const contentStart = (i: number): number => lines[i]!.start + (lines[i]!.text.length - lines[i]!.text.trimStart().length);
  for (let i = 0; i < lines.length; i++) {
    const begin = hasPem ? privateKeyBegin(lines[i]!.text) : undefined;
    if (begin) {
      let j = i;
      let end = -1;
      for (let k = i + 1; k < lines.length; k++) {
        const close = pemEnd(lines[k]!.text);
        if (close !== undefined) {
          end = lines[k]!.start + close;
          j = k;
          break;
        }
        if (!isPemBodyLine(lines[k]!.text)) break;
        j = k;
      }
      if (end === -1) end = contentEnd(j);
      const container = KEY_LABELS[begin.label];
      const description = begin.label === 'OPENSSH PRIVATE KEY' ? 'an OpenSSH private key' : begin.label === 'PGP PRIVATE KEY BLOCK' ? 'a PGP private key block' : `a PEM private key${container ? ` (${containerName(container)})` : ''}`;
      spans.push({ start: lines[i]!.start + begin.at, end, startLine: i, endLine: j, description });
      i = j;
      continue;
    }
    if (!isBase64BodyLine(lines[i]!.text)) continue;
    let j = i;
    while (j + 1 < lines.length && isBase64BodyLine(lines[j + 1]!.text)) j++;
    if (j + 1 < lines.length && isBase64TailLine(lines[j + 1]!.text)) j++;
    if (j > i || lines[i]!.text.trim().length >= 64) spans.push({ start: contentStart(i), end: contentEnd(j), startLine: i, endLine: j, description: 'base64 data (possibly a key)' });
    i = j;
  }
  return spans;
}

/** The text with every span replaced by spaces (newlines kept, so offsets and lines stay). */
export function blankSpans(text: string, spans: readonly SecretSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + text.slice(s.start, s.end).replace(/[^\n]/g, ' ');
    at = s.end;
  }
  return out + text.slice(at);
}
