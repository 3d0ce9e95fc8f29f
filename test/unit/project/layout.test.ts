// Where the repository is deployed, read from compose files and Dockerfiles, and the contexts
// (repository root, project file, live) of checked files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { composeFacts, dockerfileFacts, findBuildFiles } from '../../../server/src/core/project/dockerLayout';
import { assumeDockerLayout, layeredSettings } from '../../../server/src/core/project/layers';
import { ProjectContexts } from '../../../server/src/core/project/context';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { lookupPlatform } from '../../../server/src/core/platform';

test('compose volumes: short and long forms, bind mounts inside the repository, named volumes and host paths', () => {
  const text = [
    'services:',
    '  kamailio:',
    '    volumes:',
    '      - ./kamailio:/etc/kamailio:ro,z',
    '      - ./tls/server.pem:/etc/kamailio/server.pem',
    '      - type: bind',
    '        source: ../shared/certs',
    '        target: /etc/ssl/sip',
    '      - letsencrypt:/etc/letsencrypt',
    '      - /etc/letsencrypt:/certs:ro',
    '      - ${CONF_DIR}:/etc/extra',
    '      - /var/lib/kamailio',
    '  db:',
    '    image: postgres',
    'volumes:',
    '  letsencrypt:',
  ].join('\n');
  const facts = composeFacts('/repo/deploy/docker-compose.yml', text, '/repo');
  assert.deepEqual(
    facts.map((f) => [f.deployed, f.local ?? null, f.source, f.service]),
    [
      ['/etc/kamailio', '/repo/deploy/kamailio', 'deploy/docker-compose.yml:4', 'kamailio'],
      ['/etc/kamailio/server.pem', '/repo/deploy/tls/server.pem', 'deploy/docker-compose.yml:5', 'kamailio'],
      ['/etc/ssl/sip', '/repo/shared/certs', 'deploy/docker-compose.yml:6', 'kamailio'],
      ['/etc/letsencrypt', null, 'deploy/docker-compose.yml:9', 'kamailio'],
      ['/certs', null, 'deploy/docker-compose.yml:10', 'kamailio'],
      ['/var/lib/kamailio', null, 'deploy/docker-compose.yml:12', 'kamailio'],
    ],
  );
  assert.deepEqual(composeFacts('/repo/docker-compose.yml', 'services: [ broken', '/repo'), []);
});

test('Dockerfile COPY/ADD into folders and files, WORKDIR, --from and VOLUME', () => {
  const text = 'FROM debian:bookworm\nWORKDIR /etc\nCOPY kamailio/ /etc/kamailio/\nCOPY tls.cfg kamailio.cfg kamailio/\nADD --chown=kamailio certs /etc/kamailio/certs\nCOPY --from=build /out /usr/sbin\nCOPY \\\n  local.cfg /etc/kamailio/local.cfg\nVOLUME ["/etc/kamailio/keys"]\n';
  assert.deepEqual(
    dockerfileFacts('/repo/Dockerfile', text, '/repo', '/repo').map((f) => [f.deployed, f.local ?? null, f.source]),
    [
      ['/etc/kamailio', '/repo/kamailio', 'Dockerfile:3'],
      ['/etc/kamailio/tls.cfg', '/repo/tls.cfg', 'Dockerfile:4'],
      ['/etc/kamailio/kamailio.cfg', '/repo/kamailio.cfg', 'Dockerfile:4'],
      ['/etc/kamailio/certs', '/repo/certs', 'Dockerfile:5'],
      ['/etc/kamailio/local.cfg', '/repo/local.cfg', 'Dockerfile:7'],
      ['/etc/kamailio/keys', null, 'Dockerfile:9'],
    ],
  );
});

test('build files are found shallowly, and the Kamailio service wins a conflict; declared mappings win over assumed ones', () => {
  const host = new MemoryHost({ '/repo/docker-compose.yml': '', '/repo/docker/Dockerfile.kamailio': '', '/repo/a/b/c/d/compose.yaml': '', '/repo/node_modules/x/docker-compose.yml': '' });
  assert.deepEqual(findBuildFiles(host, '/repo'), { compose: ['/repo/docker-compose.yml'], dockerfiles: ['/repo/docker/Dockerfile.kamailio'] });
  const facts = [
    { deployed: '/etc/kamailio', local: '/repo/opensips', source: 'c.yml:3', service: 'opensips' },
    { deployed: '/etc/kamailio', local: '/repo/kam', source: 'c.yml:9', service: 'kamailio' },
    { deployed: '/etc/ssl', local: '/repo/ssl', source: 'c.yml:10', service: 'kamailio' },
  ];
  assert.deepEqual(assumeDockerLayout(facts, []).mappings.map((m) => [m.deployed, m.local]), [
    ['/etc/kamailio', '/repo/kam'],
    ['/etc/ssl', '/repo/ssl'],
  ]);
  assert.deepEqual(assumeDockerLayout(facts, [{ deployed: '/etc', local: '/repo/etc' }]).mappings, []);
});

