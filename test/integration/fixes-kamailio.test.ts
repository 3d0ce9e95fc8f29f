// Applying a quick fix never breaks a configuration for Kamailio. For every oracle case (the
// configuration cases and the certificate cases of test/fixtures/kamailioCases.ts), every fix
// `sip-tls check --format json` offers is applied to a copy of the case folder — new files
// created (never over an existing one), then the edits — and the real Kamailio runs on the copy:
//   - a configuration `kamailio -c` accepted is still accepted, one Kamailio started still starts;
//   - the fixed copy never fails with a parse error the original did not have;
//   - and the fixed finding is gone when sip-tls checks the copy again.
//
//   npm run test:integration  (or: node --import tsx --test test/integration/fixes-kamailio.test.ts)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { CERTIFICATE_CASES, KAMAILIO_CASES, type KamailioCase } from '../fixtures/kamailioCases';
import { checkArgsFor, kamailioAvailable, makeRunDir, runCase, runKamailio, shortError, type CaseRun, type KamailioVerdict } from './kamailioOracle';
import { needs } from './needs';

const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli.js');
const kamailio = kamailioAvailable();

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface JsonFix {
  title: string;
  createFiles: { file: string; content: string }[];
  edits: { file: string; range: Range; newText: string }[];
}
interface JsonDiagnostic {
  file: string;
  severity: string;
  code: string;
  range: Range;
  fixes?: JsonFix[];
}

function check(c: KamailioCase, run: CaseRun, cfgFile: string): JsonDiagnostic[] {
  const r = spawnSync(process.execPath, [CLI, 'check', cfgFile, '--format', 'json', '--kamailio-version', '5.6', ...checkArgsFor(c, run)], { encoding: 'utf8', timeout: 30_000 });
  assert.ok(r.status === 0 || r.status === 1, `sip-tls check failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

function offsetOf(text: string, p: Range['start']): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + p.character, text.length);
}

/** Applies a fix inside `copy` (paths of the original folder `dir` are moved there). */
function applyFix(fix: JsonFix, dir: string, copy: string): void {
  const moved = (file: string) => (file.startsWith(dir + '/') ? copy + file.slice(dir.length) : file);
  for (const c of fix.createFiles) {
    const target = moved(c.file);
    assert.ok(!existsSync(target), `the fix '${fix.title}' would overwrite ${target}`);
    writeFileSync(target, c.content, { flag: 'wx' });
  }
  const byFile = new Map<string, JsonFix['edits']>();
  for (const e of fix.edits) byFile.set(moved(e.file), [...(byFile.get(moved(e.file)) ?? []), e]);
  for (const [file, edits] of byFile) {
    let text = readFileSync(file, 'utf8');
    // From the end, so that earlier offsets stay valid.
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    for (const e of sorted) text = text.slice(0, offsetOf(text, e.range.start)) + e.newText + text.slice(offsetOf(text, e.range.end));
    writeFileSync(file, text);
  }
}

const PARSE_ERROR = /parse error|Unsupported option|syntax error|bad config file|unexpected|Invalid (IPv4|IPv6|value)|illegal/i;

function describe(v: KamailioVerdict): string {
  return `-c rc ${v.checkRc}, start rc ${v.startRc}${v.firstError ? `: ${shortError(v.firstError)}` : ''}`;
}

const base = makeRunDir('sip-tls-fixes-');
after(() => {
  if (process.env.ORACLE_KEEP === '1') console.log(`case folders kept in ${base}`);
  else rmSync(base, { recursive: true, force: true });
});

test('every fix keeps the configuration acceptable to real Kamailio, and removes its finding', async (t) => {
  if (!needs(t, kamailio.ok, `Kamailio is required: ${kamailio.reason}`)) return;
  if (!needs(t, existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`)) return;
  let applied = 0;
  const cases = [...KAMAILIO_CASES, ...CERTIFICATE_CASES].filter((c) => !c.oracleOnly && !c.runAs);
  for (const c of cases) {
    const run = await runCase(c, base);
    const fixable = check(c, run, run.cfgFile).filter((d) => d.fixes && d.fixes.length > 0);
    for (const d of fixable) {
      for (const [i, fix] of d.fixes!.entries()) {
        await t.test(`${c.name}: ${d.code} — ${fix.title}`, async () => {
          const copy = `${run.dir}-fix-${applied++}`;
          cpSync(run.dir, copy, { recursive: true, verbatimSymlinks: true });
          // Paths inside the configuration name the original folder: point them at the copy.
          for (const f of ['kamailio.cfg', c.tlsCfgPath ?? 'tls.cfg']) {
            const p = join(copy, f);
            if (existsSync(p)) writeFileSync(p, readFileSync(p, 'utf8').split(run.dir + '/').join(copy + '/'));
          }
          applyFix(fix, run.dir, copy);
          const cfg = join(copy, 'kamailio.cfg');
          const after = await runKamailio(cfg, { cwd: copy });
          const context = `${c.title}\nfix ${i + 1} of ${d.code}: ${fix.title}\nbefore: ${describe(run.verdict)}\nafter:  ${describe(after)}\ncopy: ${copy}`;
          if (run.verdict.checkOk) assert.ok(after.checkOk, `kamailio -c accepted the original but not the fixed copy\n${context}`);
          const again = check(c, run, cfg);
          // A fix may switch something on (loadmodule "tls.so") that needs more than the fix can
          // give (certificates): then sip-tls must say so on the fixed copy.
          if (run.verdict.started && !after.started) {
            assert.ok(again.some((x) => x.severity === 'error'), `Kamailio started with the original but not with the fixed copy, and sip-tls reports no error on the copy\n${context}`);
          }
          if (after.firstError && PARSE_ERROR.test(after.firstError)) {
            assert.ok(run.verdict.firstError && PARSE_ERROR.test(run.verdict.firstError), `the fix introduced a parse error\n${context}`);
          }
          const stillThere = again.filter((x) => x.code === d.code && x.file === (d.file.startsWith(run.dir + '/') ? copy + d.file.slice(run.dir.length) : d.file) && x.range.start.line === d.range.start.line && x.range.start.character === d.range.start.character);
          assert.deepEqual(stillThere.map((x) => x.code), [], `the finding is still reported after its fix\n${context}`);
        });
      }
    }
  }
  assert.ok(applied >= 20, `only ${applied} fixes were exercised: the case set should offer many more`);
});
