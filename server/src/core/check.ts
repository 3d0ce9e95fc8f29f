// The one entry point every face uses: given the files a user cares about, find the deployments
// they belong to, run every rule, and return findings per file with severities applied.
import type { Finding } from './types';
import type { Host } from './host';
import type { CheckSettings } from './settings';
import { Workspace, type DeploymentSearch } from './workspace';
import type { Deployment } from './deployment';
import type { SkippedFile } from './workspace';
import type { ProbeRecording } from './fileProbe';
import { runRulesUntil } from './rules';
import type { ProfileRuns } from './rules/profileRuns';
import { applySeverityOverrides } from './severity';
import { applySuppressions, type CommentLanguage, type SuppressedFinding } from './suppressions';
import { compareFindings } from './types';
import { catalogEntry } from './catalog';
import { fromRendered } from './project/templateFindings';
import { failureSummary, internalErrorFinding, checkLimitFinding } from './limits';
import { CheckBudgetExceeded, isCheckControl, type CheckControl, type Membership } from './checkControl';

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
  /**
   * Files found by searching a folder rather than asked for by name: one that no main
   * configuration loads is skipped when its repository has a main configuration (Kamailio never
   * reads it), see Workspace.deploymentsFor.
   */
  discovered?: ReadonlySet<string>;
  /** Cancellation and a time budget per deployment (the language server's worker). */
  control?: CheckControl;
}

export type ConfigLanguage = 'kamailio' | 'kamailio-tls';

export interface CheckOutput {
  /** Every file that took part in the check (requested files and what they load), absolute. */
  files: string[];
  /** Findings in every file of `files`, sorted by file and position, severities applied. */
  findings: Finding[];
  /** Requested files that were not checked, with the reason. */
  skipped: SkippedFile[];
  /** Which deployment each file of `files` belongs to (the first variant's), for editor features. */
  membership: Membership;
  /** Findings a `# sip-tls: ignore` comment suppressed, with its reason (not in `findings`). */
  suppressed: SuppressedFinding[];
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
    // The deployments kept for hovers hold the closed document's parse (35 MiB for a 10 MB one).
    this.last = undefined;
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
  deploymentFor(file: string, request: Omit<CheckRequest, 'files'>, member?: { main: string | null }): Deployment | undefined {
    if (this.last && this.last.generation === this.workspace.generation) {
      const hit = this.last.deployments.find((d) => d.files().includes(file));
      if (hit) return hit;
    }
    const first = firstVariant(request.settingsFor(file));
    const settingsFor = first === undefined ? request.settingsFor : (f: string) => withVariant(request.settingsFor(f), first);
    // Known membership: only that main configuration is evaluated (null: the file on its own).
    const search = member ? { mains: member.main === null ? [] : [member.main] } : {};
    const found = this.workspace.deploymentsFor([file], settingsFor, request.languageOf, undefined, search).deployments;
    // In the language server the checks run elsewhere (a worker thread), so `last` stays empty
    // here: without this, every hover built its deployment again (46 ms instead of 1 on the bench).
    const deployments = this.last?.generation === this.workspace.generation ? [...this.last.deployments, ...found] : found;
    this.last = { generation: this.workspace.generation, deployments };
    return found.find((d) => d.files().includes(file));
  }

  private last: { generation: number; deployments: Deployment[] } | undefined;

  /** Last rule run per deployment (by main file or standalone file), see `rulesFor`. */
  private readonly ruleRuns = new Map<string, RuleRun>();

