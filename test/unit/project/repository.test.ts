// The repository is not the machine: what a repository check reads, and what it says about the
// files only the deployment has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as posix from 'node:path/posix';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { isInside } from '../../../server/src/core/scope';
import { checkRepository, RecordingHost } from './helpers';
import { Checker } from '../../../server/src/core/check';
import { ProjectContexts } from '../../../server/src/core/project/context';
import { layeredSettings } from '../../../server/src/core/project/layers';
import { codes, only, one } from '../helpers';

const KAM = (config: string, more = '') =>
  `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "${config}")\n${more}request_route { drop; }\n`;
const TLS = (cert: string, key: string) => `[server:default]\nmethod = TLSv1.2+\ncertificate = ${cert}\nprivate_key = ${key}\n\n[client:default]\nverify_certificate = no\n`;
/** What the machine running the check has: Debian's sample tls.cfg, its certificates. */
const MACHINE = {
  '/etc/kamailio/tls.cfg': TLS('/etc/kamailio/kamailio-selfsigned.pem', '/etc/kamailio/kamailio-selfsigned.key') + '[client:default]\nverify_certificate = yes\n',
  '/etc/ssl/certs/x.pem': 'garbage',
};

test('a repository check never reads a file of this machine outside the repository', () => {
  // Several ways of naming outside files: the tls.cfg, certificates, an include, a ca_path.
  const variants: { kam: string; files: Record<string, string> }[] = [
    { kam: KAM('/etc/kamailio/tls.cfg'), files: {} },
    { kam: KAM('tls.cfg', 'include_file "/etc/kamailio/local.cfg"\n'), files: { '/repo/tls.cfg': TLS('/etc/ssl/certs/x.pem', '/etc/ssl/private/x.key') } },
    { kam: KAM('tls.cfg'), files: { '/repo/tls.cfg': TLS('../outside/cert.pem', './key.pem') + 'ca_path = /etc/ssl/certs\n' } },
  ];
  for (const [i, variant] of variants.entries()) {
    const host = new RecordingHost(new MemoryHost({ ...MACHINE, '/etc/kamailio/local.cfg': 'x', '/outside/cert.pem': 'x', '/repo/kamailio.cfg': variant.kam, ...variant.files }));
    const out = checkRepository({}, '/repo', { host });
    // Walking up for .sip-tls.json / .git asks about those names above the root; nothing else.
    const outside = host.asked.filter((a) => !isInside(a.path, '/repo') && !(a.op === 'stat' && ['.sip-tls.json', '.git', '.hg', '.svn'].includes(posix.basename(a.path))));
    assert.deepEqual(outside, [], `variant ${i}`);
    assert.ok(out.findings.every((f) => isInside(f.file, '/repo')), `variant ${i}: no finding outside the repository`);
    assert.equal(only(out.findings, 'path.not-found').length, 0, `variant ${i}: ${codes(out.findings)}`);
    assert.ok(only(out.findings, 'path.deploy-time').length >= 1, `variant ${i}`);
  }
});

test('path.deploy-time: one information per file, with every deployed path and how to map it', () => {
  const out = checkRepository({ '/repo/kamailio.cfg': KAM('tls.cfg'), '/repo/tls.cfg': TLS('/etc/pki/tls/certs/k.crt', '/etc/pki/tls/private/k.key') }, '/repo');
  const f = one(out.findings, 'path.deploy-time');
  assert.equal(f.severity, 'information');
  assert.equal(f.range.start.line, 2);
  assert.match(f.message, /\/etc\/pki\/tls\/certs\/k\.crt, \/etc\/pki\/tls\/private\/k\.key are outside the folder checked \(\/repo\)/);
  assert.match(f.message, /"mappings": \{ "\/etc\/pki\/tls\/certs": "\.\/certs" \} in \.sip-tls\.json \(or --map \/etc\/pki\/tls\/certs=DIR\)/);
  assert.equal(f.related?.length, 1);
});

