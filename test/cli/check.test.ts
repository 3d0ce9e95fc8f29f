// `sip-tls check` as a child process: exit codes, the text format, options, folder search.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { relative } from 'node:path';
import { runCli, runCliOnTty } from '../helpers/cli';
import { lines, makeTempDir, type TempDir } from '../helpers/tempDir';
import { CLEAN_TLS_CFG, folderWith } from './fixtures';
import manifest from '../../package.json';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));
function folder(files: Record<string, string>): TempDir {
  const d = folderWith(files);
  dirs.push(d);
  return d;
}

const TYPO_TLS_CFG = CLEAN_TLS_CFG + 'require_certiificate = yes\n';
// Counts per severity (hints only when there are some), the number of files, then their names.
const SUMMARY = /^(\d+) errors?, (\d+) warnings?, (\d+) information(?:, \d+ hints?)? in (\d+) files?(?:: (.+))?$/;

interface JsonDiag {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

function json(dir: TempDir, ...args: string[]): { files: string[]; diagnostics: JsonDiag[] } {
  const run = runCli(['check', '--format', 'json', ...args], { cwd: dir.path });
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return JSON.parse(run.stdout) as { files: string[]; diagnostics: JsonDiag[] };
}

test('a clean tls.cfg exits 0 and says so', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  const run = runCli(['check', 'tls.cfg'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const out = run.stdout.trimEnd().split('\n');
  const summary = SUMMARY.exec(out.at(-1)!);
  assert.ok(summary, out.at(-1));
  assert.equal(summary[1], '0');
  assert.equal(summary[4], '1');
  assert.equal(summary[5], 'tls.cfg');
  assert.equal(run.stderr, '');
  // No error-severity line at all.
  assert.ok(out.every((l) => !/^\S+:\d+:\d+ error /.test(l)), run.stdout);
});

test('an error finding exits 1; text lines are file:line:col severity code message', () => {
  const dir = folder({ 'tls.cfg': TYPO_TLS_CFG });
  const run = runCli(['check', 'tls.cfg'], { cwd: dir.path });
  assert.equal(run.code, 1, run.stderr);
  const expected = json(dir, 'tls.cfg').diagnostics.find((d) => d.code === 'tlscfg.unknown-option')!;
  const out = run.stdout.trimEnd().split('\n');
  // Line 7 (1-based), column 1: the misspelt key.
  assert.ok(out.includes(`tls.cfg:7:1 error tlscfg.unknown-option ${expected.message}`), run.stdout);
  assert.equal(expected.range.start.line, 6);
  // Each finding line is followed by its source line and the range underlined; one blank line ends the file's group.
  const body = out.slice(0, -2);
  assert.equal(out.at(-2), '');
  assert.ok(body.length > 0);
  for (let i = 0; i < body.length; i += 3) {
    assert.match(body[i]!, /^tls\.cfg:\d+:\d+ (error|warning|information|hint) [a-z]+\.[a-z-]+ \S/);
    const line = Number(/^tls\.cfg:(\d+):/.exec(body[i]!)![1]);
    assert.match(body[i + 1]!, new RegExp(`^ *${line} \\| `));
    assert.match(body[i + 2]!, /^ *\| *\^+$/);
  }
  const at7 = out.indexOf(`tls.cfg:7:1 error tlscfg.unknown-option ${expected.message}`);
  assert.deepEqual(out.slice(at7 + 1, at7 + 3), ['7 | require_certiificate = yes', '  | ^^^^^^^^^^^^^^^^^^^^']);
  const summary = SUMMARY.exec(out.at(-1)!)!;
  assert.ok(Number(summary[1]) >= 1);
  assert.equal(summary[4], '1');
});

test('text output shows paths relative to the current folder, absolute outside it', () => {
  const dir = folder({ 'sub/tls.cfg': TYPO_TLS_CFG });
  const inside = runCli(['check'], { cwd: dir.path });
  assert.match(inside.stdout, /^sub\/tls\.cfg:7:1 error tlscfg\.unknown-option /m);
  const elsewhere = makeTempDir();
  dirs.push(elsewhere);
  const outside = runCli(['check', dir.file('sub')], { cwd: elsewhere.path });
  assert.ok(outside.stdout.includes(`${dir.file('sub/tls.cfg')}:7:1 error tlscfg.unknown-option `), outside.stdout);
});

test('--severity CODE=off removes the finding and changes the exit code; =warning demotes it', () => {
  const dir = folder({ 'tls.cfg': TYPO_TLS_CFG });
  const off = runCli(['check', '--severity', 'tlscfg.unknown-option=off'], { cwd: dir.path });
  assert.equal(off.code, 0, off.stdout);
  assert.ok(!off.stdout.includes('tlscfg.unknown-option'));
  const warn = runCli(['check', '--severity=tlscfg.unknown-option=warning'], { cwd: dir.path });
  assert.equal(warn.code, 0, warn.stdout);
  assert.match(warn.stdout, /^tls\.cfg:7:1 warning tlscfg\.unknown-option /m);
  const hint = json(dir, '--severity', 'tlscfg.unknown-option=hint').diagnostics.filter((d) => d.code === 'tlscfg.unknown-option');
  assert.deepEqual(hint.map((d) => d.severity), ['hint']);
});

test('bad usage exits 2 with a message on stderr', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  const cases: [string[], RegExp][] = [
    [[], /no command given/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['check', '--frobnicate'], /unknown option '--frobnicate'/],
    [['check', '--format', 'xml'], /--format must be one of text, json, sarif/],
    [['check', '--format'], /--format needs a value/],
    [['check', '--kamailio-version', '7.9'], /unknown Kamailio version '7\.9'/],
    [['check', '--kamailio-version', 'latest'], /unknown Kamailio version 'latest'/],
    [['check', '--severity', 'tlscfg.no-such-code=off'], /unknown diagnostic code 'tlscfg\.no-such-code'/],
    [['check', '--severity', 'tlscfg.unknown-option=loud'], /--severity needs CODE=error\|warning\|information\|hint\|off/],
    [['check', '--severity', 'tlscfg.unknown-option'], /--severity needs CODE=/],
    [['check', 'missing.cfg'], /missing\.cfg: no such file or directory/],
    [['check', 'tls.cfg', 'nowhere'], /nowhere: no such file or directory/],
    [['check', '--now', 'yesterday'], /--now needs an ISO-8601/],
    [['check', '--now', '2026-13-45T99:00:00Z'], /--now needs an ISO-8601/],
    [['check', '--expiry-days', '-3'], /--expiry-days needs a whole number/],
    [['check', '--map', 'etc/kamailio=./etc'], /--map needs DEPLOYED=LOCAL/],
    [['check', '--map', '/etc/kamailio'], /--map needs DEPLOYED=LOCAL/],
    [['check', '--define', '1BAD'], /--define needs NAME or NAME=VALUE/],
    [['check', '--workdir', 'relative'], /--workdir needs Kamailio's absolute working directory/],
    [['check', '--trust', 'no-such-ca.pem'], /--trust .*no-such-ca\.pem: not a readable file/],
    [['serve'], /serve needs a transport: --stdio/],
    [['help', 'frobnicate'], /no help for 'frobnicate'/],
  ];
  for (const [args, message] of cases) {
    const run = runCli(args, { cwd: dir.path });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
  }
});

test('--version and --help', () => {
  const dir = folder({});
  const version = runCli(['--version'], { cwd: dir.path });
  assert.equal(version.code, 0);
  assert.equal(version.stdout, `sip-tls ${manifest.version}\n`);
  const help = runCli(['--help'], { cwd: dir.path });
  assert.equal(help.code, 0);
  for (const cmd of ['check', 'show', 'probe', 'lab', 'serve --stdio']) assert.ok(help.stdout.includes(`sip-tls ${cmd}`), cmd);
  for (const args of [['help', 'check'], ['check', '--help']]) {
    const run = runCli(args, { cwd: dir.path });
    assert.equal(run.code, 0);
    for (const option of ['--format', '--kamailio-version', '--now', '--expiry-days', '--trust', '--map', '--severity', '--define', '--workdir']) {
      assert.ok(run.stdout.includes(option), `${args.join(' ')}: ${option}`);
    }
  }
});

test('options that are accepted: --now, --expiry-days, --trust, --define, --kamailio-version', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  const soon = new Date(Date.now() + 86_400_000).toISOString();
  const run = runCli(
    ['check', '--now', soon, '--expiry-days', '10', '--trust', 'cert.pem', '--define', 'WITH_TLS', '--define', 'PORT=5061', '--kamailio-version', '5.6.3'],
    { cwd: dir.path },
  );
  assert.equal(run.code, 0, run.stdout + run.stderr);
  // A bare date is accepted too; tomorrow lies inside the generated certificate's validity.
  const dateOnly = runCli(['check', '--now', soon.slice(0, 10)], { cwd: dir.path });
  assert.equal(dateOnly.code, 0, dateOnly.stdout + dateOnly.stderr);
  assert.equal(runCli(['check', '--now', 'yesterday-ish'], { cwd: dir.path }).code, 2, 'an unreadable --now is a usage error');
});

test('--kamailio-version gates version-dependent values', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG.replace('TLSv1.2+', 'TLSv1.3+') });
  const old = runCli(['check', '--kamailio-version', '5.6'], { cwd: dir.path });
  assert.equal(old.code, 1);
  assert.match(old.stdout, /^tls\.cfg:2:10 error tlscfg\.version-gated /m);
  const current = runCli(['check', '--kamailio-version', '5.7'], { cwd: dir.path });
  assert.equal(current.code, 0, current.stdout);
});

