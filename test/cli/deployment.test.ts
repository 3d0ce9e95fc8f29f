// A kamailio.cfg brings in the tls.cfg it loads: findings that concern both files are reported in
// both, with related locations, and --define decides which #!ifdef branch counts.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { sarifSchemaErrors } from '../helpers/sarif';
import { lines, type TempDir } from '../helpers/tempDir';
import { folderWith } from './fixtures';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));

const KAMAILIO_CFG = lines(
  '#!KAMAILIO',
  'enable_tls=yes',
  '#!ifdef WITH_SECOND_IP',
  'listen=tls:127.0.0.2:5061',
  '#!else',
  'listen=tls:127.0.0.1:5061',
  '#!endif',
  'loadmodule "tls.so"',
  'modparam("tls", "config", "tls.cfg")',
);
const TLS_CFG = lines(
  '[server:default]',
  'method = TLSv1.2+',
  'certificate = cert.pem',
  'private_key = key.pem',
  '',
  '[server:127.0.0.2:5061]',
  'method = TLSv1.2+',
  'certificate = cert.pem',
  'private_key = key.pem',
);

function deployment(): TempDir {
  const dir = folderWith({ 'kamailio.cfg': KAMAILIO_CFG, 'tls.cfg': TLS_CFG });
  dirs.push(dir);
  return dir;
}

const rng = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

test('a profile without a listener is reported in kamailio.cfg and tls.cfg (text and JSON)', () => {
  const dir = deployment();
  const text = runCli(['check'], { cwd: dir.path });
  assert.equal(text.code, 1, text.stdout + text.stderr);
  assert.match(text.stdout, /^kamailio\.cfg:9:27 error tlscfg\.profile-no-listener No TLS listen socket on 127\.0\.0\.2:5061/m);
  assert.match(text.stdout, /^tls\.cfg:6:1 error tlscfg\.profile-no-listener No TLS listen socket on 127\.0\.0\.2:5061/m);

  const run = runCli(['check', '--format', 'json'], { cwd: dir.path });
  const report = JSON.parse(run.stdout) as {
    files: string[];
    diagnostics: { file: string; code: string; range: unknown; related: { file: string; range: unknown; message: string }[] }[];
  };
  assert.deepEqual(report.files, [dir.file('kamailio.cfg'), dir.file('tls.cfg')]);
  const found = report.diagnostics.filter((d) => d.code === 'tlscfg.profile-no-listener');
  assert.deepEqual(found.map((d) => [d.file, d.range]), [
    [dir.file('kamailio.cfg'), rng(8, 26, 8, 35)],
    [dir.file('tls.cfg'), rng(5, 0, 5, 23)],
  ]);
  assert.deepEqual(found[1]!.related, [{ file: dir.file('kamailio.cfg'), range: rng(5, 0, 5, 25), message: 'TLS listen 127.0.0.1:5061' }]);
  assert.deepEqual(found[0]!.related[0], { file: dir.file('tls.cfg'), range: rng(5, 0, 5, 23), message: 'The profile [server:127.0.0.2:5061]' });
});

test('--define selects the #!ifdef branch with the matching listen line', () => {
  const dir = deployment();
  const run = runCli(['check', '--define', 'WITH_SECOND_IP', '--format', 'json'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout);
  const report = JSON.parse(run.stdout) as { diagnostics: { code: string }[] };
  assert.ok(report.diagnostics.every((d) => d.code !== 'tlscfg.profile-no-listener'));
});

test('SARIF: cross-file related locations, valid against the schema', () => {
  const dir = deployment();
  const run = runCli(['check', '--format', 'sarif', dir.path], { cwd: '/' });
  assert.equal(run.code, 1);
  const log = JSON.parse(run.stdout) as {
    runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; relatedLocations?: { physicalLocation: { artifactLocation: { uri: string }; region: unknown } }[] }[] }[];
  };
  assert.deepEqual(sarifSchemaErrors(log), []);
  const results = log.runs[0]!.results.filter((r) => r.ruleId === 'tlscfg.profile-no-listener');
  assert.deepEqual(results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri), ['kamailio.cfg', 'tls.cfg']);
  assert.deepEqual(results[1]!.relatedLocations!.map((r) => [r.physicalLocation.artifactLocation.uri, r.physicalLocation.region]), [
    ['kamailio.cfg', { startLine: 6, startColumn: 1, endLine: 6, endColumn: 26 }],
  ]);
});
