// The model of a tls.cfg file: profiles (Kamailio calls them "domains") and their options, each
// with exact ranges. Produced by parser.ts, consumed by rules and features.
import type { Range } from '../types';
import type { ParseProblem } from '../kamailio/model';
import type { CryptoMaterial } from '../pki/sniff';
import { excerpt } from '../quote';

export type ProfileRole = 'server' | 'client';

export type ProfileTarget =
  | { kind: 'default' }
  | { kind: 'any' }
  /** `ip` is canonical (ipAddress.ts canonicalIp for IPv6): compare it, do not re-normalise it. */
  | { kind: 'address'; ip: string; family: 4 | 6; port: number }
  /** The header could not be understood (already reported); options are still checked. */
  | { kind: 'invalid' };

export interface TlsOption {
  /** The key as written, e.g. `Certificate`, `cert_file`. */
  key: string;
  keyRange: Range;
  /** Canonical option name (aliases and case folded), undefined when Kamailio does not know it. */
  name?: string;
  /** The value after unescaping (quotes removed). */
  value: string;
  /** Range of the value as written (quotes included). */
  valueRange: Range;
  quoted: boolean;
  /** The whole line including its newline, for "remove this line" fixes. */
  lineRange: Range;
  /** 0-based line of the key. */
  line: number;
}

export interface TlsProfile {
  role: ProfileRole;
  target: ProfileTarget;
  /** Range of the header from '[' to ']'. */
  headerRange: Range;
  /** Header text as written. */
  headerText: string;
  options: TlsOption[];
  /** Last line of the profile body (the line before the next header, or the last line). */
  lastLine: number;
}

export interface TlsConfigDocument {
  file: string;
  profiles: TlsProfile[];
  /** Options that appear before the first header (Kamailio: "Unsupported option"). */
  orphanOptions: TlsOption[];
  /** Syntax problems (tlscfg.syntax, tlscfg.bad-header) in source order. */
  problems: ParseProblem[];
  lineCount: number;
  /** The file is key or certificate material (pki/sniff.ts), not a tls.cfg: it was not parsed. */
  cryptoMaterial?: CryptoMaterial;
}

/** The last value of an option in a profile (Kamailio: duplicate keys, last one wins). */
export function optionValue(profile: TlsProfile, name: string): TlsOption | undefined {
  for (let i = profile.options.length - 1; i >= 0; i--) {
    if (profile.options[i]!.name === name) return profile.options[i];
  }
  return undefined;
}

/** Kamailio's own name for a profile in its log lines (reference §1.3), e.g. `TLSs<1.2.3.4:5061>`. */
export function profileLogName(profile: TlsProfile): string {
  const prefix = profile.role === 'server' ? 'TLSs' : 'TLSc';
  const t = profile.target;
  switch (t.kind) {
    case 'default':
      return `${prefix}<default>`;
    case 'any':
      return `${prefix}<any:${excerpt(optionValue(profile, 'server_name')?.value ?? '')}>`;
    case 'address':
      return `${prefix}<${t.ip}:${t.port}>`;
    default:
      return `${prefix}<${excerpt(profile.headerText)}>`;
  }
}

/**
 * A profile with a syntax error in its body: Kamailio stops at that line, and what the profile
 * seems to omit may be just what the broken line sets (`certificate /x.pem` without '='). One
 * root cause, one finding: nothing is judged about its omitted options.
 */
export function hasBrokenLines(doc: TlsConfigDocument, profile: TlsProfile): boolean {
  const first = profile.headerRange.start.line;
  return doc.problems.some((p) => p.code === 'tlscfg.syntax' && p.range.start.line > first && p.range.start.line <= profile.lastLine);
}
