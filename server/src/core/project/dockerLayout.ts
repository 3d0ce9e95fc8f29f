// Where a repository's folders end up inside its containers, read from its docker-compose files
// (service volumes) and Dockerfiles (COPY/ADD): `./kamailio:/etc/kamailio` means the deployed
// /etc/kamailio is the repository's kamailio/ folder. Named volumes, host paths outside the
// repository and VOLUME declarations are the opposite: what is under them only exists once
// deployed.
import * as posix from 'node:path/posix';
import { parseDocument, isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Host } from '../host';
import { DEFAULT_MAX_FILE_BYTES } from '../host';
import { decodeText } from '../text';
import { isInside } from '../scope';
import { walkTree } from '../walk';

/** One fact about the deployed layout, with where it was read. */
export interface LayoutFact {
  /** Deployed path (in the container). */
  deployed: string;
  /** The repository folder or file it is, or undefined when it only exists once deployed. */
  local?: string;
  /** `docker-compose.yml:12` — for messages. */
  source: string;
  /** The service (compose) or image (Dockerfile) it belongs to, when known. */
  service?: string;
}

const COMPOSE_NAME = /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/i;
const DOCKERFILE_NAME = /^(Dockerfile|Containerfile)([.-][\w.-]+)?$|\.Dockerfile$/i;
/**
 * Folders holding build files in repositories of this kind are shallow (docker/, deploy/, …):
 * these bounds are the search's own, far below the walk's budgets, and reaching them is normal.
 */
const MAX_DEPTH = 3;
const MAX_FILES = 40;
const MAX_FOLDERS = 200;
const SKIP = new Set(['node_modules', '.git', '.hg', '.svn', 'vendor']);
/** Compose/Dockerfiles are small; a large one is not read (a generated or hostile file). */
const MAX_BUILD_FILE_BYTES = 512 * 1024;

/** Compose files and Dockerfiles below `root`, shallow and bounded (walk.ts). */
export function findBuildFiles(host: Host, root: string): { compose: string[]; dockerfiles: string[] } {
  const out = { compose: [] as string[], dockerfiles: [] as string[] };
  walkTree(host, root, {
    budgets: { depth: MAX_DEPTH, files: MAX_FILES, directories: MAX_FOLDERS },
    skipFolder: (name) => SKIP.has(name) || name.startsWith('.'),
    select: (name) => COMPOSE_NAME.test(name) || DOCKERFILE_NAME.test(name),
    accept: (p, st) => {
      if (st.size > MAX_BUILD_FILE_BYTES) return false;
      if (COMPOSE_NAME.test(posix.basename(p))) out.compose.push(p);
      else out.dockerfiles.push(p);
      return true;
    },
  });
  return out;
}

function readSmall(host: Host, file: string): string | undefined {
  const r = host.readFile(file, Math.min(MAX_BUILD_FILE_BYTES, DEFAULT_MAX_FILE_BYTES));
  return 'bytes' in r ? decodeText(r.bytes) : undefined;
}

