// `sip-tls check`: turn the PATH arguments into a check request for the core and run it once.
// Each configuration is checked in its context (core/project/context.ts): the repository it
// belongs to bounds what is read, the nearest .sip-tls.json describes its deployment, and the
// command-line options go on top of it.
import * as path from 'node:path';
import { Checker, type CheckOutput } from '../core/check';
import { findConfigFiles, notAConfiguration } from '../core/discovery';
import { checkLimitFinding } from '../core/limits';
import { describeWalkLimit, type WalkResult } from '../core/walk';
import { NodeHost } from '../core/nodeHost';
import type { CheckSettings } from '../core/settings';
import type { Finding } from '../core/types';
import type { SuppressedFinding } from '../core/suppressions';
import type { SkippedFile } from '../core/workspace';
import { parseVersion } from '../core/version';
import { lookupPlatform } from '../core/platform';
import { ProjectContexts, type CheckContext } from '../core/project/context';
import { layeredSettings, type SettingsLayer } from '../core/project/layers';
import { projectFindings } from '../core/project/problems';
import { UsageError, type CheckOptions } from './args';
import { otherKindOfFile } from './notConfiguration';
import { sniffCryptoMaterial } from '../core/pki/sniff';

export interface CheckResult {
  /** Every file that took part, absolute. */
  files: string[];
  findings: Finding[];
  /** Findings suppressed by `# sip-tls: ignore` comments (not in `findings`, not counted). */
  suppressed: SuppressedFinding[];
  /** Files asked for (or found) that were not checked, with the reason. */
  skipped: SkippedFile[];
  /** The folder SARIF locations are relative to: the one folder checked, else the current directory. */
  baseDir: string;
  /** Budgets a folder search crossed where no file found could carry the finding (said on stderr). */
  searchLimits: string[];
  /**
   * Nothing to check (exit code 2): PATH arguments as typed — a folder in which the search found
   * no configuration, a named file that is something else — each with what it is instead.
   */
  nothingToCheck: { typed: string; what: string }[];
}

/** The start of a named file, enough to say what it is (the core sniffs 64 KB, JSON is parsed whole up to this). */
const SNIFF_BYTES = 1024 * 1024;

function readHead(host: NodeHost, file: string): string | undefined {
  const r = host.readFile(file, SNIFF_BYTES);
  return 'bytes' in r ? Buffer.from(r.bytes).toString('utf8') : undefined;
}

/**
 * A CI job can afford more than the language server's 2 s: a slow runner must not lose part of a
 * large repository. The walk's other budgets apply as they are (walk.ts).
 */
const CLI_WALK_BUDGETS = { timeMs: 10_000 };

/** What the command line sets, as the top settings layer. */
export function userLayer(options: CheckOptions): SettingsLayer {
  const layer: SettingsLayer = {
    pathMappings: options.maps.map((m) => ({ deployed: m.deployed, local: m.local })),
    defines: [...options.defines],
    trustAnchors: [...options.trust],
    severity: { ...options.severity },
    vars: { ...options.vars },
  };
  if (options.kamailioVersion) layer.kamailioVersion = parseVersion(options.kamailioVersion)!;
  if (options.platform) layer.platform = lookupPlatform(options.platform)!;
  if (options.expiryDays !== undefined) layer.expiryDays = options.expiryDays;
  if (options.workdir !== undefined) layer.workdir = options.workdir;
  if (options.variants.length > 0) layer.variantNames = [...options.variants];
  if (options.peers.length > 0) layer.peers = options.peers.map((p) => ({ peer: p.peer, profiles: [...p.profiles], source: `--peer ${p.peer}` }));
  return layer;
}

/**
 * `overlays`: texts that stand for files on disk (--fix checks its fixed texts before writing
 * them); standard input is one such text.
 */
