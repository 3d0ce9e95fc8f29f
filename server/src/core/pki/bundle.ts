// A file's PKI contents — a "bundle": every PEM block in order with its label, position and parse
// result, or what else the file is (DER, PKCS#12, empty, text without PEM). This is what every
// certificate rule starts from; it is computed once per file version (FileProbe.cached).
import { TAG, children, content, decodeSmallInteger, decodeOid, readTlv } from './asn1';
import { parseCertificate, type CertificateModel } from './certificate';
import { parseCrl, type CrlModel } from './crl';
import { KEY_LABELS, containerName, readDerKey, readPemKey, type PrivateKeyEntry } from './key';
import { blockText, scanPem, type PemBlock, type PemProblem } from './pem';
import { excerpt, quoted } from '../quote';

export type EntryKind =
  | 'certificate'
  | 'private-key'
  | 'crl'
  | 'public-key'
  | 'certificate-request'
  | 'parameters'
  | 'pkcs7'
  | 'openssh-key'
  | 'other';

export interface PkiEntry {
  /** Position among the file's PEM blocks (0-based). */
  index: number;
  label: string;
  kind: EntryKind;
  /** Byte range and 0-based lines of the block in the file. */
  start: number;
  end: number;
  startLine: number;
  endLine: number;
  certificate?: CertificateModel;
  key?: PrivateKeyEntry;
  crl?: CrlModel;
  /** PEM framing problem (OpenSSL stops reading the file there). */
  framing?: PemProblem;
  /** The body decoded but does not parse as what the label says. */
  parseError?: string;
  /** A certificate block past the examination cap: counted, not parsed. */
  skipped?: boolean;
}

export type DerContent = 'certificate' | 'private-key' | 'crl' | 'pkcs12' | 'public-key' | 'unknown';

export interface PkiFile {
  size: number;
  /** `pem`: at least one BEGIN line; `der`: binary; `text`: text without PEM; `empty`. */
  format: 'pem' | 'der' | 'text' | 'empty';
  /** For a binary file: what the DER holds. */
  derContent?: DerContent;
  /** The certificate of a DER certificate file (for messages: its name). */
  derCertificate?: CertificateModel;
  /** The key of a DER key file. */
  derKey?: PrivateKeyEntry;
  entries: PkiEntry[];
  /** Parsed certificates in file order (at most the cap). */
  certificates: CertificateEntry[];
  /** Every certificate block, parsed or not. */
  certificateBlocks: number;
  /** The cap that applied: certificates past it were not examined. */
  certificateCap: number;
  keys: KeyEntry[];
  crls: CrlEntry[];
  /** Blocks with a framing or parse problem, in order. */
  broken: PkiEntry[];
}

export type CertificateEntry = PkiEntry & { certificate: CertificateModel };
export type KeyEntry = PkiEntry & { key: PrivateKeyEntry };
export type CrlEntry = PkiEntry & { crl: CrlModel };

const CERT_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE', 'TRUSTED CERTIFICATE']);

export function kindOf(label: string): EntryKind {
  if (CERT_LABELS.has(label)) return 'certificate';
  if (label in KEY_LABELS) return 'private-key';
  if (label === 'X509 CRL') return 'crl';
  if (label === 'PUBLIC KEY' || label === 'RSA PUBLIC KEY') return 'public-key';
  if (label === 'CERTIFICATE REQUEST' || label === 'NEW CERTIFICATE REQUEST') return 'certificate-request';
  if (/PARAMETERS$/.test(label)) return 'parameters';
  if (label === 'PKCS7' || label === 'CMS') return 'pkcs7';
  if (label === 'OPENSSH PRIVATE KEY') return 'openssh-key';
  return 'other';
}

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const m = /routines::(.+)$/.exec(message);
  return (m ? m[1]! : message).slice(0, 120);
}

export interface LoadOptions {
  /** Certificates parsed at most (a chain needs a handful; a CA bundle a few hundred). */
  maxCertificates: number;
}

/**
 * The certificates of a file, in order. A loaded file is cached while it is unchanged on disk
 * (FileProbe), so the same array comes back for it, and what is derived from the array can be
 * cached by it (analyseOrder).
 */
