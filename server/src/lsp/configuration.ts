// Per-resource settings. With a client that answers `workspace/configuration`, `sipTls` is
// pulled per file (scopeUri = that file) and per workspace folder (for `mainConfig`); otherwise
// the settings pushed with didChangeConfiguration or given in initializationOptions.settings are
// used for every file. Everything is cached until the configuration changes.
import * as posix from 'node:path/posix';
import type { CheckSettings } from '../core/settings';
import type { ProjectContexts } from '../core/project/context';
import { layeredSettings } from '../core/project/layers';
import { resolveSettings, type ResolvedSettings } from './settings';
import type { WorkspaceFolders } from './workspaceFolders';

/** Fetch the raw `sipTls` section for each scope URI, in order. */
export type ConfigurationPull = (scopeUris: string[]) => Promise<unknown[]>;

/** A client that never answers must not stall every later check. */
const PULL_TIMEOUT_MS = 5000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class SettingsStore {
  private readonly byPath = new Map<string, ResolvedSettings>();
  private readonly byFolder = new Map<string, ResolvedSettings>();
  private readonly reported = new Set<string>();
  /** Check settings per editor settings object and context (project file, repository root). */
  private layered = new WeakMap<ResolvedSettings, Map<string, CheckSettings>>();
  private pushed: unknown;

  constructor(
    private readonly contexts: ProjectContexts,
    private readonly folders: WorkspaceFolders,
    private readonly pull: ConfigurationPull | undefined,
    initial: unknown,
    private readonly uriFor: (path: string) => string,
    private readonly log: (message: string) => void,
  ) {
    this.pushed = initial;
  }

  /** The configuration changed: forget everything; `raw` is the pushed section, if any. */
  changed(raw: unknown): void {
    if (raw !== undefined && raw !== null) this.pushed = raw;
    this.byPath.clear();
    this.byFolder.clear();
    this.pushedByFolder.clear();
    this.contextsChanged();
  }

  /** A project file, build file or repository marker changed: contexts are found again. */
  contextsChanged(): void {
    this.contexts.invalidate();
    this.layered = new WeakMap();
  }

  /** Settings of each workspace folder (for `sipTls.mainConfig`). */
  async folderSettings(): Promise<Map<string, ResolvedSettings>> {
    const missing = this.folders.all().filter((f) => !this.byFolder.has(f.path));
    if (missing.length > 0) {
      const raws = await this.fetch(missing.map((f) => f.uri));
      missing.forEach((f, i) => this.byFolder.set(f.path, this.resolve(raws[i], f.path)));
    }
    const out = new Map<string, ResolvedSettings>();
    for (const f of this.folders.all()) {
      const s = this.byFolder.get(f.path);
      if (s) out.set(f.path, s);
    }
    return out;
  }

  /** Make sure the settings of every path are known before a (synchronous) check. */
  async load(paths: string[]): Promise<void> {
    const missing = [...new Set(paths)].filter((p) => !this.byPath.has(p));
    if (missing.length === 0) return;
    const raws = await this.fetch(missing.map((p) => this.uriFor(p)));
    missing.forEach((p, i) => this.byPath.set(p, this.resolve(raws[i], this.baseFolder(p))));
  }

  /**
   * Check settings for a file: the editor settings (its own, else its folder's, else the pushed
   * ones) on top of its project file, with the scope of its repository.
   */
  settingsFor(path: string): CheckSettings {
    const resolved = this.resolvedFor(path);
    const folder = this.folders.folderFor(path);
    const context = this.contexts.contextFor(path, folder ? { checkedFolder: folder.path } : {});
    const key = `${context.root}\0${context.project?.file ?? ''}\0${context.live}`;
    let byContext = this.layered.get(resolved);
    if (!byContext) this.layered.set(resolved, (byContext = new Map()));
    let settings = byContext.get(key);
    if (!settings) {
      settings = layeredSettings(context, resolved.layer);
      byContext.set(key, settings);
      // The editor validates the project file against its schema while it is edited; what is
      // wrong with it is also said here, once.
      for (const problem of context.project?.problems ?? []) {
        const said = `${context.project!.file}:${problem.range.start.line + 1}: ${problem.message}`;
        if (this.reported.has(said)) continue;
        this.reported.add(said);
        this.log(`project file ${said}${problem.fatal ? ' (the file is not used)' : ' (the entry is ignored)'}`);
      }
    }
    return settings;
  }

  /** The context of a file (for project main configurations and problems). */
  contextFor(path: string) {
    const folder = this.folders.folderFor(path);
    return this.contexts.contextFor(path, folder ? { checkedFolder: folder.path } : {});
  }

  resolvedFor(path: string): ResolvedSettings {
    const own = this.byPath.get(path);
    if (own) return own;
    const folder = this.folders.folderFor(path);
    const folderSettings = folder ? this.byFolder.get(folder.path) : undefined;
    if (folderSettings) return folderSettings;
    const base = this.baseFolder(path);
    let pushed = this.pushedByFolder.get(base);
    if (!pushed) this.pushedByFolder.set(base, (pushed = this.resolve(this.pushed, base)));
    return pushed;
  }

  private readonly pushedByFolder = new Map<string, ResolvedSettings>();

  /** A path to resolve relative settings against: the workspace folder, else the file's folder. */
  private baseFolder(path: string): string {
    return this.folders.folderFor(path)?.path ?? posix.dirname(path);
  }

  private async fetch(scopeUris: string[]): Promise<unknown[]> {
    if (!this.pull) return scopeUris.map(() => this.pushed);
    try {
      const raws = await withTimeout(this.pull(scopeUris), PULL_TIMEOUT_MS);
      return scopeUris.map((_, i) => (Array.isArray(raws) ? raws[i] : undefined));
    } catch (error) {
      this.log(`workspace/configuration failed, using defaults: ${error instanceof Error ? error.message : String(error)}`);
      return scopeUris.map(() => this.pushed);
    }
  }

  private resolve(raw: unknown, folder: string): ResolvedSettings {
    const resolved = resolveSettings(raw, folder);
    for (const problem of resolved.problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.log(`settings: ${problem}`);
    }
    return resolved;
  }
}
