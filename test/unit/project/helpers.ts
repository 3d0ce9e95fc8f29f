// Checking a repository in memory the way the faces do: each file in its context (repository
// root, project file, layout), the user's settings on top (core/project/layers.ts).
import { Checker, type CheckOutput } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { ProjectContexts } from '../../../server/src/core/project/context';
import { layeredSettings, type SettingsLayer } from '../../../server/src/core/project/layers';
import { findConfigFiles } from '../../../server/src/core/discovery';
import type { FileError, Host, ReadResult, StatResult } from '../../../server/src/core/host';

export interface RepoRun extends CheckOutput {
  host: MemoryHost;
  checker: Checker;
}

/**
 * Check `folder` of an in-memory file system as `sip-tls check folder` does: found files, main
 * configurations, contexts and layered settings.
 */
export function checkRepository(files: Record<string, string>, folder: string, options: { layer?: SettingsLayer; live?: boolean; host?: Host; named?: string[] } = {}): RepoRun {
  const host = new MemoryHost(files);
  const base: Host = options.host ?? host;
  const checker = new Checker(base);
  const contexts = new ProjectContexts(base);
  const found = findConfigFiles(base, folder);
  checker.workspace.addMainCandidates(found.mains);
  const requested = options.named ?? [...found.kamailio, ...found.tls];
  const discovered = new Set(options.named ? [] : requested);
  const settingsFor = (f: string) => layeredSettings(contexts.contextFor(f, { checkedFolder: folder, ...(options.live ? { live: true } : {}) }), options.layer ?? {});
  const cache = new Map<string, ReturnType<typeof settingsFor>>();
  const out = checker.check({
    files: requested,
    discovered,
    settingsFor: (f) => {
      const c = contexts.contextFor(f, { checkedFolder: folder });
      const key = `${c.root}\0${c.project?.file ?? ''}`;
      let s = cache.get(key);
      if (!s) cache.set(key, (s = settingsFor(f)));
      return s;
    },
  });
  return { ...out, host, checker };
}

/** A host that records every question asked of it (to prove what a check never reads). */
export class RecordingHost implements Host {
  readonly asked: { op: 'stat' | 'readFile' | 'readDir' | 'realPath' | 'trackedFiles'; path: string }[] = [];

  constructor(private readonly inner: Host) {}

  stat(path: string): StatResult {
    this.asked.push({ op: 'stat', path });
    return this.inner.stat(path);
  }

  readFile(path: string, maxBytes: number): ReadResult {
    this.asked.push({ op: 'readFile', path });
    return this.inner.readFile(path, maxBytes);
  }

  readDir(path: string): string[] | FileError {
    this.asked.push({ op: 'readDir', path });
    return this.inner.readDir(path);
  }

  realPath(path: string): string | FileError {
    this.asked.push({ op: 'realPath', path });
    return this.inner.realPath ? this.inner.realPath(path) : path;
  }

  now(): Date {
    return this.inner.now();
  }

  trackedFiles(root: string): ReadonlySet<string> | undefined {
    this.asked.push({ op: 'trackedFiles', path: root });
    return this.inner.trackedFiles(root);
  }
}
