// What the deployment really loads: TLS off on purpose builds no profile; variants check each
// configuration; files Kamailio never reads are skipped and said; one root cause, one finding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRepository } from './helpers';
import { codes, one, only } from '../helpers';
import { tlsIntent } from '../../../server/src/core/kamailio/tlsIntent';
import { evaluateKamailioConfig } from '../../../server/src/core/kamailio';
import { parseVersion } from '../../../server/src/core/version';

/** The shipped kamailio.cfg shape: TLS behind #!ifdef WITH_TLS. */
const SHIPPED = [
  '#!KAMAILIO',
  '#!ifdef WITH_TLS',
  'enable_tls=yes',
  '#!endif',
  'loadmodule "sl.so"',
  '#!ifdef WITH_TLS',
  'loadmodule "tls.so"',
  'modparam("tls", "config", "tls.cfg")',
  '#!endif',
  'request_route { drop; }',
  '',
].join('\n');
const BROKEN_TLS = '[server:default]\nmethod = TLSv1\ncertificate = missing.pem\nprivate_key = missing.key\n';

function intentOf(text: string): string {
  const reader = { readText: (p: string) => (p === '/k.cfg' ? text : undefined), exists: () => false, listDir: () => undefined };
  return tlsIntent(evaluateKamailioConfig('/k.cfg', reader, { defines: [], version: parseVersion('5.6')!, mapPath: (p) => p }));
}

test('TLS intent: on, off on purpose, or off by a mistake that is judged as if TLS were on', () => {
  assert.equal(intentOf('enable_tls=yes\nloadmodule "tls.so"\n'), 'on');
  assert.equal(intentOf('loadmodule "tls.so"\n'), 'off', 'every module loaded, nothing configured (kamailio-tests allmods)');
  assert.equal(intentOf('disable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "t.cfg")\n'), 'off', 'switched off explicitly');
  assert.equal(intentOf(SHIPPED), 'off');
  assert.equal(intentOf('loadmodule "tls.so"\nenable_tls=yes\n'), 'mistaken', 'enable_tls after the loadmodule');
  assert.equal(intentOf('loadmodule "tls.so"\nmodparam("tls", "config", "t.cfg")\n'), 'mistaken', 'configured, enable_tls forgotten');
  assert.equal(intentOf('listen=tls:127.0.0.1:5061\n'), 'mistaken');
});

