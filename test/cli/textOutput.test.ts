// The text format as a person reads it: findings grouped per file, the source line under each
// with the range underlined (never a key, never a raw control), a summary per severity with the
// files checked, colour as --color/--no-color/NO_COLOR/a terminal say, --quiet, and file names
// exactly as typed. The golden files pin the whole output on examples/.
import assert from 'node:assert/strict';
import { createPrivateKey } from 'node:crypto';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, runCliOnTty } from '../helpers/cli';
import { Rng } from '../helpers/fuzz/prng';
import { REPO_ROOT } from '../helpers/paths';
import { CLEAN_TLS_CFG, certificate, foldersRemovedAfter } from './fixtures';

const { folder, empty } = foldersRemovedAfter();
const VARIANTS = Number(process.env['SIP_TLS_CLI_VARIANTS'] ?? 4);
const GOLDEN = join(REPO_ROOT, 'test', 'cli', 'golden');
const NOW = ['--now', '2026-06-01T00:00:00Z'];

/** examples/ copied to a fresh folder, checked from there; the folder's path is written <dir>. */
function checkExamples(extra: string[], tty = false): { code: number | null; stdout: string } {
  // Messages name absolute paths, and a run of 16+ base64-alphabet characters may be cut as key-like
  // (quote.ts): dots keep every run of this folder's path shorter, whatever mkdtemp's random part.
  const dir = empty('sip-tls.g.');
  const cwd = join(dir.path, '.w');
  cpSync(join(REPO_ROOT, 'examples'), join(cwd, 'examples'), { recursive: true });
  const run = (tty ? runCliOnTty : runCli)(['check', 'examples', ...NOW, ...extra], { cwd });
  return { code: run.code, stdout: run.stdout.split(cwd).join('<dir>') };
}

function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(file, actual);
  assert.ok(existsSync(file), `${file} is missing: UPDATE_GOLDEN=1 writes it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs (UPDATE_GOLDEN=1 rewrites it after a deliberate change)`);
}

test('golden: examples/ without colour, with --color, and on a terminal (the same as --color)', () => {
  const plain = checkExamples([]);
  assert.equal(plain.code, 1);
  assert.doesNotMatch(plain.stdout, /\u001b/);
  golden('examples.txt', plain.stdout);
  const colour = checkExamples(['--color']);
  assert.match(colour.stdout, /\u001b\[31;1merror\u001b\[0m/);
  golden('examples.color.txt', colour.stdout);
  // Without the colour sequences it is the plain output, character for character.
  assert.equal(colour.stdout.replace(/\u001b\[[0-9;]*m/g, ''), plain.stdout);
  assert.equal(checkExamples([], true).stdout, colour.stdout);
  assert.equal(checkExamples(['--no-color'], true).stdout, plain.stdout);
});

test('colour: --color wins over a pipe and NO_COLOR, --no-color over a terminal', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG + 'require_certiificate = yes\n' });
  const cases: { args: string[]; env?: Record<string, string>; tty: boolean; colour: boolean }[] = [
    { args: [], tty: false, colour: false },
    { args: ['--color'], tty: false, colour: true },
    { args: ['--color'], env: { NO_COLOR: '1' }, tty: false, colour: true },
    { args: [], env: { NO_COLOR: '1' }, tty: true, colour: false },
    { args: [], env: { NO_COLOR: '' }, tty: true, colour: true },
    { args: ['--no-color'], tty: true, colour: false },
    { args: ['--color', '--no-color'], tty: false, colour: false },
  ];
  for (const c of cases) {
    const options = { cwd: dir.path, ...(c.env ? { env: c.env } : {}) };
    const run = (c.tty ? runCliOnTty : runCli)(['check', ...c.args], options);
    assert.equal(/\u001b\[/.test(run.stdout), c.colour, JSON.stringify(c));
  }
});

/** A misspelt tls.cfg option on a line with generated indentation and value. */
function typoLine(rng: Rng): { line: string; key: string } {
  const key = rng.pick(['require_certiificate', 'verify_certifcate', 'privatekey', 'ca_lst', 'cipher_lst', 'methd']);
  const indent = rng.pick(['', '  ', '\t', ' \t ', '\t\t']);
  // Outside quotes only ASCII passes Kamailio's lexer; inside them anything (shown escaped).
  const value = rng.pick(['yes', 'no', '"a b"', '"ü-wert"', '"東京"', '"\u001b[2Jcleared"', '"x\u202eevil"']);
  const pad = rng.pick([' ', '\t', '']);
  return { line: `${indent}${key}${pad}=${pad}${value}`, key };
}

test('the underline sits exactly under the range, whatever indentation, tabs and characters precede or follow it', () => {
  const rng = new Rng(3);
  for (let i = 0; i < VARIANTS * 3; i++) {
    const filler = rng.int(12);
    const { line, key } = typoLine(rng);
    const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG + '#\n'.repeat(filler) + line + '\n' });
    const out = runCli(['check', 'tls.cfg'], { cwd: dir.path }).stdout.split('\n');
    const at = out.findIndex((l) => l.includes('tlscfg.unknown-option'));
    assert.ok(at !== -1, out.join('\n'));
    const number = String(7 + filler);
    const source = out[at + 1]!;
    const underline = out[at + 2]!;
    assert.ok(source.startsWith(`${number} | `), source);
    assert.ok(underline.startsWith(`${' '.repeat(number.length)} | `), underline);
    const shown = source.slice(number.length + 3);
    const marks = underline.slice(number.length + 3);
    const from = marks.indexOf('^');
    assert.equal(shown.slice(from, marks.length), key, `${JSON.stringify(line)}\n${source}\n${underline}`);
    // No raw control or bidi character from the file reaches the output.
    assert.doesNotMatch(source, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
    if (line.includes('\u001b')) assert.ok(source.includes('\\u001b[2J'), source);
  }
});