test('contexts: project file, version control, folder checked; live in /etc; user layers on top of the project', () => {
  const host = new MemoryHost({
    '/src/app/.git/HEAD': 'ref',
    '/src/app/infra/.sip-tls.json': '{ "kamailioVersion": "5.6", "defines": ["A"], "severity": { "tls.verify-off": "off" }, "mappings": { "/etc/kamailio": "kam" } }',
    '/src/app/infra/kam/kamailio.cfg': '',
    '/src/app/other/kamailio.cfg': '',
    '/tmp/loose/kamailio.cfg': '',
    '/etc/kamailio/kamailio.cfg': '',
  });
  const contexts = new ProjectContexts(host);
  const infra = contexts.contextFor('/src/app/infra/kam/kamailio.cfg');
  assert.equal(infra.root, '/src/app');
  assert.equal(infra.rootReason, 'the repository');
  assert.equal(infra.project?.file, '/src/app/infra/.sip-tls.json');
  assert.equal(contexts.contextFor('/src/app/other/kamailio.cfg').project, undefined);
  assert.equal(contexts.contextFor('/tmp/loose/kamailio.cfg', { checkedFolder: '/tmp' }).root, '/tmp');
  assert.equal(contexts.contextFor('/tmp/loose/kamailio.cfg').root, '/tmp/loose');
  assert.equal(contexts.contextFor('/etc/kamailio/kamailio.cfg').live, true);
  assert.equal(contexts.contextFor('/src/app/other/kamailio.cfg', { live: true }).live, true);
  const s = layeredSettings(infra, { defines: ['B'], severity: { 'tls.verify-off': 'warning' }, pathMappings: [{ deployed: '/etc/kamailio', local: '/mine' }], trustAnchors: ['/home/me/ca.pem'] });
  assert.deepEqual(s.kamailioVersion, { major: 5, minor: 6 });
  assert.deepEqual(s.defines, ['A', 'B']);
  assert.equal(s.severity['tls.verify-off'], 'warning');
  assert.deepEqual(s.pathMappings, [{ deployed: '/etc/kamailio', local: '/mine' }]);
  // What the user named outside the repository may be read; nothing else outside it.
  assert.deepEqual(s.scope, { root: '/src/app', allowed: ['/mine', '/home/me/ca.pem'], rootReason: 'the repository' });
  assert.equal(layeredSettings(contexts.contextFor('/etc/kamailio/kamailio.cfg'), {}).scope, undefined);
});

test('a platform fixes the Kamailio version unless one is given; the user layer wins', () => {
  const host = new MemoryHost({ '/r/.sip-tls.json': '{ "platform": "debian-12" }', '/r/kamailio.cfg': '', '/s/.sip-tls.json': '{ "platform": "debian-12", "kamailioVersion": "6.1" }', '/s/kamailio.cfg': '' });
  const contexts = new ProjectContexts(host);
  const r = contexts.contextFor('/r/kamailio.cfg');
  assert.equal(layeredSettings(r, {}).platform.id, 'debian-12');
  assert.deepEqual(layeredSettings(r, {}).kamailioVersion, { major: 5, minor: 6, patch: 3 });
  assert.deepEqual(layeredSettings(r, { platform: lookupPlatform('debian-13')! }).kamailioVersion, { major: 6, minor: 0, patch: 1 });
  // "6.0" on Debian 13 is the package's 6.0.1; "6.0.4" stays 6.0.4; another branch stays itself.
  const d13 = lookupPlatform('debian-13')!;
  assert.deepEqual(layeredSettings(r, { platform: d13, kamailioVersion: { major: 6, minor: 0 } }).kamailioVersion, { major: 6, minor: 0, patch: 1 });
  assert.deepEqual(layeredSettings(r, { platform: d13, kamailioVersion: { major: 6, minor: 0, patch: 4 } }).kamailioVersion, { major: 6, minor: 0, patch: 4 });
  assert.deepEqual(layeredSettings(r, { platform: d13, kamailioVersion: { major: 6, minor: 1 } }).kamailioVersion, { major: 6, minor: 1 });
  assert.deepEqual(layeredSettings(contexts.contextFor('/s/kamailio.cfg'), {}).kamailioVersion, { major: 6, minor: 1 }, 'an explicit version beats the platform');
  assert.equal(layeredSettings(contexts.contextFor('/s/kamailio.cfg'), { kamailioVersion: { major: 5, minor: 8 } }).kamailioVersion.minor, 8);
});
