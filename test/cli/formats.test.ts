// `--format json` (the shape in cli.md) and `--format sarif` (valid SARIF 2.1.0 against the
// official schema, locations relative to the folder checked).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { CATALOG } from '../../server/src/core/catalog';
import { runCli } from '../helpers/cli';
import { sarifSchemaErrors } from '../helpers/sarif';
import { lines, type TempDir } from '../helpers/tempDir';
import { CLEAN_TLS_CFG, folderWith } from './fixtures';
import manifest from '../../package.json';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));
function folder(files: Record<string, string>): TempDir {
  const d = folderWith(files);
  dirs.push(d);
  return d;
}

/** Unknown option on line 6 (0-based), a duplicate on lines 4/7 (warning with a related location). */
const MISTAKES = CLEAN_TLS_CFG + lines('require_certiificate = yes', 'verify_certificate = no');

const rng = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

test('JSON: exactly the documented shape, 0-based ranges, absolute files, related entries', () => {
  const dir = folder({ 'tls.cfg': MISTAKES });
  const run = runCli(['check', '--format', 'json'], { cwd: dir.path });
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as Record<string, unknown>;
  assert.deepEqual(Object.keys(report), ['version', 'files', 'diagnostics', 'skipped']);
  assert.deepEqual(report['skipped'], []);
  assert.equal(report['version'], 1);
  assert.deepEqual(report['files'], [dir.file('tls.cfg')]);
  const diagnostics = report['diagnostics'] as Record<string, unknown>[];
  for (const d of diagnostics) {
    const keys = ['file', 'range', 'severity', 'code', 'source', 'message', 'related'];
    assert.deepEqual(Object.keys(d), 'fixes' in d ? [...keys, 'fixes'] : keys);
    assert.equal(d['file'], dir.file('tls.cfg'));
    assert.equal(d['source'], 'sip-tls');
    assert.ok(['error', 'warning', 'information', 'hint'].includes(d['severity'] as string));
    assert.ok(Array.isArray(d['related']));
  }
  const unknown = diagnostics.filter((d) => d['code'] === 'tlscfg.unknown-option');
  assert.equal(unknown.length, 1);
  assert.deepEqual(unknown[0], {
    file: dir.file('tls.cfg'),
    range: rng(6, 0, 6, 20),
    severity: 'error',
    code: 'tlscfg.unknown-option',
    source: 'sip-tls',
    message: unknown[0]!['message'],
    related: [],
    fixes: [
      {
        title: "Replace with 'require_certificate'",
        isPreferred: true,
        createFiles: [],
        edits: [{ file: dir.file('tls.cfg'), range: rng(6, 0, 6, 20), newText: 'require_certificate' }],
      },
    ],
  });
  assert.match(unknown[0]!['message'] as string, /^Unknown option 'require_certiificate'/);
  const duplicate = diagnostics.filter((d) => d['code'] === 'tlscfg.duplicate-option');
  assert.equal(duplicate.length, 1);
  assert.equal(duplicate[0]!['severity'], 'warning');
  assert.deepEqual(duplicate[0]!['range'], rng(4, 0, 4, 18));
  assert.deepEqual(duplicate[0]!['related'], [{ file: dir.file('tls.cfg'), range: rng(7, 0, 7, 18), message: 'The value Kamailio uses' }]);
});

test('JSON of a clean configuration: no error, exit 0', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  const run = runCli(['check', '--format', 'json', '--severity', 'cert.self-signed=off', 'tls.cfg'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout);
  const report = JSON.parse(run.stdout) as { files: string[]; diagnostics: { severity: string }[] };
  assert.deepEqual(report.files, [dir.file('tls.cfg')]);
  assert.ok(report.diagnostics.every((d) => d.severity !== 'error'));
});

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}
interface SarifLocation {
  id?: number;
  physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: SarifRegion };
  message?: { text: string };
}
interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
}
interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string };
  defaultConfiguration: { level: string };
}
interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; informationUri: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string }>;
    columnKind: string;
    results: SarifResult[];
  }[];
}

function sarif(dir: TempDir, args: string[], cwd = dir.path): SarifLog {
  const run = runCli(['check', '--format', 'sarif', ...args], { cwd });
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  const log = JSON.parse(run.stdout) as SarifLog;
  assert.deepEqual(sarifSchemaErrors(log), [], 'valid against the SARIF 2.1.0 schema');
  return log;
}

