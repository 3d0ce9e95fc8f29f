// Configurations for the CLI tests, written into temporary folders.
import { after } from 'node:test';
import { generateSelfSigned, writeCertFiles, type CertPair } from '../fixtures/certs';
import { lines, makeTempDir, type TempDir } from '../helpers/tempDir';

let pair: CertPair | undefined;

/** A real certificate and key (valid for a year), generated once per test process. */
export function certificate(): CertPair {
  pair ??= generateSelfSigned({ days: 365, cn: 'sip.example.com' });
  return pair;
}

/** A tls.cfg Kamailio accepts, with its certificate and key beside it. */
export const CLEAN_TLS_CFG = lines(
  '[server:default]',
  'method = TLSv1.2+',
  'certificate = cert.pem',
  'private_key = key.pem',
  'verify_certificate = no',
  'require_certificate = no',
);

/** A folder with the certificate files and the given configuration files. */
export function folderWith(files: Record<string, string>): TempDir {
  const dir = makeTempDir('sip-tls-cli-');
  writeCertFiles(dir.path, { cert: 'cert.pem', key: 'key.pem' }, certificate());
  dir.write(files);
  return dir;
}

/** `folderWith` for one test file: every folder it made is removed after the file's tests. */
export function foldersRemovedAfter(): { folder: (files: Record<string, string>) => TempDir; empty: (prefix?: string) => TempDir } {
  const made: TempDir[] = [];
  after(() => made.forEach((d) => d.remove()));
  const keep = (d: TempDir): TempDir => (made.push(d), d);
  return { folder: (files) => keep(folderWith(files)), empty: (prefix) => keep(makeTempDir(prefix)) };
}
