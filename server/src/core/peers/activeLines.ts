// The lines of kamailio.cfg that Kamailio reads as configuration: not a comment, not inside a
// false #!ifdef branch. Bounded: a looping or huge include tree yields at most MAX_LINES lines.
import type { Deployment } from '../deployment';

const MAX_LINES = 200_000;

export interface ActiveLine {
  file: string;
  line: number;
  text: string;
}

export function* activeLines(deployment: Deployment): Generator<ActiveLine> {
  const cfg = deployment.kamailio;
  if (!cfg) return;
  let budget = MAX_LINES;
  for (const file of cfg.files) {
    const text = deployment.text(file);
    if (text === undefined) continue;
    const inactive = cfg.fileInfo.get(file)?.inactiveRanges ?? [];
    const lines = text.split('\n');
    for (let line = 0; line < lines.length && budget-- > 0; line++) {
      const t = lines[line]!;
      const trimmed = t.trimStart();
      if ((trimmed.startsWith('#') && !trimmed.startsWith('#!')) || trimmed.startsWith('//')) continue;
      if (inactive.some((r) => line >= r.start.line && line <= r.end.line)) continue;
      yield { file, line, text: t };
    }
  }
}
