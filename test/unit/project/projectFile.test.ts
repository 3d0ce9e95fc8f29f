// .sip-tls.json: JSON with comments, every problem located, nothing outside its folder, and the
// schema contributed to VS Code says exactly what the reader accepts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { PROJECT_KEYS, parseProjectFile } from '../../../server/src/core/project/projectFile';
import { projectFileSchema } from '../../../server/src/core/project/schema';
import { renderProjectSchema } from '../../../scripts/gen-diagnostics-doc';
import { proposeProjectFile } from '../../../server/src/core/project/init';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { parse as parseJsonc } from 'jsonc-parser';

const FULL = `// comments are fine
{
  "kamailioVersion": "5.6",
  "mainConfigs": ["kamailio/kamailio.cfg"],
  "mappings": { "/etc/kamailio": "kamailio", "/etc/ssl/sip": "./certs/" },
  "defines": ["WITH_NAT"],
  "variants": { "default": {}, "tls": { "defines": ["WITH_TLS"], "vars": { "DOMAIN": "sip.example.com" } } },
  "vars": { "PUBLIC_IP": "192.0.2.10" },
  "deployTimePaths": ["/etc/letsencrypt/**"],
  "sipDomains": ["sip.example.com"],
  "trustAnchors": ["certs/carrier-root.pem"],
  "severity": { "tls.protocol-outdated": "error" },
  "workdir": "/var/run/kamailio",
  "expiryDays": 21, // trailing commas too
}
`;

test('a full project file is read: paths against its folder, variants, vars, severities', () => {
  const p = parseProjectFile('/repo/.sip-tls.json', FULL);
  assert.deepEqual(p.problems, []);
  assert.deepEqual(p.kamailioVersion, { major: 5, minor: 6 });
  assert.deepEqual(p.mainConfigs, ['/repo/kamailio/kamailio.cfg']);
  assert.deepEqual(p.mappings, [
    { deployed: '/etc/kamailio', local: '/repo/kamailio' },
    { deployed: '/etc/ssl/sip', local: '/repo/certs' },
  ]);
  assert.deepEqual(p.variants, [
    { name: 'default', defines: [], vars: {} },
    { name: 'tls', defines: ['WITH_TLS'], vars: { DOMAIN: 'sip.example.com' } },
  ]);
  assert.deepEqual(p.trustAnchors, ['/repo/certs/carrier-root.pem']);
  assert.equal(p.severity['tls.protocol-outdated'], 'error');
  assert.equal(p.expiryDays, 21);
});

