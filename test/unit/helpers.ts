// Shared helpers for unit tests: run the whole core over an in-memory file system with a fixed
// clock, and find findings by code.
import assert from 'node:assert/strict';
import { Checker } from '../../server/src/core/check';
import { MemoryHost } from '../../server/src/core/memoryHost';
import { defaultSettings, type CheckSettings } from '../../server/src/core/settings';
import { parseVersion } from '../../server/src/core/version';
import type { Finding, Range } from '../../server/src/core/types';

export function settings(overrides: Partial<CheckSettings> & { version?: string } = {}): CheckSettings {
  const { version, ...rest } = overrides;
  return { ...defaultSettings(), ...(version ? { kamailioVersion: parseVersion(version)! } : {}), ...rest };
}

export interface RunResult {
  findings: Finding[];
  host: MemoryHost;
  checker: Checker;
}

/** Check `files` (paths → content); `check` lists the files asked about (default: all). */
export function run(files: Record<string, string | Uint8Array>, options: { check?: string[]; settings?: Partial<CheckSettings> & { version?: string }; mains?: string[] } = {}): RunResult {
  const host = new MemoryHost(files);
  const checker = new Checker(host);
  if (options.mains) checker.workspace.addMainCandidates(options.mains);
  const s = settings(options.settings);
  const out = checker.check({ files: options.check ?? Object.keys(files), settingsFor: () => s });
  return { findings: out.findings, host, checker };
}

export function codes(findings: Finding[], file?: string): string[] {
  return findings.filter((f) => !file || f.file === file).map((f) => f.code);
}

export function only(findings: Finding[], code: string, file?: string): Finding[] {
  return findings.filter((f) => f.code === code && (!file || f.file === file));
}

export function one(findings: Finding[], code: string, file?: string): Finding {
  const hits = only(findings, code, file);
  assert.equal(hits.length, 1, `expected exactly one ${code}${file ? ` in ${file}` : ''}, got ${hits.length}: ${JSON.stringify(findings.map((f) => `${f.code}@${f.file}:${f.range.start.line}`))}`);
  return hits[0]!;
}

export function r(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

/** Apply a fix's edits to a text (edits of one file; applied back to front). */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let i = 0; i < p.line && i < lines.length; i++) o += lines[i]!.length + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