  /**
   * The findings of every rule on a deployment. A keystroke in a route of a 10,000-line
   * kamailio.cfg leaves the evaluated configuration (same object, see Workspace.evaluate), the
   * tls.cfg parses and the files on disk as they were; re-running the certificate rules for 200
   * profiles then cost ~10 ms and much garbage for the same answer. So the last run is reused
   * while its inputs are the same objects and everything it read — stats, directory listings,
   * lines of text, the clock relative to the certificate dates it compared — answers the same.
   * When only the tls.cfg documents differ, the certificate findings of every profile object
   * that did not change are reused (rules/profileRuns.ts).
   */
  private rulesFor(deployment: Deployment, stop: () => boolean = () => false): { findings: Finding[]; skipped: number } {
    const key = ruleRunKey(deployment);
    const settings = JSON.stringify(deployment.settings);
    const hit = this.ruleRuns.get(key);
    const stillTrue = hit !== undefined && hit.lines.every((l) => deployment.lineText(l.file, l.line) === l.text) && deployment.probe.stillHolds(hit.probe);
    if (stillTrue && sameInputs(hit, deployment, settings)) return { findings: hit.findings, skipped: 0 };
    const previous = stillTrue && sameContext(hit, deployment, settings) ? hit.profileRuns : undefined;
    const profileRuns: ProfileRuns = { trustKey: '', byProfile: new Map() };
    deployment.profileRuns = previous ? { previous, next: profileRuns } : { next: profileRuns };
    const probe = deployment.probe.startRecording();
    const lines: RuleRun['lines'] = [];
    deployment.lineRecording = lines;
    let findings: Finding[];
    let skipped: number;
    try {
      ({ findings, skipped } = runRulesUntil(deployment, stop));
    } finally {
      deployment.probe.stopRecording();
      deployment.lineRecording = undefined;
      deployment.profileRuns = undefined;
    }
    // A run cut short is not the answer for these inputs: the next check runs it again.
    if (skipped > 0) return { findings, skipped };
    this.ruleRuns.set(key, {
      kamailio: deployment.kamailio,
      tlsPath: deployment.tls?.path.local,
      tlsDocuments: [...(deployment.tls?.documents ?? [])],
      tlsDirectory: deployment.tls?.isDirectory ?? false,
      localConfigDir: deployment.localConfigDir,
      settings,
      probe,
      lines,
      findings,
      profileRuns,
    });
    return { findings, skipped: 0 };
  }

  /** The deployments of a check; when even finding them fails, every requested file says so. */
  private deployments(request: CheckRequest, settingsFor: (file: string) => CheckSettings, search: DeploymentSearch): ReturnType<Workspace['deploymentsFor']> {
    try {
      return this.workspace.deploymentsFor(request.files, settingsFor, request.languageOf, request.discovered, search);
    } catch (error) {
      if (isCheckControl(error)) throw error;
      return { deployments: [], skipped: [], failed: request.files.map((file) => ({ file, error })) };
    }
  }

