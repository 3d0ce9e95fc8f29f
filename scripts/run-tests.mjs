// Runs the test layers named on the command line (unit, grammar, lsp, cli, integration, e2e)
// with Node's built-in test runner; TypeScript is loaded through tsx.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const layers = process.argv.slice(2);
if (layers.length === 0) {
  console.error('usage: node scripts/run-tests.mjs LAYER...');
  process.exit(2);
}

function collect(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...collect(p));
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

let failed = false;
for (const layer of layers) {
  const files = collect(join('test', layer));
  if (files.length === 0) {
    console.error(`no tests found in test/${layer}`);
    failed = true;
    continue;
  }
  console.log(`\n=== ${layer}: ${files.length} test file(s)`);
  const concurrency = layer === 'integration' || layer === 'e2e' ? '1' : String(Math.max(2, (await import('node:os')).availableParallelism()));
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
    { stdio: 'inherit', env: process.env },
  );
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