/** Every layout fact of the build files below `root`. */
export function readDockerLayout(host: Host, root: string): LayoutFact[] {
  const { compose, dockerfiles } = findBuildFiles(host, root);
  const facts: LayoutFact[] = [];
  for (const file of compose) {
    const text = readSmall(host, file);
    if (text !== undefined) facts.push(...composeFacts(file, text, root));
  }
  for (const file of dockerfiles) {
    const text = readSmall(host, file);
    if (text !== undefined) facts.push(...dockerfileFacts(file, text, posix.dirname(file), root));
  }
  return facts;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** `services.*.volumes` of one compose file (short `src:dst[:mode]` and long `{source, target}` forms). */
export function composeFacts(file: string, text: string, root: string): LayoutFact[] {
  let doc;
  try {
    doc = parseDocument(text, { uniqueKeys: false });
  } catch {
    return [];
  }
  if (doc.errors.length > 0) return [];
  const services = doc.get('services', true);
  if (!isMap(services)) return [];
  const dir = posix.dirname(file);
  const where = (node: YamlNode | undefined): string => `${posix.relative(root, file) || posix.basename(file)}:${node?.range ? lineOf(text, node.range[0]) : 1}`;
  const facts: LayoutFact[] = [];
  for (const pair of services.items) {
    const service = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const body = pair.value;
    if (!isMap(body)) continue;
    const volumes = body.get('volumes', true);
    if (!isSeq(volumes)) continue;
    for (const item of volumes.items) {
      let source: string | undefined;
      let target: string | undefined;
      if (isScalar(item) && typeof item.value === 'string') {
        const parts = splitVolume(item.value);
        if (!parts) continue;
        [source, target] = parts;
      } else if (isMap(item)) {
        const s = item.get('source');
        const t = item.get('target');
        const type = item.get('type');
        if (typeof t !== 'string') continue;
        target = t;
        source = typeof s === 'string' ? s : undefined;
        if (type === 'volume' || type === 'tmpfs') source = undefined;
      } else continue;
      if (!target || !posix.isAbsolute(target) || target.includes('$')) continue;
      const fact: LayoutFact = { deployed: trimSlash(posix.normalize(target)), source: where(item as YamlNode), ...(service ? { service } : {}) };
      const local = source !== undefined ? hostPath(source, dir) : undefined;
      if (local === 'unknown') continue;
      if (local && isInside(local, root)) fact.local = local;
      facts.push(fact);
    }
  }
  return facts;
}

/** `./a:/b:ro` → ['./a', '/b']; a named volume `data:/b` → [undefined-ish name, '/b']. */
function splitVolume(spec: string): [string | undefined, string] | undefined {
  const parts = spec.split(':');
  if (parts.length === 1) return [undefined, parts[0]!]; // an anonymous volume
  const [source, target] = parts;
  if (source === undefined || target === undefined) return undefined;
  return [source, target];
}

/**
 * The host side of a volume: a path (relative to the compose file), 'unknown' when it holds a
 * variable, undefined for a named volume (compose: a source without '/' or '.' is a volume name).
 */
function hostPath(source: string, dir: string): string | 'unknown' | undefined {
  if (source.includes('$')) return 'unknown';
  if (source.startsWith('~')) return 'unknown';
  if (posix.isAbsolute(source)) return posix.normalize(source);
  if (source.startsWith('.')) return posix.normalize(posix.join(dir, source));
  return undefined;
}

/** COPY/ADD (without --from) and VOLUME of one Dockerfile; sources relative to its folder. */
export function dockerfileFacts(file: string, text: string, context: string, root: string): LayoutFact[] {
  const facts: LayoutFact[] = [];
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  let lineNo = 0;
  let workdir = '/';
  const rel = posix.relative(root, file) || posix.basename(file);
  const physical = text.split(/\r?\n/);
  for (const line of lines) {
    lineNo++;
    const m = /^\s*(COPY|ADD|VOLUME|WORKDIR)\s+(.*)$/i.exec(line);
    if (!m) continue;
    const instruction = m[1]!.toUpperCase();
    const args = parseArgs(m[2]!);
    const at = `${rel}:${physicalLine(physical, line, lineNo)}`;
    if (instruction === 'WORKDIR') {
      if (args[0] && !args[0].includes('$')) workdir = posix.isAbsolute(args[0]) ? args[0] : posix.join(workdir, args[0]);
      continue;
    }
    if (instruction === 'VOLUME') {
      for (const v of args) if (posix.isAbsolute(v) && !v.includes('$')) facts.push({ deployed: posix.normalize(v), source: at });
      continue;
    }
    const plain = args.filter((a) => !a.startsWith('--'));
    if (args.some((a) => a.startsWith('--from'))) continue;
    if (plain.length < 2) continue;
    const destRaw = plain[plain.length - 1]!;
    const sources = plain.slice(0, -1);
    if (destRaw.includes('$') || sources.some((s) => s.includes('$') || /[*?[]/.test(s) || /^https?:/.test(s))) continue;
    const dest = posix.isAbsolute(destRaw) ? destRaw : posix.join(workdir, destRaw);
    const destIsDir = destRaw.endsWith('/') || sources.length > 1;
    for (const s of sources) {
      const local = posix.normalize(posix.join(context, s));
      if (!isInside(local, root)) continue;
      // COPY dir/ /etc/kamailio/ copies the folder's contents; COPY file /etc/kamailio/ puts it inside.
      const isFolder = s.endsWith('/') || s === '.';
      const deployed = destIsDir && !isFolder ? posix.join(dest, posix.basename(s)) : dest;
      facts.push({ deployed: trimSlash(posix.normalize(deployed)), local: local.length > 1 && local.endsWith('/') ? local.slice(0, -1) : local, source: at });
    }
  }
  return facts;
}

function trimSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** The physical line a logical (continued) line starts on. */
function physicalLine(physical: string[], logical: string, fallback: number): number {
  const head = logical.trim().slice(0, 40);
  const i = physical.findIndex((l) => l.trim().startsWith(head));
  return i === -1 ? fallback : i + 1;
}

/** Shell-form or JSON-form arguments. */
function parseArgs(rest: string): string[] {
  const trimmed = rest.trim();
  if (trimmed.startsWith('[')) {
    try {
      const v: unknown = JSON.parse(trimmed);
      if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
    } catch {
      /* shell form after all */
    }
  }
  return trimmed.split(/\s+/).filter((a) => a !== '');
}

/** An image a service runs or a Dockerfile builds from, with where it was read. */
export interface ImageHint {
  image: string;
  source: string;
}

/** `image:` of compose services and `FROM` of Dockerfiles below `root`. */
export function readImages(host: Host, root: string): ImageHint[] {
  const { compose, dockerfiles } = findBuildFiles(host, root);
  const out: ImageHint[] = [];
  for (const file of compose) {
    const text = readSmall(host, file);
    if (text === undefined) continue;
    const rel = posix.relative(root, file) || posix.basename(file);
    text.split(/\r?\n/).forEach((line, i) => {
      const m = /^\s*image:\s*["']?([^\s"'#]+)/.exec(line);
      if (m) out.push({ image: m[1]!, source: `${rel}:${i + 1}` });
    });
  }
  for (const file of dockerfiles) {
    const text = readSmall(host, file);
    if (text === undefined) continue;
    const rel = posix.relative(root, file) || posix.basename(file);
    text.split(/\r?\n/).forEach((line, i) => {
      const m = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)/i.exec(line);
      if (m) out.push({ image: m[1]!, source: `${rel}:${i + 1}` });
    });
  }
  return out;
}
