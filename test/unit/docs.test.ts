import { DEFAULT_MAX_FILE_BYTES } from '../../server/src/core/host';
import { CA_FILE_MAX_BYTES, CERT_FILE_MAX_BYTES, MAX_CA_CERTIFICATES, MAX_CA_PATH_FILES, MAX_CHAIN_CERTIFICATES } from '../../server/src/core/pki/load';
import { MAX_INCLUDED_CHARS } from '../../server/src/core/kamailio/activeStream';
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
  for (const c of codes) assert.match(c, /^(tlscfg|kamcfg|path|cert|chain|key|ca|tls|srtp|project|suppression|peer)\.[a-z0-9]+(-[a-z0-9]+)*$/);
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

test('the README "Robustness" section lists every reading budget with its value', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Robustness'), readme.indexOf('\n## ', readme.indexOf('### Robustness')));
  const MiB = 1024 * 1024;
  const budgets: [string, string][] = [
    ['configuration file', `${DEFAULT_MAX_FILE_BYTES / MiB} MiB`],
    ['certificate or key file', `${CERT_FILE_MAX_BYTES / MiB} MiB`],
    ['CA bundle', `${CA_FILE_MAX_BYTES / MiB} MiB`],
    ['certificates per file', `${MAX_CHAIN_CERTIFICATES} certificates`],
    ['CA certificates', `bundle ${MAX_CA_CERTIFICATES.toLocaleString('en-US')}`],
    ['ca_path files', `${MAX_CA_PATH_FILES.toLocaleString('en-US')} files`],
    ['included text', `${MAX_INCLUDED_CHARS / MiB} MiB of included text`],
  ];
  for (const [name, text] of budgets) assert.ok(section.includes(text), `${name}: ${text}`);
});
