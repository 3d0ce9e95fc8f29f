// The Markdown and terminal injection properties at the size of the integration run: the
// escaping functions over 30,000 generated hostile strings and 300 in-process deployments (the
// unit test files with larger counts), the bundled language server over 40 hostile deployments
// and the bundled CLI over 12. The `npm test` sizes are in test/unit/output, test/lsp and test/cli.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { cliInjectionRun } from '../helpers/injectionCli';
import { lspInjectionRun } from '../helpers/injectionLsp';
import { REPO_ROOT } from '../helpers/paths';

const SEED = Number(process.env.SIP_TLS_INJECTION_SEED ?? 20261215);

test('escaping and in-process injection properties at 30,000 strings and 300 deployments', { timeout: 900_000 }, () => {
  const files = ['escaping.test.ts', 'injection.test.ts'].map((f) => path.join('test', 'unit', 'output', f));
  // A test run of its own: not a subtest of this one (NODE_TEST_CONTEXT would make it report here).
  const { NODE_TEST_CONTEXT: _parent, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...env, SIP_TLS_ESCAPING_SEED: String(SEED), SIP_TLS_ESCAPING_COUNT: '30000', SIP_TLS_INJECTION_SEED: String(SEED), SIP_TLS_INJECTION_UNIT_COUNT: '300' },
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(run.status, 0, `${run.stdout.slice(-6000)}\n${run.stderr.slice(-3000)}`);
  assert.match(run.stdout, /30000 hostile strings/);
  assert.match(run.stdout, /300 deployments/);
});

test('language server: 40 hostile deployments', { timeout: 600_000 }, async () => {
  const tally = await lspInjectionRun(40, SEED);
  assert.ok(tally.hovers >= 40 * 6 && tally.reports >= 40 * 5, JSON.stringify(tally));
  console.log(`${tally.hovers} hovers, ${tally.reports} reports, ${tally.actions} code actions checked`);
});

test('command line: 12 hostile deployments', { timeout: 600_000 }, () => {
  const { runs } = cliInjectionRun(12, SEED);
  assert.ok(runs >= 4 + 12 * 4);
});