export function runCheck(options: CheckOptions, cwd: string, stdin?: { file: string; text: string }, overlays?: ReadonlyMap<string, string>): CheckResult {
  const now = options.now;
  // The user ran the command in this folder: git may be asked which keys the repository tracks.
  const host = new NodeHost(now ? () => new Date(now.getTime()) : undefined, { runGit: options.git });
  const checker = new Checker(host);
  const contexts = new ProjectContexts(host);
  const layer = userLayer(options);

  for (const anchor of options.trust) {
    const st = host.stat(anchor);
    if ('error' in st || st.kind !== 'file') throw new UsageError(`check: --trust ${anchor}: not a readable file`, 'check');
  }

  const requested = new Set<string>();
  const discovered = new Set<string>();
  const folders: string[] = [];
  const checkedFolder = new Map<string, string>();
  const walks: { folder: string; walk: WalkResult }[] = [];
  const nothingToCheck: CheckResult['nothingToCheck'] = [];
  const namedFiles = new Map<string, string>();
  for (const [index, p] of options.paths.entries()) {
    const typed = options.typedPaths[index] ?? (path.relative(cwd, p) || '.');
    if (stdin !== undefined && p === stdin.file) {
      // Standard input: the file need not exist (an unsaved buffer); its text is the one piped in.
      const other = otherKindOfFile(p, stdin.text);
      if (other !== undefined) nothingToCheck.push({ typed, what: other });
      else {
        checker.workspace.setOverlay(p, stdin.text);
        namedFiles.set(p, typed);
        requested.add(p);
        discovered.delete(p);
      }
      continue;
    }
    const st = host.stat(p);
    if ('error' in st) throw new UsageError(`check: ${typed}: no such file or directory`, 'check');
    if (st.kind === 'directory') {
      folders.push(p);
      const found = findConfigFiles(host, p, CLI_WALK_BUDGETS);
      walks.push({ folder: p, walk: found.walk });
      if (found.kamailio.length + found.tls.length === 0) nothingToCheck.push({ typed, what: 'a folder without kamailio*.cfg, #!KAMAILIO or tls*.cfg files' });
      checker.workspace.addMainCandidates(found.mains);
      for (const f of [...found.kamailio, ...found.tls]) {
        if (!requested.has(f)) discovered.add(f);
        requested.add(f);
        if (!checkedFolder.has(f)) checkedFolder.set(f, p);
      }
    } else if (st.kind === 'file') {
      const text = readHead(host, p);
      const other = text === undefined ? undefined : otherKindOfFile(p, text);
      if (other !== undefined) {
        nothingToCheck.push({ typed, what: other });
        continue;
      }
      namedFiles.set(p, typed);
      requested.add(p);
      discovered.delete(p);
    } else {
      throw new UsageError(`check: ${typed}: not a regular file or folder`, 'check');
    }
  }

  for (const [file, text] of overlays ?? []) checker.workspace.setOverlay(file, text);

  const contextOf = new Map<string, CheckContext>();
  const context = (file: string): CheckContext => {
    let c = contextOf.get(file);
    if (!c) {
      c = contexts.contextFor(file, { ...(checkedFolder.has(file) ? { checkedFolder: checkedFolder.get(file)! } : {}), live: options.live });
      contextOf.set(file, c);
    }
    return c;
  };
  // The main configurations a project file names replace what the search found in its folder.
  for (const f of requested) {
    const project = context(f).project;
    if (!project) continue;
    for (const problem of project.problems) {
      if (problem.fatal) throw new UsageError(`check: ${path.relative(cwd, project.file) || project.file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: ${problem.message}`, 'check');
    }
    if (project.mainConfigs.length > 0) {
      for (const m of project.mainConfigs) {
        if (!requested.has(m)) discovered.delete(m);
        requested.add(m);
      }
    }
  }
  checker.workspace.addMainCandidates([...requested].filter((f) => context(f).project?.mainConfigs.includes(f)));

  // One settings object per context: the checker compares settings by identity on its hot paths.
  const settingsByContext = new Map<string, CheckSettings>();
  const settingsFor = (file: string): CheckSettings => {
    const c = context(file);
    const key = `${c.root}\0${c.project?.file ?? ''}\0${c.live}`;
    let s = settingsByContext.get(key);
    if (!s) {
      s = layeredSettings(c, layer);
      settingsByContext.set(key, s);
    }
    return s;
  };

  const output: CheckOutput = checker.check({ files: [...requested], settingsFor, discovered });
  // Problems of the project files, as findings on them.
  const projects = new Map([...contextOf.values()].flatMap((c) => (c.project ? [[c.project.file, c.project] as const] : [])));
  const extra = [...projects.values()].flatMap((p) => projectFindings(p));
  const { findings: limits, unplaced } = searchLimitFindings(walks, new Set(output.files));
  const findings = [...output.findings, ...extra, ...limits];
  const files = [...new Set([...output.files, ...extra.map((f) => f.file)])].sort();
  const single = options.paths.length === 1 ? options.paths[0] : undefined;
  const baseDir = single !== undefined && folders.includes(single) ? single : cwd;
  // A named file the core refused to read as a configuration (a key, a certificate, an OpenSSL
  // configuration): its finding says what it is; the command cannot check it.
  for (const s of output.skipped) {
    const typed = namedFiles.get(s.file);
    const text = typed === undefined ? undefined : s.file === stdin?.file ? stdin.text : readHead(host, s.file);
    if (typed === undefined || text === undefined || notAConfiguration(text) === undefined) continue;
    const material = sniffCryptoMaterial(text);
    nothingToCheck.push({ typed, what: material ? `${s.reason} (sip-tls show ${typed} reports on it)` : s.reason });
  }
  return { files, findings, suppressed: output.suppressed, skipped: output.skipped, baseDir, searchLimits: unplaced, nothingToCheck };
}

/**
 * A folder search a budget cut short is said as a finding on the first file it found that was
 * checked; a search that found nothing checked has no file to carry it, so it is said in words
 * (the "nothing found" line of `check`). Loops and second names of folders are not findings.
 */
function searchLimitFindings(walks: readonly { folder: string; walk: WalkResult }[], checked: ReadonlySet<string>): { findings: Finding[]; unplaced: string[] } {
  const findings: Finding[] = [];
  const unplaced: string[] = [];
  for (const { folder, walk } of walks) {
    const words = describeWalkLimit(walk, folder);
    if (words === undefined) continue;
    const carrier = walk.files.find((f) => checked.has(f));
    const message = `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
    if (carrier !== undefined) findings.push(checkLimitFinding(carrier, message));
    else unplaced.push(message);
  }
  return { findings, unplaced };
}