test('--map DEPLOYED=LOCAL (LOCAL relative to the current folder) and --workdir', () => {
  const dir = folder({
    'tls.cfg': lines('[server:default]', 'method = TLSv1.2+', 'certificate = /etc/kamailio/cert.pem', 'private_key = ./key.pem'),
  });
  dir.write({ 'deployed/etc/kamailio/cert.pem': 'x', 'deployed/run/key.pem': 'x' });
  const deployTime = (d: { diagnostics: JsonDiag[] }) => d.diagnostics.filter((x) => x.code === 'path.deploy-time').map((x) => x.message);
  const notRead = (d: { diagnostics: JsonDiag[] }) => d.diagnostics.filter((x) => x.code === 'cert.unreadable' || x.code === 'key.unreadable').map((x) => x.range.start.line);
  // Outside the folder checked and unmapped: provided at deploy time, never read from this machine.
  const unmapped = json(dir);
  assert.equal(unmapped.diagnostics.filter((x) => x.code === 'path.not-found').length, 0);
  assert.match(deployTime(unmapped)[0] ?? '', /\/etc\/kamailio\/cert\.pem, \/key\.pem are outside/);
  // Mapped, the files are read (they hold no PEM: the certificate rules say so).
  const one = json(dir, '--map', '/etc/kamailio=./deployed/etc/kamailio');
  assert.deepEqual(notRead(one), [2]);
  assert.match(deployTime(one)[0] ?? '', /\/key\.pem is outside/);
  const mapped = json(dir, '--map', '/etc/kamailio=deployed/etc/kamailio', '--workdir', '/run', '--map=/run=./deployed/run');
  assert.deepEqual(deployTime(mapped), []);
  assert.deepEqual(notRead(mapped), [2, 3]);
});

