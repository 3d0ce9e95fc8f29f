// Is a path of the repository deliberately not committed? A key or certificate listed in
// .gitignore (`*.key`, `certs/`) is provided where the configuration is deployed, never by the
// repository: its absence from a checkout is no problem of the configuration.
import * as posix from 'node:path/posix';
import ignore, { type Ignore } from 'ignore';
import type { FileProbe } from '../fileProbe';
import { decodeText } from '../text';
import { isInside } from '../scope';

/** A .gitignore is a few KB; a huge one is not read. */
const MAX_GITIGNORE_BYTES = 256 * 1024;

const parsed = new Map<string, { size: number; mtimeMs: number; rules: Ignore }>();

function rulesOf(probe: FileProbe, file: string): Ignore | undefined {
  const st = probe.stat(file);
  if ('error' in st || st.kind !== 'file') return undefined;
  const hit = parsed.get(file);
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.rules;
  const r = probe.read(file, MAX_GITIGNORE_BYTES);
  if (!('bytes' in r)) return undefined;
  const rules = ignore({ allowRelativePaths: true }).add(decodeText(r.bytes));
  if (parsed.size > 512) parsed.clear();
  parsed.set(file, { size: st.size, mtimeMs: st.mtimeMs, rules });
  return rules;
}

/**
 * Whether git ignores `path` (absolute, inside `root`): the .gitignore files from `root` down to
 * the path's folder, a deeper file's verdict over a shallower one's, as git applies them.
 */
export function ignoredByGit(probe: FileProbe, root: string, path: string): boolean {
  if (!isInside(path, root) || path === root) return false;
  const folders: string[] = [];
  for (let d = posix.dirname(path); isInside(d, root); d = posix.dirname(d)) {
    folders.unshift(d);
    if (d === root || d === '/') break;
  }
  let ignored = false;
  for (const dir of folders) {
    const rules = rulesOf(probe, posix.join(dir, '.gitignore'));
    if (!rules) continue;
    // A folder rule (`certs/`) matches the files below it too.
    const rel = posix.relative(dir, path);
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/') + (i < parts.length ? '/' : '');
      const verdict = rules.test(prefix);
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
  }
  return ignored;
}
