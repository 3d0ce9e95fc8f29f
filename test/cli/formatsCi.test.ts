// `--format github|gitlab|junit` and SARIF fixes: each format validated against its published
// schema (JUnit: the Jenkins XSD; GitLab: its documented fields; SARIF: the official schema), each
// carries exactly the findings the JSON report lists, and hostile text cannot break out of it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import Ajv from 'ajv';
import { validateXML } from 'xmllint-wasm';
import type { Finding, Severity } from '../../server/src/core/types';
import { formatGithub } from '../../server/src/cli/formatGithub';
import { formatGitlab } from '../../server/src/cli/formatGitlab';
import { formatJunit } from '../../server/src/cli/formatJunit';
import { runCli } from '../helpers/cli';
import { Rng } from '../helpers/fuzz/prng';
import { hostileString } from '../helpers/hostileText';
import { sarifSchemaErrors } from '../helpers/sarif';
import { lines, type TempDir } from '../helpers/tempDir';
import { CLEAN_TLS_CFG, folderWith } from './fixtures';

const SCHEMAS = join(__dirname, '..', 'fixtures', 'schemas');
const JUNIT_XSD = readFileSync(join(SCHEMAS, 'junit-10.xsd'), 'utf8');
const gitlabValidator = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(JSON.parse(readFileSync(join(SCHEMAS, 'gitlab-codequality.schema.json'), 'utf8')) as object);

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));
function folder(files: Record<string, string>): TempDir {
  const d = folderWith(files);
  dirs.push(d);
  return d;
}

/** An unknown option (an error, with a preferred fix) and a duplicate (a warning) in one tls.cfg. */
const MISTAKES = CLEAN_TLS_CFG + lines('require_certiificate = yes', 'verify_certificate = no');

interface JsonDiagnostic {
  file: string;
  code: string;
  severity: Severity;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}

function jsonFindings(cwd: string, args: string[]): JsonDiagnostic[] {
  const run = runCli(['check', '--format', 'json', ...args], { cwd });
  return (JSON.parse(run.stdout) as { diagnostics: JsonDiagnostic[] }).diagnostics;
}

async function junitErrors(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [JUNIT_XSD] });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage);
}

/** The runner's own decoding of a workflow command (actions/runner ActionCommand.Unescape*). */
function unescape(text: string, property: boolean): string {
  let out = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) out = out.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return out.replace(/%25/g, '%');
}

function parseAnnotation(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
  assert.ok(m, `a workflow command: ${JSON.stringify(line)}`);
  const props: Record<string, string> = {};
  for (const kv of m[2]!.split(',')) {
    const eq = kv.indexOf('=');
    props[kv.slice(0, eq)] = unescape(kv.slice(eq + 1), true);
  }
  return { command: m[1]!, props, message: unescape(m[3]!, false) };
}