test('live: a configuration under /etc outside a repository, or --live, is checked against this machine', () => {
  const files = { '/etc/kamailio/kamailio.cfg': KAM('/etc/kamailio/tls.cfg'), '/etc/kamailio/tls.cfg': TLS('/etc/kamailio/c.pem', '/etc/kamailio/k.pem') };
  const live = checkRepository(files, '/etc/kamailio');
  assert.equal(only(live.findings, 'path.not-found').length, 2, 'the real files are missing');
  assert.equal(only(live.findings, 'path.deploy-time').length, 0);
  const repo = checkRepository({ '/srv/repo/kamailio.cfg': KAM('tls.cfg'), '/srv/repo/tls.cfg': TLS('/etc/kamailio/c.pem', '/etc/kamailio/k.pem'), '/etc/kamailio/c.pem': 'x' }, '/srv/repo', { live: true });
  assert.ok(only(repo.findings, 'cert.unreadable').length === 1, '--live reads /etc/kamailio/c.pem');
  // etckeeper keeps /etc in git: still the live configuration.
  const etckeeper = checkRepository({ ...files, '/etc/.git/HEAD': 'ref' }, '/etc/kamailio');
  assert.equal(only(etckeeper.findings, 'path.not-found').length, 2);
});

test('in a repository, a missing certificate or key is deploy-time unless the repository ships TLS files there', () => {
  const base = { '/repo/kamailio.cfg': KAM('tls.cfg'), '/repo/tls.cfg': TLS('certs/server.pem', 'certs/server.key') };
  const none = checkRepository(base, '/repo');
  assert.equal(only(none.findings, 'path.not-found').length, 0);
  assert.match(one(none.findings, 'path.deploy-time').message, /'certs\/server\.pem', 'certs\/server\.key' are not in the repository/);
  // The repository ships a certificate in certs/: the key missing beside it is a real error.
  const shipped = checkRepository({ ...base, '/repo/certs/server.pem': 'x' }, '/repo');
  assert.equal(one(shipped.findings, 'path.not-found').range.start.line, 3);
  // … unless git ignores it (keys are not committed, on purpose).
  const ignored = checkRepository({ ...base, '/repo/certs/server.pem': 'x', '/repo/.gitignore': '# secrets\n*.key\n' }, '/repo');
  assert.equal(only(ignored.findings, 'path.not-found').length, 0);
  assert.match(one(ignored.findings, 'path.deploy-time').message, /certs\/server\.key/);
  const folderIgnored = checkRepository({ ...base, '/repo/certs/ca.pem': 'x', '/repo/certs/.gitignore': 'server.*\n!ca.pem\n' }, '/repo');
  assert.equal(only(folderIgnored.findings, 'path.not-found').length, 0, 'a .gitignore below the root counts');
  // A typo of a file that is there stays an error with its fix, and never suggests another kind of file.
  const typo = checkRepository({ ...base, '/repo/certs/server.pem': 'x', '/repo/certs/sever.key': 'x' }, '/repo');
  assert.match(one(typo.findings, 'path.not-found').message, /Did you mean sever\.key\?/);
  const cfg = checkRepository({ '/repo/kamailio.cfg': KAM('tls.cfg'), '/repo/tls.cfg': TLS('kamailio.crt', 'kamailio.key') }, '/repo');
  assert.ok(!cfg.findings.some((f) => /Did you mean kamailio\.cfg/.test(f.message)));
});

test('a configuration file the repository names is expected in it; a template or sample stands in for it', () => {
  const missing = checkRepository({ '/repo/kamailio.cfg': KAM('tls.cfg', 'include_file "local.cfg"\n') }, '/repo');
  assert.deepEqual(only(missing.findings, 'path.not-found').map((f) => f.range.start.line).sort(), [4, 5]);
  const standIns = checkRepository(
    { '/repo/kamailio.cfg': KAM('tls.cfg', 'include_file "local.cfg"\n'), '/repo/tls.cfg.sample': TLS('x.pem', 'x.key') + 'bogus_option = 1\n', '/repo/local.cfg.j2': 'listen=tls:{{ ip }}:5062\n' },
    '/repo',
  );
  assert.equal(only(standIns.findings, 'path.not-found').length, 0);
  assert.equal(only(standIns.findings, 'project.template').filter((f) => /is not in the repository, but/.test(f.message)).length, 2);
  assert.ok(standIns.findings.some((f) => f.code === 'tlscfg.unknown-option' && f.file === '/repo/tls.cfg.sample'), 'the sample is checked in place of tls.cfg');
  // Git-ignored: made at deploy time.
  const ignored = checkRepository({ '/repo/kamailio.cfg': KAM('tls.cfg'), '/repo/.gitignore': 'tls.cfg\n' }, '/repo');
  assert.equal(only(ignored.findings, 'path.not-found').length, 0);
  assert.equal(only(ignored.findings, 'path.deploy-time').length, 1);
});

