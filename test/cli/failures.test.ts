// Issue 11 through the built `sip-tls check`: a #!subst chain that outgrows sip-tls's budgets
// (17 rules "/a/aa/g", generated chains) no longer ends in "internal error" with nothing
// reported — every format lists the real error and the rule's finding at its line. And a step
// that does fail inside sip-tls is a finding, with valid output and exit code 2 (cli.md).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { runCli as runCliInProcess } from '../../server/src/cli/main';
import { addRuleFamilyForTests } from '../../server/src/core/rules';
import { sarifSchemaErrors } from '../helpers/sarif';
import { makeTempDir, type TempDir } from '../helpers/tempDir';
import { aaChain, chainCase, DEPLOYED_DIR, type ChainCase } from '../helpers/substChains';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));

function folder(c: ChainCase): TempDir {
  const d = makeTempDir('sip-tls-subst-');
  dirs.push(d);
  d.write(c.files);
  return d;
}

interface Reported {
  file: string;
  line: number;
  code: string;
}

function fromJson(stdout: string): Reported[] {
  const report = JSON.parse(stdout) as { diagnostics: { file: string; code: string; range: { start: { line: number } } }[] };
  return report.diagnostics.map((d) => ({ file: d.file, line: d.range.start.line, code: d.code }));
}

function fromSarif(stdout: string, dir: TempDir): Reported[] {
  const log = JSON.parse(stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
  assert.deepEqual(sarifSchemaErrors(log), []);
  return log.runs[0]!.results.map((r) => {
    const loc = r.locations[0]!.physicalLocation;
    return { file: dir.file(decodeURIComponent(loc.artifactLocation.uri)), line: loc.region.startLine - 1, code: r.ruleId };
  });
}

function fromText(stdout: string, dir: TempDir): Reported[] {
  const out: Reported[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^(.+?):(\d+):\d+ \w+ ([\w.-]+) /.exec(line);
    if (m) out.push({ file: dir.file(m[1]!.replace(/^.*\//, '')), line: Number(m[2]) - 1, code: m[3]! });
  }
  return out;
}

function assertReported(c: ChainCase, dir: TempDir, reported: Reported[], format: string): void {
  const shown = JSON.stringify(reported);
  assert.ok(reported.some((r) => r.file === dir.file(c.real.file) && c.real.codes.includes(r.code) && r.line === c.real.line), `${format} ${c.name}: real error missing: ${shown}`);
  for (const want of c.failures) {
    assert.ok(reported.some((r) => r.file === dir.file('kamailio.cfg') && want.codes.includes(r.code) && r.line === want.line), `${format} ${c.name}: ${want.kind} at line ${want.line}: ${shown}`);
  }
}

const CASES = [aaChain(17), aaChain(17, 'tls-off'), ...[3, 11, 16, 24].map((i) => chainCase(11, i))];

for (const c of CASES) {
  test(`check in text, JSON and SARIF: ${c.name}`, () => {
    const dir = folder(c);
    for (const format of ['text', 'json', 'sarif'] as const) {
      const run = runCli(['check', '--format', format, '--map', `${DEPLOYED_DIR}=${dir.path}`, 'kamailio.cfg'], { cwd: dir.path });
      assert.notEqual(run.code, 2, `${format}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /internal error/);
      const reported = format === 'json' ? fromJson(run.stdout) : format === 'sarif' ? fromSarif(run.stdout, dir) : fromText(run.stdout, dir);
      assertReported(c, dir, reported, format);
      if (c.name.includes('/a/aa/g')) assert.ok(reported.some((r) => r.code === 'project.check-limit' && c.directiveLines.includes(r.line)), `${format}: ${JSON.stringify(reported)}`);
    }
  });
}

test('a rule that fails inside sip-tls is a finding in every format, the rest is reported, and the exit code is 2', () => {
  const c = aaChain(17);
  const dir = folder(c);
  const remove = addRuleFamilyForTests({
    name: 'injected',
    run: () => {
      throw new Error('injected failure');
    },
  });
  try {
    for (const format of ['text', 'json', 'sarif'] as const) {
      let stdout = '';
      let stderr = '';
      const code = runCliInProcess(['check', '--format', format, '--map', `${DEPLOYED_DIR}=${dir.path}`, 'kamailio.cfg'], {
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: (t: string) => (stderr += t) },
        cwd: dir.path,
        env: {},
        serve: () => undefined,
      });
      assert.equal(code, 2, `${format}: ${stderr}`);
      assert.match(stderr, /internal error in 1 place/);
      const reported = format === 'json' ? fromJson(stdout) : format === 'sarif' ? fromSarif(stdout, dir) : fromText(stdout, dir);
      assert.ok(reported.some((r) => r.code === 'project.internal-error' && r.file === dir.file('kamailio.cfg') && r.line === 0), `${format}: ${JSON.stringify(reported)}`);
      assertReported(c, dir, reported, format);
    }
  } finally {
    remove();
  }
});
