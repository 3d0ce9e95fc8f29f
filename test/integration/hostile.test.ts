// Hostile file references on the real file system, judged by the real bundled CLI
// (`sip-tls check DIR --format json`) and by the language server: FIFOs, devices, a directory,
// a symlink loop, a 1 GiB sparse file, garbage, 10,000 certificates, 100 KB of SANs, a
// 4,000-character path, unreadable files (checked as an unprivileged user: permissions do not
// stop root), a non-UTF-8 configuration, and a certificate replaced in a loop while checks run.
// Each must get its precise finding and none may hang.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, linkSync, mkdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { buildHostileWorld, deploymentFor, type HostileCase, type HostileWorld } from '../helpers/hostileFiles';
import { CLI_BUNDLE, requireBundles } from '../helpers/paths';
import { makeTempDir, type TempDir } from '../helpers/tempDir';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { NodeHost } from '../../server/src/core/nodeHost';
import { buildInMemory, buildOnDisk, generateLayout } from '../helpers/linkLayouts';
import { checkLayout } from '../helpers/walkProperties';

interface JsonDiagnostic {
  file: string;
  range: { start: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
}

const CHECK_LIMIT_MS = 10_000;
const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;

let tmp: TempDir;
let world: HostileWorld;

before(() => {
  requireBundles();
  tmp = makeTempDir('sip-tls-hostile-');
  // The unprivileged user must reach every folder; only the locked files themselves refuse it.
  chmodSync(tmp.path, 0o755);
  world = buildHostileWorld(tmp.path);
  // The world is one repository (its project file bounds what a check reads): hostile files in
  // it are judged; a reference outside it (/dev/zero) is the deployment's, never opened unless
  // the check runs --live.
  writeFileSync(path.join(tmp.path, '.sip-tls.json'), '{}\n');
});

/** A hostile reference outside the repository (a device of this machine). */
function outsideRepository(c: HostileCase): boolean {
  return path.isAbsolute(c.value) && !c.value.startsWith(tmp.path + path.sep);
}

after(() => {
  // Unlock first so that the folder can be removed.
  for (const c of world?.cases ?? []) if (c.asNobody) chmodSync(path.dirname(c.value), 0o755);
  tmp?.remove();
});

function caseDir(c: HostileCase): string {
  const dir = path.join(tmp.path, 'cases', c.name.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(path.join(tmp.path, 'cases'), 0o755);
  for (const [name, text] of Object.entries(deploymentFor(c, world.good))) writeFileSync(path.join(dir, name), text);
  return dir;
}

/** Run `sip-tls check DIR --format json` (asynchronously, so that other work can go on). */
function check(dir: string, options: { asNobody?: boolean; live?: boolean } = {}): Promise<{ code: number | null; ms: number; diagnostics: JsonDiagnostic[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI_BUNDLE, 'check', dir, '--format', 'json', ...(options.live ? ['--live'] : [])], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(options.asNobody && isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), CHECK_LIMIT_MS * 3);
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      try {
        resolve({ code, ms, diagnostics: (JSON.parse(out) as { diagnostics: JsonDiagnostic[] }).diagnostics, stderr: err });
      } catch {
        reject(new Error(`no JSON from the CLI (exit ${code}, ${ms.toFixed(0)} ms): ${out.slice(0, 500)} ${err.slice(0, 2000)}`));
      }
    });
  });
}

/** The line (0-based) of the file that holds the hostile value. */
function valueLine(dir: string, c: HostileCase): { file: string; line: number } {
  const files = deploymentFor(c, world.good);
  const name = c.modparam ? 'kamailio.cfg' : 'tls.cfg';
  const text = (files as Record<string, string>)[name]!;
  const line = text.split('\n').findIndex((l) => l.includes(c.value));
  assert.ok(line >= 0);
  return { file: path.join(dir, name), line };
}

