// `sip-tls check DIR` on folders full of symbolic links (the bundled CLI, as CI runs it): links
// to `.` once made the folder search exponential (4 links: over two minutes). It finishes, finds
// each real configuration once, and a budget the search crossed is a project.check-limit finding
// in every format — or, when the search found nothing to carry it, a line on stderr.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { generateLayout, buildOnDisk } from '../helpers/linkLayouts';
import { makeTempDir, type TempDir } from '../helpers/tempDir';
import { CLEAN_TLS_CFG, folderWith } from './fixtures';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));

const TYPO_TLS_CFG = CLEAN_TLS_CFG + 'require_certiificate = yes\n';

interface JsonReport {
  files: string[];
  diagnostics: { file: string; code: string; severity: string; message: string }[];
}

function checkJson(cwd: string, ...args: string[]): { report: JsonReport; stderr: string } {
  const run = runCli(['check', '--format', 'json', ...args], { cwd });
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return { report: JSON.parse(run.stdout) as JsonReport, stderr: run.stderr };
}

test('six links to `.` at two levels: the check finishes and reports the real findings once', () => {
  const dir = folderWith({ 'tls.cfg': TYPO_TLS_CFG, 'conf/tls-peers.cfg': TYPO_TLS_CFG });
  dirs.push(dir);
  for (let i = 0; i < 6; i++) symlinkSync('.', dir.file(`here${i}`));
  for (let i = 0; i < 6; i++) symlinkSync('.', dir.file(`conf/again${i}`));
  symlinkSync('..', dir.file('conf/up'));
  const { report, stderr } = checkJson(dir.path, '.');
  assert.deepEqual(report.files, [dir.file('conf/tls-peers.cfg'), dir.file('tls.cfg')]);
  const typos = report.diagnostics.filter((d) => d.code === 'tlscfg.unknown-option');
  assert.deepEqual(typos.map((d) => d.file).sort(), [dir.file('conf/tls-peers.cfg'), dir.file('tls.cfg')]);
  // Loops are normal: no finding, nothing on stderr.
  assert.ok(!report.diagnostics.some((d) => d.code === 'project.check-limit'), JSON.stringify(report.diagnostics));
  assert.equal(stderr, '');
});

test('generated link layouts: the links change nothing, the same files and findings as without them', () => {
  const relative = (root: string, report: JsonReport) => ({
    files: report.files.map((f) => f.slice(root.length + 1)),
    findings: report.diagnostics.map((d) => `${d.file.slice(root.length + 1)} ${d.severity} ${d.code}`).sort(),
  });
  for (let seed = 1; seed <= 6; seed++) {
    const layout = generateLayout(500 + seed, { dotLinks: seed });
    const [withLinks, without] = [makeTempDir('sip-tls-walk-cli-'), makeTempDir('sip-tls-walk-cli-')];
    dirs.push(withLinks, without);
    const linked = buildOnDisk(layout, withLinks.path).root;
    const plain = buildOnDisk({ ...layout, links: [], fifos: [] }, without.path).root;
    const got = relative(linked, checkJson(linked, '.').report);
    for (const f of got.files) assert.ok(!f.startsWith('/') && !f.startsWith('..'), `${f}; ${layout.description}`);
    assert.deepEqual(got, relative(plain, checkJson(plain, '.').report), layout.description);
  }
});

test('a folder search cut by the depth budget says so on the first file found, in text, JSON and SARIF', () => {
  const dir = folderWith({ 'tls.cfg': CLEAN_TLS_CFG });
  dirs.push(dir);
  const deep = Array.from({ length: 14 }, (_, i) => `l${i}`).join('/');
  mkdirSync(dir.file(deep), { recursive: true });
  const { report } = checkJson(dir.path, '.');
  const limits = report.diagnostics.filter((d) => d.code === 'project.check-limit');
  assert.equal(limits.length, 1, JSON.stringify(report.diagnostics));
  assert.equal(limits[0]!.file, dir.file('tls.cfg'));
  assert.equal(limits[0]!.severity, 'warning');
  assert.match(limits[0]!.message, /1 folder more than 12 levels below .* was not searched \(first: l0\/l1\/.*l12\)/);
  const text = runCli(['check', '.'], { cwd: dir.path });
  assert.equal(text.code, 0, text.stdout);
  assert.match(text.stdout, /^tls\.cfg:1:1 warning project\.check-limit /m);
  const sarif = runCli(['check', '--format', 'sarif', '.'], { cwd: dir.path });
  const results = (JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] }).runs[0]!.results;
  assert.ok(results.some((r) => r.ruleId === 'project.check-limit'), sarif.stdout);
});

test('a cut search that found nothing says so on stderr, beside "nothing to check" (exit 2)', () => {
  const dir = makeTempDir();
  dirs.push(dir);
  const deep = Array.from({ length: 14 }, (_, i) => `l${i}`).join('/');
  dir.write({ [`${deep}/tls.cfg`]: CLEAN_TLS_CFG });
  const run = runCli(['check', '.'], { cwd: dir.path });
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /^sip-tls: 1 folder more than 12 levels below .* was not searched/m);
  assert.match(run.stderr, /nothing to check: a folder without kamailio\*\.cfg, #!KAMAILIO or tls\*\.cfg files/);
});