test('TLS off on purpose: no profile finding, one information names the define; the TLS variant is checked for real', () => {
  const files = { '/repo/kamailio.cfg': SHIPPED, '/repo/tls.cfg': BROKEN_TLS };
  const off = checkRepository(files, '/repo');
  assert.deepEqual(codes(off.findings), ['kamcfg.tls-off']);
  const note = one(off.findings, 'kamcfg.tls-off');
  assert.equal(note.range.start.line, 2);
  assert.match(note.message, /enable_tls=yes is not used \(it is inside #!ifdef WITH_TLS, and WITH_TLS is not defined\), so Kamailio loads no tls\.cfg.*--define WITH_TLS/);
  assert.deepEqual(off.skipped.map((s) => s.file), ['/repo/tls.cfg'], 'the tls.cfg is not loaded');
  const on = checkRepository(files, '/repo', { layer: { defines: ['WITH_TLS'] } });
  assert.ok(codes(on.findings).includes('tls.protocol-outdated'));
  assert.equal(on.skipped.length, 0);
});

test('variants: each is checked; a finding not every variant has names its variants; the TLS-off note goes when a variant has TLS', () => {
  const project = '{ "variants": { "default": {}, "tls": { "defines": ["WITH_TLS"] } } }';
  const out = checkRepository({ '/repo/.sip-tls.json': project, '/repo/kamailio.cfg': SHIPPED + 'debug=yes\n', '/repo/tls.cfg': BROKEN_TLS }, '/repo');
  assert.equal(only(out.findings, 'kamcfg.tls-off').length, 0);
  assert.match(one(out.findings, 'tls.protocol-outdated').message, / \[variant tls\]$/);
  assert.equal(out.skipped.length, 0, 'the tls.cfg is loaded in one variant');
  // Only one variant asked for.
  const one_ = checkRepository({ '/repo/.sip-tls.json': project, '/repo/kamailio.cfg': SHIPPED, '/repo/tls.cfg': BROKEN_TLS }, '/repo', { layer: { variantNames: ['default'] } });
  assert.deepEqual(codes(one_.findings), ['kamcfg.tls-off']);
});

test('files Kamailio never reads are skipped: orphan tls.cfg, unused fragments, OpenSSL configurations, PEM files', () => {
  const out = checkRepository(
    {
      '/repo/kamailio.cfg': '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\nrequest_route { drop; }\n',
      '/repo/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = a.pem\nprivate_key = a.key\n',
      '/repo/old/tls-old.cfg': BROKEN_TLS,
      '/repo/routes.cfg': '#!KAMAILIO\nroute[X] { drop; }\n',
      '/repo/certs/tls.cfg': '[ req ]\ndistinguished_name = dn\nreq_extensions = v3_req\n[ dn ]\nCN = sip.example.com\n[ v3_req ]\nsubjectAltName = @alt_names\n[ alt_names ]\nDNS.1 = sip.example.com\n',
    },
    '/repo',
  );
  assert.deepEqual(
    out.skipped.map((s) => [s.file, s.reason.split(' (')[0]]).sort(),
    [
      ['/repo/certs/tls.cfg', 'an OpenSSL configuration'],
      ['/repo/old/tls-old.cfg', 'no main configuration loads it'],
      ['/repo/routes.cfg', 'a fragment that no main configuration includes'],
    ],
  );
  assert.ok(out.findings.every((f) => f.file === '/repo/kamailio.cfg' || f.file === '/repo/tls.cfg'), codes(out.findings).join());
  // Named explicitly: said, on the file.
  const named = checkRepository({ '/repo/tls.cfg': '[ req ]\ndistinguished_name = dn\nprompt = no\n[ dn ]\nCN = x\n', '/repo/server.key': '-----BEGIN PRIVATE KEY-----\nMIIEvg==\n-----END PRIVATE KEY-----\n' }, '/repo', { named: ['/repo/tls.cfg', '/repo/server.key'] });
  assert.deepEqual(named.findings.map((f) => [f.file, f.code, f.message.split(' (')[0]]), [
    ['/repo/server.key', 'project.not-checked', 'Not checked: it holds a PEM private key'],
    ['/repo/tls.cfg', 'project.not-checked', 'Not checked: an OpenSSL configuration'],
  ]);
  assert.ok(!named.findings.some((f) => f.message.includes('MIIE')), 'key material is never quoted');
});

test('one root cause, one finding: modparam mode reports a missing shared file once', () => {
  const kam = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "certificate", "certs/k.crt")\nmodparam("tls", "private_key", "certs/k.key")\nmodparam("tls", "tls_method", "TLSv1.2+")\nrequest_route { drop; }\n';
  const out = checkRepository({ '/repo/kamailio.cfg': kam, '/repo/certs/ca.pem': 'x' }, '/repo');
  const missing = only(out.findings, 'path.not-found');
  assert.deepEqual(missing.map((f) => f.range.start.line), [3, 4]);
  assert.ok(missing.every((f) => f.message.startsWith('TLSs<default>')));
});

test('certbot and snakeoil layouts are judged without the files', () => {
  const tls = (cert: string, key: string, extra = '') => `[server:default]\nmethod = TLSv1.2+\ncertificate = ${cert}\nprivate_key = ${key}\n${extra}`;
  const kam = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route { drop; }\n';
  const check = (t: string) => checkRepository({ '/repo/kamailio.cfg': kam, '/repo/tls.cfg': t }, '/repo').findings.filter((f) => f.file === '/repo/tls.cfg' && f.severity !== 'information');
  const le = '/etc/letsencrypt/live/sip.example.com';
  assert.deepEqual(check(tls(`${le}/fullchain.pem`, `${le}/privkey.pem`)).map((f) => f.code), []);
  const leaf = check(tls(`${le}/cert.pem`, `${le}/privkey.pem`));
  assert.deepEqual(leaf.map((f) => f.code), ['chain.incomplete']);
  assert.equal(leaf[0]!.fixes![0]!.edits[0]!.newText, `${le}/fullchain.pem`);
  // With the chain in ca_list, OpenSSL sends the intermediate (auto-chain, verified on 5.6.3).
  assert.deepEqual(check(tls(`${le}/cert.pem`, `${le}/privkey.pem`, `ca_list = ${le}/chain.pem\n`)).map((f) => f.code), []);
  assert.deepEqual(check(tls(`${le}/chain.pem`, `${le}/privkey.pem`)).map((f) => f.code), ['key.mismatch']);
  assert.deepEqual(check(tls(`${le}/privkey.pem`, `${le}/privkey.pem`)).map((f) => f.code), ['cert.unreadable']);
  assert.deepEqual(check(tls(`${le}/fullchain.pem`, `${le}/fullchain.pem`)).map((f) => f.code), ['key.unreadable']);
  // Copied elsewhere, certbot's names still say what the files hold.
  assert.deepEqual(check(tls('/etc/kamailio/ssl/cert.pem', '/etc/kamailio/ssl/privkey.pem')).map((f) => f.code), ['chain.incomplete']);
  // Kamailio's own cert.pem (certificate and key in one file) is not certbot's.
  assert.deepEqual(check(tls('/etc/kamailio/cert.pem', '/etc/kamailio/cert.pem')).map((f) => f.code), []);
  assert.deepEqual(check(tls('/etc/ssl/certs/ssl-cert-snakeoil.pem', '/etc/ssl/private/ssl-cert-snakeoil.key')).map((f) => f.code), ['cert.self-signed']);
});

test('one root cause, one finding: a syntax error in a profile does not also make its options look omitted', () => {
  const kam = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route { drop; }\n';
  // Variants of a broken line where the certificate, the key or the method should be.
  for (const broken of ['certificate /etc/kamailio/c.pem', 'certificate: c.pem', 'method TLSv1.2+', 'private_key "c.key']) {
    const tls = `[server:default]\nmethod = TLSv1.2+\ncertificate = c.pem\nprivate_key = c.key\n[server:127.0.0.1:5061]\n${broken}\n`;
    const out = checkRepository({ '/repo/kamailio.cfg': kam, '/repo/tls.cfg': tls, '/repo/c.pem': 'x', '/repo/c.key': 'x' }, '/repo', { live: true });
    const onProfile = out.findings.filter((f) => f.file === '/repo/tls.cfg' && f.range.start.line >= 4);
    assert.deepEqual(onProfile.map((f) => f.code), ['tlscfg.syntax'], `${broken}: ${JSON.stringify(onProfile.map((f) => f.message))}`);
  }
  // Without the syntax error the omission is judged.
  const fine = checkRepository({ '/repo/kamailio.cfg': kam, '/repo/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = c.pem\nprivate_key = c.key\n[server:127.0.0.1:5061]\nmethod = TLSv1.2+\n', '/repo/c.pem': 'x', '/repo/c.key': 'x' }, '/repo', { live: true });
  assert.ok(fine.findings.some((f) => f.code === 'tlscfg.no-inherit'));
});
