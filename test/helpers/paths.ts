// Where the built artefacts are: tests run the bundles, as an editor or a CI job would.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CLI_BUNDLE = resolve(REPO_ROOT, 'dist', 'cli.js');
export const SERVER_BUNDLE = resolve(REPO_ROOT, 'dist', 'server.js');

/** Fail with a clear message when the bundles have not been built. */
export function requireBundles(): void {
  for (const file of [CLI_BUNDLE, SERVER_BUNDLE]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run 'npm run build' before these tests`);
  }
}
