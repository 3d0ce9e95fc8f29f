// One language-server session: the open documents, the workspace folders and the checker, and
// the debounced check that publishes diagnostics for every open configuration document. Knows
// nothing about the transport: diagnostics go out through `publish`, messages through `log`.
import type { Diagnostic, FileEvent, WorkspaceFolder } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { Checker } from '../core/check';
import type { Host } from '../core/host';
import type { Finding } from '../core/types';
import type { Deployment } from '../core/deployment';
import { classifyConfig } from '../core/discovery';
import { describeWalkLimit, describeWalkSkips } from '../core/walk';
import { SettingsStore, type ConfigurationPull } from './configuration';
import { diagnosticsForDocument } from './diagnostics';
import { DocumentRegistry, type OpenDocument } from './documents';
import type { Logger } from './log';
import { CheckScheduler } from './scheduler';
import { isFileUri, pathToUri, uriToPath } from './uris';
import { MainConfigs, WorkspaceFolders, type Folder } from './workspaceFolders';
import { ProjectContexts } from '../core/project/context';
import { PROJECT_FILE_NAME } from '../core/project/projectFile';
import type { CheckSettings } from '../core/settings';
import type { ConfigLanguage } from '../core/check';
import type { Membership } from '../core/checkControl';
import { checkLimitFinding, internalErrorFinding } from '../core/limits';
import { excerpt } from '../core/quote';
import { CheckWorkerClient } from './checkWorkerClient';

export interface SessionOptions {
  /** Delay between the last edit and the check (ms). */
  debounceMs: number;
  /**
   * False in an untrusted workspace: then nothing may run a program or open a socket. Only
   * reading files is allowed; features that do more must check this flag.
   */
  trusted: boolean;
  /** `workspace/configuration`, when the client supports it. */
  pullConfiguration?: ConfigurationPull;
  /** Raw `sipTls` settings from initializationOptions.settings (clients without pull). */
  initialSettings?: unknown;
  /** The check worker's script (dist/checkWorker.js next to the server's bundle). */
  workerScript: string;
  /** Time budget of one deployment's check (ms). */
  checkBudgetMs: number;
}

/** How long a stat result is trusted without a file-watch event (ms). */
const STAT_TTL_MS = 1000;

export type Publish = (uri: string, version: number | undefined, diagnostics: Diagnostic[]) => void;

export class LanguageSession {
  readonly checker: Checker;
  readonly documents = new DocumentRegistry();
  readonly folders = new WorkspaceFolders();
  readonly mains: MainConfigs;
  readonly settings: SettingsStore;
  readonly contexts: ProjectContexts;
  readonly trusted: boolean;
  private readonly scheduler: CheckScheduler;
  /** Runs the checks; this thread's checker only serves editor features. */
  readonly worker: CheckWorkerClient;
  private readonly checkBudgetMs: number;
  /**
   * The main configuration each file belongs to (null: on its own), as the worker last said:
   * a hover reads only its own deployment, never every candidate main configuration.
   */
  private readonly membership = new Map<string, string | null>();

  constructor(
    host: Host,
    options: SessionOptions,
    private readonly publish: Publish,
    private readonly log: Logger,
  ) {
    this.checker = new Checker(host);
    // Stats outlive a check by up to a second: file-watch events (watchedFilesChanged) drop them
    // at once, and a keystroke no longer re-stats every certificate and key file (fileProbe.ts).
    this.checker.workspace.probe.statTtlMs = STAT_TTL_MS;
    this.trusted = options.trusted;
    this.contexts = new ProjectContexts(host);
    this.mains = new MainConfigs(this.checker.workspace, host, this.contexts);
    this.settings = new SettingsStore(
      this.contexts,
      this.folders,
      options.pullConfiguration,
      options.initialSettings,
      (path) => this.uriFor(path),
      (message) => log.warn(message),
    );
    this.checkBudgetMs = options.checkBudgetMs;
    this.worker = new CheckWorkerClient(options.workerScript, { trusted: options.trusted, statTtlMs: STAT_TTL_MS }, log, (m) => this.learnMembership(m));
    this.scheduler = new CheckScheduler(
      options.debounceMs,
      (isCurrent) => this.runCheck(isCurrent),
      (error) => log.error(`check failed: ${describeError(error)}`),
    );
  }

