// Per-resource settings. With a client that answers `workspace/configuration`, `sipTls` is
// pulled per file (scopeUri = that file) and per workspace folder (for `mainConfig`); otherwise
// the settings pushed with didChangeConfiguration or given in initializationOptions.settings are
// used for every file. Everything is cached until the configuration changes.
import * as posix from 'node:path/posix';
import type { CheckSettings } from '../core/settings';
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
  private pushed: unknown;

  constructor(
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

  /** Settings for a file: its own, else its folder's, else the pushed/initial ones. */
  settingsFor(path: string): CheckSettings {
    return this.resolvedFor(path).check;
  }

  resolvedFor(path: string): ResolvedSettings {
    const own = this.byPath.get(path);
    if (own) return own;
    const folder = this.folders.folderFor(path);
    const folderSettings = folder ? this.byFolder.get(folder.path) : undefined;
    if (folderSettings) return folderSettings;
    return this.resolve(this.pushed, this.baseFolder(path));
  }

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
