// The bundled `sip-tls` on generated deployments whose every certificate field, file name and
// tls.cfg string is hostile (helpers/injectionCli.ts): `check` text/JSON/SARIF, `show`
// text/Markdown/JSON, `fullchain`, a usage error — no raw control or forged verdict line in the
// terminal, every string exact in JSON and SARIF.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliInjectionRun } from '../helpers/injectionCli';

const SEED = Number(process.env.SIP_TLS_INJECTION_SEED ?? 20261214);
const COUNT = Number(process.env.SIP_TLS_INJECTION_CLI_COUNT ?? 3);

test(`command line: ${COUNT} deployments with hostile certificate fields and file names — check, show, fullchain`, { timeout: 180_000 }, () => {
  const { runs, names } = cliInjectionRun(COUNT, SEED);
  assert.ok(runs >= 4 + COUNT * 4, `runs: ${runs}`);
  console.log(`${runs} runs of sip-tls, ${names} hostile file names`);
});
