// `check --fix` and `--fix-dry-run` over generated configurations with every fix kind the editor
// prefers and that edits only text: each fixed finding is gone, no error is new, a second --fix
// changes nothing, the dry run writes nothing and its diff applies with `git apply` to exactly
// what --fix writes; certificates, keys, symlinked and read-only files are never written.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { Rng } from '../helpers/fuzz/prng';
import { faultyTlsCfg } from '../helpers/fixableFaults';
import { foldersRemovedAfter, CLEAN_TLS_CFG } from './fixtures';
import { unifiedDiff } from '../../server/src/cli/unifiedDiff';

const { folder } = foldersRemovedAfter();

interface Diagnostic {
  code: string;
  severity: string;
  file: string;
}

function diagnostics(cwd: string): Diagnostic[] {
  return (JSON.parse(runCli(['check', '--format', 'json'], { cwd }).stdout) as { diagnostics: Diagnostic[] }).diagnostics;
}

function snapshot(dir: string, files: readonly string[]): Record<string, string> {
  return Object.fromEntries(files.map((f) => [f, `${readFileSync(join(dir, f), 'utf8')}\0${statSync(join(dir, f)).mtimeMs}`]));
}

const CERT_FILES = ['cert.pem', 'key.pem'];

test('--fix over generated tls.cfg faults: fixed findings gone, no new error, idempotent; the dry run is its diff', () => {
  for (let seed = 1; seed <= 8; seed++) {
    const rng = new Rng(seed);
    const faulty = faultyTlsCfg(rng);
    const before = folder({ 'tls.cfg': faulty.text });
    const dry = folder({ 'tls.cfg': faulty.text });
    const initial = diagnostics(before.path);
    for (const code of faulty.codes) assert.ok(initial.some((d) => d.code === code), `seed ${seed}: the fault raises ${code}`);

    const untouched = snapshot(dry.path, ['tls.cfg', ...CERT_FILES]);
    const dryRun = runCli(['check', '--fix-dry-run'], { cwd: dry.path });
    assert.deepEqual(snapshot(dry.path, ['tls.cfg', ...CERT_FILES]), untouched, `seed ${seed}: the dry run wrote nothing`);
    assert.match(dryRun.stderr, /nothing was written/);

    const certs = snapshot(before.path, CERT_FILES);
    const fixed = runCli(['check', '--fix'], { cwd: before.path });
    assert.notEqual(fixed.code, 2, `seed ${seed}: ${fixed.stderr}`);
    assert.match(fixed.stderr, /fixed [1-9]\d* problem\(s\) in 1 file\(s\)/, `seed ${seed}`);
    assert.deepEqual(snapshot(before.path, CERT_FILES), certs, `seed ${seed}: certificate and key untouched`);
    const after = diagnostics(before.path);
    const count = (list: Diagnostic[], code: string) => list.filter((d) => d.code === code).length;
    for (const code of new Set(faulty.codes)) assert.ok(count(after, code) < count(initial, code), `seed ${seed}: fewer ${code}`);
    const errorsBefore = new Set(initial.filter((d) => d.severity === 'error').map((d) => d.code));
    for (const d of after.filter((x) => x.severity === 'error')) assert.ok(errorsBefore.has(d.code), `seed ${seed}: new error ${d.code}`);
    assert.ok(!after.some((d) => d.code === 'tlscfg.bad-value' || d.code === 'tlscfg.duplicate-option' || d.code === 'tlscfg.bad-header'), `seed ${seed}: ${JSON.stringify(after)}`);

    const fixedText = readFileSync(before.file('tls.cfg'), 'utf8');
    const again = runCli(['check', '--fix'], { cwd: before.path });
    assert.match(again.stderr, /fixed 0 problem\(s\) in 0 file\(s\)/, `seed ${seed}: idempotent`);
    assert.equal(readFileSync(before.file('tls.cfg'), 'utf8'), fixedText);

    // The printed diff, applied to the untouched copy, gives exactly what --fix wrote.
    // The diff comes first; the report after it starts with a line no diff line starts with.
    const patch = dryRun.stdout.split(/\n(?=[^ +\-@\\])/)[0]! + '\n';
    writeFileSync(join(dry.path, 'fix.patch'), patch);
    const applied = spawnSync('git', ['apply', '--unsafe-paths', 'fix.patch'], { cwd: dry.path, encoding: 'utf8' });
    assert.equal(applied.status, 0, `seed ${seed}: git apply: ${applied.stderr}\n${patch}`);
    assert.equal(readFileSync(dry.file('tls.cfg'), 'utf8'), fixedText, `seed ${seed}`);
  }
});

