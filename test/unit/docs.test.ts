import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDiagnosticsDoc } from '../../scripts/gen-diagnostics-doc';
import { PLATFORM_IDS } from '../../server/src/core/platform';
import { CATALOG } from '../../server/src/core/catalog';
import { CRYPTO_BUDGETS } from '../../server/src/core/pki/cryptoBudgets';
import { SUBST_LIMITS } from '../../server/src/core/kamailio/substRunner';
import manifest from '../../package.json';

test('docs/diagnostics.md is generated from the catalog and up to date (npm run docs)', () => {
  assert.equal(readFileSync(join(__dirname, '..', '..', 'docs', 'diagnostics.md'), 'utf8'), renderDiagnosticsDoc());
});

test('catalog codes are unique, well-formed family.kebab-name', () => {
  const codes = CATALOG.map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const c of codes) assert.match(c, /^(tlscfg|kamcfg|path|cert|chain|key|ca|tls|srtp|project)\.[a-z0-9]+(-[a-z0-9]+)*$/);
});

test('every sipTls setting in package.json is documented in the README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(readme.includes(`\`${key}\``), key);
  for (const cmd of manifest.contributes.commands) assert.ok(readme.includes(cmd.title), cmd.title);
});

test('the platforms of the settings schema are the ones the checker knows', () => {
  const platform = (manifest.contributes.configuration.properties as Record<string, { enum?: string[] }>)['sipTls.platform']!;
  assert.deepEqual(platform.enum, ['', ...PLATFORM_IDS]);
});

test('the README "Robustness" section lists every crypto budget with its value', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Robustness'), readme.indexOf('\n## ', readme.indexOf('### Robustness')));
  for (const b of CRYPTO_BUDGETS) assert.ok(section.includes(b.value.toLocaleString('en-US')), `${b.name}: ${b.value}`);
});

test('the README "Robustness" section lists every preprocessor budget with its value', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Robustness'), readme.indexOf('\n## ', readme.indexOf('### Robustness')));
  for (const [name, value] of Object.entries(SUBST_LIMITS)) assert.ok(section.includes(value.toLocaleString('en-US')), `${name}: ${value}`);
});
