// Which files of a repository git tracks, for the Node host: one `git ls-files` per work tree,
// cached while the index file is unchanged. git is a program, and a repository's own
// configuration can make git run others (core.fsmonitor): only a host that may run programs
// (the CLI, a trusted workspace) asks, the repository's configuration of those is overridden on
// the command line, and the call is bounded in time and output, without a shell.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A huge monorepo lists its files in well under a second; a stuck git is not waited for. */
export const GIT_TIMEOUT_MS = 3000;
/** ~100,000 paths; a longer listing is not read. */
const MAX_LISTING_BYTES = 32 * 1024 * 1024;

/** git modes of what is not a regular file in the work tree: a symbolic link, a submodule. */
const NOT_A_REGULAR_FILE = new Set(['120000', '160000']);

interface Listing {
  /** What the listing was made for: the index file's identity (or its absence). */
  key: string;
  files: ReadonlySet<string> | undefined;
}

export class GitTrackedFiles {
  private readonly listings = new Map<string, Listing>();

  constructor(private readonly gitBinary = 'git') {}

  files(root: string): ReadonlySet<string> | undefined {
    const index = indexFileOf(root);
    if (index === undefined) return undefined; // not the top of a git work tree
    const key = identityOf(index);
    const hit = this.listings.get(root);
    if (hit && hit.key === key) return hit.files;
    const files = key === 'absent' ? new Set<string>() : this.list(root);
    if (this.listings.size > 64) this.listings.clear();
    this.listings.set(root, { key, files });
    return files;
  }

  private list(root: string): ReadonlySet<string> | undefined {
    let output: string;
    try {
      output = execFileSync(
        this.gitBinary,
        // -s: the mode of each entry, to leave out symbolic links and submodules; -z: names as they are.
        ['--no-pager', '-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', 'ls-files', '-z', '-s'],
        { cwd: root, env: gitEnvironment(root), encoding: 'utf8', timeout: GIT_TIMEOUT_MS, maxBuffer: MAX_LISTING_BYTES, stdio: ['ignore', 'pipe', 'ignore'], windowsHide: true },
      );
    } catch {
      return undefined; // git absent, not a repository git accepts (safe.directory), timed out
    }
    const files = new Set<string>();
    for (const entry of output.split('\0')) {
      // "<mode> <object> <stage>\t<path>"
      const tab = entry.indexOf('\t');
      if (tab < 0) continue;
      const mode = entry.slice(0, entry.indexOf(' '));
      if (NOT_A_REGULAR_FILE.has(mode)) continue;
      files.add(path.posix.join(root, entry.slice(tab + 1)));
    }
    return files;
  }
}

/**
 * The index of the work tree at `root`: `.git/index`, or for a linked work tree or a submodule
 * (`.git` is a file `gitdir: …`) the index in that folder. Undefined: no `.git` here.
 */
function indexFileOf(root: string): string | undefined {
  const marker = path.join(root, '.git');
  let st: fs.Stats;
  try {
    st = fs.statSync(marker);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) return path.join(marker, 'index');
  if (!st.isFile() || st.size > 4096) return undefined;
  try {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(marker, 'utf8'));
    return m ? path.join(path.resolve(root, m[1]!), 'index') : undefined;
  } catch {
    return undefined;
  }
}

function identityOf(file: string): string {
  try {
    const st = fs.statSync(file);
    return `${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

/**
 * This process's environment without git's own variables (GIT_DIR, GIT_INDEX_FILE, … would
 * point git at another repository), never prompting, never writing a lock, and never looking
 * for a repository above `root`.
 */
function gitEnvironment(root: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GIT_')) env[k] = v;
  env['GIT_CEILING_DIRECTORIES'] = path.dirname(root);
  env['GIT_TERMINAL_PROMPT'] = '0';
  env['GIT_OPTIONAL_LOCKS'] = '0';
  env['LC_ALL'] = 'C';
  return env;
}
