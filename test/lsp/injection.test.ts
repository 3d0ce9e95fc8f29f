// The bundled language server over stdio on generated deployments whose every certificate field,
// file name and tls.cfg string is hostile (helpers/injection.ts): no hover, certificate report or
// file report carries a link, an image, HTML or a raw control, each shows the certificate fields
// exactly (as visible text), and no code action title or log message carries a raw control.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lspInjectionRun } from '../helpers/injectionLsp';

const SEED = Number(process.env.SIP_TLS_INJECTION_SEED ?? 20261213);
const COUNT = Number(process.env.SIP_TLS_INJECTION_LSP_COUNT ?? 8);

test(`language server: ${COUNT} deployments with hostile certificate fields and file names — hovers, reports, code actions, logs`, { timeout: 120_000 }, async () => {
  const tally = await lspInjectionRun(COUNT, SEED);
  console.log(`${tally.hovers} hovers, ${tally.reports} reports, ${tally.actions} code actions checked`);
  assert.ok(tally.hovers >= COUNT * 6, `hovers: ${tally.hovers}`);
  assert.ok(tally.reports >= COUNT * 5, `reports: ${tally.reports}`);
});
