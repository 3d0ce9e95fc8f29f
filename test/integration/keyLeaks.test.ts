// The leak property at integration size: more keys (RSA 2048/3072, P-256/P-384, Ed25519, several
// of each), every form, every place, every garbage wrapping, through the core and every
// formatter; then every form of one key of each kind through the bundled CLI and language
// server. The unit layer runs the small size (test/unit/keyLeaks.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EXPECTED, PLACES, keysUnderTest, leakCases, leaksOf, runLeakCase } from '../helpers/keyLeakProperty';
import { runThroughFaces } from '../helpers/keyLeakFaces';
import { requireBundles } from '../helpers/paths';

test('no output of the core repeats key material: many keys, every form, place and wrapping', { timeout: 900_000 }, () => {
  const keys = keysUnderTest('large');
  let cases = 0;
  const leaks: string[] = [];
  const missing: string[] = [];
  const places = new Set<string>();
  for (const key of keys) {
    for (const c of leakCases(key, 'large')) {
      const { findings, outputs } = runLeakCase(c);
      cases++;
      places.add(c.place);
      leaks.push(...leaksOf(key, c, outputs));
      const expected = EXPECTED[c.place];
      if (expected && !findings.some((f) => f.code === expected.code && f.file === expected.file)) missing.push(c.name);
    }
  }
  assert.deepEqual(leaks, []);
  assert.deepEqual(missing, []);
  assert.equal(places.size, PLACES.length);
  assert.ok(cases > 3000, `${cases} cases`);
  console.log(`${cases} cases through the core: no key material`);
});

test('no output of the CLI or the language server repeats key material: every form of an RSA, an EC and an Ed25519 key', { timeout: 900_000 }, async () => {
  requireBundles();
  const keys = keysUnderTest('small');
  const cases = keys.flatMap((key) => leakCases(key, 'small').map((c) => ({ key, c })));
  const { outputs } = await runThroughFaces(cases);
  const leaks = outputs.flatMap((o) => o.key.scanner.find(o.text).map((hit) => `${o.where}: ${hit}`));
  assert.deepEqual(leaks, []);
  console.log(`${cases.length} cases through the CLI and the server, ${outputs.length} outputs: no key material`);
});
