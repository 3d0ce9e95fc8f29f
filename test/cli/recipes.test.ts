// The README's recipes run as written: each code block is read from README.md by its marker, so
// the text users copy is the text tested. The certbot hook reloads Kamailio only when the renewed
// certificate fits; the systemd ExecStartPre= and the make target fail on a broken deployment.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { generateSelfSigned, writeCertFiles } from '../fixtures/certs';
import { CLI_BUNDLE } from '../helpers/paths';
import { foldersRemovedAfter } from './fixtures';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const { folder } = foldersRemovedAfter();

function recipe(name: string): string {
  const m = new RegExp(`<!-- recipe:${name} -->\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\`\`\`\\n`).exec(README);
  assert.ok(m, `README has the recipe ${name}`);
  return m[1]!;
}

/** A deployment as it sits on the server: absolute paths, certificate and key in their own folder. */
function deployment(fault?: 'key-mismatch' | 'missing-key'): { dir: string; cfg: string } {
  const d = folder({});
  const live = join(d.path, 'letsencrypt', 'live', 'sip.example.com');
  const pair = generateSelfSigned({ days: 90, cn: 'sip.example.com' });
  const other = generateSelfSigned({ days: 90, cn: 'sip.example.com' });
  writeCertFiles(live, { cert: 'fullchain.pem' }, pair);
  if (fault !== 'missing-key') writeCertFiles(live, { key: 'privkey.pem', keyMode: 0o600 }, fault === 'key-mismatch' ? other : pair);
  d.write({
    'kamailio/kamailio.cfg': `#!KAMAILIO\nlisten=tls:127.0.0.1:5061\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "${d.path}/kamailio/tls.cfg")\nrequest_route { drop; }\n`,
    'kamailio/tls.cfg': `[server:default]\nmethod = TLSv1.2+\ncertificate = ${live}/fullchain.pem\nprivate_key = ${live}/privkey.pem\nverify_certificate = no\nrequire_certificate = no\n`,
  });
  return { dir: d.path, cfg: join(d.path, 'kamailio', 'kamailio.cfg') };
}

/** A PATH with `sip-tls` (the bundled CLI) and a `kamcmd` that records its arguments. */
function tools(): { path: string; kamcmdLog: string } {
  const bin = folder({}).path;
  writeFileSync(join(bin, 'sip-tls'), `#!/bin/sh\nexec "${process.execPath}" "${CLI_BUNDLE}" "$@"\n`);
  const kamcmdLog = join(bin, 'kamcmd.log');
  writeFileSync(join(bin, 'kamcmd'), `#!/bin/sh\necho "$@" >> "${kamcmdLog}"\n`);
  chmodSync(join(bin, 'sip-tls'), 0o755);
  chmodSync(join(bin, 'kamcmd'), 0o755);
  return { path: `${bin}:${process.env.PATH ?? ''}`, kamcmdLog };
}

test('certbot deploy hook: reloads after a renewal that fits, refuses a mismatched or missing key', () => {
  const hookDir = folder({});
  const hook = join(hookDir.path, 'kamailio.sh');
  writeFileSync(hook, recipe('certbot-hook'));
  chmodSync(hook, 0o755);
  for (const fault of [undefined, 'key-mismatch', 'missing-key'] as const) {
    const { path, kamcmdLog } = tools();
    const dep = deployment(fault);
    const r = spawnSync(hook, [], { encoding: 'utf8', env: { ...process.env, PATH: path, KAMAILIO_CFG: dep.cfg, RENEWED_LINEAGE: join(dep.dir, 'letsencrypt', 'live', 'sip.example.com') } });
    if (fault === undefined) {
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.equal(readFileSync(kamcmdLog, 'utf8'), 'tls.reload\n');
    } else {
      assert.equal(r.status, 1, `${fault}: ${r.stdout}${r.stderr}`);
      assert.ok(!existsSync(kamcmdLog), `${fault}: Kamailio was not asked to reload`);
      assert.match(r.stdout, fault === 'key-mismatch' ? /key\.mismatch|does not match/ : /privkey\.pem/, `${fault}: the finding is shown`);
      assert.match(r.stderr, /not reloading TLS/);
    }
  }
});

test('systemd ExecStartPre=: the command fails on a broken deployment, passes on a good one', () => {
  const unit = recipe('systemd');
  const line = /^ExecStartPre=(\S+) (.*)$/m.exec(unit);
  assert.ok(line, unit);
  assert.match(line[1]!, /\/sip-tls$/);
  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (analyze.status === 0) {
    // The drop-in parses as a unit file section (systemd-analyze verify wants a whole unit).
    const dir = folder({ 'kamailio.service': `[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n${unit.split('\n').filter((l) => l.startsWith('ExecStartPre=')).join('\n').replace(line[1]!, '/bin/true')}\n` });
    const v = spawnSync('systemd-analyze', ['verify', dir.file('kamailio.service')], { encoding: 'utf8' });
    assert.doesNotMatch(v.stderr, /Unknown (key|section)|Failed to parse/, v.stderr);
  }
  for (const fault of [undefined, 'key-mismatch'] as const) {
    const dep = deployment(fault);
    const args: string[] = line[2]!.split(' ').map((a) => (a === '/etc/kamailio/kamailio.cfg' ? dep.cfg : a));
    const r: { status: number | null; stdout: string; stderr: string } = spawnSync(process.execPath, [CLI_BUNDLE, ...args], { encoding: 'utf8' });
    assert.equal(r.status, fault === undefined ? 0 : 1, `${fault ?? 'good'}: ${r.stdout}${r.stderr}`);
  }
});

test('make check: fails on an error or a warning in etc/kamailio, passes on a clean one', () => {
  for (const broken of [false, true]) {
    const dep = deployment();
    const repo = folder({ Makefile: recipe('makefile') });
    const tls = readFileSync(join(dep.dir, 'kamailio', 'tls.cfg'), 'utf8');
    repo.write({ 'etc/kamailio/tls.cfg': broken ? tls + 'verify_certificate = no\n' : tls });
    const r = spawnSync('make', ['-s', 'check', `SIP_TLS=${process.execPath} ${CLI_BUNDLE}`], { cwd: repo.path, encoding: 'utf8' });
    if (r.error) throw new Error(`make is needed for this recipe's test: ${r.error.message}`);
    assert.equal(r.status === 0, !broken, `${broken ? 'broken' : 'clean'}: ${r.stdout}${r.stderr}`);
  }
});
