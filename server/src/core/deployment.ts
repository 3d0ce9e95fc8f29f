// A deployment: one main kamailio.cfg with its fragments and the tls.cfg it loads — or a tls.cfg
// (or fragment) that no known kamailio.cfg loads, checked on its own. Rules read only this.
import * as posix from 'node:path/posix';
import type { CheckSettings } from './settings';
import type { EffectiveConfig, ModParamStatement } from './kamailio/model';
import type { TlsConfigDocument } from './tlscfg/model';
import { resolveReferencedPath, mapLocalToDeployed, type ResolutionBase, type ResolvedPath } from './paths';
import type { FileProbe } from './fileProbe';
import type { ProfileRunMemo } from './rules/profileRuns';
import type { TlsIntent } from './kamailio/tlsIntent';

/** The tls.cfg a deployment loads, as named by modparam("tls", "config", …). */
export interface TlsConfigUse {
  /** The modparam that names it (undefined for a standalone tls.cfg). */
  declaredBy?: ModParamStatement;
  path: ResolvedPath;
  /** One document, or one per regular file when `config` names a directory. */
  documents: TlsConfigDocument[];
  /** Set when the path names a directory. */
  isDirectory: boolean;
  /** `documents` are of a template or sample of this missing file (project/standIns.ts). */
  standInFor?: string;
}

export class Deployment {
  constructor(
    readonly settings: CheckSettings,
    /** Absent for a standalone tls.cfg or fragment. */
    readonly kamailio: EffectiveConfig | undefined,
    /** The tls.cfg in use (modparam config), or the standalone tls.cfg. */
    readonly tls: TlsConfigUse | undefined,
    /** The file system, through the workspace caches. */
    readonly probe: FileProbe,
    /** Folder of the main kamailio.cfg in the workspace (or of the standalone file). */
    readonly localConfigDir: string,
    /** Source text of a file (open document or disk), for fixes that move lines. */
    readonly text: (file: string) => string | undefined,
  ) {}

  /** Whether the configuration runs TLS (kamailio/tlsIntent.ts); unless 'on', no profile is built. */
  tlsIntent: TlsIntent = 'on';

  /** Set by the Checker: per-profile certificate findings to reuse and to keep (rules/profileRuns.ts). */
  profileRuns: ProfileRunMemo | undefined;

  /** While set, every lineText answer is recorded (findings reused later must see the same lines). */
  lineRecording: { file: string; line: number; text: string }[] | undefined;

  /** The text of one line without its newline ('' when unknown). */
  lineText(file: string, line: number): string {
    const value = this.readLine(file, line);
    this.lineRecording?.push({ file, line, text: value });
    return value;
  }

  private readLine(file: string, line: number): string {
    const text = this.text(file);
    if (text === undefined) return '';
    let start = 0;
    for (let i = 0; i < line; i++) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) return '';
      start = nl + 1;
    }
    const end = text.indexOf('\n', start);
    return text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
  }

  get mainFile(): string | undefined {
    return this.kamailio?.mainFile;
  }

  /** True when no kamailio.cfg is known: cross-file rules must stay silent. */
  get standalone(): boolean {
    return this.kamailio === undefined;
  }

  files(): string[] {
    const out = [...(this.kamailio?.files ?? [])];
    for (const d of this.tls?.documents ?? []) out.push(d.file);
    return out;
  }

  resolutionBase(): ResolutionBase {
    // A deployment never changes, and the rules resolve hundreds of paths of one tls.cfg: the
    // workdir scan over every core parameter of a large kamailio.cfg is done once.
    this.base ??= {
      deployedConfigDir: mapLocalToDeployed(this.localConfigDir, this.settings.pathMappings),
      workdir: this.configuredWorkdir() ?? this.settings.workdir,
      mappings: this.settings.pathMappings,
      deployTime: this.settings.deployTimePaths,
      baseDescription: this.kamailio
        ? `the folder of ${posix.basename(this.kamailio.mainFile)}`
        : 'the folder of this file (no kamailio.cfg loads it)',
    };
    return this.base;
  }

  private base: ResolutionBase | undefined;
  private resolved: Map<string, ResolvedPath> | undefined;

  /** `workdir`/`wdir` in kamailio.cfg (the last one wins); `-w` is the setting. */
  configuredWorkdir(): string | undefined {
    let dir: string | undefined;
    for (const p of this.kamailio?.coreParams ?? []) {
      if ((p.name === 'workdir' || p.name === 'wdir') && p.value.kind === 'string') dir = p.value.text;
    }
    return dir;
  }

  /** Resolve a path written in kamailio.cfg or tls.cfg as Kamailio will (§1.9). */
  resolve(value: string): ResolvedPath {
    this.resolved ??= resolutionsFor(this.resolutionBase());
    let r = this.resolved.get(value);
    if (!r) {
      r = resolveReferencedPath(value, this.resolutionBase());
      if (this.resolved.size < MAX_RESOLUTIONS) this.resolved.set(value, r);
    }
    return r;
  }
}

/**
 * Resolutions by base: a resolution depends on the value and the base alone, and the language
 * server builds a new deployment on every keystroke with the same base and the same 400 paths.
 */
const resolutionCaches = new Map<string, Map<string, ResolvedPath>>();
const MAX_BASES = 16;
const MAX_RESOLUTIONS = 10_000;

function resolutionsFor(base: ResolutionBase): Map<string, ResolvedPath> {
  const key = JSON.stringify(base);
  let cache = resolutionCaches.get(key);
  if (!cache) {
    if (resolutionCaches.size >= MAX_BASES) resolutionCaches.clear();
    cache = new Map();
    resolutionCaches.set(key, cache);
  }
  return cache;
}
