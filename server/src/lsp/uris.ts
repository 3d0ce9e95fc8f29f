// Document URIs ↔ the absolute paths the checking core works with.
//
// file: URIs map to real paths. Other schemes (untitled:, and whatever another editor sends)
// get a stable virtual path under a folder that cannot exist, named so that the core classifies
// the text by the document's language: a kamailio-tls buffer looks like tls*.cfg, a kamailio
// buffer like kamailio*.cfg. Publishing always goes back to the URI the client used, which the
// document registry remembers; these helpers are only for paths no open document owns.
import { createHash } from 'node:crypto';
import * as posix from 'node:path/posix';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const KAMAILIO_LANGUAGE = 'kamailio';
export const TLS_LANGUAGE = 'kamailio-tls';

/** Root of the virtual paths given to documents that are not files. */
export const VIRTUAL_ROOT = '/.sip-tls-virtual';

export function isFileUri(uri: string): boolean {
  return uri.startsWith('file:');
}

/** The absolute path of a document. `languageId` names virtual (non-file) documents. */
export function uriToPath(uri: string, languageId?: string): string {
  if (isFileUri(uri)) {
    try {
      return fileURLToPath(uri);
    } catch {
      // A file: URI with a host or bad escapes: fall through to a virtual path.
    }
  }
  return virtualPath(uri, languageId);
}

/** A file: URI for an absolute path (used for paths that no open document owns). */
export function pathToUri(path: string): string {
  return pathToFileURL(path).href;
}

function virtualPath(uri: string, languageId: string | undefined): string {
  const digest = createHash('sha256').update(uri).digest('hex').slice(0, 16);
  const colon = uri.indexOf(':');
  const scheme = (colon > 0 ? uri.slice(0, colon) : 'unknown').replace(/[^A-Za-z0-9.+-]/g, '_');
  const tail = uri.slice(colon + 1).split(/[/\\]/).pop() ?? '';
  const stem = decodeSafely(tail).replace(/[^A-Za-z0-9._-]/g, '_').replace(/\.cfg$/i, '') || 'document';
  const prefix = languageId === TLS_LANGUAGE ? 'tls-' : languageId === KAMAILIO_LANGUAGE ? 'kamailio-' : '';
  return posix.join(VIRTUAL_ROOT, scheme, digest, `${prefix}${stem}.cfg`);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Whether `path` is `folder` itself or inside it. */
export function isInside(path: string, folder: string): boolean {
  const f = folder.endsWith('/') && folder.length > 1 ? folder.slice(0, -1) : folder;
  return path === f || path.startsWith(f === '/' ? '/' : f + '/');
}
