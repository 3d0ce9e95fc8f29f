// The full sizes of the deployment scaling check (test/unit/fuzz.test.ts runs small ones): a
// kamailio.cfg with 100,000 listen=tls lines, one with 200,000 alias= lines, a tls.cfg with
// 10,000 server and 10,000 client profiles, a certificate with 20,000 SANs, and 4,000 sockets ×
// 4,000 SNI profiles × 4,000 names — each against a quarter of its size. Before the indexes and
// capped listings, the aliases cost 5.2 GB and 26 s in the CLI and the cross-product grew ×55
// for 4× the size; now work grows ×4 at most and no finding grows at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEPLOYMENT_SHAPES, describeGrowth, growthProblems, measureGrowth } from '../helpers/fuzz/deploymentScaling';

/** The larger size of each shape (the smaller is a quarter of it). */
const FULL: Record<string, number> = {
  'listen=tls sockets': 100_000,
  'alias= domains': 200_000,
  'tls.cfg profiles': 10_000,
  'certificate SANs': 20_000,
  'sockets × profiles × names': 4_000,
};

test('scaling at full size: 100,000 sockets, 200,000 aliases, 10,000 profiles, 20,000 SANs, 4,000³ cross-product', { timeout: 900_000 }, () => {
  const bad: string[] = [];
  for (const shape of DEPLOYMENT_SHAPES) {
    const n = FULL[shape.name]! / 4;
    assert.ok(n > 0, shape.name);
    let growth = measureGrowth(shape, { startN: n, minMs: 0, maxN: n, runs: 1 });
    // Alone on the machine the integration run still shares it with the kernel: one re-measurement.
    if (growth.timeRatio > 8) growth = measureGrowth(shape, { startN: n, minMs: 0, maxN: n, runs: 3 });
    console.log(describeGrowth(growth));
    bad.push(...growthProblems(growth, { work: 5, time: 8 }));
  }
  assert.deepEqual(bad, []);
});
