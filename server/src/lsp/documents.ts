// The open documents the server checks, with the path the core knows each one by and the exact
// URI the client opened it with (diagnostics are published to that URI, never to a re-encoded one).
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { firstLineMarker, isKamailioConfigName, isTlsConfigName } from '../core/discovery';
import { KAMAILIO_LANGUAGE, TLS_LANGUAGE, uriToPath } from './uris';

export interface OpenDocument {
  uri: string;
  path: string;
  languageId: string;
  version: number;
  text: string;
}

export class DocumentRegistry {
  private readonly byUri = new Map<string, OpenDocument>();
  private readonly uriByPath = new Map<string, string>();

  /** Record an opened or changed document; returns its registry entry. */
  update(doc: TextDocument): OpenDocument {
    const existing = this.byUri.get(doc.uri);
    const path = existing?.path ?? uriToPath(doc.uri, doc.languageId);
    const entry: OpenDocument = { uri: doc.uri, path, languageId: doc.languageId, version: doc.version, text: doc.getText() };
    this.byUri.set(doc.uri, entry);
    this.uriByPath.set(path, doc.uri);
    return entry;
  }

  remove(uri: string): OpenDocument | undefined {
    const entry = this.byUri.get(uri);
    if (!entry) return undefined;
    this.byUri.delete(uri);
    if (this.uriByPath.get(entry.path) === uri) this.uriByPath.delete(entry.path);
    return entry;
  }

  get(uri: string): OpenDocument | undefined {
    return this.byUri.get(uri);
  }

  /** The URI an open document has for `path`, if one is open. */
  uriForPath(path: string): string | undefined {
    return this.uriByPath.get(path);
  }

  all(): OpenDocument[] {
    return [...this.byUri.values()];
  }

  /** Documents the checker should look at (other editors may sync any file they like). */
  checkable(): OpenDocument[] {
    return this.all().filter(isConfigurationDocument);
  }
}

/**
 * Our languages, and for editors that name them differently (a generic `cfg` filetype): the
 * file names and first-line marker the extension claims. Never every `*.cfg`.
 */
export function isConfigurationDocument(doc: OpenDocument): boolean {
  if (doc.languageId === KAMAILIO_LANGUAGE || doc.languageId === TLS_LANGUAGE) return true;
  if (isTlsConfigName(doc.path) || isKamailioConfigName(doc.path)) return true;
  return firstLineMarker(doc.text) !== undefined;
}
