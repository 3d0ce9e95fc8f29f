// Reading certificate, key, CA and CRL files through the FileProbe: bounded reads (the Host
// refuses FIFOs, devices and over-size files), and one parse per file version — the result is
// cached by (path, size, mtime), so a certificate shared by many profiles is parsed once and a
// renewed one is re-read at once.
import * as posix from 'node:path/posix';
import type { FileProbe } from '../fileProbe';
import { DEFAULT_MAX_FILE_BYTES } from '../host';
import { loadPkiFile, type PkiFile } from './bundle';

/** Certificate and key files: a chain is a few KB; anything over 1 MiB is not one. */
export const CERT_FILE_MAX_BYTES = 1024 * 1024;
/** CA lists and CRLs can be large (a public CA's CRL, a system bundle). */
export const CA_FILE_MAX_BYTES = DEFAULT_MAX_FILE_BYTES;
/** Certificates examined in a certificate file (a chain has a handful). */
export const MAX_CHAIN_CERTIFICATES = 64;
/** Certificates examined in a CA list or trust anchor file. */
export const MAX_CA_CERTIFICATES = 1000;
/** Hashed-name entries read from a ca_path folder. */
export const MAX_CA_PATH_FILES = 1000;

export type PkiFileRole = 'certificate' | 'ca';

export type LoadResult =
  | { ok: true; file: PkiFile }
  /** Missing, unreadable, not a regular file: the path rules report it. */
  | { ok: false; reason: 'unavailable' }
  | { ok: false; reason: 'too-large'; size: number; limit: number };

export function loadPki(probe: FileProbe, localPath: string, role: PkiFileRole): LoadResult {
  const limit = role === 'certificate' ? CERT_FILE_MAX_BYTES : CA_FILE_MAX_BYTES;
  const maxCertificates = role === 'certificate' ? MAX_CHAIN_CERTIFICATES : MAX_CA_CERTIFICATES;
  const st = probe.stat(localPath);
  if ('error' in st || st.kind !== 'file' || !st.readable) return { ok: false, reason: 'unavailable' };
  if (st.size > limit) return { ok: false, reason: 'too-large', size: st.size, limit };
  return probe.cached(`pki:${role}`, localPath, (): LoadResult => {
    const r = probe.read(localPath, limit);
    if ('error' in r) return { ok: false, reason: 'unavailable' };
    if ('refused' in r) return r.stat.size > limit ? { ok: false, reason: 'too-large', size: r.stat.size, limit } : { ok: false, reason: 'unavailable' };
    return { ok: true, file: loadPkiFile(r.bytes, { maxCertificates }) };
  });
}

/** OpenSSL hashed names in a ca_path folder: `<8 hex>.<n>` certificates, `<8 hex>.r<n>` CRLs. */
export const HASHED_NAME = /^[0-9a-f]{8}\.r?\d+$/;

export interface CaDirectory {
  /** Hashed-name files read (at most MAX_CA_PATH_FILES). */
  files: { path: string; file: PkiFile }[];
  hashedNames: number;
  /** Regular files with other names (OpenSSL never looks at them). */
  otherNames: string[];
  /** More hashed names than were read. */
  capped: boolean;
}

/** Read a ca_path folder as OpenSSL's hashed-directory lookup would see it. */
export function loadCaDirectory(probe: FileProbe, localDir: string): CaDirectory | undefined {
  const names = probe.host.readDir(localDir);
  if (!Array.isArray(names)) return undefined;
  const hashed = names.filter((n) => HASHED_NAME.test(n)).sort();
  const otherNames = names.filter((n) => !HASHED_NAME.test(n) && /\.(pem|crt|cer|ca-bundle)$/i.test(n)).sort();
  const files: CaDirectory['files'] = [];
  for (const name of hashed.slice(0, MAX_CA_PATH_FILES)) {
    const path = posix.join(localDir, name);
    const r = loadPki(probe, path, 'ca');
    if (r.ok) files.push({ path, file: r.file });
  }
  return { files, hashedNames: hashed.length, otherNames, capped: hashed.length > MAX_CA_PATH_FILES };
}