  /**
   * Check the requested files. With variants (project file), every variant is checked as its own
   * configuration and the findings are merged: a finding that not every variant has names the
   * variants it comes from.
   */
  check(request: CheckRequest): CheckOutput {
    const generation = this.workspace.generation;
    const variants = variantNames(request);
    const runs = variants.length === 0 ? [undefined] : variants;
    const files = new Set<string>(request.files);
    const perRun: { variant: string | undefined; findings: Finding[] }[] = [];
    const allDeployments: Deployment[] = [];
    const skippedByFile = new Map<string, SkippedFile>();
    const skippedIn = new Map<string, number>();
    const keep = new Set<string>();
    /** Files of configurations whose TLS is on in some variant: a "TLS is off" note there is moot. */
    const tlsOnSomewhere = new Set<string>();
    const control = request.control;
    const membership: Membership = {};
    for (const variant of runs) {
      control?.checkpoint();
      const settingsFor = variant === undefined ? request.settingsFor : (f: string) => withVariant(request.settingsFor(f), variant);
      const findings: Finding[] = [];
      const spent = new Map<string, number>();
      const overBudget: { main: string; spentMs: number }[] = [];
      let evaluationStarted = control?.now() ?? 0;
      const search: DeploymentSearch = control
        ? {
            onEvaluating: () => (evaluationStarted = control.now()),
            onEvaluated: (main, evaluatedFiles) => {
              spent.set(main, control.now() - evaluationStarted);
              if (variant === runs[0]) control.onEvaluated?.(main, evaluatedFiles);
              control.checkpoint();
            },
            onOverBudget: (main, spentMs) => overBudget.push({ main, spentMs }),
          }
        : {};
      // Inside an evaluation: superseded, or this main configuration over its budget.
      this.workspace.evaluationCheckpoint = control
        ? () => {
            control.checkpoint();
            const spentMs = control.now() - evaluationStarted;
            if (spentMs > control.budgetMs) throw new CheckBudgetExceeded(spentMs);
          }
        : undefined;
      let found: ReturnType<Workspace['deploymentsFor']>;
      try {
        found = this.deployments(request, settingsFor, search);
      } finally {
        this.workspace.evaluationCheckpoint = undefined;
      }
      const { deployments, skipped, failed } = found;
      for (const x of failed) {
        files.add(x.file);
        findings.push(internalErrorFinding(x.file, `sip-tls failed reading this configuration (${failureSummary(x.error)}): it was not checked; every other configuration was. Please report this message.`));
      }
      for (const s of skipped) {
        skippedByFile.set(s.file, s);
        skippedIn.set(s.file, (skippedIn.get(s.file) ?? 0) + 1);
      }
      for (const deployment of deployments) {
        control?.checkpoint();
        allDeployments.push(deployment);
        if (variant === runs[0]) for (const f of deployment.files()) if (!(f in membership)) membership[f] = deployment.mainFile ?? null;
        keep.add(ruleRunKey(deployment));
        if (deployment.tlsIntent !== 'off') for (const f of deployment.kamailio?.files ?? []) tlsOnSomewhere.add(f);
        for (const f of deployment.files()) files.add(f);
        const vars = deployment.settings.vars;
        let checked: Finding[];
        try {
          const rules = control ? this.rulesWithin(deployment, control, spent.get(deployment.mainFile ?? '') ?? 0) : this.rulesFor(deployment).findings;
          const raw = fromRendered(rules, deployment.files(), (f) => this.workspace.renderingOf(f, vars));
          checked = applySeverityOverrides(raw, deployment.settings.severity);
        } catch (error) {
          if (isCheckControl(error)) throw error;
          // runRules isolates every rule family; this is what is left (the rendering, severities).
          const file = deployment.mainFile ?? deployment.files()[0] ?? '';
          checked = [internalErrorFinding(file, `sip-tls failed checking this deployment (${failureSummary(error)}): its findings are missing; every other deployment was checked. Please report this message.`)];
        }
        // A loop, not push(...spread): a spread of 100,000+ findings overflows the call stack.
        for (const f of checked) findings.push(f);
      }
      for (const { main, spentMs } of overBudget) {
        findings.push(checkLimitFinding(main, `Check stopped after ${Math.round(spentMs)} ms (budget ${control!.budgetMs} ms per deployment) while reading the deployment of ${main}: it and the files it includes were not checked.`));
      }
      perRun.push({ variant, findings });
    }
    this.last = { generation, deployments: allDeployments };
    // Runs of deployments this check no longer has (a closed document, a removed main) would
    // hold their parsed configuration for nothing.
    for (const key of [...this.ruleRuns.keys()]) if (!keep.has(key)) this.ruleRuns.delete(key);
    const merged = mergeVariants(perRun.map((r) => ({ ...r, findings: r.findings.filter((f) => !(f.code === 'kamcfg.tls-off' && tlsOnSomewhere.has(f.file))) })));
    const unique = dedupe(merged).filter((f) => files.has(f.file));
    // A file skipped in one variant but checked in another was checked.
    const skipped = [...skippedByFile.values()].filter((s) => skippedIn.get(s.file) === runs.length && !allDeployments.some((d) => d.files().includes(s.file)));
    // Found by a search and skipped: not a file of the check. Asked for by name: its finding says why.
    const notChecked = new Set(skipped.filter((s) => !s.explicit).map((s) => s.file));
    // What was asked for by name and not checked is said, on the file itself.
    for (const s of skipped) {
      if (!s.explicit) continue;
      unique.push({
        file: s.file,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        code: 'project.not-checked',
        severity: catalogEntry('project.not-checked').severity,
        message: `Not checked: ${s.reason}.`,
      });
    }
    // Suppression comments are read in the files Kamailio reads as configuration, in its syntax.
    const languageOf = new Map<string, CommentLanguage>();
    for (const d of allDeployments) {
      for (const f of d.kamailio?.files ?? []) languageOf.set(f, 'kamailio');
      for (const doc of d.tls?.documents ?? []) languageOf.set(doc.file, 'tls');
    }
    const { shown, suppressed } = applySuppressions(unique, languageOf, (f) => this.workspace.readText(f));
    shown.sort(compareFindings);
    return { files: [...files].filter((f) => !notChecked.has(f)).sort(), findings: shown, skipped, membership, suppressed };
  }