test('github: one annotation per finding, file relative to the working directory, 1-based positions', () => {
  const dir = folder({ 'etc/kamailio/tls.cfg': MISTAKES });
  const expected = jsonFindings(dir.path, []);
  assert.ok(expected.some((d) => d.severity === 'error') && expected.some((d) => d.severity === 'warning'), 'the fixture has both severities');
  const run = runCli(['check', '--format', 'github'], { cwd: dir.path });
  assert.equal(run.code, 1, run.stderr);
  const got = run.stdout.trimEnd().split('\n').map(parseAnnotation);
  assert.equal(got.length, expected.length);
  got.forEach((a, i) => {
    const d = expected[i]!;
    assert.equal(a.command, d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warning' : 'notice');
    assert.equal(a.props['file'], 'etc/kamailio/tls.cfg');
    assert.equal(a.props['line'], String(d.range.start.line + 1));
    assert.equal(a.props['col'], String(d.range.start.character + 1));
    assert.equal(a.props['title'], `sip-tls ${d.code}`);
    assert.equal(a.message, d.message);
  });
  const quiet = runCli(['check', '--format', 'github', '--quiet'], { cwd: dir.path });
  assert.ok(quiet.stdout.trimEnd().split('\n').every((l) => l.startsWith('::error ')), quiet.stdout);
});

function hostileFindings(rng: Rng, n: number, base: string): Finding[] {
  const severities: Severity[] = ['error', 'warning', 'information', 'hint'];
  return Array.from({ length: n }, () => {
    const line = rng.between(0, 50);
    const start = rng.between(0, 30);
    return {
      file: join(base, rng.pick(['tls.cfg', 'etc/kamailio.cfg', hostileString(rng, { exclude: /[\/\0]/g })])),
      range: { start: { line, character: start }, end: { line: line + rng.between(0, 1), character: start + rng.between(0, 10) } },
      code: rng.pick(['tls.method-old', 'cert.expired', 'tlscfg.syntax']),
      severity: rng.pick(severities),
      message: hostileString(rng, { maxPieces: 6 }) + (rng.between(0, 3) === 0 ? '\n::add-mask::secret\r\n::error::forged' : ''),
    };
  });
}

test('github: hostile messages and paths never start a second command, and decode to what they were', () => {
  const base = '/work/repo';
  for (let seed = 1; seed <= 300; seed++) {
    const rng = new Rng(seed);
    const findings = hostileFindings(rng, rng.between(1, 6), base);
    const out = formatGithub(findings, base);
    const outLines = out.split('\n').slice(0, -1);
    assert.equal(outLines.length, findings.length, `seed ${seed}: one line per finding`);
    outLines.forEach((l, i) => {
      const a = parseAnnotation(l);
      // The properties a forged ',' or ':' would add are never there.
      assert.deepEqual(Object.keys(a.props).filter((k) => !['file', 'line', 'endLine', 'col', 'endColumn', 'title'].includes(k)), [], `seed ${seed}`);
      const oneLine = (s: string) => s.replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      assert.equal(a.message, oneLine(findings[i]!.message), `seed ${seed}`);
      assert.equal(a.props['file'], oneLine(findings[i]!.file.slice(base.length + 1)), `seed ${seed}`);
    });
  }
});

test('gitlab: valid Code Quality report; fingerprints unique, and the same in another checkout and after lines move', () => {
  const files = { 'etc/kamailio/tls.cfg': MISTAKES + lines('verify_certificate = no') };
  const a = folder(files);
  const b = folder(files);
  const shifted = folder({ 'etc/kamailio/tls.cfg': '# a comment that moves every line down\n' + files['etc/kamailio/tls.cfg'] });
  const report = (d: TempDir) => {
    const run = runCli(['check', '--format', 'gitlab'], { cwd: d.path });
    assert.equal(run.code, 1, run.stderr);
    const r = JSON.parse(run.stdout) as { fingerprint: string; location: { path: string; lines: { begin: number } }; check_name: string; severity: string }[];
    assert.ok(gitlabValidator(r), JSON.stringify(gitlabValidator.errors));
    return r;
  };
  const ra = report(a);
  const expected = jsonFindings(a.path, []);
  assert.equal(ra.length, expected.length);
  assert.deepEqual(ra.map((i) => i.check_name), expected.map((d) => d.code));
  assert.deepEqual(ra.map((i) => i.location.lines.begin), expected.map((d) => d.range.start.line + 1));
  assert.ok(ra.every((i) => i.location.path === 'etc/kamailio/tls.cfg'));
  assert.equal(new Set(ra.map((i) => i.fingerprint)).size, ra.length, 'the same finding twice gives two fingerprints');
  assert.deepEqual(report(b).map((i) => i.fingerprint), ra.map((i) => i.fingerprint));
  assert.deepEqual(report(shifted).map((i) => i.fingerprint), ra.map((i) => i.fingerprint));
  assert.deepEqual(ra.map((i) => i.severity), expected.map((d) => (d.severity === 'error' ? 'critical' : d.severity === 'warning' ? 'major' : 'info')));
});

test('gitlab: hostile findings give a valid report with every finding', () => {
  for (let seed = 1; seed <= 200; seed++) {
    const rng = new Rng(seed);
    const findings = hostileFindings(rng, rng.between(0, 8), '/r');
    const r = JSON.parse(formatGitlab(findings, '/r')) as { description: string }[];
    assert.ok(gitlabValidator(r), `seed ${seed}: ${JSON.stringify(gitlabValidator.errors)}`);
    assert.deepEqual(r.map((i) => i.description), findings.map((f) => f.message));
  }
});

test('junit: valid against the Jenkins XSD; failures follow --fail-on, like the exit code', async () => {
  const dir = folder({ 'etc/kamailio/tls.cfg': MISTAKES, 'other/tls.cfg': CLEAN_TLS_CFG });
  const expected = jsonFindings(dir.path, []);
  const errors = expected.filter((d) => d.severity === 'error').length;
  for (const [failOn, failing] of [['error', errors], ['warning', expected.filter((d) => d.severity !== 'information' && d.severity !== 'hint').length]] as const) {
    const run = runCli(['check', '--format', 'junit', '--fail-on', failOn], { cwd: dir.path });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(await junitErrors(run.stdout), []);
    assert.match(run.stdout, new RegExp(`<testsuites name="sip-tls" tests="${expected.length}" failures="${failing}"`));
    assert.equal((run.stdout.match(/<failure /g) ?? []).length, failing);
    assert.match(run.stdout, /<testsuite name="other\/tls.cfg"[^>]*failures="0"/, 'a file with information only does not fail');
  }
});

test('junit: a file without findings is one passing case', async () => {
  const xml = formatJunit(['/r/clean.cfg'], [], '/r', 'error');
  assert.deepEqual(await junitErrors(xml), []);
  assert.match(xml, /<testsuite name="clean.cfg"[^>]*tests="1" failures="0"[^>]*>\n\s*<testcase classname="clean.cfg" name="no findings"\/>/);
});

test('junit: hostile text (controls, lone surrogates, markup, CDATA ends) stays well-formed and valid', async () => {
  const reports: { fileName: string; contents: string }[] = [];
  for (let seed = 1; seed <= 80; seed++) {
    const rng = new Rng(seed);
    const findings = hostileFindings(rng, rng.between(1, 6), '/r').map((f) => ({ ...f, message: f.message + rng.pick(['\u0000', '\ud800', ']]>', '\u0001\u001b[31m', '\uffff', '"\'&<>']) }));
    const xml = formatJunit([...new Set(findings.map((f) => f.file))], findings, '/r', 'warning');
    assert.equal((xml.match(/<testcase /g) ?? []).length, findings.length, `seed ${seed}`);
    reports.push({ fileName: `seed-${seed}.xml`, contents: xml });
  }
  // One validator run for every report: each run instantiates libxml2 anew.
  const r = await validateXML({ xml: reports, schema: [JUNIT_XSD] });
  assert.deepEqual(r.errors.map((e) => `${e.loc?.fileName}: ${e.rawMessage}`), []);
  assert.equal(r.valid, true);
});

test('junit: the schema check is real: a report without required attributes is rejected', async () => {
  assert.notDeepEqual(await junitErrors('<testsuites><testsuite name="x"><testcase/></testsuite></testsuites>'), []);
});

test('SARIF: a finding with a text-only quick fix carries it as a SARIF fix; the log stays valid', () => {
  const dir = folder({ 'tls.cfg': MISTAKES });
  const run = runCli(['check', '--format', 'sarif'], { cwd: dir.path });
  const log = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; fixes?: { description: { text: string }; artifactChanges: { artifactLocation: { uri: string }; replacements: { deletedRegion: { startLine: number; startColumn: number }; insertedContent: { text: string } }[] }[] }[] }[] }[] };
  assert.deepEqual(sarifSchemaErrors(log), []);
  const json = JSON.parse(runCli(['check', '--format', 'json'], { cwd: dir.path }).stdout) as { diagnostics: { code: string; fixes?: { title: string; createFiles: unknown[]; edits: { range: { start: { line: number; character: number } }; newText: string }[] }[] }[] };
  const withFixes = json.diagnostics.filter((d) => (d.fixes ?? []).some((f) => f.createFiles.length === 0));
  assert.ok(withFixes.length > 0, 'the fixture has a fix');
  const results = log.runs[0]!.results;
  json.diagnostics.forEach((d, i) => {
    const textFixes = (d.fixes ?? []).filter((f) => f.createFiles.length === 0);
    const sarifFixes = results[i]!.fixes ?? [];
    assert.deepEqual(sarifFixes.map((f) => f.description.text), textFixes.map((f) => f.title));
    sarifFixes.forEach((f, j) => {
      const e = textFixes[j]!.edits[0]!;
      const r = f.artifactChanges[0]!.replacements[0]!;
      assert.equal(f.artifactChanges[0]!.artifactLocation.uri, 'tls.cfg');
      assert.equal(r.deletedRegion.startLine, e.range.start.line + 1);
      assert.equal(r.deletedRegion.startColumn, e.range.start.character + 1);
      assert.equal(r.insertedContent.text, e.newText);
    });
  });
});

test('an unknown format is a usage error that names the new ones', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  const run = runCli(['check', '--format', 'gitlb'], { cwd: dir.path });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /github, gitlab, junit/);
  assert.match(run.stderr, /did you mean 'gitlab'/);
});
