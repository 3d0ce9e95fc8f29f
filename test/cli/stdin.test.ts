// `sip-tls check - --stdin-filename PATH`: standard input checked as the file PATH, as editor
// integrations (ALE, efm-langserver, none-ls) lint an unsaved buffer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { Rng } from '../helpers/fuzz/prng';
import { CLEAN_TLS_CFG, certificate, foldersRemovedAfter } from './fixtures';

const { folder } = foldersRemovedAfter();
const VARIANTS = Number(process.env['SIP_TLS_CLI_VARIANTS'] ?? 4);

interface Report {
  files: string[];
  diagnostics: { file: string; code: string; message: string; range: unknown }[];
}

/** The output without its messages, with the folder written <dir>. */
function shape(stdout: string, format: string, dir: string): unknown {
  const local = stdout.split(dir).join('<dir>');
  if (format === 'text') return local.split('\n').map((l) => (/^\S+:\d+:\d+ [a-z]+ [a-z]+\.[a-z-]+ /.test(l) ? l.split(' ').slice(0, 3).join(' ') : l)).filter((l) => !l.includes('in 1 file'));
  const doc = JSON.parse(local) as Record<string, unknown>;
  const strip = (v: unknown): unknown => (Array.isArray(v) ? v.map(strip) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'message' && k !== 'text').map(([k, x]) => [k, strip(x)])) : v);
  return strip(format === 'sarif' ? (doc['runs'] as { results: unknown }[])[0]!.results : doc);
}

test('standard input gives exactly the findings of the same text saved as that file, in every format', () => {
  const rng = new Rng(9);
  for (let i = 0; i < VARIANTS; i++) {
    const extra = rng.pick(['require_certiificate = yes\n', 'method = TLSv1\n', 'verify_certificate = no\n', '']);
    const text = CLEAN_TLS_CFG + extra;
    const name = rng.pick(['tls.cfg', 'etc/tls.cfg', 'tls-edge.cfg']);
    const saved = folder({ [name]: text });
    // The disk holds something else: the piped text is what is checked.
    const piped = folder({ [name]: '[server:default]\nbroken line\n' });
    for (const format of ['json', 'text', 'sarif']) {
      const fromDisk = runCli(['check', name, '--format', format], { cwd: saved.path });
      const fromStdin = runCli(['check', '-', '--stdin-filename', name, '--format', format], { cwd: piped.path, input: text });
      assert.equal(fromStdin.code, fromDisk.code, `${name} ${format}: ${fromStdin.stderr}`);
      // Messages name absolute paths, which differ between the two folders (and may be cut as
      // key-like, quote.ts): compare everything else.
      assert.deepEqual(shape(fromStdin.stdout, format, piped.path), shape(fromDisk.stdout, format, saved.path), `${name} ${format}`);
    }
  }
});

test('the named file need not exist; a kamailio.cfg on standard input loads its tls.cfg from the disk', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG + 'require_certiificate = yes\n' });
  const unsaved = runCli(['check', '-', '--stdin-filename', 'new/tls.cfg'], { cwd: dir.path, input: '[server:default]\nmethod = TLSv1.2+\nrequire_certiificate = yes\n' });
  assert.equal(unsaved.code, 1, unsaved.stderr);
  assert.match(unsaved.stdout, /^new\/tls\.cfg:3:1 error tlscfg\.unknown-option /m);
  assert.match(unsaved.stdout, /^3 \| require_certiificate = yes$/m);
  const kamailio = 'enable_tls=yes\nloadmodule "tls.so"\nlisten=tls:127.0.0.1:5061\nmodparam("tls", "config", "tls.cfg")\n';
  const run = runCli(['check', '-', '--stdin-filename', 'kamailio.cfg', '--format', 'json'], { cwd: dir.path, input: kamailio });
  const report = JSON.parse(run.stdout) as Report;
  assert.deepEqual(report.files, [dir.file('kamailio.cfg'), dir.file('tls.cfg')].sort());
  assert.ok(report.diagnostics.some((d) => d.file === dir.file('tls.cfg') && d.code === 'tlscfg.unknown-option'));
});

test('key material or JSON on standard input is nothing to check (exit 2), and nothing of the key is printed', () => {
  const dir = folder({});
  const key = certificate().keyPem;
  const run = runCli(['check', '-', '--stdin-filename', 'tls.cfg'], { cwd: dir.path, input: key });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /tls\.cfg: nothing to check: it holds a PEM private key/);
  for (const line of key.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) assert.ok(!(run.stdout + run.stderr).includes(line.slice(0, 16)));
  const json = runCli(['check', '-', '--stdin-filename', 'settings.json'], { cwd: dir.path, input: '{"a": 1}' });
  assert.equal(json.code, 2);
  assert.match(json.stderr, /settings\.json: nothing to check: a JSON document/);
});

test('- without --stdin-filename, --stdin-filename without -, or - twice is a usage error', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  for (const args of [['-'], ['--stdin-filename', 'tls.cfg'], ['-', '-', '--stdin-filename', 'tls.cfg'], ['-', '--stdin-filename=']]) {
    const run = runCli(['check', ...args], { cwd: dir.path, input: CLEAN_TLS_CFG });
    assert.equal(run.code, 2, args.join(' '));
    assert.match(run.stderr, /standard input|--stdin-filename/);
    assert.equal(run.stdout, '');
  }
  // After --, '-' is a file named '-'.
  const named = runCli(['check', '--', '-'], { cwd: dir.path });
  assert.match(named.stderr, /check: -: no such file or directory/);
});
