// Output into a pipe that closes early (`sip-tls check --format json | head`): no stack trace,
// the command's own exit code. And `show` on a file with nothing to show is a problem (exit 1).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { CLI_BUNDLE, requireBundles } from '../helpers/paths';
import { runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';

/** Run the CLI, read its first chunk of stdout, then close the pipe as `head` does. */
function runIntoClosedPipe(args: string[], cwd: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; read: number }> {
  requireBundles();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let read = 0;
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.once('data', (chunk: Buffer) => {
      read = chunk.length;
      child.stdout.destroy();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr, read });
    });
  });
}

test('check piped into a reader that stops early: no EPIPE stack trace, the exit code of the check, in every format', { timeout: 120_000 }, async () => {
  const dir = makeTempDir();
  // About 2,000 findings: far more than a pipe holds, so the writer meets the closed pipe.
  dir.write({ 'kamailio.cfg': '#!KAMAILIO\nloadmodule "tls.so"\n' + Array.from({ length: 2000 }, (_, i) => `listen=tls:0.0.${i % 250}:5061\n`).join('') });
  const full = runCli(['check', '.', '--format', 'json'], { cwd: dir.path });
  assert.equal(full.code, 1, 'the check itself finds errors');
  assert.ok(full.stdout.length > 1_000_000, `output larger than any pipe buffer (${full.stdout.length} bytes)`);
  for (const format of ['json', 'sarif', 'text']) {
    const r = await runIntoClosedPipe(['check', '.', '--format', format], dir.path);
    assert.ok(r.read > 0, `${format}: something was read before the pipe closed`);
    assert.equal(r.stderr, '', `${format}: nothing on stderr`);
    assert.equal(r.signal, null, `${format}: not killed`);
    assert.equal(r.code, 1, `${format}: exit code of the check`);
  }
  dir.remove();
});

test('show on a file holding no certificate, key or CRL reports it and exits 1 (empty, text, other PEM blocks)', () => {
  const dir = makeTempDir();
  dir.write({
    'empty.pem': '',
    'notes.txt': 'not a certificate\n',
    'public.pem': '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n',
  });
  const expected: Record<string, RegExp> = {
    'empty.pem': /^  - It holds nothing \(the file is empty\): no certificate, private key or CRL that Kamailio could load\.$/m,
    'notes.txt': /^  - It holds text without any PEM block \(no '-----BEGIN' line\): no certificate, private key or CRL that Kamailio could load\.$/m,
    'public.pem': /^  - It holds a public key \(not a private key\): no certificate, private key or CRL that Kamailio could load\.$/m,
  };
  for (const [file, problem] of Object.entries(expected)) {
    const text = runCli(['show', file], { cwd: dir.path });
    assert.equal(text.code, 1, `${file}: exit 1 (${text.stdout})`);
    assert.match(text.stdout, /^Verdict: 1 problem$/m, file);
    assert.match(text.stdout, problem, file);
    const json = JSON.parse(runCli(['show', file, '--format', 'json'], { cwd: dir.path }).stdout) as { problems: string[] };
    assert.equal(json.problems.length, 1, file);
  }
  dir.remove();
});
