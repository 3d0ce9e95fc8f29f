// The leak property at unit size (one RSA, one EC and one Ed25519 key, every form × every place ×
// every output of the core and the CLI formatters): see helpers/keyLeakProperty.ts. The
// integration run repeats it with more keys and garbage (test/integration/keyLeaks.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPECTED, PLACES, keysUnderTest, leakCases, leaksOf, runLeakCase } from '../helpers/keyLeakProperty';

test('no output repeats key material, whatever form it has and wherever it is read', { timeout: 120_000 }, () => {
  const keys = keysUnderTest('small');
  let cases = 0;
  let outputs = 0;
  const places = new Set<string>();
  const leaks: string[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    for (const c of leakCases(key, 'small')) {
      const { findings, outputs: out } = runLeakCase(c);
      cases++;
      outputs += out.length;
      places.add(c.place);
      leaks.push(...leaksOf(key, c, out));
      const expected = EXPECTED[c.place];
      if (expected && !findings.some((f) => f.code === expected.code && f.file === expected.file)) missing.push(`${c.name}: no ${expected.code} in ${expected.file} (${findings.map((f) => f.code).join(', ')})`);
    }
  }
  assert.deepEqual(leaks, []);
  assert.deepEqual(missing, []);
  assert.deepEqual([...places].sort(), [...PLACES].sort(), 'every place is exercised');
  assert.ok(cases > 300, `${cases} cases`);
  console.log(`${cases} cases, ${outputs} outputs scanned: no key material`);
});