test('every hostile reference gets its precise finding from the CLI, within seconds', { timeout: 300_000 }, async () => {
  if (!isRoot && world.cases.some((c) => c.asNobody)) console.warn('not root: the permission cases run as the current user');
  for (const c of world.cases) {
    const dir = caseDir(c);
    const at = valueLine(dir, c);
    if (outsideRepository(c)) {
      // A repository check never opens it: provided at deploy time.
      const repo = await check(dir, { asNobody: c.asNobody === true });
      const said = repo.diagnostics.filter((d) => d.file === at.file && d.range.start.line === at.line).map((d) => d.code);
      assert.deepEqual(said, ['path.deploy-time'], `${c.name} in a repository`);
    }
    // Outside references are judged as on the server itself (--live).
    const r = await check(dir, { asNobody: c.asNobody === true, live: outsideRepository(c) });
    const here = r.diagnostics.filter((d) => d.file === at.file && d.range.start.line === at.line);
    const shown = here.map((d) => `${d.code}: ${d.message.slice(0, 300)}`).join('\n  ');
    assert.ok(r.code === 0 || r.code === 1, `${c.name}: exit ${r.code}, stderr ${r.stderr}`);
    assert.ok(r.ms < CHECK_LIMIT_MS, `${c.name}: the check took ${r.ms.toFixed(0)} ms`);
    assert.equal(r.stderr, '', `${c.name}: ${r.stderr}`);
    if (c.expect) {
      const hit = here.find((d) => d.code === c.expect!.code);
      assert.ok(hit, `${c.name}: expected ${c.expect.code} on line ${at.line + 1}, got:\n  ${shown || '(nothing)'}`);
      assert.ok(c.expect.message.test(hit.message), `${c.name}: ${hit.message.slice(0, 600)}`);
      // A file that cannot be read is one finding per profile, not one per rule (a modparam
      // value serves both default profiles, server and client).
      const unreadable = here.filter((d) => /\.unreadable$|^ca\.empty$/.test(d.code));
      assert.ok(unreadable.length <= (c.modparam ? 2 : 1), `${c.name}: ${shown}`);
    } else {
      assert.deepEqual(here.filter((d) => d.severity === 'error'), [], `${c.name}: ${shown}`);
    }
    console.log(`${c.name}: ${r.ms.toFixed(0)} ms — ${here.map((d) => d.code).join(', ') || 'no finding'}`);
  }
});

test('non-UTF-8 bytes in kamailio.cfg and tls.cfg are reported, not fatal', { timeout: 60_000 }, async () => {
  const dir = path.join(tmp.path, 'non-utf8');
  mkdirSync(dir, { mode: 0o755 });
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  writeFileSync(path.join(dir, 'kamailio.cfg'), Buffer.concat([latin1('#!KAMAILIO\n# caf\xe9 \xff\xfe\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nalias="s\xe9rvice.example.com"\n'), Buffer.from([0xc3, 0x28, 0x0a, 0xed, 0xa0, 0x80, 0x0a])]));
  writeFileSync(path.join(dir, 'tls.cfg'), Buffer.concat([latin1('[server:default]\nmethod = TLSv1.2+\n# \xe9\xe8\n'), latin1(`certificate = ${world.good.cert}\nprivate_key = ${world.good.key}\n`), latin1('server_name = caf\xe9.example.com\n'), Buffer.from([0x00, 0xff, 0x0a])]));
  const r = await check(dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  assert.ok(r.ms < CHECK_LIMIT_MS);
  const tlsFindings = r.diagnostics.filter((d) => d.file.endsWith('tls.cfg'));
  assert.ok(tlsFindings.some((d) => d.code === 'tlscfg.syntax'), JSON.stringify(tlsFindings.map((d) => d.code)));
});

test('a certificate replaced, removed and turned into a FIFO while checks run', { timeout: 180_000 }, async () => {
  const dir = path.join(tmp.path, 'churn');
  mkdirSync(dir, { mode: 0o755 });
  const target = path.join(dir, 'server.crt');
  const sources = {
    good: world.good.cert,
    garbage: path.join(tmp.path, 'files', 'garbage.pem'),
    fifo: path.join(tmp.path, 'files', 'fifo.pem'),
    sparse: path.join(tmp.path, 'files', 'sparse.pem'),
    many: path.join(tmp.path, 'files', 'many.pem'),
  };
  writeFileSync(path.join(dir, 'kamailio.cfg'), '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\n');
  writeFileSync(path.join(dir, 'tls.cfg'), `[server:default]\nmethod = TLSv1.2+\ncertificate = server.crt\nprivate_key = ${world.good.key}\n`);
  // Atomic swaps (hard link + rename) and plain removals, as fast as the event loop allows.
  let stop = false;
  let swaps = 0;
  const kinds = Object.keys(sources) as (keyof typeof sources)[];
  const churn = async () => {
    const staging = path.join(dir, '.staging');
    while (!stop) {
      const kind = kinds[swaps % (kinds.length + 1)];
      try {
        if (kind === undefined) unlinkSync(target);
        else {
          rmSync(staging, { force: true });
          linkSync(sources[kind], staging);
          renameSync(staging, target);
        }
      } catch {
        // Already gone: the next swap puts something back.
      }
      swaps++;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  const running = churn();
  const seen = new Set<string>();
  try {
    for (let i = 0; i < 15; i++) {
      const r = await check(dir);
      assert.ok(r.code === 0 || r.code === 1, `run ${i}: exit ${r.code}: ${r.stderr}`);
      assert.ok(r.ms < CHECK_LIMIT_MS, `run ${i}: ${r.ms.toFixed(0)} ms`);
      assert.equal(r.stderr, '');
      for (const d of r.diagnostics.filter((x) => x.file.endsWith('tls.cfg') && x.range.start.line === 2)) seen.add(d.code);
    }
  } finally {
    stop = true;
    await running;
  }
  console.log(`${swaps} swaps; findings seen on the certificate line: ${[...seen].sort().join(', ')}`);
  assert.ok(swaps > 100, `the file was swapped ${swaps} times`);
  // Removed, the certificate is absent from a repository that holds no other TLS file there:
  // provided at deploy time (path.deploy-time) rather than missing.
  const expected = new Set(['path.not-found', 'path.deploy-time', 'path.unreadable', 'cert.unreadable', 'cert.self-signed', 'chain.untrusted', 'chain.incomplete', 'key.mismatch', 'cert.expired', 'chain.order', 'chain.intermediate-order', 'cert.purpose']);
  for (const code of seen) assert.ok(expected.has(code), `unexpected ${code} while the file changed`);
});

test('the language server reports hostile references and still answers hovers at once', { timeout: 120_000 }, async () => {
  const cases = world.cases.filter((c) => !c.asNobody && !c.modparam);
  const dirs = cases.map((c) => caseDir(c));
  const { client } = await LspTestClient.start({ workspaceFolders: dirs });
  try {
    for (const [i, c] of cases.entries()) {
      const at = valueLine(dirs[i]!, c);
      const uri = fileUri(at.file);
      const text = deploymentFor(c, world.good)['tls.cfg']!;
      const started = performance.now();
      await client.open(uri, 'kamailio-tls', text);
      const published = await client.waitForDiagnostics(uri, { version: 1, timeoutMs: CHECK_LIMIT_MS });
      const here = published.diagnostics.filter((d) => d.range.start.line === at.line);
      if (outsideRepository(c)) {
        assert.deepEqual(here.map((d) => d.code), ['path.deploy-time'], `${c.name}: outside the repository, never opened`);
      } else if (c.expect) {
        const hit = here.find((d) => d.code === c.expect!.code);
        assert.ok(hit, `${c.name}: expected ${c.expect.code}, got ${here.map((d) => d.code).join(', ') || 'nothing'}`);
        assert.ok(c.expect.message.test(hit.message), `${c.name}: ${hit.message.slice(0, 600)}`);
      }
      const column = text.split('\n')[at.line]!.indexOf('=') + 3;
      const hoverStarted = performance.now();
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: at.line, character: column } });
      const hoverMs = performance.now() - hoverStarted;
      assert.ok(hoverMs < 1000, `${c.name}: hover took ${hoverMs.toFixed(0)} ms`);
      console.log(`LSP ${c.name}: diagnostics after ${(hoverStarted - started).toFixed(0)} ms, hover ${hoverMs.toFixed(0)} ms`);
      await client.close(uri);
    }
    assert.equal(client.hasExited, false);
  } finally {
    await client.shutdown();
  }
});

