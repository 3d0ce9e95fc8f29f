// What every integration test does when a component it needs (Kamailio, the chroot, gnutls-cli,
// Neovim, the built CLI) is missing: under CI=true a failure saying what to install or run, in a
// local run a loud skip.
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';

const CI = process.env.CI === 'true';

/** Fails under CI, skips loudly otherwise. Returns true when the test can go on. */
export function needs(t: TestContext, ok: boolean, what: string): boolean {
  if (ok) return true;
  if (CI) assert.fail(`CI=true: ${what}`);
  const msg = `SKIPPED (not CI): ${what}`;
  console.warn(`\n!!! ${msg}\n`);
  t.skip(msg);
  return false;
}
