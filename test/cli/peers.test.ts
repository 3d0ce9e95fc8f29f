// `sip-tls check --peer NAME[=PROFILE]` and the project file's "peers": CI pairs a profile with a
// peer when nothing in the configuration says so, and the findings name the peer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { CLEAN_TLS_CFG, foldersRemovedAfter } from './fixtures';

const { folder } = foldersRemovedAfter();

interface Diagnostic {
  code: string;
  severity: string;
  message: string;
  file: string;
  range: { start: { line: number } };
}

const json = (stdout: string) => (JSON.parse(stdout) as { diagnostics: Diagnostic[] }).diagnostics;
const peerCodes = (ds: Diagnostic[]) => ds.filter((d) => d.code.startsWith('peer.')).map((d) => d.code).sort();
const TLS13 = CLEAN_TLS_CFG.replace('TLSv1.2+', 'TLSv1.3');

test('--peer twilio: a TLS 1.3-only server profile has no version in common with Twilio (TLS 1.2), exit 1, the message names Twilio', () => {
  const dir = folder({ 'tls.cfg': TLS13 });
  const plain = runCli(['check', 'tls.cfg', '--format', 'json'], { cwd: dir.path });
  assert.deepEqual(peerCodes(json(plain.stdout)), [], 'without --peer nothing is said about Twilio');
  const run = runCli(['check', 'tls.cfg', '--format', 'json', '--peer', 'twilio=server:default'], { cwd: dir.path });
  assert.equal(run.code, 1, run.stderr);
  const f = json(run.stdout).find((d) => d.code === 'peer.version-mismatch');
  assert.ok(f, run.stdout);
  assert.match(f.message, /^Twilio .*\(connecting to \[server:default\]\) negotiates TLS 1\.2 only/);
  assert.equal(f.range.start.line, 1);
});

test('--peer without a profile pairs the default profiles of the directions the peer uses; repeated --peer adds profiles', () => {
  const dir = folder({ 'tls.cfg': `${TLS13}\n[client:default]\nmethod = TLSv1.3\nverify_certificate = no\n` });
  const both = json(runCli(['check', 'tls.cfg', '--format', 'json', '--peer', 'twilio'], { cwd: dir.path }).stdout).filter((d) => d.code === 'peer.version-mismatch');
  assert.deepEqual(both.map((d) => /\((connecting to|reached through) (\[\w+:default\])\)/.exec(d.message)?.[2]).sort(), ['[client:default]', '[server:default]']);
  const one = json(runCli(['check', 'tls.cfg', '--format', 'json', '--peer', 'twilio=client:default'], { cwd: dir.path }).stdout).filter((d) => d.code === 'peer.version-mismatch');
  assert.equal(one.length, 1);
  assert.match(one[0]!.message, /reached through \[client:default\]/);
});

test('--peer usage errors exit 2 and say the form; an unknown peer or profile is a warning naming what exists', () => {
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG });
  for (const bad of ['', 'Teams!', 'teams=peer:x', 'teams=server: x', 'x'.repeat(41)]) {
    const run = runCli(['check', 'tls.cfg', '--peer', bad], { cwd: dir.path });
    assert.equal(run.code, 2, `--peer '${bad}': ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, /--peer needs NAME or NAME=PROFILE/);
  }
  const unknown = json(runCli(['check', 'tls.cfg', '--format', 'json', '--peer', 'acme'], { cwd: dir.path }).stdout).filter((d) => d.code === 'peer.unknown');
  assert.equal(unknown.length, 1);
  assert.match(unknown[0]!.message, /--peer acme names the peer "acme", which is not known \(built-in: teams, twilio, bandwidth, whatsapp, browsers, modern; custom peers go in the project file's "peers"\)/);
  const profile = json(runCli(['check', 'tls.cfg', '--format', 'json', '--peer', 'teams=client:10.0.0.1:5061'], { cwd: dir.path }).stdout).filter((d) => d.code === 'peer.unknown');
  assert.match(profile[0]!.message, /which this configuration does not have \(profiles: server:default\)/);
});

test('a custom peer in .sip-tls.json: read strictly, its findings carry its name; a malformed one is a project finding, not a crash', () => {
  const carrier = { versions: ['1.3'], name: 'Acme Carrier', connects: 'to-us', trustsOurCertificateVia: 'public-roots', clientCertificate: 'none', presentsClientCertificate: false, sources: [], suites: [], keyTypes: [], hosts: [], srtp: [], profiles: ['server:default'] };
  const dir = folder({ 'tls.cfg': CLEAN_TLS_CFG.replace('TLSv1.2+', 'TLSv1.2'), '.sip-tls.json': JSON.stringify({ peers: { acme: carrier } }) });
  const ds = json(runCli(['check', 'tls.cfg', '--format', 'json'], { cwd: dir.path }).stdout);
  assert.match(ds.find((d) => d.code === 'peer.version-mismatch')?.message ?? '', /^Acme Carrier \(connecting to \[server:default\]\) negotiates TLS 1\.3 only/);
  const broken = folder({ 'tls.cfg': CLEAN_TLS_CFG, '.sip-tls.json': JSON.stringify({ peers: { acme: { ...carrier, versions: ['1.4'], extra: 1 } } }) });
  const run = runCli(['check', 'tls.cfg', '--format', 'json'], { cwd: broken.path });
  const problems = json(run.stdout).filter((d) => d.file.endsWith('.sip-tls.json'));
  assert.ok(problems.some((d) => /peers\.acme\.versions\[0\]/.test(d.message)), run.stdout);
  assert.ok(problems.some((d) => /peers\.acme\.extra: unknown key/.test(d.message)), run.stdout);
  assert.deepEqual(peerCodes(json(run.stdout)), [], 'a peer that cannot be read is not judged');
});