export function certificateModels(file: PkiFile): readonly CertificateModel[] {
  let certs = modelsOf.get(file);
  if (!certs) {
    certs = file.certificates.map((e) => e.certificate);
    modelsOf.set(file, certs);
  }
  return certs;
}

const modelsOf = new WeakMap<PkiFile, readonly CertificateModel[]>();

export function loadPkiFile(bytes: Uint8Array, options: LoadOptions): PkiFile {
  const scan = scanPem(bytes);
  const file: PkiFile = {
    size: bytes.length,
    format: scan.empty ? 'empty' : scan.noPem ? (scan.binary ? 'der' : 'text') : 'pem',
    entries: [],
    certificates: [],
    certificateBlocks: 0,
    certificateCap: options.maxCertificates,
    keys: [],
    crls: [],
    broken: [],
  };
  if (file.format === 'der') {
    classifyDer(bytes, file);
    return file;
  }
  scan.blocks.forEach((block, index) => file.entries.push(readEntry(bytes, block, index, file)));
  return file;
}

function readEntry(bytes: Uint8Array, block: PemBlock, index: number, file: PkiFile): PkiEntry {
  const kind = kindOf(block.label);
  const entry: PkiEntry = { index, label: block.label, kind, start: block.start, end: block.end, startLine: block.startLine, endLine: block.endLine };
  if (kind === 'certificate') file.certificateBlocks++;
  if (block.problem || !block.der) {
    entry.framing = block.problem ?? 'bad-base64';
    file.broken.push(entry);
    return entry;
  }
  try {
    switch (kind) {
      case 'certificate':
        if (file.certificates.length >= file.certificateCap) {
          entry.skipped = true;
          break;
        }
        entry.certificate = parseCertificate(block.der);
        file.certificates.push(entry as CertificateEntry);
        break;
      case 'private-key': {
        entry.key = readPemKey(block.label, blockText(bytes, block), block.headers, block.der);
        if (entry.key.problem) entry.parseError = entry.key.problem;
        file.keys.push(entry as KeyEntry);
        break;
      }
      case 'crl':
        entry.crl = parseCrl(block.der);
        file.crls.push(entry as CrlEntry);
        break;
      default:
        break;
    }
  } catch (err) {
    entry.parseError = errorText(err);
  }
  if (entry.parseError) file.broken.push(entry);
  return entry;
}

/** What a binary file is: a DER certificate, key, CRL, PKCS#12 bundle, or unknown. */
function classifyDer(bytes: Uint8Array, file: PkiFile): void {
  try {
    const cert = parseCertificate(bytes);
    file.derContent = 'certificate';
    file.derCertificate = cert;
    return;
  } catch {
    // not a certificate
  }
  const key = readDerKey(bytes);
  if (key) {
    file.derContent = 'private-key';
    file.derKey = key;
    return;
  }
  try {
    parseCrl(bytes);
    file.derContent = 'crl';
    return;
  } catch {
    // not a CRL
  }
  file.derContent = looksLikePkcs12(bytes) ? 'pkcs12' : looksLikeSpki(bytes) ? 'public-key' : 'unknown';
}

/** PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (pkcs7-data), … } */
export function looksLikePkcs12(bytes: Uint8Array): boolean {
  try {
    const outer = readTlv(bytes, 0);
    const [version, authSafe] = children(bytes, outer);
    if (!version || version.tag !== TAG.integer || decodeSmallInteger(content(bytes, version)) !== 3 || !authSafe) return false;
    const oid = children(bytes, authSafe)[0];
    return !!oid && oid.tag === TAG.oid && decodeOid(content(bytes, oid)).startsWith('1.2.840.113549.1.7.');
  } catch {
    return false;
  }
}

/** SubjectPublicKeyInfo ::= SEQUENCE { AlgorithmIdentifier, BIT STRING } */
function looksLikeSpki(bytes: Uint8Array): boolean {
  try {
    const outer = readTlv(bytes, 0);
    const [alg, key] = children(bytes, outer);
    return outer.end === bytes.length && !!alg && alg.tag === TAG.sequence && !!key && key.tag === TAG.bitString;
  } catch {
    return false;
  }
}

