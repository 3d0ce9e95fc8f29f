// `npm run precision`: how many of the errors and warnings sip-tls reports on real deployments
// are real problems. Runs the bundled CLI over the corpus of public configurations
// (../shared/corpus, or SIP_TLS_CORPUS) in three views, one repository at a time:
//
//   corpus      each corpus/kamailio/<repo> folder as it is, no flags (what a first run sees)
//   repository  the repository put back together (corpus/kamailio/<repo> + corpus/tls/<repo>), no flags
//   declared    the same with the project file `sip-tls init` writes for it (the layout declared)
//
// Every error and warning is looked up in test/precision/judgments.json — each finding of the
// corpus judged by hand (real problem or false alarm, and why) — and the share judged real is
// printed per code and per view, with every finding outside the checked folder (there must be
// none) and every finding not judged yet. `--strict` exits 1 when something is not judged.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const corpus = path.resolve(process.env.SIP_TLS_CORPUS ?? path.join(ROOT, '..', 'shared', 'corpus'));
const strict = process.argv.includes('--strict');
// Options for every `sip-tls check` (e.g. `npm run precision -- --platform debian-12`): what a
// different default would report.
const checkOptions = process.argv.slice(2).filter((a) => a !== '--strict');

interface Judgment {
  repo: string;
  file: string;
  line: number;
  code: string;
  verdict: 'real' | 'false-alarm';
  why: string;
}

interface Diagnostic {
  file: string;
  range: { start: { line: number } };
  severity: string;
  code: string;
  message: string;
}

type View = 'corpus' | 'repository' | 'declared';

if (!existsSync(path.join(corpus, 'MANIFEST.tsv'))) {
  console.error(`no corpus at ${corpus} (set SIP_TLS_CORPUS)`);
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: npm run build`);
  process.exit(2);
}

const judgments: Judgment[] = JSON.parse(readFileSync(path.join(ROOT, 'test', 'precision', 'judgments.json'), 'utf8')) as Judgment[];
const key = (repo: string, file: string, line: number, code: string) => `${repo}|${file}|${line}|${code}`;
const judged = new Map(judgments.map((j) => [key(j.repo, j.file, j.line, j.code), j]));

const repos = [...new Set([...readdirSync(path.join(corpus, 'kamailio')), ...readdirSync(path.join(corpus, 'tls'))])].sort();
const work = mkdtempSync(path.join(tmpdir(), 'sip-tls-precision-'));

function cli(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The folder a view checks for one repository (undefined when the view has nothing). */
function folderFor(view: View, repo: string): string | undefined {
  const fromCorpus = path.join(corpus, 'kamailio', repo);
  if (view === 'corpus') return existsSync(fromCorpus) ? fromCorpus : undefined;
  const dir = path.join(work, view, repo);
  for (const part of ['kamailio', 'tls']) {
    const src = path.join(corpus, part, repo);
    if (existsSync(src)) cpSync(src, dir, { recursive: true });
  }
  if (view === 'declared') {
    const r = cli(['init', dir], dir);
    if (r.status !== 0) throw new Error(`init ${repo}: ${r.stderr}`);
  }
  return dir;
}

interface Tally {
  real: number;
  false: number;
  unjudged: number;
}

const results: Record<View, { byCode: Map<string, Tally>; outside: string[]; unjudged: string[]; falseAlarms: string[]; total: Tally; repos: number; ms: number }> = {
  corpus: { byCode: new Map(), outside: [], unjudged: [], falseAlarms: [], total: { real: 0, false: 0, unjudged: 0 }, repos: 0, ms: 0 },
  repository: { byCode: new Map(), outside: [], unjudged: [], falseAlarms: [], total: { real: 0, false: 0, unjudged: 0 }, repos: 0, ms: 0 },
  declared: { byCode: new Map(), outside: [], unjudged: [], falseAlarms: [], total: { real: 0, false: 0, unjudged: 0 }, repos: 0, ms: 0 },
};

try {
  for (const view of ['corpus', 'repository', 'declared'] as View[]) {
    const res = results[view];
    for (const repo of repos) {
      const dir = folderFor(view, repo);
      if (!dir) continue;
      const started = performance.now();
      const r = cli(['check', dir, '--format', 'json', ...checkOptions], dir);
      res.ms += performance.now() - started;
      if (r.status !== 0 && r.status !== 1) throw new Error(`${view} ${repo}: exit ${r.status}: ${r.stderr}`);
      res.repos++;
      const diagnostics = (JSON.parse(r.stdout) as { diagnostics: Diagnostic[] }).diagnostics;
      for (const d of diagnostics) {
        const rel = path.relative(dir, d.file);
        if (rel.startsWith('..') || path.isAbsolute(rel)) res.outside.push(`${repo}: ${d.file}: ${d.code}`);
        if (d.severity !== 'error' && d.severity !== 'warning') continue;
        const line = d.range.start.line + 1;
        const j = judged.get(key(repo, rel, line, d.code));
        const tally = res.byCode.get(d.code) ?? { real: 0, false: 0, unjudged: 0 };
        res.byCode.set(d.code, tally);
        const where = `${repo}/${rel}:${line} ${d.severity} ${d.code}: ${d.message.slice(0, 160)}`;
        if (!j) {
          tally.unjudged++;
          res.total.unjudged++;
          res.unjudged.push(where);
        } else if (j.verdict === 'real') {
          tally.real++;
          res.total.real++;
        } else {
          tally.false++;
          res.total.false++;
          res.falseAlarms.push(`${where}\n      false alarm: ${j.why}`);
        }
      }
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const share = (t: Tally) => (t.real + t.false === 0 ? '—' : (t.real / (t.real + t.false)).toFixed(2));
const summary: Record<string, unknown> = {};
for (const view of ['corpus', 'repository', 'declared'] as View[]) {
  const res = results[view];
  console.log(`\n== ${view}: ${res.repos} repositories, ${res.total.real + res.total.false + res.total.unjudged} errors and warnings, precision ${share(res.total)}, ${res.outside.length} findings outside the folder checked, ${(res.ms / res.repos).toFixed(0)} ms per check`);
  console.log('   code                              findings  real  false  unjudged  precision');
  for (const [code, t] of [...res.byCode.entries()].sort()) {
    console.log(`   ${code.padEnd(34)} ${String(t.real + t.false + t.unjudged).padStart(8)} ${String(t.real).padStart(5)} ${String(t.false).padStart(6)} ${String(t.unjudged).padStart(9)}  ${share(t)}`);
  }
  for (const o of res.outside) console.log(`   OUTSIDE ${o}`);
  for (const f of res.falseAlarms) console.log(`   FALSE   ${f}`);
  for (const u of res.unjudged) console.log(`   UNJUDGED ${u}`);
  summary[view] = { repositories: res.repos, findings: res.total.real + res.total.false + res.total.unjudged, real: res.total.real, falseAlarms: res.total.false, unjudged: res.total.unjudged, precision: share(res.total), outside: res.outside.length };
}
console.log(`\n${JSON.stringify({ precision: summary })}`);
const incomplete = Object.values(results).some((r) => r.total.unjudged > 0 || r.outside.length > 0);
process.exit(strict && incomplete ? 1 : 0);
