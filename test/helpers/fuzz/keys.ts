// The keys of the fuzz run's leak oracle. Key generation cannot be seeded, so three throw-away
// keys are kept in test/fixtures/fuzz-keys.json: every process of a run, CI and a replay of one
// input (FUZZ_SEED / FUZZ_INDEX) then damage the same bytes, and a leak found once is found again.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '../paths';
import { keysUnderTest, type KeyUnderTest } from '../keyLeakProperty';

export function fuzzKeys(): KeyUnderTest[] {
  const { keys } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'fuzz-keys.json'), 'utf8')) as { keys: string[] };
  const pairs = keys.map((pem) => {
    const privateKey = createPrivateKey(pem);
    return { privateKey, publicKey: createPublicKey(privateKey) };
  });
  return keysUnderTest('small', pairs);
}
