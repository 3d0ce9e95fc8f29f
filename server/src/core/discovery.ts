// Which files are configurations: `kamailio*.cfg`, files whose first line is `#!KAMAILIO`
// (or `#!OPENSER`, `#!SER`, …) and `tls*.cfg`. Never every `*.cfg`.
import * as posix from 'node:path/posix';
import type { Host } from './host';
import { DEFAULT_MAX_FILE_BYTES } from './host';
import { decodeText } from './text';

const MARKER = /^(?:#|\/\/)!(KAMAILIO|OPENSER|SER|MAXCOMPAT|ALL)[ \t\r]*$/;

export function isTlsConfigName(file: string): boolean {
  return /^tls.*\.cfg$/i.test(posix.basename(file));
}

export function isKamailioConfigName(file: string): boolean {
  return /^kamailio.*\.cfg$/i.test(posix.basename(file));
}

export function firstLineMarker(text: string): string | undefined {
  const nl = text.indexOf('\n');
  const first = nl === -1 ? text : text.slice(0, nl);
  return MARKER.exec(first)?.[1];
}

/** A candidate main configuration: named kamailio*.cfg or marked #!KAMAILIO on its first line. */
export function looksLikeMainKamailioConfig(file: string, text: string | undefined): boolean {
  if (isKamailioConfigName(file)) return true;
  return text !== undefined && firstLineMarker(text) !== undefined;
}

const SKIP_DIRS = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface DiscoveredFiles {
  kamailio: string[];
  tls: string[];
}

/**
 * Search a folder (not into node_modules/.git) for configurations. Bounded: at most `maxFiles`
 * candidates and `maxDepth` levels, so a huge workspace cannot stall the server.
 */
export function findConfigFiles(host: Host, root: string, maxDepth = 12, maxFiles = 5000): DiscoveredFiles {
  const out: DiscoveredFiles = { kamailio: [], tls: [] };
  const visit = (dir: string, depth: number): void => {
    if (depth > maxDepth || out.kamailio.length + out.tls.length >= maxFiles) return;
    const names = host.readDir(dir);
    if (!Array.isArray(names)) return;
    for (const name of [...names].sort()) {
      const p = posix.join(dir, name);
      const st = host.stat(p);
      if ('error' in st) continue;
      if (st.kind === 'directory') {
        if (!SKIP_DIRS.has(name)) visit(p, depth + 1);
      } else if (st.kind === 'file') {
        if (isTlsConfigName(p)) out.tls.push(p);
        else if (isKamailioConfigName(p)) out.kamailio.push(p);
        else if (name.endsWith('.cfg')) {
          const r = host.readFile(p, DEFAULT_MAX_FILE_BYTES);
          if ('bytes' in r && firstLineMarker(decodeText(r.bytes.subarray(0, 64))) !== undefined) out.kamailio.push(p);
        }
      }
    }
  };
  visit(root, 0);
  return out;
}
