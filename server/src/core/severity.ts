// Per-code severity overrides (settings `sipTls.severity`, CLI `--severity CODE=LEVEL`).
import type { Finding } from './types';
import type { SeverityOverride } from './settings';

export function applySeverityOverrides(findings: Finding[], overrides: Record<string, SeverityOverride>): Finding[] {
  if (Object.keys(overrides).length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const o = overrides[f.code];
    if (o === 'off') continue;
    out.push(o ? { ...f, severity: o } : f);
  }
  return out;
}
