// key.committed with a real git repository: the bundled CLI asks git which files the repository
// tracks, warns about a committed private key (file and range exact, never its contents), and
// says nothing for a key that is untracked or ignored, with --no-git, or when git is absent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli';
import { SecretScanner } from '../helpers/secrets';
import type { TempDir } from '../helpers/tempDir';
import { certificate, CLEAN_TLS_CFG, folderWith } from './fixtures';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));

const KAMAILIO_CFG = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route { drop; }\n';
const MESSAGE =
  '[server:default]: private key key.pem is committed to the repository: anyone with read access to the repository can impersonate the server; remove it from git history, rotate the key, and provide it at deploy time (see path.deploy-time / .sip-tls.json mappings).';

function gitAvailable(): boolean {
  try {
    execFileSync('git', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const skip = gitAvailable() ? false : 'git is not installed (Debian package git)';
if (skip && process.env['CI'] === 'true') throw new Error('CI=true: git is needed for test/cli/committedKeys.test.ts (apt-get install git)');
if (skip) console.warn(`SKIPPED test/cli/committedKeys.test.ts: ${skip}`);

function git(dir: TempDir, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=sip-tls tests', '-c', 'user.email=tests@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: dir.path, stdio: 'ignore' });
}

/** A repository with the configuration committed, and these files added and committed too. */
function repository(committed: string[], extra: Record<string, string> = {}): TempDir {
  const dir = folderWith({ 'kamailio.cfg': KAMAILIO_CFG, 'tls.cfg': CLEAN_TLS_CFG, ...extra });
  dirs.push(dir);
  git(dir, 'init', '-q');
  git(dir, 'add', 'kamailio.cfg', 'tls.cfg', ...committed);
  git(dir, 'commit', '-q', '-m', 'configuration');
  return dir;
}

interface JsonReport {
  diagnostics: { file: string; code: string; severity: string; range: unknown; message: string }[];
}

function committed(dir: TempDir, extraArgs: string[] = [], env?: Record<string, string>): JsonReport['diagnostics'] {
  const run = runCli(['check', '--format', 'json', ...extraArgs], { cwd: dir.path, ...(env ? { env } : {}) });
  assert.ok(run.code === 0 || run.code === 1, run.stderr);
  return (JSON.parse(run.stdout) as JsonReport).diagnostics.filter((d) => d.code === 'key.committed');
}

function keyScanner(): SecretScanner {
  const pair = certificate();
  const scanner = new SecretScanner();
  const x509 = new X509Certificate(pair.certPem);
  scanner.addKey(createPrivateKey(pair.keyPem), [pair.keyPem], [new Uint8Array(x509.raw), new Uint8Array(x509.publicKey.export({ type: 'spki', format: 'der' }))]);
  return scanner;
}

test('a private key committed to the repository is a warning on private_key, in text and JSON, without key material', { skip }, () => {
  const dir = repository(['cert.pem', 'key.pem']);
  const text = runCli(['check'], { cwd: dir.path });
  assert.match(text.stdout, new RegExp(`^tls\\.cfg:4:15 warning key\\.committed ${MESSAGE.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'), text.stdout);
  const json = runCli(['check', '--format', 'json'], { cwd: dir.path });
  const sarif = runCli(['check', '--format', 'sarif'], { cwd: dir.path });
  const found = (JSON.parse(json.stdout) as JsonReport).diagnostics.filter((d) => d.code === 'key.committed');
  assert.deepEqual(found, [
    { ...found[0]!, file: dir.file('tls.cfg'), severity: 'warning', range: { start: { line: 3, character: 14 }, end: { line: 3, character: 21 } }, message: MESSAGE },
  ]);
  const scanner = keyScanner();
  assert.ok(scanner.size > 0);
  for (const out of [text, json, sarif]) assert.deepEqual(scanner.find(out.stdout + out.stderr), [], 'no key material in the output');
});

test('no warning for a key that is untracked, ignored, or with --no-git, or when git is absent', { skip }, () => {
  assert.deepEqual(committed(repository(['cert.pem'])), [], 'key.pem is in the checkout but not tracked');
  assert.deepEqual(committed(repository(['cert.pem', '.gitignore'], { '.gitignore': '*.pem\n!cert.pem\n' })), [], 'key.pem is ignored');
  const tracked = repository(['cert.pem', 'key.pem']);
  assert.equal(committed(tracked).length, 1);
  assert.deepEqual(committed(tracked, ['--no-git']), [], '--no-git runs no program');
  const noGit = runCli(['check'], { cwd: tracked.path, env: { PATH: '/nonexistent' } });
  assert.ok(noGit.code === 0 || noGit.code === 1, noGit.stderr);
  assert.doesNotMatch(noGit.stdout + noGit.stderr, /key\.committed|git/i, 'git absent: nothing said');
  // Removed from the index (git rm --cached): no longer tracked.
  git(tracked, 'rm', '-q', '--cached', 'key.pem');
  assert.deepEqual(committed(tracked), []);
});

test('--live: the key of the live server is where it belongs, git is not asked', { skip }, () => {
  const dir = repository(['cert.pem', 'key.pem']);
  assert.deepEqual(committed(dir, ['--live']), []);
});

test("the repository's own git configuration cannot make the check run a program (core.fsmonitor)", { skip }, () => {
  const dir = repository(['cert.pem', 'key.pem']);
  const marker = dir.file('fsmonitor-ran');
  // Plain `git ls-files` runs this command (git 2.39); the check overrides it on git's command line.
  git(dir, 'config', 'core.fsmonitor', `touch '${marker}'; false`);
  assert.equal(committed(dir).length, 1);
  assert.equal(existsSync(marker), false, 'the repository-configured fsmonitor command ran');
});
