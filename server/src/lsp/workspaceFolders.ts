// Workspace folders and the main kamailio.cfg candidates found in them. Discovery is bounded
// (core findConfigFiles); `sipTls.mainConfig` replaces what discovery found in its folder.
import type { WorkspaceFolder } from 'vscode-languageserver';
import type { Host } from '../core/host';
import { DEFAULT_MAX_FILE_BYTES } from '../core/host';
import { findConfigFiles, looksLikeMainKamailioConfig } from '../core/discovery';
import { decodeText } from '../core/text';
import type { WalkResult } from '../core/walk';
import type { Workspace } from '../core/workspace';
import type { ProjectContexts } from '../core/project/context';
import { isFileUri, isInside, uriToPath } from './uris';

export interface Folder {
  uri: string;
  path: string;
  name: string;
}

/**
 * Folders deeper than this or with more candidates than this are not searched further; the
 * other budgets are the walk's (walk.ts: folders, names, 2 s), which keep the server answering.
 */
const SCAN_BUDGETS = { depth: 8, files: 2000 };

/** What a scan of a folder found and left out, for the server's log. */
export interface FolderScan {
  mains: number;
  walk: WalkResult;
}

export class WorkspaceFolders {
  private folders: Folder[] = [];

  set(folders: readonly WorkspaceFolder[] | null | undefined): void {
    this.folders = (folders ?? [])
      .filter((f) => isFileUri(f.uri))
      .map((f) => ({ uri: f.uri, path: uriToPath(f.uri), name: f.name }));
  }

  add(folder: WorkspaceFolder): void {
    if (!isFileUri(folder.uri) || this.folders.some((f) => f.uri === folder.uri)) return;
    this.folders.push({ uri: folder.uri, path: uriToPath(folder.uri), name: folder.name });
  }

  remove(uri: string): Folder | undefined {
    const found = this.folders.find((f) => f.uri === uri);
    this.folders = this.folders.filter((f) => f.uri !== uri);
    return found;
  }

  all(): Folder[] {
    return [...this.folders];
  }

  /** The innermost folder that contains `path`. */
  folderFor(path: string): Folder | undefined {
    let best: Folder | undefined;
    for (const f of this.folders) {
      if (isInside(path, f.path) && (!best || f.path.length > best.path.length)) best = f;
    }
    return best;
  }
}

/** Main configuration candidates registered with the core, per folder. */
export class MainConfigs {
  private readonly discovered = new Map<string, Set<string>>();
  private readonly forced = new Map<string, string>();

  constructor(
    private readonly workspace: Workspace,
    private readonly host: Host,
    private readonly contexts: ProjectContexts,
  ) {}

  /**
   * Search a folder and register every main configuration found: the main configurations of a
   * project file replace what the search found in its folder.
   */
  scan(folder: Folder): FolderScan {
    const discovered = findConfigFiles(this.host, folder.path, SCAN_BUDGETS);
    const found = discovered.mains;
    const mains = new Set<string>();
    for (const f of found) {
      const project = this.contexts.contextFor(f, { checkedFolder: folder.path }).project;
      if (project && project.mainConfigs.length > 0) for (const m of project.mainConfigs) mains.add(m);
      else mains.add(f);
    }
    const previous = this.discovered.get(folder.path);
    for (const f of previous ?? []) if (!mains.has(f)) this.workspace.removeMainCandidate(f);
    this.discovered.set(folder.path, mains);
    this.apply(folder.path);
    return { mains: mains.size, walk: discovered.walk };
  }

  forget(folder: Folder): void {
    for (const f of this.discovered.get(folder.path) ?? []) this.workspace.removeMainCandidate(f);
    const forced = this.forced.get(folder.path);
    if (forced) this.workspace.removeMainCandidate(forced);
    this.discovered.delete(folder.path);
    this.forced.delete(folder.path);
  }

  /** `sipTls.mainConfig` for a folder ('' key: no folder); undefined clears it. */
  setForced(folderPath: string, main: string | undefined): void {
    const previous = this.forced.get(folderPath);
    if (previous === main) return;
    if (previous) this.workspace.removeMainCandidate(previous);
    if (main) this.forced.set(folderPath, main);
    else this.forced.delete(folderPath);
    this.apply(folderPath);
  }

  /** A file appeared on disk inside `folder`: register it when it is a main candidate. */
  fileCreated(folder: Folder, path: string): void {
    if (!path.endsWith('.cfg')) return;
    const r = this.host.readFile(path, DEFAULT_MAX_FILE_BYTES);
    const text = 'bytes' in r ? decodeText(r.bytes) : undefined;
    if (!looksLikeMainKamailioConfig(path, text)) return;
    let set = this.discovered.get(folder.path);
    if (!set) this.discovered.set(folder.path, (set = new Set()));
    set.add(path);
    this.apply(folder.path);
  }

  fileDeleted(folder: Folder, path: string): void {
    const set = this.discovered.get(folder.path);
    if (!set?.delete(path)) return;
    this.workspace.removeMainCandidate(path);
    this.apply(folder.path);
  }

  /** Every registered candidate (to fetch their settings before a check). */
  candidates(): string[] {
    const out = new Set<string>();
    for (const [folder, set] of this.discovered) if (!this.forced.has(folder)) for (const f of set) out.add(f);
    for (const f of this.forced.values()) out.add(f);
    return [...out];
  }

  private apply(folderPath: string): void {
    const forced = this.forced.get(folderPath);
    const discovered = this.discovered.get(folderPath) ?? new Set<string>();
    if (forced) {
      for (const f of discovered) if (f !== forced) this.workspace.removeMainCandidate(f);
      this.workspace.addMainCandidates([forced]);
    } else {
      this.workspace.addMainCandidates(discovered);
    }
  }
}
