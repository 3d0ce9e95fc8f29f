// The larger run of the output-path check (npm test runs a sample): every generated layout ×
// lab, fullchain, init × --force (test/helpers/outputLayouts.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allOutputCases, runOutputCases } from '../helpers/outputLayouts';

const ALL = allOutputCases();

test(`all ${ALL.length} generated output layouts × lab, fullchain, init: all written, or exit 2 in one line and nothing changed`, { timeout: 600_000 }, () => {
  const tally = runOutputCases(ALL);
  assert.ok(tally.written >= 15 && tally.refused >= 40, `${tally.written} written, ${tally.refused} refused`);
});