  /** The URI to publish for a path: the open document's own URI, else a file: URI. */
  uriFor(path: string): string {
    return this.documents.uriForPath(path) ?? pathToUri(path);
  }

  setWorkspaceFolders(folders: readonly WorkspaceFolder[] | null | undefined): void {
    this.folders.set(folders);
  }

  /** Search every workspace folder for main configurations (bounded). */
  scanFolders(): void {
    for (const folder of this.folders.all()) this.scanFolder(folder);
  }

  private scanFolder(folder: Folder): void {
    const started = Date.now();
    const { mains, walk } = this.mains.scan(folder);
    const left = describeWalkSkips(walk);
    this.log.info(`${folder.path}: ${mains} kamailio configuration file(s) found in ${Date.now() - started} ms (${walk.directories.length} folder(s), ${walk.entries} name(s)${left ? `; not followed: ${left}` : ''})`);
    const limit = describeWalkLimit(walk, folder.path);
    if (limit) this.log.warn(`${limit}. Open a configuration below it, or set sipTls.mainConfig, to check it.`);
  }

  workspaceFoldersChanged(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    for (const f of removed) {
      const gone = this.folders.remove(f.uri);
      if (gone) this.mains.forget(gone);
    }
    for (const f of added) {
      this.folders.add(f);
      const folder = this.folders.all().find((x) => x.uri === f.uri);
      if (folder) this.scanFolder(folder);
    }
    this.settings.changed(undefined);
    this.requestCheck();
  }

  documentChanged(doc: TextDocument): void {
    const entry = this.documents.update(doc);
    this.checker.setOverlay(entry.path, entry.text);
    this.worker.setOverlay(entry.path, entry.text);
    this.requestCheck();
  }

