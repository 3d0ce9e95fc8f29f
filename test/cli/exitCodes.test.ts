// `sip-tls check` exit codes as CI reads them: 0 clean, 1 findings at or above the failing level
// (--fail-on, --max-warnings), 2 usage errors — including "nothing to check": a folder without a
// configuration, a named file that is a key, a certificate, Markdown, JSON or YAML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { Rng } from '../helpers/fuzz/prng';
import { CLEAN_TLS_CFG, certificate, foldersRemovedAfter } from './fixtures';

const { folder, empty } = foldersRemovedAfter();

/** Variants generated per property (more with SIP_TLS_CLI_VARIANTS, for a longer run). */
const VARIANTS = Number(process.env['SIP_TLS_CLI_VARIANTS'] ?? 4);
const LEVELS = ['error', 'warning', 'information', 'hint', 'off'] as const;
const FAIL_LEVELS = ['error', 'warning', 'information'] as const;
const RANK: Record<string, number> = { error: 3, warning: 2, information: 1, hint: 0 };

// One unknown option (an error by default) and one option set twice (a warning by default).
const TWO_FINDINGS_TLS_CFG = CLEAN_TLS_CFG + 'require_certiificate = yes\nverify_certificate = no\n';

test('--fail-on and --max-warnings: exit 1 exactly when a finding is at the failing level or warnings exceed the limit', () => {
  const dir = folder({ 'tls.cfg': TWO_FINDINGS_TLS_CFG });
  const rng = new Rng(12);
  for (let i = 0; i < VARIANTS; i++) {
    const severity = [
      `tlscfg.unknown-option=${rng.pick(LEVELS)}`,
      `tlscfg.duplicate-option=${rng.pick(LEVELS)}`,
    ].flatMap((s) => ['--severity', s]);
    const failOn = rng.pick(FAIL_LEVELS);
    const maxWarnings = rng.pick([undefined, 0, 1, 2]);
    const limit = maxWarnings === undefined ? [] : ['--max-warnings', String(maxWarnings)];
    const report = runCli(['check', '--format', 'json', ...severity], { cwd: dir.path });
    const found = (JSON.parse(report.stdout) as { diagnostics: { severity: string }[] }).diagnostics;
    const warnings = found.filter((d) => d.severity === 'warning').length;
    const failing = found.some((d) => RANK[d.severity]! >= RANK[failOn]!) || (maxWarnings !== undefined && warnings > maxWarnings);
    const args = ['check', 'tls.cfg', ...severity, '--fail-on', failOn, ...limit];
    for (const format of ['text', 'json', 'sarif']) {
      const run = runCli([...args, '--format', format], { cwd: dir.path });
      assert.equal(run.code, failing ? 1 : 0, `${args.join(' ')} --format ${format}: ${JSON.stringify(found)}\n${run.stderr}`);
      const tooMany = maxWarnings !== undefined && warnings > maxWarnings && !found.some((d) => RANK[d.severity]! >= RANK[failOn]!);
      // Failing only on the number of warnings is said, since no finding at the failing level says it.
      assert.equal(/too many warnings: \d+, --max-warnings allows \d+/.test(run.stderr), tooMany, run.stderr);
    }
  }
});

test('--max-warnings -1 means no limit, as in eslint; bad values of both options are usage errors', () => {
  const dir = folder({ 'tls.cfg': TWO_FINDINGS_TLS_CFG });
  const noLimit = runCli(['check', '--severity', 'tlscfg.unknown-option=off', '--max-warnings', '-1'], { cwd: dir.path });
  assert.equal(noLimit.code, 0, noLimit.stdout + noLimit.stderr);
  for (const bad of [['--max-warnings', 'x'], ['--max-warnings', '-2'], ['--max-warnings=1.5'], ['--fail-on', 'hint'], ['--fail-on=fatal'], ['--fail-on']]) {
    const run = runCli(['check', ...bad], { cwd: dir.path });
    assert.equal(run.code, 2, bad.join(' '));
    assert.match(run.stderr, /--(max-warnings|fail-on)/);
    assert.equal(run.stdout, '');
  }
});

