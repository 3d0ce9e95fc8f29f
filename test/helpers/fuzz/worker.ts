// One fuzzing process of a parallel run (the integration layer starts one per core):
//   node --import tsx test/helpers/fuzz/worker.ts SEED COUNT FIRST STRIDE LIMIT_MS
// It prints its FuzzReport as one JSON line on stdout.
import { fuzz } from './harness';
import { loadSeeds } from './seeds';
import { fuzzKeys } from './keys';

const [seed, count, first, stride, limitMs] = process.argv.slice(2).map(Number);
const report = fuzz(loadSeeds(), { seed: seed!, count: count!, first: first!, stride: stride!, limitMs: limitMs!, batch: 500, keys: fuzzKeys() });
process.stdout.write(JSON.stringify(report) + '\n');
