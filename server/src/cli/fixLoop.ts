// `check --fix` / `--fix-dry-run`: apply the fixes that need no choice, as eslint --fix does —
// pass after pass (a fix can reveal the next finding), each pass re-checked before it is kept.
// Only configuration text is edited: a fix that creates files (a fullchain, a split key) is never
// applied from here, and neither is one that edits a certificate, a key or a file outside what
// was checked. Nothing is written here: the caller writes `changed` (fixWriter.ts) or diffs it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { notAConfiguration } from '../core/discovery';
import { LineIndex } from '../core/text';
import type { Finding, FixData } from '../core/types';
import type { CheckOptions } from './args';
import { runCheck, type CheckResult } from './runCheck';

/** eslint's limit: a fix that keeps producing fixes is not allowed to run forever. */
const MAX_PASSES = 10;

export interface FixRun {
  /** The check of the fixed texts: what remains. */
  result: CheckResult;
  /** Every file a fix changed: its text as read, and as fixed. */
  changed: Map<string, { original: string; fixed: string }>;
  /** Findings fixed. */
  fixed: number;
  /** Fixes not applied because the re-check refused them, said in words. */
  refused: string[];
}

/** The one fix the editor marks as the obvious one, when it only edits text. */
function safeFix(f: Finding): FixData | undefined {
  const fix = f.fixes?.find((x) => x.isPreferred);
  if (!fix || (fix.createFiles ?? []).length > 0 || fix.edits.length === 0) return undefined;
  return fix;
}