test('an excerpt never shows key material: a key file shows no line, a key-like run is cut, a pasted PEM block is blank', () => {
  const pem = certificate().keyPem;
  const body = pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'));
  const run64 = body.join('').slice(0, 120);
  // `openssl pkey -text`: the private exponent as hex bytes with colons, 15 a line.
  const d = Buffer.from((createPrivateKey(pem).export({ format: 'jwk' }) as { d: string }).d, 'base64url').toString('hex');
  const dump = `Private-Key: (2048 bit, 2 primes)\nprivateExponent:\n${(d.match(/.{1,30}/g) ?? []).map((l) => `    ${l.replace(/(..)(?!$)/g, '$1:')}:`).join('\n')}\n`;
  const cases: Record<string, string> = {
    'kamailio.cfg': pem,
    'tls.cfg': CLEAN_TLS_CFG + `privte_key = ${run64}\n`,
    'sub/tls.cfg': CLEAN_TLS_CFG + 'ca_lst = x\n' + pem,
    'dump/tls.cfg': CLEAN_TLS_CFG + 'ca_lst = x\n' + dump,
  };
  for (const [name, content] of Object.entries(cases)) {
    const dir = folder({ [name]: content });
    const run = runCli(['check', name], { cwd: dir.path });
    assert.ok(run.code === 1 || run.code === 0, run.stderr);
    assert.ok(/ \| /.test(run.stdout) || name === 'kamailio.cfg', `${name}: an excerpt is shown where it is safe\n${run.stdout}`);
    for (const line of body) for (let i = 0; i + 16 <= line.length; i += 8) assert.ok(!run.stdout.includes(line.slice(i, i + 16)), `${name}: key material in\n${run.stdout}`);
    const hex = run.stdout.replace(/[^0-9a-f]/gi, '').toLowerCase();
    for (let i = 0; i + 16 <= d.length; i += 2) assert.ok(!hex.includes(d.slice(i, i + 16)), `${name}: hex of the private exponent in\n${run.stdout}`);
    if (name === 'kamailio.cfg') assert.doesNotMatch(run.stdout, / \| /);
  }
});

