// The deployment graph: which kamailio.cfg is a main file, which fragments it pulls in, which
// tls.cfg it loads (modparam("tls", "config", …), a file or a directory), and the caches that make
// re-checking on every keystroke cheap (parses keyed by text, file facts by size and mtime).
import * as posix from 'node:path/posix';
import type { Host } from './host';
import { DEFAULT_MAX_FILE_BYTES } from './host';
import type { CheckSettings } from './settings';
import { decodeText } from './text';
import { FileProbe } from './fileProbe';
import { Deployment, type TlsConfigUse } from './deployment';
import { evaluateKamailioConfig, parseKamailioFile, type ParsedKamailioFile, type SourceReader } from './kamailio';
import type { EffectiveConfig } from './kamailio/model';
import { routeBodyLineEdit, type BodyEditBase } from './kamailio/routeBodyEdit';
import { parseTlsConfig } from './tlscfg/parser';
import { reparseTlsConfig } from './tlscfg/incremental';
import type { TlsConfigDocument } from './tlscfg/model';
import { deployedToLocal, resolveReferencedPath } from './paths';
import { classifyConfig, looksLikeMainKamailioConfig, notAConfiguration } from './discovery';
import { lastTlsConfigModparam } from './kamailio/tlsConfigParam';
import { tlsIntent } from './kamailio/tlsIntent';
import { layoutFromReferences } from './project/referenceLayout';
import { standInFor } from './project/standIns';
import { inScope, scopeKey, type FileScope } from './scope';
import { RenderingMap, renderTemplate } from './project/templates';
import { sniffCryptoMaterial, type CryptoMaterial } from './pki/sniff';
import { CheckBudgetExceeded, isCheckControl } from './checkControl';

interface ParseCacheEntry<T> {
  text: string;
  value: T;
}

/** How `deploymentsFor` searches, beyond the files asked for. */
export interface DeploymentSearch {
  /**
   * The main configurations to consider instead of every known one: an editor feature that
   * knows which main loads its file (the last check said so) evaluates only that one, never a
   * hostile 200,000-line neighbour.
   */
  mains?: readonly string[];
  /** Called after each main configuration is evaluated (it may throw to stop the search). */
  onEvaluated?: (main: string, files: readonly string[]) => void;
  /** Called before each main configuration is evaluated (its time budget starts). */
  onEvaluating?: (main: string) => void;
  /** A main configuration whose evaluation crossed its time budget (CheckBudgetExceeded). */
  onOverBudget?: (main: string, spentMs: number) => void;
}

export class Workspace {
  readonly probe: FileProbe;
  private readonly overlays = new Map<string, string>();
  /** Disk files as text, with what their bytes sniff as (pki/sniff.ts) when key or certificate material. */
  private readonly diskText = new Map<string, { size: number; mtimeMs: number; text: string; cryptoMaterial?: CryptoMaterial }>();
  private readonly kamailioParses = new Map<string, ParseCacheEntry<ParsedKamailioFile>>();
  private readonly tlsParses = new Map<string, ParseCacheEntry<TlsConfigDocument>>();
  /** Last evaluation per main file, with the reads it made (see `evaluate`). */
  private readonly evaluations = new Map<string, Evaluation>();
  /** Main kamailio.cfg files known to the face (discovered in workspace folders / given on the CLI). */
  private readonly knownMains = new Set<string>();

  constructor(readonly host: Host) {
    this.probe = new FileProbe(host);
  }

  /**
   * Asked every few thousand tokens of an evaluation (a check with a CheckControl sets it): it
   * throws to supersede the check or to stop a main configuration over its time budget.
   */
  evaluationCheckpoint: (() => void) | undefined;

  /** Bumped on every change that can alter a deployment (edits, file events, main files). */
  generation = 0;

  setOverlay(file: string, text: string): void {
    if (this.overlays.get(file) !== text) this.generation++;
    this.overlays.set(file, text);
  }

