// The GitHub Action (action.yml + scripts/action/run.mjs) and the pre-commit hook
// (.pre-commit-hooks.yaml), exercised offline: every input reaches the check, the entry script
// writes valid SARIF, annotations and the exit code for the failing step; the hook's file pattern
// picks what the CLI checks, and its entry run the way pre-commit runs it gives the CLI's codes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli';
import { CLI_BUNDLE } from '../helpers/paths';
import { sarifSchemaErrors } from '../helpers/sarif';
import { CLEAN_TLS_CFG, foldersRemovedAfter } from './fixtures';

const ROOT = join(__dirname, '..', '..');
const ENTRY = join(ROOT, 'scripts', 'action', 'run.mjs');
const { folder } = foldersRemovedAfter();

interface ActionStep {
  id?: string;
  env?: Record<string, string>;
  run?: string;
  uses?: string;
  if?: string;
}
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { using: string; steps: ActionStep[] } };

test('action.yml: every input is passed to the entry script or used by a step, and the entry reads each one it is passed', () => {
  assert.equal(action.runs.using, 'composite');
  const check = action.runs.steps.find((s) => s.id === 'check')!;
  assert.match(check.run!, /scripts\/action\/run\.mjs/);
  const entry = readFileSync(ENTRY, 'utf8');
  for (const name of Object.keys(action.inputs)) {
    const env = `INPUT_${name.toUpperCase()}`;
    if (name === 'upload-sarif') {
      assert.ok(action.runs.steps.some((s) => s.if?.includes('inputs.upload-sarif') && s.uses?.startsWith('github/codeql-action/upload-sarif@')), 'upload-sarif guards the upload');
      continue;
    }
    assert.equal(check.env?.[env], `\${{ inputs.${name} }}`, `${name} is passed as ${env}`);
    assert.ok(entry.includes(`'${name}'`), `run.mjs reads ${name}`);
  }
  const last = action.runs.steps.at(-1)!;
  assert.match(last.run!, /exit "\$\{\{ steps\.check\.outputs\.exit-code \}\}"/, 'the job fails last, after the upload');
});

function runEntry(cwd: string, inputs: Record<string, string>): { status: number | null; stdout: string; output: Record<string, string>; summary: string; sarif: unknown } {
  const dir = folder({});
  const outputFile = join(dir.path, 'github-output');
  const summaryFile = join(dir.path, 'summary.md');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  const r = spawnSync(process.execPath, [ENTRY], { cwd, env, encoding: 'utf8', timeout: 120_000 });
  const output = Object.fromEntries(readFileSync(outputFile, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { status: r.status, stdout: r.stdout, output, summary: readFileSync(summaryFile, 'utf8'), sarif: JSON.parse(readFileSync(output['sarif-file']!, 'utf8')) };
}

test('the action entry on a broken and a clean deployment: SARIF, annotations, summary and the exit code for the last step', () => {
  const broken = folder({ 'etc/tls.cfg': CLEAN_TLS_CFG + 'require_certiificate = no\n', 'ok/tls.cfg': CLEAN_TLS_CFG });
  const bad = runEntry(broken.path, { paths: 'etc', 'fail-on': 'error', 'sarif-file': 'out.sarif', 'working-directory': '.', platform: 'debian-12', 'kamailio-version': '5.8', 'max-warnings': '' });
  assert.equal(bad.status, 0, 'the step itself succeeds: the last step fails the job');
  assert.equal(bad.output['exit-code'], '1');
  assert.equal(bad.output['sarif-file'], join(broken.path, 'out.sarif'));
  assert.deepEqual(sarifSchemaErrors(bad.sarif), []);
  const results = (bad.sarif as { runs: { results: { ruleId: string }[] }[] }).runs[0]!.results;
  assert.ok(results.some((r) => r.ruleId === 'tlscfg.unknown-option'));
  assert.match(bad.stdout, /^::error file=etc\/tls\.cfg,line=\d+,/m);
  assert.match(bad.summary, /### sip-tls\n\n```text\n[\s\S]*tlscfg\.unknown-option/);
  // The same inputs give the CLI's own verdict.
  assert.equal(runCli(['check', 'etc', '--platform', 'debian-12', '--kamailio-version', '5.8'], { cwd: broken.path }).code, 1);

  const clean = runEntry(broken.path, { paths: 'ok', 'fail-on': 'warning' });
  assert.equal(clean.output['exit-code'], '0');
  assert.deepEqual(sarifSchemaErrors(clean.sarif), []);
  const strict = runEntry(broken.path, { paths: 'ok', 'fail-on': 'information' });
  assert.equal(strict.output['exit-code'], '1', 'fail-on reaches the check (the clean tls.cfg has an information)');
});

const hooks = parse(readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string; pass_filenames: boolean }[];

test('.pre-commit-hooks.yaml: the file pattern picks what the CLI checks by name, and nothing it refuses', () => {
  const hook = hooks.find((h) => h.id === 'sip-tls')!;
  assert.equal(hook.language, 'node');
  assert.equal(hook.entry, 'sip-tls check');
  assert.equal(hook.pass_filenames, true);
  const files = new RegExp(hook.files);
  for (const name of ['kamailio.cfg', 'etc/kamailio/kamailio.cfg', 'kamailio-local.cfg', 'tls.cfg', 'deploy/etc/tls-carrier.cfg', 'examples/tls.cfg']) assert.ok(files.test(name), name);
  for (const name of ['README.md', 'package.json', 'etc/cert.pem', 'etc/server.key', 'dispatcher.list', 'etc/kamailio.cfg.bak', 'mytls.cfg', 'odbc.cfg', '.sip-tls.json']) assert.ok(!files.test(name), name);
});

test('the hook entry run as pre-commit runs it (several staged files at once) gives the CLI exit codes', () => {
  const dir = folder({ 'etc/kamailio/tls.cfg': CLEAN_TLS_CFG, 'etc/kamailio/tls-carrier.cfg': CLEAN_TLS_CFG + 'method = TLSv12+\n', 'docs/notes.md': '# notes\n' });
  const hook = hooks.find((h) => h.id === 'sip-tls')!;
  const staged = ['etc/kamailio/tls.cfg', 'etc/kamailio/tls-carrier.cfg', 'docs/notes.md'].filter((f) => new RegExp(hook.files).test(f));
  assert.deepEqual(staged, ['etc/kamailio/tls.cfg', 'etc/kamailio/tls-carrier.cfg']);
  const [, ...entryArgs] = hook.entry.split(' ');
  const run = (files: string[]) => spawnSync(process.execPath, [CLI_BUNDLE, ...entryArgs, ...files], { cwd: dir.path, encoding: 'utf8' });
  assert.equal(run(staged).status, 1, 'a broken staged file fails the commit');
  assert.equal(run([staged[0]!]).status, 0, 'a clean staged file passes');
  assert.equal(run(['docs/notes.md']).status, 2, 'what the pattern leaves out the CLI would refuse');
});
