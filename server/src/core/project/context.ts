// Where a checked file lives: the repository it belongs to (its root bounds what is read, see
// scope.ts), the project file that describes its deployment, and whether it is the live
// configuration of this very machine.
//
// The rule (README "The repository is not the machine"):
// - The root is the folder of the nearest project file, else the nearest version-control work
//   tree (.git, .hg, .svn), else the folder the user checked (CLI folder, editor workspace
//   folder), else the file's own folder.
// - A configuration is live — checked against this machine's files, every absolute path read
//   as is — when the user says so (`--live`), or when it sits in a system configuration tree
//   (/etc, /usr/local/etc) outside any repository other than etckeeper's /etc. Everything
//   else is a repository describing a deployment elsewhere: paths outside its root are never
//   read here.
import * as posix from 'node:path/posix';
import type { Host } from '../host';
import { DEFAULT_MAX_FILE_BYTES } from '../host';
import { decodeText } from '../text';
import { isInside } from '../scope';
import { PROJECT_FILE_NAME, parseProjectFile, type ProjectConfig } from './projectFile';
import { readDockerLayout, type LayoutFact } from './dockerLayout';

const VCS_MARKERS = ['.git', '.hg', '.svn'];
/** System configuration trees: a configuration here is the one this machine runs. */
const LIVE_TREES = ['/etc', '/usr/local/etc'];
/** Walking up stops after this many folders (a path of thousands of components is hostile). */
const MAX_WALK = 64;
/** A project file is a few KB. */
const MAX_PROJECT_FILE_BYTES = 256 * 1024;

export interface CheckContext {
  /** The repository root (or checked folder) bounding what is read; see the rule above. */
  root: string;
  /** Why that folder: for messages ("the repository", "the folder checked"). */
  rootReason: string;
  /** The nearest project file, parsed. */
  project?: ProjectConfig;
  /** The configuration is the live one of this machine: nothing is out of scope. */
  live: boolean;
  /** Where the repository's folders are deployed, read from its compose files and Dockerfiles. */
  layout: LayoutFact[];
}

interface CachedProject {
  size: number;
  mtimeMs: number;
  project: ProjectConfig;
}

/**
 * Finds and caches contexts. The faces call `invalidate` when a project file, a build file or a
 * version-control marker changes (file events), and on configuration changes.
 */
export class ProjectContexts {
  private readonly byDir = new Map<string, { project?: string; vcs?: string }>();
  private readonly projects = new Map<string, CachedProject>();
  private readonly layouts = new Map<string, LayoutFact[]>();

  constructor(private readonly host: Host) {}

  invalidate(): void {
    this.byDir.clear();
    this.layouts.clear();
  }

  /**
   * The context of `file` (a configuration, absolute). `checkedFolder`: the folder the user asked
   * to check, when the file was found in it. `live`: the user said this is the live server.
   */
  contextFor(file: string, options: { checkedFolder?: string; live?: boolean } = {}): CheckContext {
    const dir = posix.dirname(file);
    const found = this.walk(dir);
    const project = found.project ? this.project(found.project) : undefined;
    let root: string;
    let rootReason: string;
    if (found.vcs && (!project || isInside(project.dir, found.vcs))) {
      root = found.vcs;
      rootReason = 'the repository';
    } else if (project) {
      root = project.dir;
      rootReason = `the folder of ${PROJECT_FILE_NAME}`;
    } else if (options.checkedFolder && isInside(file, options.checkedFolder)) {
      root = options.checkedFolder;
      rootReason = 'the folder checked';
    } else {
      root = dir;
      rootReason = 'the folder of the file checked';
    }
    const live = options.live === true || isLiveLocation(file, found.vcs);
    return { root, rootReason, ...(project ? { project } : {}), live, layout: live ? [] : this.layout(root) };
  }

  /** The nearest project file and version-control root above `dir`. */
  private walk(dir: string): { project?: string; vcs?: string } {
    const hit = this.byDir.get(dir);
    if (hit) return hit;
    const result: { project?: string; vcs?: string } = {};
    let d = dir;
    for (let i = 0; i < MAX_WALK; i++) {
      if (!result.project && this.isFile(posix.join(d, PROJECT_FILE_NAME))) result.project = posix.join(d, PROJECT_FILE_NAME);
      if (VCS_MARKERS.some((m) => !('error' in this.host.stat(posix.join(d, m))))) {
        result.vcs = d;
        break;
      }
      const up = posix.dirname(d);
      if (up === d) break;
      d = up;
    }
    if (this.byDir.size > 4096) this.byDir.clear();
    this.byDir.set(dir, result);
    return result;
  }

  private isFile(path: string): boolean {
    const st = this.host.stat(path);
    return !('error' in st) && st.kind === 'file';
  }

  /** The parsed project file, re-read when its size or mtime changes. */
  project(file: string): ProjectConfig | undefined {
    const st = this.host.stat(file);
    if ('error' in st || st.kind !== 'file') return undefined;
    const hit = this.projects.get(file);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.project;
    const r = this.host.readFile(file, Math.min(MAX_PROJECT_FILE_BYTES, DEFAULT_MAX_FILE_BYTES));
    let project: ProjectConfig;
    if ('bytes' in r) project = parseProjectFile(file, decodeText(r.bytes));
    else {
      project = parseProjectFile(file, '{}');
      project.problems.push({ message: `${PROJECT_FILE_NAME} cannot be read: ${'error' in r ? r.detail : r.refused}`, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, fatal: true });
    }
    this.projects.set(file, { size: st.size, mtimeMs: st.mtimeMs, project });
    return project;
  }

  private layout(root: string): LayoutFact[] {
    let facts = this.layouts.get(root);
    if (!facts) {
      facts = readDockerLayout(this.host, root);
      this.layouts.set(root, facts);
    }
    return facts;
  }
}

/**
 * A configuration under /etc or /usr/local/etc that is not part of a repository (etckeeper's
 * /etc repository aside) is the one this machine runs.
 */
export function isLiveLocation(file: string, vcsRoot: string | undefined): boolean {
  const tree = LIVE_TREES.find((t) => isInside(file, t));
  if (!tree) return false;
  return vcsRoot === undefined || LIVE_TREES.includes(vcsRoot);
}
