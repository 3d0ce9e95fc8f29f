// The long fuzz run: 100,000 grammar-aware mutations of the corpus and examples/ through both
// parsers and the whole rule engine, split over one process per core (each takes every k-th
// input of the same seeded run, so the set of inputs does not depend on the core count), then
// the scaling check on every pathological shape. The short run is test/unit/fuzz.test.ts.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { FuzzReport } from '../helpers/fuzz/harness';
import { SHAPES, measureScaling } from '../helpers/fuzz/scaling';
import { REPO_ROOT } from '../helpers/paths';
import { corpusLocation } from '../helpers/corpus';
import { loadSeeds } from '../helpers/fuzz/seeds';

const SEED = Number(process.env.FUZZ_SEED ?? 20260116);
const COUNT = Number(process.env.FUZZ_COUNT ?? 100_000);
const LIMIT_MS = 2000;
const WORKER = path.join(REPO_ROOT, 'test', 'helpers', 'fuzz', 'worker.ts');

function runWorker(first: number, stride: number): Promise<FuzzReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, String(SEED), String(COUNT), String(first), String(stride), String(LIMIT_MS)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`fuzz worker ${first}/${stride} exited with ${code}: ${err.slice(-4000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!) as FuzzReport);
      } catch (e) {
        reject(new Error(`fuzz worker ${first}/${stride} printed no report: ${String(e)}; stderr: ${err.slice(-2000)}`));
      }
    });
  });
}

test('the corpus seeds the long fuzz run', () => {
  const corpus = corpusLocation();
  // The corpus is optional (../shared/corpus "when present"), as for the other corpus tests; when
  // SIP_TLS_CORPUS names it, it must be there.
  if (!corpus.present && corpus.required) assert.fail(`corpus not found at ${corpus.dir} (SIP_TLS_CORPUS)`);
  if (!corpus.present) console.warn(`\n*** the long fuzz run has only the examples and built-in seeds: corpus not found at ${corpus.dir} ***\n`);
  const seeds = loadSeeds();
  assert.ok(seeds.kamailio.length > 0 && seeds.tls.length > 0, 'seeds for both languages (examples/ at least)');
});

test(`fuzz: ${COUNT} mutated inputs, no exception, each under ${LIMIT_MS} ms`, { timeout: 600_000 }, async () => {
  const workers = Math.max(1, Math.min(4, availableParallelism()));
  const started = performance.now();
  const reports = await Promise.all(Array.from({ length: workers }, (_, k) => runWorker(k, workers)));
  const seconds = (performance.now() - started) / 1000;
  const inputs = reports.reduce((s, r) => s + r.inputs, 0);
  const slowest = reports.map((r) => r.slowest).sort((a, b) => b.ms - a.ms)[0]!;
  const failures = reports.flatMap((r) => r.failures);
  console.log(
    `fuzz seed ${SEED}: ${inputs} inputs on ${workers} processes in ${seconds.toFixed(0)} s = ${(inputs / seconds).toFixed(0)} inputs/s (${reports.map((r) => r.inputsPerSecond.toFixed(0)).join(' + ')} per process); slowest input ${slowest.index} (${slowest.bytes} bytes): ${slowest.ms.toFixed(1)} ms; ${reports.reduce((s, r) => s + r.findings, 0)} findings; ${reports.reduce((s, r) => s + r.keyInputs, 0)} with key material, no output repeated it`,
  );
  assert.equal(inputs, COUNT);
  const keyInputs = reports.reduce((s, r) => s + r.keyInputs, 0);
  assert.ok(keyInputs > COUNT / 40, `${keyInputs} inputs carried damaged key material through the leak oracle`);
  assert.deepEqual(
    failures.map((f) => `seed ${SEED} input ${f.index} (replay: FUZZ_SEED=${SEED} FUZZ_INDEX=${f.index} with the unit fuzz test's seeds; saved in ${f.savedTo}): ${f.error.split('\n')[0]}`),
    [],
  );
  assert.ok(slowest.ms < LIMIT_MS);
});

test('scaling: every pathological shape is checked in linear time (exponent ≤ 1.3)', { timeout: 300_000 }, () => {
  const bad: string[] = [];
  for (const shape of SHAPES) {
    let result = measureScaling(shape, { startN: 256, minMs: 10, maxBytes: 8 << 20, repeat: 3 });
    // Timing noise (a 2-core CI machine): up to two careful re-measurements before calling it superlinear.
    for (let attempt = 2; attempt <= 3 && result.exponent > 1.3; attempt++) result = measureScaling(shape, { startN: 256, minMs: 40, maxBytes: 16 << 20, repeat: 5 });
    const points = result.points.map((p) => `${p.bytes} B: ${p.ms.toFixed(1)} ms`).join(', ');
    console.log(`exponent ${result.exponent.toFixed(2)}  ${shape.name}  (${points})`);
    if (result.exponent > 1.3) bad.push(`${shape.name}: size^${result.exponent.toFixed(2)} (${points})`);
    for (const p of result.points) if (p.ms > LIMIT_MS) bad.push(`${shape.name}: ${p.bytes} bytes took ${p.ms.toFixed(0)} ms`);
  }
  assert.deepEqual(bad, []);
});

// The #!subst chain cases of test/unit/kamailio/substBudget.test.ts at a larger size: many more
// generated chains (n = 1..25 rules each) over several seeds, in a child process per seed.
const SUBST_CASES = Number(process.env.FUZZ_SUBST_CASES ?? 2_500);
for (const seed of [1, 2, 3]) {
  test(`#!subst chains: ${SUBST_CASES} generated deployments (seed ${seed}) keep their real error`, { timeout: 600_000 }, async () => {
    const file = path.join(REPO_ROOT, 'test', 'unit', 'kamailio', 'substBudget.test.ts');
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-name-pattern=generated chains', file], {
        cwd: REPO_ROOT,
        env: { ...process.env, SUBST_SEED: String(seed), SUBST_CASES: String(SUBST_CASES) },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    assert.equal(code, 0, `substBudget generated chains failed for SUBST_SEED=${seed} SUBST_CASES=${SUBST_CASES}`);
  });
}