test('SARIF 2.1.0: valid against the official schema; rules from the whole catalog', () => {
  const dir = folder({ 'etc/kamailio/tls.cfg': MISTAKES });
  const log = sarif(dir, []);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.equal(log.runs.length, 1);
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.name, 'sip-tls');
  assert.equal(run.tool.driver.version, manifest.version);
  assert.match(run.tool.driver.informationUri, /^https:\/\//);
  assert.equal(run.columnKind, 'utf16CodeUnits');
  assert.deepEqual(run.tool.driver.rules.map((r) => r.id), CATALOG.map((e) => e.code));
  const levelOf = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;
  CATALOG.forEach((entry, i) => {
    const rule = run.tool.driver.rules[i]!;
    assert.equal(rule.shortDescription.text, entry.summary);
    assert.equal(rule.fullDescription.text, entry.help);
    assert.equal(rule.help.text, entry.help);
    assert.equal(rule.defaultConfiguration.level, levelOf[entry.severity]);
  });
  // The base folder is the folder checked, declared with a trailing slash.
  assert.deepEqual(Object.keys(run.originalUriBaseIds), ['SRCROOT']);
  assert.equal(run.originalUriBaseIds['SRCROOT']!.uri, pathToFileURL(dir.path).href + '/');

  for (const r of run.results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(r.level));
    assert.deepEqual(r.locations[0]!.physicalLocation.artifactLocation, { uri: 'etc/kamailio/tls.cfg', uriBaseId: 'SRCROOT' });
  }
  const unknown = run.results.filter((r) => r.ruleId === 'tlscfg.unknown-option');
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0]!.level, 'error');
  assert.match(unknown[0]!.message.text, /^Unknown option 'require_certiificate'/);
  assert.deepEqual(unknown[0]!.locations[0]!.physicalLocation.region, { startLine: 7, startColumn: 1, endLine: 7, endColumn: 21 });
  const duplicate = run.results.filter((r) => r.ruleId === 'tlscfg.duplicate-option');
  assert.equal(duplicate[0]!.level, 'warning');
  assert.deepEqual(duplicate[0]!.relatedLocations, [
    {
      id: 0,
      physicalLocation: { artifactLocation: { uri: 'etc/kamailio/tls.cfg', uriBaseId: 'SRCROOT' }, region: { startLine: 8, startColumn: 1, endLine: 8, endColumn: 19 } },
      message: { text: 'The value Kamailio uses' },
    },
  ]);
});

test('SARIF: severity overrides show in result levels; file arguments are relative to the current folder', () => {
  const dir = folder({ 'my configs/tls.cfg': MISTAKES });
  const log = sarif(dir, ['--severity', 'tlscfg.unknown-option=hint', 'my configs/tls.cfg']);
  const run = log.runs[0]!;
  assert.equal(run.originalUriBaseIds['SRCROOT']!.uri, pathToFileURL(dir.path).href + '/');
  const unknown = run.results.find((r) => r.ruleId === 'tlscfg.unknown-option')!;
  assert.equal(unknown.level, 'note');
  // A relative URI reference: the space is percent-encoded.
  assert.deepEqual(unknown.locations[0]!.physicalLocation.artifactLocation, { uri: 'my%20configs/tls.cfg', uriBaseId: 'SRCROOT' });
});

test('SARIF of a clean configuration: valid, no error results, exit 0', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  const run = runCli(['check', '--format', 'sarif'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout);
  const log = JSON.parse(run.stdout) as SarifLog;
  assert.deepEqual(sarifSchemaErrors(log), []);
  assert.ok(log.runs[0]!.results.every((r) => r.level !== 'error'));
});

test('the schema check is real: a broken log is rejected', () => {
  const dir = folder({ 'tls.cfg': MISTAKES });
  const run = runCli(['check', '--format', 'sarif'], { cwd: dir.path });
  const log = JSON.parse(run.stdout) as SarifLog;
  const broken = structuredClone(log);
  broken.runs[0]!.results[0]!.level = 'fatal';
  assert.notDeepEqual(sarifSchemaErrors(broken), []);
  const noDriver = structuredClone(log) as unknown as { runs: { tool: Record<string, unknown> }[] };
  delete noDriver.runs[0]!.tool['driver'];
  assert.notDeepEqual(sarifSchemaErrors(noDriver), []);
  const badRegion = structuredClone(log);
  badRegion.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
  assert.notDeepEqual(sarifSchemaErrors(badRegion), []);
});
