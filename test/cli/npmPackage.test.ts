// The npm package installs and runs wherever Node 20+ runs: `npm pack` → `npm install -g` into a
// clean prefix, offline (the bundles hold every dependency, so the package declares none), gives
// a working `sip-tls`; and `npx sip-tls check` works in a user's repository that installs the
// package as a dev dependency.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import manifest from '../../package.json';
import { runCli } from '../helpers/cli';

const ROOT = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'sip-tls-npm-'));
after(() => rmSync(work, { recursive: true, force: true }));

function npm(args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  // A private cache: the install must not be satisfied by anything but the tarball.
  const r = spawnSync('npm', [...args, '--cache', join(work, 'npm-cache'), '--no-audit', '--no-fund', '--no-update-notifier'], { cwd, encoding: 'utf8', timeout: 180_000, env: { ...process.env, npm_config_loglevel: 'error' } });
  if (r.error) throw new Error(`npm could not be run (${r.error.message}): it is needed to test the package`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tarball: string | undefined;
/** The package as `npm pack` makes it; dist/ is built by `npm test` (and by prepack on publish). */
function pack(): string {
  if (tarball) return tarball;
  const r = npm(['pack', '--ignore-scripts', '--pack-destination', work], ROOT);
  assert.equal(r.status, 0, r.stderr);
  tarball = join(work, r.stdout.trim().split('\n').pop()!);
  assert.ok(existsSync(tarball), tarball);
  return tarball;
}

test('the package declares no runtime dependency (the bundles hold them) and builds before it is packed', () => {
  assert.equal((manifest as { dependencies?: unknown }).dependencies, undefined);
  assert.equal(manifest.scripts.prepack, 'npm run build');
  assert.equal(manifest.bin['sip-tls'], 'dist/cli.js');
  assert.match(readFileSync(join(ROOT, 'dist', 'cli.js'), 'utf8').slice(0, 40), /^#!\/usr\/bin\/env node\n/);
  const tar = spawnSync('tar', ['-tzf', pack()], { encoding: 'utf8' });
  const entries = tar.stdout.trim().split('\n');
  for (const f of ['package/dist/cli.js', 'package/dist/server.js', 'package/dist/checkWorker.js', 'package/package.json', 'package/README.md', 'package/LICENSE']) assert.ok(entries.includes(f), `${f} in ${entries.join(', ')}`);
  assert.deepEqual(entries.filter((e) => /^package\/(test|server|client|node_modules|scripts|\.cache)\//.test(e)), [], 'no sources, tests or caches');
});

test('npm install -g of the tarball into a clean prefix, offline, gives a working sip-tls', () => {
  const prefix = join(work, 'prefix');
  const r = npm(['install', '-g', '--offline', '--prefix', prefix, pack()], work);
  assert.equal(r.status, 0, r.stderr);
  const bin = join(prefix, 'bin', 'sip-tls');
  accessSync(bin, constants.X_OK);
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(version.stdout, `sip-tls ${manifest.version}\n`);
  const examples = join(work, 'examples');
  cpSync(join(ROOT, 'examples'), examples, { recursive: true });
  const installed = spawnSync(bin, ['check', '--format', 'json', '.'], { cwd: examples, encoding: 'utf8' });
  const fromCheckout = runCli(['check', '--format', 'json', '.'], { cwd: examples });
  assert.equal(installed.status, fromCheckout.code, installed.stderr);
  assert.deepEqual(JSON.parse(installed.stdout), JSON.parse(fromCheckout.stdout));
  const explain = spawnSync(bin, ['explain', 'tlscfg.unknown-option'], { encoding: 'utf8' });
  assert.equal(explain.status, 0, explain.stderr);
  assert.match(explain.stdout, /tlscfg\.unknown-option/);
  // The installed language server answers too (the bundle loads its worker from its own folder).
  assert.ok(existsSync(join(prefix, 'lib', 'node_modules', 'sip-tls', 'dist', 'checkWorker.js')));
});

test('npx sip-tls check in a user repository with the package as a dev dependency', () => {
  const repo = join(work, 'user-repo');
  cpSync(join(ROOT, 'examples'), join(repo, 'etc', 'kamailio'), { recursive: true });
  writeFileSync(join(repo, 'package.json'), JSON.stringify({ name: 'sip-config', private: true, devDependencies: { 'sip-tls': `file:${pack()}` } }, null, 2));
  const install = npm(['install', '--offline'], repo);
  assert.equal(install.status, 0, install.stderr);
  const r = spawnSync('npx', ['--offline', '--no-install', 'sip-tls', 'check', 'etc/kamailio', '--format', 'json'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
  assert.ok(r.status === 0 || r.status === 1, r.stderr);
  const report = JSON.parse(r.stdout) as { files: string[] };
  assert.ok(report.files.some((f) => f.endsWith('etc/kamailio/kamailio.cfg')), r.stdout);
});