test('a folder is searched for kamailio*.cfg, #!KAMAILIO files and tls*.cfg only', () => {
  const dir = folder({
    'kamailio.cfg': '#!KAMAILIO\n',
    'etc/kamailio-edge.cfg': '# edge proxy\n',
    'etc/routing.cfg': '#!KAMAILIO\n',
    'etc/tls.cfg': CLEAN_TLS_CFG,
    'etc/tls-backup.cfg': CLEAN_TLS_CFG,
    'etc/dispatcher.cfg': 'bogus = 1\n',
    'etc/other.cfg': '[server:default]\nrequire_certiificate = yes\n',
    'node_modules/pkg/tls.cfg': 'garbage',
    'node_modules/pkg/kamailio.cfg': 'garbage',
    '.git/tls.cfg': 'garbage',
    'readme.txt': '#!KAMAILIO\n',
  });
  const report = json(dir) as ReturnType<typeof json> & { skipped: { file: string; reason: string }[] };
  assert.deepEqual(report.files.map((f) => relative(dir.path, f)).sort(), ['etc/kamailio-edge.cfg', 'kamailio.cfg']);
  // Found, but Kamailio never reads them: no main configuration loads the tls.cfg files, and
  // nothing includes the #!KAMAILIO fragment.
  assert.deepEqual(
    report.skipped.map((s) => [relative(dir.path, s.file), s.reason.replace(/ \(.*/, '')]).sort(),
    [
      ['etc/routing.cfg', 'a fragment that no main configuration includes'],
      ['etc/tls-backup.cfg', 'no main configuration loads it'],
      ['etc/tls.cfg', 'no main configuration loads it'],
    ],
  );
  assert.ok(report.diagnostics.every((d) => !d.file.includes('node_modules') && !d.file.includes('other.cfg') && !d.file.includes('tls')));
  // A folder of tls.cfg files alone (no main configuration anywhere): each is checked on its own.
  const alone = folder({ 'a/tls.cfg': CLEAN_TLS_CFG, 'b/tls-edge.cfg': CLEAN_TLS_CFG });
  assert.deepEqual(json(alone).files.map((f) => relative(alone.path, f)).sort(), ['a/tls.cfg', 'b/tls-edge.cfg']);
});

test('an empty folder: nothing checked is a usage error (exit 2), said on stderr', () => {
  const dir = makeTempDir();
  dirs.push(dir);
  const run = runCli(['check'], { cwd: dir.path });
  // A mistyped or empty folder must not pass a CI job.
  assert.equal(run.code, 2);
  assert.equal(run.stdout, '0 errors, 0 warnings, 0 information in 0 files\n');
  assert.match(run.stderr, /^sip-tls: check: \.: nothing to check: a folder without kamailio\*\.cfg, #!KAMAILIO or tls\*\.cfg files$/m);
});

test('colour on a terminal only, and never with NO_COLOR', () => {
  const dir = folder({ 'tls.cfg': TYPO_TLS_CFG });
  const tty = runCliOnTty(['check'], { cwd: dir.path });
  assert.equal(tty.code, 1, tty.stdout);
  assert.match(tty.stdout, /\u001b\[31;1merror\u001b\[0m/);
  const noColor = runCliOnTty(['check'], { cwd: dir.path, env: { NO_COLOR: '1' } });
  assert.doesNotMatch(noColor.stdout, /\u001b\[/);
  assert.match(noColor.stdout, /^tls\.cfg:7:1 error tlscfg\.unknown-option /m);
  const piped = runCli(['check'], { cwd: dir.path });
  assert.doesNotMatch(piped.stdout, /\u001b\[/);
});
