// The benchmark's fleet generator (scripts/bench) must keep producing a deployment the checker
// accepts: a benchmark on a broken fleet would time error reporting instead of a real check.
// A reduced fleet (24 profiles, 1,500 routing lines) keeps this fast; no timing is asserted.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { generateFleet } from '../../scripts/bench/fleet';
import { FleetPki } from '../../scripts/bench/pki';
import { runCli } from '../helpers/cli';
import { makeTempDir, type TempDir } from '../helpers/tempDir';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));

interface JsonReport {
  files: string[];
  diagnostics: { file: string; severity: string; code: string; message: string }[];
}

test('the bench fleet generator writes a deployment sip-tls check parses without error findings', { timeout: 120_000 }, async () => {
  const dir = makeTempDir('sip-tls-bench-fleet-');
  dirs.push(dir);
  const pki = await FleetPki.create(8);
  const fleet = generateFleet(dir.path, pki, { scale: 2, baseProfiles: 12, baseLines: 750 });
  assert.equal(fleet.profiles.length, 24);
  assert.ok(fleet.mainLines >= 1400, `kamailio.cfg has ${fleet.mainLines} lines`);
  for (const kind of ['server-default', 'client-default', 'server-address', 'server-sni', 'client-any', 'client-address'] as const) {
    assert.ok(fleet.profiles.some((p) => p.kind === kind), `a ${kind} profile`);
  }

  const run = runCli(['check', dir.path, '--format', 'json'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout.slice(0, 2000) + run.stderr);
  const report = JSON.parse(run.stdout) as JsonReport;
  // The main file, its include_file fragments and tls.cfg all took part.
  for (const file of [fleet.kamailioCfg, fleet.tlsCfg, ...fleet.fragments]) assert.ok(report.files.includes(file), `${file} was checked`);
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  assert.deepEqual(errors, []);
});