test('--quiet lists errors only, in every format; the summary and the exit code still count everything', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG + 'require_certiificate = yes\nverify_certificate = no\n' });
  const full = runCli(['check'], { cwd: dir.path });
  const quiet = runCli(['check', '--quiet'], { cwd: dir.path });
  assert.match(full.stdout, / warning tlscfg\.duplicate-option /);
  assert.doesNotMatch(quiet.stdout, /^\S+:\d+:\d+ (warning|information|hint) /m);
  assert.match(quiet.stdout, / error tlscfg\.unknown-option /);
  assert.equal(quiet.stdout.trimEnd().split('\n').at(-1), full.stdout.trimEnd().split('\n').at(-1));
  const demoted = ['--severity', 'tlscfg.unknown-option=warning', '--fail-on', 'warning'];
  const q = runCli(['check', '-q', ...demoted], { cwd: dir.path });
  assert.equal(q.code, 1);
  assert.doesNotMatch(q.stdout, /tlscfg\./);
  const json = JSON.parse(runCli(['check', '--quiet', '--format', 'json'], { cwd: dir.path }).stdout) as { diagnostics: { code: string }[] };
  assert.deepEqual(json.diagnostics.map((d) => d.code), ['tlscfg.unknown-option']);
  const sarif = JSON.parse(runCli(['check', '--quiet', '--format', 'sarif'], { cwd: dir.path }).stdout) as { runs: { results: { ruleId: string }[] }[] };
  assert.deepEqual(sarif.runs[0]!.results.map((r) => r.ruleId), ['tlscfg.unknown-option']);
});

test('file names are shown as typed: relative stays relative, ./ and trailing / kept, absolute stays absolute', () => {
  const dir = folder({ 'deploy/etc/tls.cfg': CLEAN_TLS_CFG + 'require_certiificate = yes\n', 'work/.keep': '' });
  const cases: { cwd: string; typed: string; shown: string }[] = [
    { cwd: 'work', typed: '../deploy/etc', shown: '../deploy/etc/tls.cfg' },
    { cwd: 'work', typed: '../deploy/etc/', shown: '../deploy/etc/tls.cfg' },
    { cwd: 'work', typed: '../deploy/etc/tls.cfg', shown: '../deploy/etc/tls.cfg' },
    { cwd: '', typed: './deploy', shown: './deploy/etc/tls.cfg' },
    { cwd: '', typed: 'deploy/./etc', shown: 'deploy/./etc/tls.cfg' },
    { cwd: '', typed: '.', shown: 'deploy/etc/tls.cfg' },
    { cwd: 'work', typed: dir.file('deploy'), shown: dir.file('deploy/etc/tls.cfg') },
  ];
  for (const c of cases) {
    const run = runCli(['check', c.typed], { cwd: dir.file(c.cwd) });
    const findings = run.stdout.split('\n').filter((l) => /^\S+:\d+:\d+ [a-z]+ [a-z]+\./.test(l));
    assert.ok(findings.some((l) => l.startsWith(`${c.shown}:7:1 error tlscfg.unknown-option `)), `${c.typed}: ${run.stdout}`);
    assert.ok(findings.every((l) => l.startsWith(`${c.shown}:`)), `${c.typed}: ${run.stdout}`);
    assert.ok(run.stdout.trimEnd().endsWith(`in 1 file: ${c.shown}`), run.stdout);
  }
});

test('the summary counts every severity and names the files checked (the first eight, then how many more)', () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files[`p${i}/tls.cfg`] = CLEAN_TLS_CFG;
  const dir = folder(files);
  const few = runCli(['check', 'p0', 'p1'], { cwd: dir.path });
  // Each has its certificate at the top, not beside it: one information per file.
  assert.ok(few.stdout.endsWith('\n0 errors, 0 warnings, 2 information in 2 files: p0/tls.cfg, p1/tls.cfg\n'), few.stdout);
  const many = runCli(['check'], { cwd: dir.path });
  assert.match(many.stdout, /\n0 errors, 0 warnings, 10 information in 10 files: p0\/tls\.cfg, (p\d\/tls\.cfg, ){7}and 2 more\n$/);
});
