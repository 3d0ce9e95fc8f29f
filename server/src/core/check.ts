// The one entry point every face uses: given the files a user cares about, find the deployments
// they belong to, run every rule, and return findings per file with severities applied.
import type { Finding } from './types';
import type { Host } from './host';
import type { CheckSettings } from './settings';
import { Workspace } from './workspace';
import type { Deployment } from './deployment';
import { runRules } from './rules';
import { applySeverityOverrides } from './severity';
import { compareFindings } from './types';

export interface CheckRequest {
  /** Absolute paths of kamailio.cfg / tls.cfg / fragment files to check. */
  files: string[];
  /** Settings for a file (the server reads them per resource; the CLI has one set). */
  settingsFor: (file: string) => CheckSettings;
  /**
   * What the editor says a file is, when it knows (its language id). Decides how a file that no
   * main configuration pulls in is read; without a hint its name and content decide.
   */
  languageOf?: (file: string) => ConfigLanguage | undefined;
}

export type ConfigLanguage = 'kamailio' | 'kamailio-tls';

export interface CheckOutput {
  /** Every file that took part in the check (requested files and what they load), absolute. */
  files: string[];
  /** Findings in every file of `files`, sorted by file and position, severities applied. */
  findings: Finding[];
}

/**
 * A long-lived checker: it keeps the open documents (overlays) and caches parses, so the
 * language server can call `check` on every edit. The CLI makes one and calls it once.
 */
export class Checker {
  readonly workspace: Workspace;

  constructor(readonly host: Host) {
    this.workspace = new Workspace(host);
  }

  /** The text of an open editor document replaces the file on disk. */
  setOverlay(file: string, text: string): void {
    this.workspace.setOverlay(file, text);
  }

  deleteOverlay(file: string): void {
    this.workspace.deleteOverlay(file);
  }

  /** Forget cached facts about a file changed on disk (file watcher). */
  invalidate(file: string): void {
    this.workspace.invalidate(file);
  }

  /**
   * The deployment a file belongs to, for editor features (hover, links, completion…). Reuses
   * the deployments of the last check while nothing changed since (no edit, no file event), so a
   * hover costs a lookup, not a re-evaluation.
   */
  deploymentFor(file: string, request: Omit<CheckRequest, 'files'>): Deployment | undefined {
    if (this.last && this.last.generation === this.workspace.generation) {
      const hit = this.last.deployments.find((d) => d.files().includes(file));
      if (hit) return hit;
    }
    return this.workspace.deploymentsFor([file], request.settingsFor, request.languageOf).find((d) => d.files().includes(file));
  }

  private last: { generation: number; deployments: Deployment[] } | undefined;

  check(request: CheckRequest): CheckOutput {
    const generation = this.workspace.generation;
    const deployments = this.workspace.deploymentsFor(request.files, request.settingsFor, request.languageOf);
    this.last = { generation, deployments };
    const files = new Set<string>(request.files);
    const findings: Finding[] = [];
    for (const deployment of deployments) {
      for (const f of deployment.files()) files.add(f);
      const raw = runRules(deployment);
      findings.push(...applySeverityOverrides(raw, deployment.settings.severity));
    }
    const unique = dedupe(findings).filter((f) => files.has(f.file));
    unique.sort(compareFindings);
    return { files: [...files].sort(), findings: unique };
  }
}

/** A file can take part in several deployments (a tls.cfg shared by two kamailio.cfg). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = `${f.file}\0${f.code}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