  deleteOverlay(file: string): void {
    this.overlays.delete(file);
    // The parses of the closed document's text go too: kept, a closed 10 MB document held
    // hundreds of MB until the same path was parsed again. The file on disk, if any, is parsed
    // again on demand.
    this.kamailioParses.delete(file);
    this.tlsParses.delete(file);
    for (const [slot, e] of this.evaluations) {
      // An evaluation that read the closed text holds it (tokens, statements) until its main is
      // evaluated again — never, for a document that was only open: 60+ MiB for a 10 MB one.
      if (e.reads.some((r) => r.path === file)) this.evaluations.delete(slot);
      else e.edits.delete(file); // the parse the body edits were measured against
    }
    this.generation++;
  }

  invalidate(file: string): void {
    this.diskText.delete(file);
    this.probe.invalidate(file);
    this.generation++;
  }

  /** Register candidate main configurations (the server after scanning folders; the CLI). */
  addMainCandidates(files: Iterable<string>): void {
    for (const f of files) this.knownMains.add(f);
    this.generation++;
  }

  removeMainCandidate(file: string): void {
    this.knownMains.delete(file);
    this.generation++;
  }

  /**
   * Open document text, else the file on disk (bounded read), else undefined. With a scope, a
   * file outside it is never read (scope.ts), open in the editor or not.
   */
  readText(file: string, scope?: FileScope, vars?: Readonly<Record<string, string>>): string | undefined {
    if (scope && !inScope(scope, file)) return undefined;
    const raw = this.rawText(file);
    if (raw === undefined || vars === undefined) return raw;
    return this.render(file, raw, vars)?.rendering.text ?? raw;
  }