  /**
   * The rules of a deployment within its time budget, of which evaluating its main
   * configuration already spent `spentMs`. Past it, the rules stop at the next checkpoint and
   * each file of the deployment says what was not checked.
   */
  private rulesWithin(deployment: Deployment, control: CheckControl, spentMs: number): Finding[] {
    const started = control.now() - spentMs;
    const { findings, skipped } = this.rulesFor(deployment, () => {
      control.checkpoint();
      return control.now() - started > control.budgetMs;
    });
    if (skipped === 0) return findings;
    const name = deployment.mainFile ?? deployment.tls?.path.local ?? deployment.files()[0] ?? '';
    const message = `Check stopped after ${Math.round(control.now() - started)} ms (budget ${control.budgetMs} ms per deployment) in the deployment of ${name}: ${skipped} of its rule families were not run, so what they check here was not checked.`;
    const out = [...findings];
    for (const f of deployment.files()) out.push(checkLimitFinding(f, message));
    return out;
  }
}

/** The variant names of the requested files' settings, in order (empty: no variants). */
function variantNames(request: CheckRequest): string[] {
  const names: string[] = [];
  for (const f of request.files) for (const v of request.settingsFor(f).variants) if (!names.includes(v.name)) names.push(v.name);
  return names;
}

function firstVariant(settings: CheckSettings): string | undefined {
  return settings.variants[0]?.name;
}

/** The settings of one variant: its defines and variables on top; no variants below it. */
export function withVariant(settings: CheckSettings, name: string): CheckSettings {
  const v = settings.variants.find((x) => x.name === name);
  if (!v) return { ...settings, variants: [], variant: name };
  return { ...settings, defines: [...new Set([...settings.defines, ...v.defines])], vars: { ...settings.vars, ...v.vars }, variants: [], variant: name };
}

/** Findings of every variant: one per finding, naming the variants when not all have it. */
function mergeVariants(runs: { variant: string | undefined; findings: Finding[] }[]): Finding[] {
  if (runs.length === 1) return runs[0]!.findings;
  const byKey = new Map<string, { finding: Finding; variants: string[] }>();
  for (const run of runs) {
    for (const f of run.findings) {
      const key = findingKey(f);
      const hit = byKey.get(key);
      if (hit) {
        if (!hit.variants.includes(run.variant!)) hit.variants.push(run.variant!);
      } else byKey.set(key, { finding: f, variants: [run.variant!] });
    }
  }
  const out: Finding[] = [];
  for (const { finding, variants } of byKey.values()) {
    out.push(variants.length === runs.length ? finding : { ...finding, message: `${finding.message} [variant${variants.length > 1 ? 's' : ''} ${variants.join(', ')}]` });
  }
  return out;
}

function findingKey(f: Finding): string {
  return `${f.file}\0${f.code}\0${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}\0${f.message}`;
}

/**
 * The inputs of one rule run, and what it read: the rules read only the deployment (the parsed
 * documents, which the workspace caches by text so an unchanged file keeps its object), the
 * settings, the file system through the FileProbe, the clock through PkiRun and lines of text
 * through Deployment.lineText.
 */
interface RuleRun {
  kamailio: Deployment['kamailio'];
  tlsPath: string | undefined;
  tlsDocuments: readonly unknown[];
  tlsDirectory: boolean;
  localConfigDir: string;
  settings: string;
  probe: ProbeRecording;
  lines: { file: string; line: number; text: string }[];
  findings: Finding[];
  profileRuns: ProfileRuns;
}

function ruleRunKey(d: Deployment): string {
  return `${d.mainFile ?? d.tls?.path.local ?? d.files()[0] ?? ''}\0${d.settings.variant ?? ''}`;
}

function sameInputs(run: RuleRun, d: Deployment, settings: string): boolean {
  const docs = d.tls?.documents ?? [];
  return sameContext(run, d, settings) && run.tlsDocuments.length === docs.length && docs.every((doc, i) => doc === run.tlsDocuments[i]);
}

/** The same inputs apart from the tls.cfg documents. */
function sameContext(run: RuleRun, d: Deployment, settings: string): boolean {
  return (
    run.kamailio === d.kamailio &&
    run.tlsPath === d.tls?.path.local &&
    run.tlsDirectory === (d.tls?.isDirectory ?? false) &&
    run.localConfigDir === d.localConfigDir &&
    run.settings === settings
  );
}

/** A file can take part in several deployments (a tls.cfg shared by two kamailio.cfg). */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of findings) {
    const key = findingKey(f);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
  }
  return out;
}
