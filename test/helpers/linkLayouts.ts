// Generated folder trees full of symbolic links, built on the real file system (NodeHost) or in
// memory (MemoryHost): k links to `.`, links to `..` and to the root, cross-links between
// siblings, folder cycles of length 1..5, link-to-link cycles (ELOOP), chains, dangling links,
// self-links, links out of the root, file links and FIFOs, mixed with real configurations at
// various depths. Each layout says what a walk must find: every real configuration once.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as posix from 'node:path/posix';
import { MemoryHost } from '../../server/src/core/memoryHost';

export const KAMAILIO_TEXT = '#!KAMAILIO\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route {\n}\n';
export const TLS_TEXT = '[server:default]\nmethod = TLSv1.2+\n';

export interface LinkLayout {
  /** What the generator made, for a failure message. */
  description: string;
  /** Real folders, relative to the root ('' is the root). */
  dirs: string[];
  /** Real configuration files, relative to the root. */
  configs: string[];
  /** Links: where (relative to the root) and the target as written ({root} and {outside} expanded on build). */
  links: { path: string; target: string }[];
  /** FIFOs, relative to the root (some named like configurations). */
  fifos: string[];
}

/** A small deterministic generator (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LINK_KINDS = ['dot', 'dotdot', 'root', 'sibling', 'cycle', 'eloop', 'chain', 'dangling', 'self', 'outside', 'outside-file', 'file-dup'] as const;

/** Layout number `seed`; `dotLinks` forces that many links to `.` in the root. */
export function generateLayout(seed: number, options: { dotLinks?: number; maxDirs?: number } = {}): LinkLayout {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const dirs = [''];
  const maxDirs = options.maxDirs ?? 8;
  const dirCount = 1 + Math.floor(rnd() * maxDirs);
  for (let i = 1; i < dirCount; i++) {
    const parent = pick(dirs);
    if (parent.split('/').length >= 5) continue;
    dirs.push(parent === '' ? `d${i}` : `${parent}/d${i}`);
  }
  const configs: string[] = [];
  const names = ['kamailio.cfg', 'tls.cfg', 'kamailio-edge.cfg', 'tls-peers.cfg'];
  const configCount = 1 + Math.floor(rnd() * 5);
  for (let i = 0; i < configCount; i++) {
    const p = posix.join(pick(dirs), pick(names));
    if (!configs.includes(p)) configs.push(p);
  }
  const links: LinkLayout['links'] = [];
  const used = new Set<string>([...dirs, ...configs]);
  let n = 0;
  const linkAt = (dir: string, name: string, target: string): void => {
    const p = posix.join(dir, name);
    if (used.has(p)) return;
    used.add(p);
    links.push({ path: p, target });
  };
  const rel = (fromDir: string, to: string): string => posix.relative(`/r/${fromDir}`, `/r/${to}`) || '.';
  for (let i = 0; i < (options.dotLinks ?? 0); i++) linkAt('', `dot${i}`, '.');
  const linkCount = Math.floor(rnd() * 8);
  for (let i = 0; i < linkCount; i++) {
    const kind = pick(LINK_KINDS);
    const at = pick(dirs);
    const name = `l${n++}`;
    switch (kind) {
      case 'dot':
        for (let k = 1 + Math.floor(rnd() * 6); k > 0; k--) linkAt(at, `${name}-${k}`, '.');
        break;
      case 'dotdot':
        linkAt(at, name, '..');
        break;
      case 'root':
        linkAt(at, name, '{root}');
        break;
      case 'sibling':
        linkAt(at, name, rel(at, pick(dirs)));
        break;
      case 'cycle': {
        // Folders d_1 … d_L each holding a link to the next, the last to the first.
        const length = 1 + Math.floor(rnd() * 5);
        const ring = Array.from({ length }, () => pick(dirs));
        ring.forEach((d, j) => linkAt(d, `${name}-c${j}`, rel(d, ring[(j + 1) % length]!)));
        break;
      }
      case 'eloop': {
        const length = 1 + Math.floor(rnd() * 5);
        for (let j = 0; j < length; j++) linkAt(at, `${name}-e${j}`, `${name}-e${(j + 1) % length}`);
        break;
      }
      case 'chain':
        linkAt(at, `${name}-a`, `${name}-b`);
        linkAt(at, `${name}-b`, `${name}-c`);
        linkAt(at, `${name}-c`, rel(at, pick(dirs)));
        break;
      case 'dangling':
        linkAt(at, name, 'no-such-folder');
        break;
      case 'self':
        linkAt(at, name, name);
        break;
      case 'outside':
        linkAt(at, name, '{outside}');
        break;
      case 'outside-file':
        linkAt(at, `kamailio-${name}.cfg`, '{outside}/kamailio.cfg');
        break;
      case 'file-dup': {
        const target = pick(configs);
        linkAt(at, `${posix.basename(target).startsWith('tls') ? 'tls' : 'kamailio'}-${name}.cfg`, rel(at, target));
        break;
      }
    }
  }
  const fifos: string[] = [];
  for (let i = Math.floor(rnd() * 3); i > 0; i--) {
    const p = posix.join(pick(dirs), rnd() < 0.5 ? `kamailio-pipe${i}.cfg` : `pipe${i}`);
    if (!used.has(p)) {
      used.add(p);
      fifos.push(p);
    }
  }
  return { description: JSON.stringify({ seed, dirs, configs, links, fifos }), dirs, configs, links, fifos };
}

function expand(target: string, root: string, outside: string): string {
  return target.replace('{root}', root).replace('{outside}', outside);
}

function configText(file: string): string {
  return posix.basename(file).startsWith('tls') ? TLS_TEXT : KAMAILIO_TEXT;
}

/** The folder outside the root: a configuration the walk must never return. */
function outsideFiles(outside: string): Record<string, string> {
  return { [`${outside}/kamailio.cfg`]: KAMAILIO_TEXT, [`${outside}/sub/tls.cfg`]: TLS_TEXT };
}

/** Build `layout` in memory below `base`: the root is `${base}/root`, the outside `${base}/outside`. */
export function buildInMemory(layout: LinkLayout, base = '/w'): { host: MemoryHost; root: string } {
  const root = `${base}/root`;
  const outside = `${base}/outside`;
  const host = new MemoryHost(outsideFiles(outside));
  for (const d of layout.dirs) host.addSpecial(d === '' ? root : `${root}/${d}`, 'directory');
  for (const c of layout.configs) host.writeFile(`${root}/${c}`, configText(c));
  for (const l of layout.links) host.addSymlink(`${root}/${l.path}`, expand(l.target, root, outside));
  for (const f of layout.fifos) host.addSpecial(`${root}/${f}`, 'fifo');
  return { host, root };
}

/** Build `layout` on disk below `base` (an empty folder): FIFOs with mkfifo(1). */
export function buildOnDisk(layout: LinkLayout, base: string): { root: string } {
  const root = `${base}/root`;
  const outside = `${base}/outside`;
  for (const [file, text] of Object.entries(outsideFiles(outside))) {
    mkdirSync(posix.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  for (const d of layout.dirs) mkdirSync(`${root}/${d}`, { recursive: true });
  for (const c of layout.configs) writeFileSync(`${root}/${c}`, configText(c));
  for (const l of layout.links) symlinkSync(expand(l.target, root, outside), `${root}/${l.path}`);
  if (layout.fifos.length > 0) execFileSync('mkfifo', layout.fifos.map((f) => `${root}/${f}`));
  return { root };
}