/** Folders whose files --fix may change: the folders checked, the folders of named files, the current one. */
function writableRoots(options: CheckOptions, cwd: string): string[] {
  return [cwd, ...options.paths.map((p) => (isDirectory(p) ? p : path.dirname(p)))];
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function inside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The text of a file --fix may edit, or why not: a file reached through a symbolic link (the edit
 * would land elsewhere), outside the folders checked, not UTF-8 (writing it back would replace
 * bytes), or key/certificate material.
 */
function editableText(file: string, roots: readonly string[], stdin: { file: string; text: string } | undefined): { text: string } | { refused: string } {
  if (stdin?.file === file) return { text: stdin.text };
  try {
    if (fs.lstatSync(file).isSymbolicLink() || fs.realpathSync(file) !== file) return { refused: 'it is reached through a symbolic link' };
    if (!roots.some((r) => inside(file, r))) return { refused: 'it is outside the folders checked' };
    const text = STRICT_UTF8.decode(fs.readFileSync(file));
    if (notAConfiguration(text) !== undefined) return { refused: 'it is not a configuration' };
    return { text };
  } catch (error) {
    return { refused: error instanceof TypeError ? 'it is not UTF-8 text' : `it cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
}

function applyEdits(text: string, edits: readonly { range: Finding['range']; newText: string }[]): string {
  const index = new LineIndex(text);
  const sorted = edits.map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText })).sort((a, b) => b.start - a.start);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** An error named without its numbers (lines move when a fix adds or removes one). */
function errorKey(f: Finding): string {
  return `${f.file}\0${f.code}\0${f.message.replace(/[0-9]+/g, '#')}`;
}

function counts<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

/**
 * A pass is kept when every finding it fixed is gone (fewer findings of that code in that file)
 * and no error appears that was not there before.
 */
function passRefusal(before: CheckResult, after: CheckResult, fixedFindings: readonly Finding[]): string | undefined {
  const byCode = (f: Finding) => `${f.file}\0${f.code}`;
  const was = counts(before.findings, byCode);
  const now = counts(after.findings, byCode);
  for (const [k, n] of counts(fixedFindings, byCode)) if ((now.get(k) ?? 0) > (was.get(k) ?? 0) - n) return `the finding is still there afterwards`;
  const errorsBefore = counts(before.findings.filter((f) => f.severity === 'error'), errorKey);
  const errorsAfter = counts(after.findings.filter((f) => f.severity === 'error'), errorKey);
  const fresh = after.findings.find((f) => f.severity === 'error' && (errorsAfter.get(errorKey(f)) ?? 0) > (errorsBefore.get(errorKey(f)) ?? 0));
  return fresh ? `it would bring a new error, ${fresh.code}` : undefined;
}

export function runFixes(options: CheckOptions, cwd: string, stdin?: { file: string; text: string }): FixRun {
  const roots = writableRoots(options, cwd);
  const texts = new Map<string, string>();
  const originals = new Map<string, string>();
  const unfixable = new Map<string, string>();
  const refusedKeys = new Set<string>();
  const refused: string[] = [];
  let fixed = 0;
  const check = () => runCheck(options, cwd, stdin, texts);
  let result = check();

  const textOf = (file: string): string | undefined => {
    const current = texts.get(file);
    if (current !== undefined) return current;
    if (unfixable.has(file)) return undefined;
    const r = editableText(file, roots, stdin);
    if ('refused' in r) {
      unfixable.set(file, r.refused);
      return undefined;
    }
    originals.set(file, r.text);
    return r.text;
  };
  const refusalKey = (f: Finding, fix: FixData) => `${errorKey(f)}\0${fix.title}`;

  for (let pass = 0; pass < MAX_PASSES; pass++) {
    // This pass's fixes: per file, ones whose edits overlap none taken before them.
    const chosen: { finding: Finding; fix: FixData }[] = [];
    const taken = new Map<string, { start: number; end: number }[]>();
    for (const finding of result.findings) {
      const fix = safeFix(finding);
      if (!fix || refusedKeys.has(refusalKey(finding, fix))) continue;
      if (!fix.edits.every((e) => result.files.includes(e.file) && textOf(e.file) !== undefined)) continue;
      const spans = fix.edits.map((e) => {
        const index = new LineIndex(textOf(e.file)!);
        return { file: e.file, start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end) };
      });
      // Two insertions at one offset overlap too: their order would be a choice.
      const overlaps = spans.some((s) => (taken.get(s.file) ?? []).some((t) => (s.start < t.end && t.start < s.end) || s.start === t.start));
      if (overlaps) continue;
      for (const s of spans) taken.set(s.file, [...(taken.get(s.file) ?? []), s]);
      chosen.push({ finding, fix });
    }
    if (chosen.length === 0) break;

    let lastRefusal = '';
    const attempt = (group: readonly { finding: Finding; fix: FixData }[]): CheckResult | undefined => {
      const saved = new Map(texts);
      const byFile = new Map<string, FixData['edits']>();
      for (const { fix } of group) for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      for (const [file, edits] of byFile) texts.set(file, applyEdits(textOf(file)!, edits));
      const after = check();
      const refusal = passRefusal(result, after, group.map((g) => g.finding));
      if (refusal === undefined) return after;
      lastRefusal = refusal;
      texts.clear();
      for (const [k, v] of saved) texts.set(k, v);
      return undefined;
    };

    const together = attempt(chosen);
    if (together) {
      result = together;
      fixed += chosen.length;
      continue;
    }
    // The pass as a whole made things worse: keep the fixes that hold one by one.
    for (const c of chosen) {
      const alone = attempt([c]);
      if (alone) {
        result = alone;
        fixed++;
        break; // the other fixes' ranges were measured on the text before this one
      }
      refusedKeys.add(refusalKey(c.finding, c.fix));
      refused.push(`${path.relative(cwd, c.finding.file) || c.finding.file}:${c.finding.range.start.line + 1}: ${c.finding.code}: fix not applied (${c.fix.title}): ${lastRefusal}`);
    }
  }

  const changed = new Map<string, { original: string; fixed: string }>();
  for (const [file, text] of texts) {
    const original = originals.get(file)!;
    if (text !== original) changed.set(file, { original, fixed: text });
  }
  return { result, changed, fixed, refused };
}
