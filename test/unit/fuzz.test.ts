// A short seeded fuzz run over both parsers and the whole rule engine (see
// test/helpers/fuzz/): about 2,000 grammar-aware mutations of the corpus and examples/, none
// may throw or take more than 2 s. Then the scaling check on the shapes that once blew up:
// checking time must grow linearly with input size. The long run is
// test/integration/fuzz.test.ts. Replay one input with FUZZ_SEED / FUZZ_INDEX (see harness.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fuzz, replay } from '../helpers/fuzz/harness';
import { fuzzKeys } from '../helpers/fuzz/keys';
import { loadSeeds } from '../helpers/fuzz/seeds';
import { SHAPES, measureScaling } from '../helpers/fuzz/scaling';
import { DEPLOYMENT_SHAPES, describeGrowth, growthProblems, measureGrowth } from '../helpers/fuzz/deploymentScaling';

const SEED = Number(process.env.FUZZ_SEED ?? 20260115);
const LIMIT_MS = 2000;
// The biggest corpus files make each check cost milliseconds; the short run keeps to the rest.
const seeds = loadSeeds({ maxSeedBytes: 32 * 1024 });

test('fuzz: 2,000 mutated kamailio.cfg/tls.cfg inputs, no exception, none slow', { timeout: 120_000 }, () => {
  if (process.env.FUZZ_INDEX !== undefined) {
    const r = replay(seeds, SEED, Number(process.env.FUZZ_INDEX), fuzzKeys());
    console.log(`replayed seed ${SEED} input ${process.env.FUZZ_INDEX}: ${r.ms.toFixed(1)} ms, ${r.findings} findings`);
    return;
  }
  const report = fuzz(seeds, { seed: SEED, count: 2000, limitMs: LIMIT_MS, keys: fuzzKeys() });
  console.log(
    `fuzz seed ${SEED}: ${report.inputs} inputs (${seeds.kamailio.length} kamailio + ${seeds.tls.length} tls.cfg seeds, corpus ${seeds.sources.corpusPresent ? 'present' : 'absent'}) in ${(report.totalMs / 1000).toFixed(1)} s = ${report.inputsPerSecond.toFixed(0)} inputs/s; slowest: input ${report.slowest.index} (${report.slowest.bytes} bytes) ${report.slowest.ms.toFixed(1)} ms; ${report.findings} findings`,
  );
  assert.equal(report.inputs, 2000);
  assert.deepEqual(
    report.failures.map((f) => `seed ${SEED} input ${f.index} (replay: FUZZ_SEED=${SEED} FUZZ_INDEX=${f.index}; saved in ${f.savedTo}): ${f.error.split('\n')[0]}`),
    [],
  );
  assert.ok(report.slowest.ms < LIMIT_MS);
  assert.ok(report.findings > 2000, 'the mutated inputs produce findings: the checker really ran');
  assert.ok(report.keyInputs > 40, `${report.keyInputs} inputs carried damaged key material through the leak oracle`);
});

// The shapes that were quadratic or exponential before the fixes, plus the classic ones.
const QUICK = [
  'tls.cfg: duplicate profiles',
  'kamailio: self-referencing define used often',
  'kamailio: many [',
  'kamailio: unbalanced #!ifdef',
  'tls.cfg: duplicate options',
];

// npm test runs the unit files in parallel with the other layers: timings are noisy, so the quick
// check allows 1.5 and measures up to three times (a quadratic shape stays near 2 every time); the
// integration run, alone on the machine, holds every shape to 1.3.
const QUICK_LIMIT = 1.5;

test('scaling: checking time grows linearly with input size (exponent ≤ 1.5 here, 1.3 in integration)', { timeout: 180_000 }, () => {
  for (const name of QUICK) {
    const shape = SHAPES.find((s) => s.name === name)!;
    assert.ok(shape, name);
    let result = measureScaling(shape, { startN: 256, minMs: 8, maxBytes: 4 << 20, repeat: 3 });
    // Timing noise on a busy machine: measure again, more carefully, before calling it superlinear.
    for (let attempt = 2; attempt <= 3 && result.exponent > QUICK_LIMIT; attempt++) result = measureScaling(shape, { startN: 256, minMs: 25, maxBytes: 8 << 20, repeat: 5 });
    const points = result.points.map((p) => `${p.bytes} B: ${p.ms.toFixed(1)} ms`).join(', ');
    console.log(`exponent ${result.exponent.toFixed(2)}  ${name}  (${points})`);
    assert.ok(result.exponent <= QUICK_LIMIT, `${name}: time grows as size^${result.exponent.toFixed(2)} (${points})`);
  }
});

// Whole deployments with TLS on: listen, alias, profile and SAN counts and their cross-product
// (sockets × profiles × names), at n and 4n. Name checks are counted (they were the quadratic
// step), time is CPU time above the fixed cost of a check, and no finding may grow with n as the
// CLI prints it. The full sizes (100,000 listen, 200,000 alias) are test/integration/scaling.test.ts.
const DEPLOYMENT_LIMITS = { work: 6, time: 10 };

test('scaling: deployments cost linearly in sockets, aliases, profiles, SANs and their cross-product; findings stay bounded', { timeout: 240_000 }, () => {
  const bad: string[] = [];
  for (const shape of DEPLOYMENT_SHAPES) {
    const options = { startN: 100, minMs: 40, maxN: shape.name === 'certificate SANs' ? 4000 : 500, runs: 3 };
    let growth = measureGrowth(shape, options);
    // CPU time on a shared machine: measure again, larger, before calling it superlinear.
    for (let attempt = 2; attempt <= 3 && growth.timeRatio > DEPLOYMENT_LIMITS.time; attempt++) growth = measureGrowth(shape, { ...options, minMs: 80, runs: 5 });
    console.log(describeGrowth(growth));
    bad.push(...growthProblems(growth, DEPLOYMENT_LIMITS));
  }
  assert.deepEqual(bad, []);
});
