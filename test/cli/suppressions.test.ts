// Suppression comments through the CLI: the exit code counts what is shown, the text summary
// counts what was suppressed, JSON lists it with its reason, and SARIF carries it as a result
// with `suppressions` (valid against the official schema).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { sarifSchemaErrors } from '../helpers/sarif';
import { CLEAN_TLS_CFG, foldersRemovedAfter } from './fixtures';

const { folder } = foldersRemovedAfter();
const SUPPRESSED = CLEAN_TLS_CFG + 'require_certiificate = no # sip-tls: ignore tlscfg.unknown-option -- read by a deploy script\n';

test('a suppressed error does not fail the check; it is counted, listed in JSON and SARIF with its reason', () => {
  const dir = folder({ 'tls.cfg': SUPPRESSED });
  const text = runCli(['check', '--no-color'], { cwd: dir.path });
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /; 1 suppressed by sip-tls: ignore comments/);
  assert.doesNotMatch(text.stdout, /tlscfg\.unknown-option/);

  const json = JSON.parse(runCli(['check', '--format', 'json'], { cwd: dir.path }).stdout) as { diagnostics: { code: string }[]; suppressed: { code: string; justification: string }[] };
  assert.ok(!json.diagnostics.some((d) => d.code === 'tlscfg.unknown-option'));
  assert.deepEqual(json.suppressed.map((s) => [s.code, s.justification]), [['tlscfg.unknown-option', 'read by a deploy script']]);

  const sarif = JSON.parse(runCli(['check', '--format', 'sarif'], { cwd: dir.path }).stdout) as { runs: { results: { ruleId: string; suppressions?: unknown }[] }[] };
  assert.deepEqual(sarifSchemaErrors(sarif), []);
  assert.deepEqual(sarif.runs[0]!.results.filter((r) => r.suppressions).map((r) => [r.ruleId, r.suppressions]), [['tlscfg.unknown-option', [{ kind: 'inSource', justification: 'read by a deploy script' }]]]);

  // The same line without the comment fails.
  const plain = folder({ 'tls.cfg': SUPPRESSED.replace(/ # sip-tls:.*$/m, '') });
  assert.equal(runCli(['check'], { cwd: plain.path }).code, 1);
});

test('a suppression without a reason warns (fails --fail-on warning); an unknown code suppresses nothing', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG + 'require_certiificate = no # sip-tls: ignore tlscfg.unknown-option\n' });
  assert.equal(runCli(['check'], { cwd: dir.path }).code, 0);
  const strict = runCli(['check', '--fail-on', 'warning', '--no-color'], { cwd: dir.path });
  assert.equal(strict.code, 1);
  assert.match(strict.stdout, /suppression\.no-reason/);
  const typo = folder({ 'tls.cfg': CLEAN_TLS_CFG + 'require_certiificate = no # sip-tls: ignore tlscfg.unknwn-option -- x\n' });
  const r = runCli(['check', '--no-color'], { cwd: typo.path });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /did you mean 'tlscfg\.unknown-option'/);
});