test('each wrong entry is a located problem and is ignored; the rest applies', () => {
  const text = '{\n  "mappings": { "/etc/kamailio": "../elsewhere", "relative": "x" },\n  "trustAnchors": ["/home/me/ca.pem"],\n  "severity": { "no.such-code": "off", "tls.verify-off": "loud" },\n  "kamailioVersion": "4.4",\n  "colour": true,\n  "defines": ["OK", "bad-name"],\n  "expiryDays": -1\n}';
  const p = parseProjectFile('/repo/.sip-tls.json', text);
  const said = p.problems.map((x) => `${x.range.start.line}: ${x.message}`);
  assert.deepEqual(
    said.map((s) => s.replace(/ \(.*$/, '').replace(/;.*$/, '')),
    [
      '1: mappings: "../elsewhere" is outside the folder of .sip-tls.json',
      '1: mappings: the deployed path "relative" must be absolute, as Kamailio sees it',
      '2: trustAnchors: "/home/me/ca.pem" is outside the folder of .sip-tls.json',
      '3: severity: unknown diagnostic code "no.such-code"',
      '3: severity.tls.verify-off: "loud" is not one of error, warning, information, hint, off',
      '4: kamailioVersion: unknown version "4.4"',
      '5: unknown key "colour"',
      '6: defines: "bad-name" is not NAME or NAME=VALUE',
      '7: expiryDays must be a whole number of days ≥ 0',
    ],
  );
  assert.deepEqual(p.mappings, []);
  assert.deepEqual(p.defines, ['OK']);
  assert.ok(p.problems.every((x) => !x.fatal));
  const broken = parseProjectFile('/repo/.sip-tls.json', '{ "mappings": { ');
  assert.equal(broken.problems.length, 1);
  assert.equal(broken.problems[0]!.fatal, true);
  assert.match(broken.problems[0]!.message, /not valid JSON/);
});

test('the schema is the one written to schemas/, names exactly the keys the reader accepts, and accepts what init writes', () => {
  assert.equal(readFileSync(join(__dirname, '..', '..', '..', 'schemas', 'sip-tls.schema.json'), 'utf8'), renderProjectSchema(), 'run npm run docs');
  const schema = projectFileSchema();
  assert.deepEqual(Object.keys(schema['properties'] as object).sort(), [...PROJECT_KEYS].sort());
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  assert.ok(validate(parseJsonc(FULL, [], { allowTrailingComma: true })), JSON.stringify(validate.errors));
  assert.ok(!validate({ mappings: { relative: 'x' } }), 'the schema rejects a relative deployed path too');
  assert.ok(!validate({ colour: true }));
  const host = new MemoryHost({
    '/repo/docker-compose.yml': 'services:\n  kamailio:\n    image: kamailio/kamailio:5.8\n    volumes:\n      - ./etc:/etc/kamailio\n',
    '/repo/etc/kamailio.cfg': '#!KAMAILIO\n#!ifdef WITH_TLS\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\n#!endif\nrequest_route { drop; }\n',
    '/repo/etc/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/ssl/${DOMAIN}/fullchain.pem\nprivate_key = /etc/ssl/${DOMAIN}/privkey.pem\n',
  });
  const proposal = proposeProjectFile(host, '/repo');
  const errors: never[] = [];
  const written = parseJsonc(proposal.text, errors, { allowTrailingComma: true }) as Record<string, unknown>;
  assert.deepEqual(errors, []);
  assert.ok(validate(written), JSON.stringify(validate.errors));
  assert.equal(written['kamailioVersion'], '5.8');
  assert.deepEqual(written['mainConfigs'], ['etc/kamailio.cfg']);
  assert.deepEqual(written['mappings'], { '/etc/kamailio': 'etc' });
  assert.deepEqual(written['variants'], { default: {}, tls: { defines: ['WITH_TLS'] } });
  assert.deepEqual(written['vars'], { DOMAIN: '' });
  assert.match(proposal.text, /\/\/ docker-compose\.yml:5/);
  assert.match(proposal.text, /\/\/ docker-compose\.yml:3 runs kamailio\/kamailio:5\.8/);
  assert.match(proposal.text, /TLS is switched on by WITH_TLS \(etc\/kamailio\.cfg:3/);
  // Read back, the proposal is a valid project file.
  assert.deepEqual(parseProjectFile('/repo/.sip-tls.json', proposal.text).problems, []);
});

test('init: an image built FROM a Debian release gives the platform', () => {
  const host = new MemoryHost({
    '/repo/Dockerfile': 'FROM debian:bookworm-slim\nRUN apt-get install -y kamailio kamailio-tls-modules\nCOPY etc/ /etc/kamailio/\n',
    '/repo/etc/kamailio.cfg': '#!KAMAILIO\nloadmodule "sl.so"\nrequest_route { drop; }\n',
  });
  const written = parseJsonc(proposeProjectFile(host, '/repo').text, [], { allowTrailingComma: true }) as Record<string, unknown>;
  assert.equal(written['platform'], 'debian-12');
  assert.equal(written['kamailioVersion'], undefined, 'the platform fixes it');
  assert.deepEqual(written['mappings'], { '/etc/kamailio': 'etc' });
});

test('init: Alpine and RHEL 9 images give their platform, and the Kamailio version is still asked for', () => {
  for (const [from, platform] of [
    ['alpine:3.22', 'alpine-3.22'],
    ['alpine:3.21.3', 'alpine-3.21'],
    ['rockylinux:9', 'rhel-9'],
    ['registry.access.redhat.com/ubi9/ubi:latest', 'rhel-9'],
  ] as const) {
    const host = new MemoryHost({
      '/repo/Dockerfile': `FROM ${from}\nCOPY etc/ /etc/kamailio/\n`,
      '/repo/etc/kamailio.cfg': '#!KAMAILIO\nloadmodule "sl.so"\nrequest_route { drop; }\n',
    });
    const written = parseJsonc(proposeProjectFile(host, '/repo').text, [], { allowTrailingComma: true }) as Record<string, unknown>;
    assert.equal(written['platform'], platform, from);
    // No packaged Kamailio fixes the version on these platforms: the default is written, to edit.
    assert.equal(typeof written['kamailioVersion'], 'string', from);
  }
});