  documentClosed(uri: string): void {
    const entry = this.documents.remove(uri);
    if (!entry) return;
    if (!this.documents.uriForPath(entry.path)) {
      this.checker.deleteOverlay(entry.path);
      this.worker.deleteOverlay(entry.path);
    }
    this.published.delete(uri);
    this.publish(uri, undefined, []);
    this.requestCheck();
    // Run with --expose-gc, the server gives a closed document's memory back at once rather than
    // whenever V8's idle heuristics get to it (a closed 10 MB file otherwise holds ~250 MB).
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) setTimeout(gc, 1000).unref();
  }

  configurationChanged(pushed: unknown): void {
    this.settings.changed(pushed);
    this.requestCheck();
  }

  watchedFilesChanged(changes: readonly FileEvent[]): void {
    let contexts = false;
    const invalidated: string[] = [];
    for (const change of changes) {
      if (!isFileUri(change.uri)) continue;
      const path = uriToPath(change.uri);
      this.checker.invalidate(path);
      invalidated.push(path);
      // A project file, a build file or a repository marker changes where files are deployed.
      if (isContextFile(path)) contexts = true;
      const folder = this.folders.folderFor(path);
      if (!folder) continue;
      if (change.type === FileChangeType.Deleted) this.mains.fileDeleted(folder, path);
      else this.mains.fileCreated(folder, path);
    }
    if (contexts) {
      this.settings.contextsChanged();
      for (const folder of this.folders.all()) this.mains.scan(folder);
    }
    this.worker.invalidate(invalidated);
    this.requestCheck();
  }

  private languageOf(path: string): 'kamailio' | 'kamailio-tls' | undefined {
    const uri = this.documents.uriForPath(path);
    const id = uri ? this.documents.get(uri)?.languageId : undefined;
    return id === 'kamailio' || id === 'kamailio-tls' ? id : undefined;
  }

  /** The deployment an open document belongs to, for hovers, links, completion… */
  deploymentFor(path: string): Deployment | undefined {
    const main = this.membership.get(path);
    const request = { settingsFor: (p: string) => this.settings.settingsFor(p), languageOf: (p: string) => this.languageOf(p) };
    // Only a document no check has seen yet searches every candidate main configuration.
    return this.checker.deploymentFor(path, request, main === undefined ? undefined : { main });
  }

  private learnMembership(membership: Membership): void {
    for (const [file, main] of Object.entries(membership)) this.membership.set(file, main);
  }

  isTlsDocument(doc: OpenDocument): boolean {
    return classifyConfig(doc.path, doc.text, this.languageOf(doc.path)) === 'tls';
  }

  /** Ask for a check (e.g. after initialization). */
  scheduleCheck(): void {
    this.requestCheck();
  }

  /** A newer check supersedes the running one at once (the worker sees it at its next checkpoint). */
  private requestCheck(): void {
    this.worker.supersede();
    this.scheduler.schedule();
  }

  dispose(): void {
    this.scheduler.dispose();
    this.worker.dispose();
  }

  private async runCheck(isCurrent: () => boolean): Promise<void> {
    const docs = this.documents.checkable();
    if (docs.length === 0) return;

    const folderSettings = await this.settings.folderSettings();
    if (!isCurrent()) return;
    for (const folder of this.folders.all()) this.mains.setForced(folder.path, folderSettings.get(folder.path)?.mainConfig);

    await this.settings.load([...docs.map((d) => d.path), ...this.mains.candidates()]);
    if (!isCurrent()) return;
    // Documents outside every workspace folder may name their main configuration themselves.
    const loose = docs.filter((d) => !this.folders.folderFor(d.path));
    const looseMain = loose.map((d) => this.settings.resolvedFor(d.path).mainConfig).find((m) => m !== undefined);
    this.mains.setForced('', looseMain);
    if (looseMain) await this.settings.load([looseMain]);
    if (!isCurrent()) return;

    const started = Date.now();
    const files = docs.map((d) => d.path);
    const mains = this.mains.candidates();
    const settings: [string, CheckSettings][] = [...new Set([...files, ...mains, ...(looseMain ? [looseMain] : [])])].map((p) => [p, this.settings.settingsFor(p)]);
    const languages: [string, ConfigLanguage][] = [];
    for (const f of files) {
      const language = this.languageOf(f);
      if (language) languages.push([f, language]);
    }
    const reply = await this.worker.check({ files, languages, settings, mains, budgetMs: this.checkBudgetMs });
    const elapsed = Date.now() - started;
    if (!reply || !isCurrent()) return;
    if ('failed' in reply) {
      // Never silently nothing (which reads as "no problems"): every document says that it was
      // not checked, and why — a check that threw is sip-tls's failure, a worker that could not
      // run is a limit of this machine. The log has the stack.
      this.publishAll(
        docs,
        files.map((f) =>
          reply.internal
            ? internalErrorFinding(f, `sip-tls failed checking this document (${excerpt(reply.failed, 160)}): nothing here was checked. The server log has the details; please report them.`)
            : checkLimitFinding(f, `Not checked: ${reply.failed}. The next edit or file change checks it again.`),
        ),
      );
      return;
    }
    this.membership.clear();
    this.learnMembership(reply.membership);
    this.publishAll(docs, reply.findings);
    if (elapsed > 500) this.log.info(`check of ${docs.length} document(s) took ${elapsed} ms`);
  }

  private publishAll(docs: OpenDocument[], findings: Finding[]): void {
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) {
      const list = byFile.get(f.file);
      if (list) list.push(f);
      else byFile.set(f.file, [f]);
    }
    const uriFor = (path: string) => this.uriFor(path);
    for (const doc of docs) {
      const { diagnostics, dropped } = diagnosticsForDocument(byFile.get(doc.path) ?? [], uriFor);
      if (dropped > 0) this.log.warn(`${doc.uri}: showing ${diagnostics.length} diagnostics, ${dropped} more not shown`);
      this.published.set(doc.uri, diagnostics);
      this.publish(doc.uri, doc.version, diagnostics);
    }
  }

  /** The diagnostics last published for a document: "fix all of this kind" needs its siblings. */
  publishedFor(uri: string): readonly Diagnostic[] {
    return this.published.get(uri) ?? [];
  }

  private readonly published = new Map<string, Diagnostic[]>();
}

/** Files that decide the context of a configuration (core/project/context.ts). */
export function isContextFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === PROJECT_FILE_NAME || /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i.test(name) || /^(Dockerfile|Containerfile)/i.test(name) || ['.git', '.hg', '.svn'].includes(name);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message;
  return String(error);
}