test('--fix in kamailio.cfg: a mistyped core parameter and a quoted integer modparam', () => {
  const cfg = (param: string, timeout: string) => `#!KAMAILIO\nlisten=tls:127.0.0.1:5061\nenable_tls=yes\n${param}=3605\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nmodparam("tls", "connection_timeout", ${timeout})\nrequest_route { drop; }\n`;
  const dir = folder({ 'kamailio.cfg': cfg('tcp_connection_lifetme', '"60"'), 'tls.cfg': CLEAN_TLS_CFG });
  const codes = diagnostics(dir.path).map((d) => d.code);
  assert.ok(codes.includes('kamcfg.unknown-core-param') && codes.includes('kamcfg.unknown-modparam'), codes.join());
  const run = runCli(['check', '--fix'], { cwd: dir.path });
  assert.match(run.stderr, /fixed 2 problem\(s\) in 1 file\(s\)/, run.stderr);
  assert.equal(readFileSync(dir.file('kamailio.cfg'), 'utf8'), cfg('tcp_connection_lifetime', '60'));
  assert.equal(run.code, 0, run.stdout);
});

test('--fix never writes through a symbolic link, nor a read-only file; standard input is shown, not written', () => {
  const bad = faultyTlsCfg(new Rng(3)).text;
  const linked = folder({ 'real/tls.cfg': bad });
  mkdirSync(join(linked.path, 'etc'));
  for (const f of CERT_FILES) copyFileSync(join(linked.path, f), join(linked.path, 'etc', f));
  symlinkSync(join(linked.path, 'real', 'tls.cfg'), join(linked.path, 'etc', 'tls.cfg'));
  runCli(['check', '--fix', 'etc'], { cwd: linked.path });
  assert.equal(readFileSync(join(linked.path, 'real', 'tls.cfg'), 'utf8'), bad, 'the link target is unchanged');

  const readOnly = folder({ 'tls.cfg': bad });
  chmodSync(readOnly.file('tls.cfg'), 0o444);
  const run = runCli(['check', '--fix'], { cwd: readOnly.path });
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /tls\.cfg: not writable/);
  assert.equal(readFileSync(readOnly.file('tls.cfg'), 'utf8'), bad);
  assert.equal(statSync(readOnly.file('tls.cfg')).mode & 0o777, 0o444, 'the mode is kept');

  const stdinDir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  const refused = runCli(['check', '--fix', '-', '--stdin-filename', 'tls.cfg'], { cwd: stdinDir.path, input: bad });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--fix-dry-run shows its fixes/);
  const shown = runCli(['check', '--fix-dry-run', '-', '--stdin-filename', 'tls.cfg'], { cwd: stdinDir.path, input: bad });
  assert.match(shown.stdout, /^--- a\/tls\.cfg\n\+\+\+ b\/tls\.cfg\n@@ /);
  assert.equal(readFileSync(stdinDir.file('tls.cfg'), 'utf8'), CLEAN_TLS_CFG);
});

test('unifiedDiff: generated edits give diffs that git apply turns into the edited text', () => {
  const dir = folder({});
  for (let seed = 1; seed <= 40; seed++) {
    const rng = new Rng(seed);
    const lines = Array.from({ length: rng.between(0, 30) }, (_, i) => `line ${i}${rng.between(0, 5) === 0 ? '\r' : ''}`);
    const before = lines.join('\n') + (rng.between(0, 3) === 0 ? '' : '\n');
    const edited = [...lines];
    for (let k = rng.between(1, 4); k > 0; k--) {
      const at = rng.between(0, edited.length);
      const op = rng.between(0, 2);
      if (op === 0) edited.splice(at, 0, `inserted ${k}`);
      else if (op === 1 && edited.length > 0) edited.splice(Math.min(at, edited.length - 1), 1);
      else if (edited.length > 0) edited[Math.min(at, edited.length - 1)] = `changed ${k}`;
    }
    const after = edited.join('\n') + (rng.between(0, 3) === 0 ? '' : '\n');
    const diff = unifiedDiff('f.txt', before, after);
    if (before === after) {
      assert.equal(diff, '');
      continue;
    }
    writeFileSync(join(dir.path, 'f.txt'), before);
    writeFileSync(join(dir.path, 'f.patch'), diff);
    const r = spawnSync('git', ['apply', 'f.patch'], { cwd: dir.path, encoding: 'utf8' });
    assert.equal(r.status, 0, `seed ${seed}: ${r.stderr}\n${diff}`);
    assert.equal(readFileSync(join(dir.path, 'f.txt'), 'utf8'), after, `seed ${seed}`);
  }
});
