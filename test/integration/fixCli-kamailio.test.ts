// `sip-tls check --fix` against real Kamailio: configurations with generated combinations of every
// fault --fix repairs (test/helpers/fixableFaults.ts) do not start; after `--fix` on the case
// folder, the same Kamailio starts and serves TLS. And on every oracle case, --fix never turns a
// configuration Kamailio accepted into one it refuses.
//
//   npm run test:integration  (or: node --import tsx --test test/integration/fixCli-kamailio.test.ts)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { CERTIFICATE_CASES, KAMAILIO_CASES, kam, type KamailioCase } from '../fixtures/kamailioCases';
import { faultyTlsCfg } from '../helpers/fixableFaults';
import { Rng } from '../helpers/fuzz/prng';
import { checkArgsFor, kamailioAvailable, makeRunDir, runCase, runKamailio, shortError, type KamailioVerdict } from './kamailioOracle';
import { needs } from './needs';

const REPO = resolve(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli.js');
const kamailio = kamailioAvailable();
const SEEDS = Number(process.env.FIX_CLI_SEEDS ?? 12);

const base = makeRunDir('sip-tls-fix-cli-');
after(() => {
  if (process.env.ORACLE_KEEP === '1') console.log(`case folders kept in ${base}`);
  else rmSync(base, { recursive: true, force: true });
});

function fix(cfgFile: string, args: string[]): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, 'check', cfgFile, '--fix', '--kamailio-version', '5.6', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stderr: r.stderr };
}

function describe(v: KamailioVerdict): string {
  return `-c rc ${v.checkRc}, start rc ${v.startRc}${v.firstError ? `: ${shortError(v.firstError)}` : ''}`;
}

test('generated faults that stop Kamailio: after check --fix the same Kamailio starts', async (t) => {
  if (!needs(t, kamailio.ok, `Kamailio is required: ${kamailio.reason}`)) return;
  if (!needs(t, existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`)) return;
  let refusedBefore = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const faulty = faultyTlsCfg(new Rng(seed), { cert: '{{CERT}}', key: '{{KEY}}' });
    const c: KamailioCase = { name: `fix-cli-${seed}`, title: `generated faults ${faulty.codes.join(', ')}`, kamailioCfg: kam(), tlsCfg: faulty.text, expectCodes: faulty.codes, kamailio: 'reject', tlsSockets: ['127.0.0.1:{{PORT}}'] };
    const run = await runCase(c, base);
    if (!run.verdict.started) refusedBefore++;
    const fixed = fix(run.cfgFile, checkArgsFor(c, run));
    assert.notEqual(fixed.code, 2, `seed ${seed}: ${fixed.stderr}`);
    assert.match(fixed.stderr, /fixed [1-9]\d* problem/, `seed ${seed}: ${fixed.stderr}`);
    const after = await runKamailio(run.cfgFile, { cwd: run.dir });
    assert.ok(after.checkOk && after.started, `seed ${seed} (${c.title}): Kamailio does not start after --fix\nbefore: ${describe(run.verdict)}\nafter:  ${describe(after)}\n${readFileSync(join(run.dir, 'tls.cfg'), 'utf8')}`);
  }
  // The faults are the kind that matter: most combinations stop Kamailio before the fix (a
  // duplicate line alone does not).
  assert.ok(refusedBefore >= SEEDS / 2, `only ${refusedBefore} of ${SEEDS} generated configurations stopped Kamailio before --fix`);
});

test('on every oracle case, --fix keeps what Kamailio accepted acceptable', async (t) => {
  if (!needs(t, kamailio.ok, `Kamailio is required: ${kamailio.reason}`)) return;
  if (!needs(t, existsSync(CLI), `${CLI} is missing: run \`npm run build\` first`)) return;
  let changed = 0;
  const cases = [...KAMAILIO_CASES, ...CERTIFICATE_CASES].filter((c) => !c.oracleOnly && !c.runAs);
  for (const c of cases) {
    const run = await runCase(c, base);
    const copy = `${run.dir}-cli-fix`;
    cpSync(run.dir, copy, { recursive: true, verbatimSymlinks: true });
    for (const f of ['kamailio.cfg', c.tlsCfgPath ?? 'tls.cfg']) {
      const p = join(copy, f);
      if (existsSync(p)) writeFileSync(p, readFileSync(p, 'utf8').split(run.dir + '/').join(copy + '/'));
    }
    const cfg = join(copy, 'kamailio.cfg');
    const before = readFileSync(cfg, 'utf8') + (existsSync(join(copy, c.tlsCfgPath ?? 'tls.cfg')) ? readFileSync(join(copy, c.tlsCfgPath ?? 'tls.cfg'), 'utf8') : '');
    const r = fix(cfg, checkArgsFor(c, run).map((a) => a.split(run.dir).join(copy)));
    assert.notEqual(r.code, 2, `${c.name}: ${r.stderr}`);
    const afterText = readFileSync(cfg, 'utf8') + (existsSync(join(copy, c.tlsCfgPath ?? 'tls.cfg')) ? readFileSync(join(copy, c.tlsCfgPath ?? 'tls.cfg'), 'utf8') : '');
    if (afterText === before) continue;
    changed++;
    const after = await runKamailio(cfg, { cwd: copy });
    const context = `${c.name}: ${c.title}\nbefore: ${describe(run.verdict)}\nafter:  ${describe(after)}\n${r.stderr}`;
    if (run.verdict.checkOk) assert.ok(after.checkOk, `kamailio -c accepted the original but not the --fix result\n${context}`);
    if (run.verdict.started) assert.ok(after.started, `Kamailio started with the original but not after --fix\n${context}`);
  }
  assert.ok(changed >= 10, `--fix changed only ${changed} oracle cases: the case set offers many more fixes`);
});