  private rawText(file: string): string | undefined {
    const overlay = this.overlays.get(file);
    if (overlay !== undefined) return overlay;
    const st = this.probe.stat(file);
    if ('error' in st || st.kind !== 'file') return undefined;
    const cached = this.diskText.get(file);
    if (cached && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached.text;
    const r = this.host.readFile(file, DEFAULT_MAX_FILE_BYTES);
    if (!('bytes' in r)) return undefined;
    const text = decodeText(r.bytes);
    // Sniffed from the bytes: a DER key's bytes do not survive decoding as UTF-8.
    const cryptoMaterial = sniffCryptoMaterial(r.bytes);
    this.diskText.set(file, { size: r.stat.size, mtimeMs: r.stat.mtimeMs, text, ...(cryptoMaterial ? { cryptoMaterial } : {}) });
    return text;
  }

  /** Renderings of template files (project/templates.ts), per file, for the last text and variables. */
  private readonly renderings = new Map<string, { raw: string; varsKey: string; map: RenderingMap | undefined }>();

  private render(file: string, raw: string, vars: Readonly<Record<string, string>>): RenderingMap | undefined {
    const varsKey = JSON.stringify(vars);
    const hit = this.renderings.get(file);
    if (hit && hit.raw === raw && hit.varsKey === varsKey) return hit.map;
    const language = classifyConfig(file, raw) === 'tls' ? 'tls' : 'kamailio';
    const rendering = renderTemplate(raw, language, vars);
    const map = rendering ? new RenderingMap(rendering) : undefined;
    this.renderings.set(file, { raw, varsKey, map });
    return map;
  }

  /** How the text the rules saw maps to the file's own text, when it was rendered from a template. */
  renderingOf(file: string, vars: Readonly<Record<string, string>>): RenderingMap | undefined {
    const raw = this.rawText(file);
    return raw === undefined ? undefined : this.render(file, raw, vars);
  }

  /**
   * What a file's text is when it is key or certificate material: from its bytes when `text` is
   * the file as read from disk, else from the text (an open document). Parsers never lex it.
   */
  cryptoMaterialOf(file: string, text: string): CryptoMaterial | undefined {
    const disk = this.diskText.get(file);
    if (disk && disk.text === text && !this.overlays.has(file)) return disk.cryptoMaterial;
    return sniffCryptoMaterial(text);
  }

  parseKamailio(file: string, text: string): ParsedKamailioFile {
    const hit = this.kamailioParses.get(file);
    if (hit && hit.text === text) return hit.value;
    const material = this.cryptoMaterialOf(file, text);
    const value = parseKamailioFile(file, text, material ? { cryptoMaterial: material } : {});
    this.kamailioParses.set(file, { text, value });
    return value;
  }

  parseTls(file: string, text: string): TlsConfigDocument {
    const hit = this.tlsParses.get(file);
    if (hit && hit.text === text) return hit.value;
    // After an edit, the previous parse is reused where it can be (tlscfg/incremental.ts): kept
    // whole for a comment, patched for a value of one profile.
    const material = this.cryptoMaterialOf(file, text);
    const value = material ? parseTlsConfig(file, text, { cryptoMaterial: material }) : hit ? reparseTlsConfig(hit.value, hit.text, text) : parseTlsConfig(file, text);
    this.tlsParses.set(file, { text, value });
    return value;
  }

  private reader(scope: FileScope | undefined, vars: Readonly<Record<string, string>>): SourceReader {
    const probe = this.probe.scoped(scope);
    return {
      readText: (p) => this.readText(p, scope, vars),
      exists: (p) => (this.overlays.has(p) && inScope(scope, p)) || !('error' in probe.stat(p)),
      listDir: (p) => {
        const r = probe.host.readDir(p);
        return Array.isArray(r) ? r : undefined;
      },
    };
  }

  /**
   * The effective configuration of a main file. Re-evaluating a 10,000-line script costs several
   * milliseconds on every keystroke in tls.cfg, so the result is reused while the settings it
   * depends on are the same and every file question it asked (text, existence, folder listing)
   * still has the same answer; a changed include, a created file or an edit re-evaluates.
   */
  evaluate(mainFile: string, settings: CheckSettings, pass = ''): EffectiveConfig {
    const key = JSON.stringify([settings.defines, settings.kamailioVersion, settings.pathMappings, settings.deployTimePaths, scopeKey(settings.scope), settings.vars]);
    const base = this.reader(settings.scope, settings.vars);
    // One evaluation per main file, variant and pass: variants checked one after the other, and
    // the evaluation with an assumed layout after the one without, must not evict each other.
    const slot = `${mainFile}\0${settings.variant ?? ''}\0${pass}`;
    const hit = this.evaluations.get(slot);
    if (hit && hit.key === key && (hit.reads.every((r) => sameAnswer(base, r)) || this.reuseAfterBodyEdit(hit, base))) return hit.value;
    const reads: SourceRead[] = [];
    const recording: SourceReader = {
      readText: (p) => {
        const value = base.readText(p);
        reads.push({ kind: 'text', path: p, value });
        return value;
      },
      exists: (p) => {
        const value = base.exists(p);
        reads.push({ kind: 'exists', path: p, value });
        return value;
      },
      listDir: (p) => {
        const value = base.listDir(p);
        reads.push({ kind: 'dir', path: p, value: value ? [...value] : undefined });
        return value;
      },
    };
    const value = evaluateKamailioConfig(mainFile, recording, {
      defines: settings.defines,
      version: settings.kamailioVersion,
      mapPath: (p) => deployedToLocal(p, settings.pathMappings, settings.deployTimePaths),
      parse: (file, text) => this.parseKamailio(file, text),
      environment: settings.vars,
      ...(this.evaluationCheckpoint ? { checkpoint: this.evaluationCheckpoint } : {}),
    });
    this.evaluations.set(slot, { key, reads, value, edits: new Map() });
    return value;
  }

  /**
   * Typing in a route body (a function call, a condition, an xlog message) changes nothing the
   * evaluation produces, and re-lexing, re-parsing and re-evaluating 10,000 lines for it cost
   * ~25 ms and most of the garbage of a keystroke. So the previous evaluation is kept when the
   * only changed read is the text of one file and routeBodyLineEdit accepts the change (one line
   * of a route body, nothing structural on it before or after); anything else evaluates again.
   */
  private reuseAfterBodyEdit(hit: Evaluation, reader: SourceReader): boolean {
    let path: string | undefined;
    let old: string | undefined;
    const changedReads: SourceRead[] = [];
    for (const r of hit.reads) {
      if (sameAnswer(reader, r)) continue;
      if (r.kind !== 'text' || r.value === undefined) return false;
      if (path !== undefined && (r.path !== path || r.value !== old)) return false;
      path = r.path;
      old = r.value;
      changedReads.push(r);
    }
    if (path === undefined || old === undefined) return false;
    const now = reader.readText(path);
    const info = hit.value.fileInfo.get(path);
    if (now === undefined || !info) return false;
    let base = hit.edits.get(path);
    if (!base) {
      const parse = this.kamailioParses.get(path)?.value;
      if (!parse || parse.text !== old) return false;
      base = { parse, edited: new Set() };
    }
    if (routeBodyLineEdit(base, old, now, info, hit.value.definedNames) === undefined) return false;
    hit.edits.set(path, base);
    for (const r of changedReads) (r as { value: string | undefined }).value = now;
    return true;
  }

  /**
   * The deployments that involve any of `files`. Every known main configuration is evaluated to
   * learn which files it pulls in. A requested file that no main pulls in is checked on its own
   * when it was asked for by name (a command-line argument, an open document); one found by a
   * folder search (`discovered`) is checked on its own only when its repository has no main
   * configuration at all — otherwise Kamailio never reads it, and it is skipped, with the reason.
   */
  deploymentsFor(
    files: string[],
    settingsFor: (file: string) => CheckSettings,
    languageOf: (file: string) => 'kamailio' | 'kamailio-tls' | undefined = () => undefined,
    discovered: ReadonlySet<string> = new Set(),
    options: DeploymentSearch = {},
  ): { deployments: Deployment[]; skipped: SkippedFile[]; failed: FailedFile[] } {
    this.probe.beginRun();
    // A file sip-tls fails to read is reported on itself; the others are checked. A checkpoint's
    // own throw (superseded, out of time) is how the check stops, and passes through.
    const failed: FailedFile[] = [];
    const safely = (file: string, body: () => void): void => {
      try {
        body();
      } catch (error) {
        if (isCheckControl(error)) throw error;
        if (!failed.some((x) => x.file === file)) failed.push({ file, error });
      }
    };
    const mains = new Set(options.mains ?? this.knownMains);
    const isTls = (f: string): boolean => classifyConfig(f, this.readText(f), languageOf(f)) === 'tls';
    for (const f of files) {
      safely(f, () => {
        if (!discovered.has(f) && !isTls(f) && looksLikeMainKamailioConfig(f, this.readText(f))) mains.add(f);
      });
    }

    const built: Deployment[] = [];
    const covered = new Set<string>();
    const skipped: SkippedFile[] = [];
    // A candidate that another candidate includes is a fragment, not a main configuration.
    const evaluated = new Map<string, { cfg: EffectiveConfig; settings: CheckSettings }>();
    for (const main of mains) {
      if (failed.some((x) => x.file === main)) continue;
      safely(main, () => {
        if (this.readText(main) === undefined) return;
        options.onEvaluating?.(main);
        try {
        let settings = settingsFor(main);
        let cfg = this.evaluate(main, settings);
        // The repository's own layout, where nothing maps what the configuration names.
        const assumed = layoutFromReferences(cfg, settings, (p) => this.isFileInScope(p, settings));
        if (assumed.length > 0) {
          settings = { ...settings, pathMappings: [...settings.pathMappings, ...assumed.map(({ deployed, local }) => ({ deployed, local }))], assumedLayout: [...settings.assumedLayout, ...assumed] };
          cfg = this.evaluate(main, settings, 'assumed layout');
        }
        evaluated.set(main, { cfg, settings });
          options.onEvaluated?.(main, cfg.files);
        } catch (error) {
          // Over its time budget: not a deployment of this check, and never evaluated again below.
          if (!(error instanceof CheckBudgetExceeded) || !options.onOverBudget) throw error;
          options.onOverBudget(main, error.spentMs);
          covered.add(main);
        }
      });
    }
    const fragments = new Set<string>();
    for (const [main, { cfg }] of evaluated) for (const f of cfg.files) if (f !== main) fragments.add(f);

    const roots = new Set<string>();
    for (const [main, { cfg, settings }] of evaluated) {
      if (fragments.has(main)) continue;
      for (const f of cfg.files) covered.add(f);
      safely(main, () => {
        const deployment = this.buildDeployment(cfg, settings);
        for (const f of deployment.files()) covered.add(f);
        roots.add(settings.scope?.root ?? '');
        built.push(deployment);
      });
    }

    for (const f of files) {
      if (covered.has(f) || fragments.has(f) || failed.some((x) => x.file === f)) continue;
      safely(f, () => this.standalone(f, settingsFor(f), discovered, roots, isTls, built, skipped, options));
      covered.add(f);
    }

    const wanted = new Set(files);
    return { deployments: built.filter((d) => d.files().some((f) => wanted.has(f))), skipped, failed };
  }

  /** A requested file that no main configuration pulls in: checked on its own, or skipped. */
  private standalone(
    f: string,
    settings: CheckSettings,
    discovered: ReadonlySet<string>,
    roots: ReadonlySet<string>,
    isTls: (f: string) => boolean,
    built: Deployment[],
    skipped: SkippedFile[],
    options: DeploymentSearch,
  ): void {
    const raw = this.readText(f);
    if (raw === undefined) return;
    const notConfig = notAConfiguration(raw, this.cryptoMaterialOf(f, raw));
    if (notConfig) {
      skipped.push({ file: f, reason: notConfig, explicit: !discovered.has(f) });
      return;
    }
    const tls = isTls(f);
    if (discovered.has(f) && (roots.has(settings.scope?.root ?? '') || !tls)) {
      skipped.push({
        file: f,
        reason: tls ? 'no main configuration loads it (modparam("tls", "config", …) names another file, or TLS is off)' : 'a fragment that no main configuration includes',
        explicit: false,
      });
      return;
    }
    if (tls) {
      const doc = this.parseTls(f, this.readText(f, settings.scope, settings.vars) ?? raw);
      const path = resolveReferencedPath(f, {
        deployedConfigDir: posix.dirname(f),
        workdir: settings.workdir,
        mappings: [],
        deployTime: [],
        baseDescription: 'the folder of this file',
      });
      const use: TlsConfigUse = { path, documents: [doc], isDirectory: false };
      built.push(new Deployment(settings, undefined, use, this.probe.scoped(settings.scope), posix.dirname(f), (file) => this.readText(file, settings.scope, settings.vars)));
    } else {
      // A fragment that no known main configuration includes, asked for by name: on its own.
      options.onEvaluating?.(f);
      try {
        built.push(this.buildDeployment(this.evaluate(f, settings), settings));
      } catch (error) {
        if (!(error instanceof CheckBudgetExceeded) || !options.onOverBudget) throw error;
        options.onOverBudget(f, error.spentMs);
      }
    }
  }

  /** A regular file inside the scope of `settings` (the repository), open in the editor or on disk. */
  private isFileInScope(path: string, settings: CheckSettings): boolean {
    if (!inScope(settings.scope, path)) return false;
    if (this.overlays.has(path)) return true;
    const st = this.probe.stat(path);
    return !('error' in st) && st.kind === 'file';
  }

  private buildDeployment(cfg: EffectiveConfig, settings: CheckSettings): Deployment {
    const localConfigDir = posix.dirname(cfg.mainFile);
    const scope = settings.scope;
    const probe = this.probe.scoped(scope);
    const text = (file: string) => this.readText(file, scope, settings.vars);
    const intent = tlsIntent(cfg);
    const shell = new Deployment(settings, cfg, undefined, probe, localConfigDir, text);
    shell.tlsIntent = intent;
    const configParam = lastTlsConfigModparam(cfg.modparams);
    // TLS off: Kamailio reads no tls.cfg (tls.so's mod_init returns at once).
    if (intent !== 'on' || !configParam || configParam.value.kind !== 'string') return shell;
    const path = shell.resolve(configParam.value.text);
    const st = probe.stat(path.local);
    const documents: TlsConfigDocument[] = [];
    let isDirectory = false;
    if (!('error' in st) && st.kind === 'directory') {
      isDirectory = true;
      // Kamailio concatenates every regular file of the folder in readdir() order, which is not
      // sorted; we check them in name order and report per file.
      const names = probe.host.readDir(path.local);
      for (const name of Array.isArray(names) ? [...names].sort() : []) {
        const file = posix.join(path.local, name);
        const fst = probe.stat(file);
        if ('error' in fst || fst.kind !== 'file') continue;
        const content = text(file);
        if (content !== undefined) documents.push(this.parseTls(file, content));
      }
    } else {
      const content = text(path.local);
      if (content !== undefined) documents.push(this.parseTls(path.local, content));
    }
    let standIn: string | undefined;
    if (documents.length === 0 && !isDirectory && 'error' in st && st.error === 'not-found') {
      // Not in the repository, but its template or sample is: the deployed tls.cfg is made from it.
      standIn = standInFor(path.local, (p) => text(p) !== undefined);
      const content = standIn ? text(standIn) : undefined;
      if (standIn && content !== undefined) documents.push(this.parseTls(standIn, content));
    }
    const use: TlsConfigUse = { declaredBy: configParam, path, documents, isDirectory, ...(standIn ? { standInFor: path.local } : {}) };
    const deployment = new Deployment(settings, cfg, use, probe, localConfigDir, text);
    deployment.tlsIntent = intent;
    return deployment;
  }
}

/** A file sip-tls failed to read as a configuration: an internal error, reported on it. */
export interface FailedFile {
  file: string;
  error: unknown;
}

/** A requested file that is not checked, and why. */
export interface SkippedFile {
  file: string;
  reason: string;
  /** Asked for by name (command line, open document) rather than found by a folder search. */
  explicit: boolean;
}

/** The last evaluation of a main file, with the reads it made (see `evaluate`). */
interface Evaluation {
  key: string;
  reads: SourceRead[];
  value: EffectiveConfig;
  /** Files whose current text differs from the parse the evaluation used only in route bodies (see reuseAfterBodyEdit). */
  edits: Map<string, BodyEditBase>;
}

/** One question an evaluation asked its SourceReader, with the answer it got. */
type SourceRead =
  | { kind: 'text'; path: string; value: string | undefined }
  | { kind: 'exists'; path: string; value: boolean }
  | { kind: 'dir'; path: string; value: string[] | undefined };

/** Whether the reader still gives the recorded answer (unchanged texts are usually the same string). */
function sameAnswer(reader: SourceReader, read: SourceRead): boolean {
  switch (read.kind) {
    case 'text':
      return reader.readText(read.path) === read.value;
    case 'exists':
      return reader.exists(read.path) === read.value;
    case 'dir': {
      const now = reader.listDir(read.path);
      if (now === undefined || read.value === undefined) return now === read.value;
      return now.length === read.value.length && now.every((name, i) => name === read.value![i]);
    }
  }
}


