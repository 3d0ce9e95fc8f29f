// `npm run package`: the .vsix holds only what users need.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';

const ROOT = join(__dirname, '..', '..');

/** File names from a zip's central directory (signature PK\x01\x02). */
function zipEntries(buffer: Buffer): string[] {
  const names: string[] = [];
  for (let i = buffer.indexOf('PK\x01\x02'); i !== -1; i = buffer.indexOf('PK\x01\x02', i + 46)) {
    const nameLength = buffer.readUInt16LE(i + 28);
    names.push(buffer.subarray(i + 46, i + 46 + nameLength).toString('utf8'));
  }
  return names.sort();
}

test('the .vsix contains the bundles, grammars, manifest, icon, README with its screenshots, the project-file schema, CHANGELOG and LICENSE only', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'sip-tls-vsix-')), 'sip-tls.vsix');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr + r.stdout);
  const entries = zipEntries(readFileSync(out));
  assert.deepEqual(entries, [
    '[Content_Types].xml',
    'extension.vsixmanifest',
    'extension/LICENSE.txt',
    'extension/changelog.md',
    // The language server's checks run in this worker thread, loaded next to dist/server.js.
    'extension/dist/checkWorker.js',
    'extension/dist/cli.js',
    'extension/dist/client.js',
    'extension/dist/server.js',
    'extension/docs/images/hover.png',
    'extension/docs/images/problems.png',
    'extension/docs/images/quickfix.png',
    'extension/docs/images/report.png',
    'extension/images/icon.png',
    'extension/package.json',
    'extension/readme.md',
    'extension/schemas/sip-tls-peer.schema.json',
    'extension/schemas/sip-tls.schema.json',
    'extension/syntaxes/kamailio.language-configuration.json',
    'extension/syntaxes/kamailio.tmLanguage.json',
    'extension/syntaxes/tlscfg.language-configuration.json',
    'extension/syntaxes/tlscfg.tmLanguage.json',
  ]);
});