// --- describing a file in words ----------------------------------------------------------------

function plural(n: number, word: string): string {
  return `${n === 1 ? (/^[aeiou]/i.test(word) ? 'an' : 'a') : n} ${word}${n === 1 ? '' : 's'}`;
}

function keyWords(key: PrivateKeyEntry): string {
  if (key.encrypted) return `an encrypted private key (${key.container === 'encrypted-pkcs8' ? 'PKCS#8' : `${containerName(key.container)}${key.cipher ? `, ${key.cipher}` : ''}`})`;
  const algo = key.publicKey ? key.publicKey.description.replace(/^ECDSA/, 'EC') : '';
  if (!algo) return `a private key (${containerName(key.container)})`;
  return `${/^(RSA|EC|Ed)/.test(algo) ? 'an' : 'a'} ${algo} private key (${containerName(key.container)})`;
}

/** "2 certificates and an RSA 2048 private key (PKCS#8)", "a CRL", "a certificate request (CSR)". */
export function describeContents(file: PkiFile): string {
  switch (file.format) {
    case 'empty':
      return 'nothing (the file is empty)';
    case 'text':
      return "text without any PEM block (no '-----BEGIN' line)";
    case 'der':
      switch (file.derContent) {
        case 'certificate':
          return `a DER (binary) certificate${file.derCertificate ? ` for ${file.derCertificate.displayName}` : ''}`;
        case 'private-key':
          return 'a DER (binary) private key';
        case 'crl':
          return 'a DER (binary) CRL';
        case 'pkcs12':
          return 'a PKCS#12 (.p12/.pfx) bundle';
        case 'public-key':
          return 'a DER (binary) public key';
        default:
          return 'binary data that is neither a certificate nor a key';
      }
    default:
      break;
  }
  const parts: string[] = [];
  const count = (k: EntryKind) => file.entries.filter((e) => e.kind === k && !e.framing).length;
  const certs = count('certificate');
  if (certs > 0) parts.push(plural(certs, 'certificate'));
  const keys = file.entries.filter((e) => e.kind === 'private-key' && !e.framing);
  if (keys.length === 1 && keys[0]!.key) parts.push(keyWords(keys[0]!.key));
  else if (keys.length > 0) parts.push(plural(keys.length, 'private key'));
  const crls = count('crl');
  if (crls > 0) parts.push(crls === 1 ? 'a CRL' : `${crls} CRLs`);
  if (count('public-key') > 0) parts.push('a public key (not a private key)');
  if (count('certificate-request') > 0) parts.push('a certificate request (CSR), not the signed certificate');
  if (count('parameters') > 0) parts.push('key parameters');
  if (count('pkcs7') > 0) parts.push('a PKCS#7 bundle');
  if (count('openssh-key') > 0) parts.push('an OpenSSH private key (not PEM/PKCS#8)');
  const other = file.entries.filter((e) => e.kind === 'other' && !e.framing).map((e) => e.label);
  if (other.length > 0) parts.push(`PEM blocks labelled ${[...new Set(other)].slice(0, 5).map((l) => quoted(l)).join(', ')}`);
  if (file.broken.some((e) => e.framing)) parts.push(`${plural(file.broken.filter((e) => e.framing).length, 'broken PEM block')}`);
  if (parts.length === 0) return 'no usable PEM block';
  return parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** A framing or parse problem of one block, in words, with its 1-based line. */
export function describeBrokenEntry(entry: PkiEntry): string {
  const where = `the ${excerpt(entry.label)} block at line ${entry.startLine + 1}`;
  switch (entry.framing) {
    case 'truncated':
      return `${where} has no "-----END ${excerpt(entry.label)}-----" line (truncated)`;
    case 'bad-end-line':
      return `${where} ends with an END line of another label`;
    case 'bad-base64':
      return `${where} is not valid base64`;
    default:
      return `${where} does not parse (${entry.parseError ?? 'invalid'})`;
  }
}