test('as the unprivileged user, the bundle itself is readable (the permission cases mean something)', { skip: !isRoot }, () => {
  const r = spawnSync(process.execPath, [CLI_BUNDLE, '--version'], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
  assert.equal(r.status, 0, `uid ${NOBODY} cannot run ${CLI_BUNDLE}: ${r.stderr}`);
});

test('folder walks on 2,000 generated link layouts in memory and 300 on disk keep every property', { timeout: 600_000 }, () => {
  for (let seed = 1; seed <= 2000; seed++) {
    const layout = generateLayout(100_000 + seed, { dotLinks: seed % 7, maxDirs: 30 });
    const { host, root } = buildInMemory(layout);
    checkLayout(layout, host, root, seed);
  }
  for (let seed = 1; seed <= 300; seed++) {
    const layout = generateLayout(200_000 + seed, { dotLinks: seed % 7, maxDirs: 30 });
    const dir = makeTempDir('sip-tls-walk-');
    try {
      checkLayout(layout, new NodeHost(), buildOnDisk(layout, dir.path).root, seed);
    } finally {
      dir.remove();
    }
  }
});

test('`check` on 10,001 folders with links to `.` in each of the first levels stops at the folder budget and says so', { timeout: 300_000 }, async () => {
  const dir = makeTempDir('sip-tls-walk-');
  try {
    writeFileSync(path.join(dir.path, 'tls.cfg'), '[server:default]\nmethod = TLSv1.2+\n');
    for (let i = 0; i < 101; i++) {
      mkdirSync(path.join(dir.path, `x${String(i).padStart(3, '0')}`));
      for (let j = 0; j < 100; j++) mkdirSync(path.join(dir.path, `x${String(i).padStart(3, '0')}`, `b${j}`));
      for (let k = 0; k < 6; k++) symlinkSync('.', path.join(dir.path, `x${String(i).padStart(3, '0')}`, `dot${k}`));
    }
    const run = await check(dir.path);
    assert.ok(run.ms < 30_000, `${run.ms} ms`);
    const limit = run.diagnostics.find((d) => d.code === 'project.check-limit');
    assert.ok(limit, JSON.stringify(run.diagnostics));
    assert.match(limit.message, /stopped at x\d{3}(\/\S+)? after more than 10,000 folders/);
  } finally {
    dir.remove();
  }
});