test('the layout of the repository: the tls.cfg beside kamailio.cfg is the /etc/kamailio/tls.cfg it names, said once', () => {
  const out = checkRepository({ '/repo/kamailio/kamailio.cfg': KAM('/etc/kamailio/tls.cfg'), '/repo/kamailio/tls.cfg': TLS('/etc/kamailio/certs/a.pem', '/etc/kamailio/certs/a.key') + 'typo_option = 1\n' }, '/repo');
  assert.ok(out.findings.some((f) => f.code === 'tlscfg.unknown-option' && f.file === '/repo/kamailio/tls.cfg'), 'the repository tls.cfg is the one checked');
  const assumed = one(out.findings, 'project.layout-assumed');
  assert.equal(assumed.file, '/repo/kamailio/kamailio.cfg');
  assert.match(assumed.message, /\/etc\/kamailio is the repository's kamailio .*"mappings": \{ "\/etc\/kamailio": "kamailio" \}/);
  // A repository mirroring the file system: etc/kamailio/tls.cfg.
  const mirror = checkRepository({ '/repo/kamailio.cfg': KAM('/etc/kamailio/tls.cfg'), '/repo/etc/kamailio/tls.cfg': TLS('a.pem', 'a.key') }, '/repo');
  assert.match(one(mirror.findings, 'project.layout-assumed').message, /\/etc\/kamailio is the repository's etc\/kamailio/);
  // Declared in the project file: nothing assumed, nothing said.
  const declared = checkRepository({ '/repo/.sip-tls.json': '{ "mappings": { "/etc/kamailio": "kamailio" } }', '/repo/kamailio/kamailio.cfg': KAM('/etc/kamailio/tls.cfg'), '/repo/kamailio/tls.cfg': TLS('a.pem', 'a.key') }, '/repo');
  assert.equal(only(declared.findings, 'project.layout-assumed').length, 0);
  assert.equal(only(declared.findings, 'path.not-found').length, 0);
});

test('docker-compose volumes and Dockerfile COPY say where folders are deployed; named volumes are deploy-time', () => {
  const compose = 'services:\n  sip:\n    image: kamailio/kamailio:5.8-alpine\n    volumes:\n      - ./conf:/etc/kamailio:ro\n      - certs:/etc/kamailio/certs\nvolumes:\n  certs: {}\n';
  const out = checkRepository(
    {
      '/repo/docker-compose.yml': compose,
      '/repo/conf/kamailio.cfg': KAM('/etc/kamailio/tls.cfg'),
      '/repo/conf/tls.cfg': TLS('/etc/kamailio/certs/a.pem', '/etc/kamailio/certs/a.key'),
      '/repo/conf/certs/a.pem': 'a development certificate the container never sees',
    },
    '/repo',
  );
  assert.match(one(out.findings, 'project.layout-assumed').message, /\/etc\/kamailio is the repository's conf \(docker-compose\.yml:5\)/);
  // The named volume hides the repository's conf/certs: nothing there is read or judged.
  assert.equal(only(out.findings, 'cert.unreadable').length, 0);
  assert.match(one(out.findings, 'path.deploy-time').message, /\/etc\/kamailio\/certs\/a\.pem/);
  const dockerfile = checkRepository({ '/repo/docker/Dockerfile': 'FROM debian:bookworm\nCOPY kamailio/ /etc/kamailio/\n', '/repo/docker/kamailio/kamailio.cfg': KAM('/etc/kamailio/tls.cfg'), '/repo/docker/kamailio/tls.cfg': 'garbage line\n' }, '/repo');
  assert.ok(dockerfile.findings.some((f) => f.code === 'tlscfg.syntax' && f.file === '/repo/docker/kamailio/tls.cfg'));
  assert.match(one(dockerfile.findings, 'project.layout-assumed').message, /docker\/Dockerfile:2/);
});

test('a layout assumed from the repository keeps its evaluation from check to check (nothing is re-evaluated per keystroke)', () => {
  const host = new MemoryHost({ '/repo/kamailio/kamailio.cfg': KAM('/etc/kamailio/tls.cfg'), '/repo/kamailio/tls.cfg': TLS('a.pem', 'a.key') });
  const checker = new Checker(host);
  const contexts = new ProjectContexts(host);
  const settings = layeredSettings(contexts.contextFor('/repo/kamailio/kamailio.cfg', { checkedFolder: '/repo' }), {});
  const once = checker.workspace.deploymentsFor(['/repo/kamailio/kamailio.cfg'], () => settings).deployments[0]!;
  const twice = checker.workspace.deploymentsFor(['/repo/kamailio/kamailio.cfg'], () => settings).deployments[0]!;
  assert.equal(once.settings.assumedLayout.length, 1);
  assert.ok(once.kamailio === twice.kamailio, 'the same evaluation object');
});

test('an entrypoint template (template.X, rendered by envsubst) stands in for the file, also for import_file', () => {
  const kam = '#!KAMAILIO\nimport_file "kamailio-local.cfg"\n#!ifdef WITH_TLS\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\n#!endif\nlisten=tls:127.0.0.1:5061\nrequest_route { drop; }\n';
  const out = checkRepository(
    {
      '/repo/kam/kamailio.cfg': kam,
      '/repo/kam/template.kamailio-local.cfg': '#!define WITH_TLS\n#!define TLS_DOMAIN "${DOMAIN}"\n',
      '/repo/kam/template.tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/letsencrypt/live/${DOMAIN}/fullchain.pem\nprivate_key = /etc/letsencrypt/live/${DOMAIN}/privkey.pem\nbogus = 1\n',
      '/repo/kam/Dockerfile': 'FROM debian:bookworm\nCOPY ./ /etc/kamailio/\n',
    },
    '/repo',
  );
  assert.equal(only(out.findings, 'kamcfg.tls-off').length, 0, 'the rendered local file turns TLS on');
  assert.ok(out.findings.some((f) => f.code === 'tlscfg.unknown-option' && f.file === '/repo/kam/template.tls.cfg'));
  assert.equal(only(out.findings, 'project.template').filter((f) => /is not in the repository, but template\./.test(f.message)).length, 2);
  // A sample (not rendered every time) does not stand in for an optional import_file.
  const sample = checkRepository({ '/repo/kamailio.cfg': kam.replace('listen=tls:', 'listen=udp:'), '/repo/kamailio-local.cfg.sample': '#!define WITH_TLS\n' }, '/repo');
  assert.equal(only(sample.findings, 'kamcfg.tls-off').length, 1);
});

test('a folder search finds templates and samples of configurations, unless the rendered file is beside them', () => {
  const files = {
    '/repo/roles/kamailio/templates/kamailio.cfg.j2': KAM('/etc/kamailio/tls.cfg'),
    '/repo/roles/kamailio/templates/tls.cfg.j2': TLS('/etc/ssl/{{ domain }}.pem', '/etc/ssl/{{ domain }}.key') + 'typo_option = 1\n',
    '/repo/etc/kamailio.cfg': KAM('tls.cfg'),
    '/repo/etc/kamailio.cfg.sample': KAM('tls.cfg') + 'this would duplicate every finding\n',
    '/repo/etc/tls.cfg': TLS('a.pem', 'a.key'),
  };
  const out = checkRepository(files, '/repo');
  assert.ok(out.files.includes('/repo/roles/kamailio/templates/kamailio.cfg.j2'));
  assert.ok(!out.files.includes('/repo/etc/kamailio.cfg.sample'), 'kamailio.cfg is beside it');
  // The role's tls.cfg.j2 stands in for /etc/kamailio/tls.cfg next to kamailio.cfg.j2.
  assert.ok(out.findings.some((f) => f.code === 'tlscfg.unknown-option' && f.file === '/repo/roles/kamailio/templates/tls.cfg.j2'));
});
