// File names in the text output as the user wrote them: `check ../deploy/etc` reports
// `../deploy/etc/tls.cfg`, `check ./etc/` reports `./etc/tls.cfg`, an absolute PATH stays
// absolute. A file outside every PATH (a tls.cfg a kamailio.cfg loads from elsewhere) is named
// relative to the current folder when inside it, else absolutely.
import * as path from 'node:path';
import { displayPath } from './formatText';

export function namesAsTyped(absolute: readonly string[], typed: readonly string[], cwd: string): (file: string) => string {
  // The longest PATH first: `check etc etc/tls` names etc/tls/tls.cfg after the nearer one.
  const roots = absolute
    .map((abs, i) => ({ abs, typed: typed[i] }))
    .filter((r): r is { abs: string; typed: string } => r.typed !== undefined)
    .sort((a, b) => b.abs.length - a.abs.length);
  return (file) => {
    for (const root of roots) {
      if (file === root.abs) return root.typed;
      const rel = path.relative(root.abs, file);
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (root.typed === '.') return rel;
      return root.typed.endsWith('/') ? root.typed + rel : `${root.typed}/${rel}`;
    }
    return displayPath(file, cwd);
  };
}
