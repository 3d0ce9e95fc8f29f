import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, one, only, r } from '../helpers';
import { resolveReferencedPath, mapDeployedToLocal, mapLocalToDeployed } from '../../../server/src/core/paths';

const TLS = '/srv/ws/etc/kamailio/tls.cfg';

test('resolution follows Kamailio: absolute as is, ./ against workdir, anything else against the main config folder', () => {
  const base = { deployedConfigDir: '/etc/kamailio', workdir: '/', mappings: [{ deployed: '/etc/kamailio', local: '/srv/ws/etc/kamailio' }], deployTime: [], baseDescription: 'the folder of kamailio.cfg' };
  assert.deepEqual(
    [resolveReferencedPath('/etc/kamailio/a.pem', base).local, resolveReferencedPath('certs/a.pem', base).deployed, resolveReferencedPath('certs/a.pem', base).local, resolveReferencedPath('./a.pem', base).deployed],
    ['/srv/ws/etc/kamailio/a.pem', '/etc/kamailio/certs/a.pem', '/srv/ws/etc/kamailio/certs/a.pem', '/a.pem'],
  );
  assert.equal(resolveReferencedPath('/uri:pkcs11:token=x', base).notAFile, true);
  assert.equal(mapDeployedToLocal('/etc/kamailio2/x', base.mappings), '/etc/kamailio2/x', 'a mapping applies to whole path components only');
  assert.equal(mapLocalToDeployed('/srv/ws/etc/kamailio/x', base.mappings), '/etc/kamailio/x');
});

test('the longest mapping prefix wins', () => {
  const mappings = [
    { deployed: '/etc', local: '/a' },
    { deployed: '/etc/kamailio', local: '/b' },
  ];
  assert.equal(mapDeployedToLocal('/etc/kamailio/x.pem', mappings), '/b/x.pem');
  assert.equal(mapDeployedToLocal('/etc/ssl/x.pem', mappings), '/a/ssl/x.pem');
});

test('path.not-found with the resolved path, how it was derived and Kamailio\'s log line', () => {
  const f = run(
    { [TLS]: '[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/kamailio/missing.pem\nprivate_key = /etc/kamailio/key.pem\n', '/srv/ws/etc/kamailio/key.pem': 'k' },
    { check: [TLS], settings: { pathMappings: [{ deployed: '/etc/kamailio', local: '/srv/ws/etc/kamailio' }] } },
  ).findings;
  const nf = one(f, 'path.not-found');
  assert.deepEqual(nf.range, r(2, 14, 2, 39));
  assert.match(nf.message, /\/etc\/kamailio\/missing\.pem \(workspace: \/srv\/ws\/etc\/kamailio\/missing\.pem\) does not exist/);
  assert.match(nf.message, /TLSs<default>: Unable to load certificate file '\/etc\/kamailio\/missing\.pem'/);
});

test('path.not-found suggests a near name in the same folder', () => {
  const f = run({ '/k/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = /k/fulchain.pem\nprivate_key = /k/key.pem\n', '/k/fullchain.pem': 'c', '/k/key.pem': 'k' }, { check: ['/k/tls.cfg'] }).findings;
  const nf = one(f, 'path.not-found');
  assert.match(nf.message, /Did you mean fullchain\.pem/);
  assert.equal(nf.fixes![0]!.edits[0]!.newText, '/k/fullchain.pem');
});

test('path.unreadable: directory, FIFO, device, permission denied, symlink loop', () => {
  const { findings: f, host } = (() => {
    const res = run({ '/k/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = /k/dir\nprivate_key = /k/fifo\nca_list = /dev/zero\ncrl = /k/secret.pem\n[client:default]\nmethod = TLSv1.2+\ncertificate = /k/loop\nprivate_key = /k/dir\nverify_certificate = no\n' }, { check: [] });
    return res;
  })();
  assert.equal(f.length, 0);
  host.addSpecial('/k/dir', 'directory');
  host.addSpecial('/k/fifo', 'fifo');
  host.addSpecial('/dev/zero', 'character-device');
  host.writeFile('/k/secret.pem', 'x', { readable: false });
  host.addError('/k/loop', { error: 'symlink-loop', detail: 'ELOOP: too many symbolic links encountered' });
  const { Checker } = require('../../../server/src/core/check') as typeof import('../../../server/src/core/check');
  const { settings } = require('../helpers') as typeof import('../helpers');
  const out = new Checker(host).check({ files: ['/k/tls.cfg'], settingsFor: () => settings() }).findings;
  const un = only(out, 'path.unreadable');
  assert.equal(un.length, 6, JSON.stringify(un.map((x) => x.message)));
  assert.match(un[0]!.message, /\/k\/dir is a directory, not a regular file/);
  assert.match(un[1]!.message, /\/k\/fifo is a FIFO \(named pipe\), not a regular file/);
  assert.match(un[2]!.message, /\/dev\/zero is a character device/);
  assert.match(un[3]!.message, /permission denied/);
  assert.match(un[4]!.message, /symlink loop/);
});

test('path.workdir-relative: ./ paths resolve against workdir /, with a rewrite fix', () => {
  const f = run({ '/k/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = ./cert.pem\nprivate_key = ../k/cert.pem\n', '/k/cert.pem': 'c' }, { check: ['/k/tls.cfg'] }).findings;
  const w = only(f, 'path.workdir-relative');
  assert.equal(w.length, 2);
  assert.match(w[0]!.message, /working directory \/ \(\/cert\.pem\)/);
  assert.equal(w[0]!.fixes![0]!.edits[0]!.newText, 'cert.pem');
  assert.equal(w[1]!.fixes![0]!.edits[0]!.newText, '/k/cert.pem');
  assert.equal(only(f, 'path.not-found').length, 1, './cert.pem is missing at /; ../k/cert.pem happens to resolve to /k/cert.pem');
  const withWorkdir = run({ '/k/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = ./cert.pem\nprivate_key = ./cert.pem\n', '/k/cert.pem': 'c' }, { check: ['/k/tls.cfg'], settings: { workdir: '/k' } }).findings;
  // '/k/cert.pem' holds 'c', not a certificate: only the path families are asked about here.
  assert.deepEqual(withWorkdir.map((x) => x.code).filter((c) => /^path\./.test(c)), [], 'with workdir set to the folder both resolve and nothing is reported');
});

test('empty paths and /uri: keys are not files', () => {
  const f = run({ '/k/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = ""\nprivate_key = /uri:pkcs11:token=kamailio\n' }, { check: ['/k/tls.cfg'] }).findings;
  assert.deepEqual(only(f, 'path.not-found'), []);
});