/** Files that are not configurations, each with a generated name, and what the CLI must call them. */
function notConfigurations(rng: Rng): { name: string; content: string; what: RegExp }[] {
  const stem = rng.pick(['README', 'notes', 'server', 'sip.example.com', 'deploy-2024']);
  const cert = certificate();
  const value = rng.pick(['1', '"tls"', 'true', '[1, 2]', '{ "port": 5061 }']);
  return [
    { name: `${stem}.${rng.pick(['md', 'markdown', 'MD'])}`, content: `# ${stem}\n\nInclude \`include_file "/data/local.cfg"\` here.\n`, what: /Markdown text/ },
    { name: `${stem}.json`, content: `{ "name": "${stem}", "scripts": { "build": ${value} } }\n}\n`, what: /a JSON document/ },
    { name: rng.pick([`${stem}`, `${stem}.conf`, `${stem}.txt`]), content: `{ "${stem}": ${value} }\n`, what: /a JSON document/ },
    { name: `${stem}.${rng.pick(['yml', 'yaml'])}`, content: `services:\n  kamailio:\n    image: kamailio/kamailio:5.8\n`, what: /a YAML document/ },
    { name: `${stem}.${rng.pick(['key', 'pem'])}`, content: cert.keyPem, what: /it holds a PEM private key .*sip-tls show .* reports on it/ },
    { name: `${stem}.${rng.pick(['crt', 'pem', 'cer'])}`, content: cert.certPem, what: /it holds a PEM certificate.*sip-tls show .* reports on it/ },
  ];
}

test('a named file that is no configuration is refused with exit 2, said as typed, with what it is', () => {
  const rng = new Rng(7);
  for (let i = 0; i < VARIANTS; i++) {
    for (const file of notConfigurations(rng)) {
      const sub = rng.pick(['', 'docs/', 'a b/', 'deep/er/']);
      const dir = folder({ [`${sub}${file.name}`]: file.content, 'tls.cfg': CLEAN_TLS_CFG });
      const typed = rng.pick([`${sub}${file.name}`, `./${sub}${file.name}`, dir.file(`${sub}${file.name}`)]);
      {
        const args = rng.pick([[typed], ['tls.cfg', typed], [typed, '--format', 'json']]);
        const run = runCli(['check', ...args], { cwd: dir.path });
        assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
        const said = run.stderr.split('\n').find((l) => l.startsWith(`sip-tls: check: ${typed}: nothing to check: `));
        assert.ok(said, `${typed}: ${run.stderr}`);
        assert.match(said, file.what);
        // It was not parsed as kamailio.cfg: no syntax finding on it.
        assert.doesNotMatch(run.stdout, /kamcfg\.syntax|tlscfg\.syntax/);
      }
    }
  }
});

test('a folder in which the search finds no configuration is exit 2, also beside one that has them', () => {
  const dir = folder({ 'etc/tls.cfg': CLEAN_TLS_CFG, 'docs/README.md': '# x\n', 'empty/.keep': '' });
  for (const typed of ['docs', 'docs/', './empty', dir.file('empty')]) {
    for (const args of [[typed], ['etc', typed]]) {
      const run = runCli(['check', ...args], { cwd: dir.path });
      assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
      assert.ok(run.stderr.includes(`sip-tls: check: ${typed}: nothing to check: a folder without kamailio*.cfg, #!KAMAILIO or tls*.cfg files`), run.stderr);
    }
  }
  const fine = runCli(['check', 'etc'], { cwd: dir.path });
  assert.equal(fine.code, 0, fine.stdout + fine.stderr);
});

test('a missing path is echoed exactly as typed, with exit 2', () => {
  const dir = empty();
  for (const typed of ['../../../x.cfg', 'etc/kamailio/tls.cfg', './nosuchdir', 'conf/../tls.cfg', 'ü/tls.cfg']) {
    const run = runCli(['check', typed], { cwd: dir.path });
    assert.equal(run.code, 2);
    assert.ok(run.stderr.startsWith(`sip-tls: check: ${typed}: no such file or directory\n`), run.stderr);
  }
});

test('a kamailio.cfg that is itself a key is still checked as what Kamailio reads: an error, exit 1', () => {
  const dir = folder({ 'kamailio.cfg': certificate().keyPem });
  const run = runCli(['check', 'kamailio.cfg'], { cwd: dir.path });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /kamailio\.cfg:1:1 error kamcfg\.syntax This file holds a PEM private key/);
});
