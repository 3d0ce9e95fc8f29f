import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, one, only, codes, r, applyEdits } from '../helpers';
import { parseKamailioFile } from '../../../server/src/core/kamailio';

const KAM = '/etc/kamailio/kamailio.cfg';
const TLS = '/etc/kamailio/tls.cfg';
const CERT = '/etc/kamailio/cert.pem';
const TLS_CFG = `[server:default]\nmethod = TLSv1.2+\ncertificate = ${CERT}\nprivate_key = ${CERT}\n\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = ${CERT}\n`;

// The placeholder certificate files ('pem', 'c', 'k') are not certificates: the certificate
// families (cert./chain./key./ca.) have their own tests (test/unit/rules/cert*.test.ts).
const notPki = (f: { code: string }) => !/^(cert|chain|key|ca)\./.test(f.code);

function kam(body: string) {
  return `#!KAMAILIO\n${body}`;
}
const GOOD = kam('enable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nloadmodule "sl.so"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\nrequest_route {\n  sl_send_reply("200", "OK");\n}\n');

function check(kamailio: string, tls = TLS_CFG, extra: Record<string, string> = {}, settings: NonNullable<Parameters<typeof run>[1]>['settings'] = {}) {
  return run({ [KAM]: kamailio, [TLS]: tls, [CERT]: 'pem', ...extra }, { check: [KAM, TLS], settings }).findings.filter(notPki);
}

test('a clean deployment has no finding in either file', () => {
  assert.deepEqual(check(GOOD), []);
});

test('a UTF-8 BOM at the start of kamailio.cfg is harmless (Kamailio 5.6.3 starts)', () => {
  assert.deepEqual(check('\ufeff' + GOOD), []);
});

test('kamcfg.obsolete-core-param on adjacent strings is reported without an exception (found by the fuzzer)', () => {
  const adjacent = '"'.repeat(4) + '"TLSv1"';
  const f = check(GOOD.replace('enable_tls=yes\n', `enable_tls=yes\ntls_method=${adjacent}\n`));
  assert.ok(f.some((x) => x.code === 'kamcfg.obsolete-core-param'));
});

test('kamcfg.obsolete-core-param: tls_method=TLSv1.2 is a parse error, TLSv1 only ignored, with a fix into tls.cfg', () => {
  const text = GOOD.replace('enable_tls=yes\n', 'enable_tls=yes\ntls_method=TLSv1.2\n');
  const f = one(check(text), 'kamcfg.obsolete-core-param');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, r(2, 0, 2, 10));
  assert.match(f.message, /only accepts SSLv23\/SSLv2\/SSLv3\/TLSv1/);
  const ignored = one(check(GOOD.replace('enable_tls=yes\n', 'enable_tls=yes\ntls_method=TLSv1\n')), 'kamcfg.obsolete-core-param');
  assert.equal(ignored.severity, 'warning');
  assert.match(ignored.message, /tls-in-core support not compiled in/);
  // The fix removes the line; [server:default] already sets method.
  const edits = f.fixes![0]!.edits;
  assert.equal(edits.length, 1);
  assert.equal(applyEdits(text, edits), GOOD);
});

test('kamcfg.obsolete-core-param: OpenSER names are fatal; the fix moves the value into tls.cfg', () => {
  const tls = TLS_CFG.replace('method = TLSv1.2+\ncertificate', 'certificate');
  const text = GOOD.replace('enable_tls=yes\n', 'enable_tls=yes\ntls_require_client_certificate=1\n');
  const f = one(check(text, tls), 'kamcfg.obsolete-core-param');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /unknown config variable/);
  const toTls = f.fixes![0]!.edits.find((e) => e.file === TLS)!;
  assert.equal(toTls.newText, 'require_certificate = yes\n');
  assert.deepEqual(toTls.range, r(1, 0, 1, 0));
});

test('kamcfg.obsolete-core-param: tls_log sets the TLS port (a lexer bug)', () => {
  const f = one(check(GOOD.replace('listen=tls:127.0.0.1:5061', 'tls_log=3\nlisten=tls:127.0.0.1')), 'kamcfg.obsolete-core-param');
  assert.match(f.message, /sets the TLS port to 3 and listen=tls:127\.0\.0\.1 will listen on port 3/);
  assert.equal(f.related!.length, 1);
});

test('kamcfg.bad-boolean: Yes and enabled; lower-case yes/on/1 are fine', () => {
  for (const bad of ['Yes', 'enabled', 'TRUE']) {
    const f = one(check(GOOD.replace('enable_tls=yes', `enable_tls=${bad}`)), 'kamcfg.bad-boolean');
    assert.deepEqual(f.range, r(1, 11, 1, 11 + bad.length));
    assert.match(f.message, /boolean value expected/);
    assert.equal(f.fixes![0]!.edits[0]!.newText, 'yes');
  }
  for (const good of ['yes', 'on', '1', 'true', 'enable']) assert.deepEqual(codes(check(GOOD.replace('enable_tls=yes', `enable_tls=${good}`))), [], good);
});

test('kamcfg.tls-enable-order: enable_tls after loadmodule "tls.so", fixed by moving the line', () => {
  const text = kam('listen=tls:127.0.0.1:5061\nloadmodule "tls.so"\nenable_tls=yes\nloadmodule "sl.so"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\n');
  const f = one(check(text), 'kamcfg.tls-enable-order');
  assert.deepEqual(f.range.start, { line: 3, character: 0 });
  assert.match(f.message, /tls support is disabled/);
  const fixed = applyEdits(text, f.fixes![0]!.edits);
  assert.equal(fixed, kam('listen=tls:127.0.0.1:5061\nenable_tls=yes\nloadmodule "tls.so"\nloadmodule "sl.so"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\n'));
  assert.deepEqual(codes(check(fixed)), []);
});

test('kamcfg.tls-enable-order across files: enable_tls in a fragment included after loadmodule', () => {
  const main = kam('listen=tls:127.0.0.1:5061\nloadmodule "tls.so"\ninclude_file "tls-on.cfg"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\n');
  const f = one(check(main, TLS_CFG, { '/etc/kamailio/tls-on.cfg': 'enable_tls=yes\n' }), 'kamcfg.tls-enable-order');
  assert.equal(f.file, '/etc/kamailio/tls-on.cfg');
});

test('kamcfg.tls-not-enabled and kamcfg.tls-module-missing', () => {
  const notEnabled = one(check(GOOD.replace('enable_tls=yes\n', '')), 'kamcfg.tls-not-enabled');
  assert.match(notEnabled.message, /enable_tls is never set/);
  assert.equal(notEnabled.fixes![0]!.edits[0]!.newText, 'enable_tls=yes\n');
  const missing = one(check(kam('enable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "sl.so"\n')), 'kamcfg.tls-module-missing');
  assert.match(missing.message, /no tls engine available/);
  assert.deepEqual(missing.fixes![0]!.edits[0]!.range, r(3, 0, 3, 0), 'inserted as the first loadmodule');
  const listenOnly = one(check(kam('listen=tls:127.0.0.1:5061\nloadmodule "sl.so"\n')), 'kamcfg.tls-module-missing');
  assert.match(listenOnly.message, /TLS is never enabled/);
});

test('kamcfg.tls-enable-order respects the #!ifdef regions that are active', () => {
  const text = kam('#!ifdef WITH_TLS\nenable_tls=yes\n#!endif\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\n');
  assert.equal(only(check(text), 'kamcfg.tls-not-enabled').length, 1, 'WITH_TLS undefined: TLS is off');
  assert.deepEqual(codes(check(text, TLS_CFG, {}, { defines: ['WITH_TLS'] })), []);
});

test('kamcfg.bad-listen: truncated wildcard and IPv6 without brackets, with fixes', () => {
  const f = check(GOOD.replace('listen=tls:127.0.0.1:5061', 'listen=tls:0.0.0:5061\nlisten=tls:127.0.0.1:5061'));
  const l = one(f, 'kamcfg.bad-listen');
  assert.deepEqual(l.range, r(2, 11, 2, 16));
  assert.equal(l.fixes![0]!.edits[0]!.newText, '0.0.0.0');
});

test('modparams: before loadmodule, unknown names, wrong types, bad values, ignored with tls.cfg', () => {
  const before = one(check(kam('enable_tls=yes\nlisten=tls:127.0.0.1:5061\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\nloadmodule "tls.so"\n')), 'kamcfg.modparam-before-loadmodule');
  assert.match(before.message, /No module matching <tls> found/);
  const text = GOOD.replace('modparam("tls", "config"', 'modparam("tls", "certificat", "x")\nmodparam("tls", "certificate2", "x")\nmodparam("tls", "verify_certificate", "1")\nmodparam("tls", "tls_method", "TLSv1_2")\nmodparam("tls", "certificate", "/etc/kamailio/cert.pem")\nmodparam("tls", "config"');
  const f = check(text);
  const unknown = only(f, 'kamcfg.unknown-modparam');
  assert.equal(unknown.length, 3);
  assert.match(unknown[0]!.message, /Did you mean 'certificate'/);
  assert.match(unknown[1]!.message, /documented .* but the module does not export it/);
  assert.match(unknown[2]!.message, /of type <1:string> not found/);
  assert.equal(unknown[2]!.fixes![0]!.edits[0]!.newText, '1');
  assert.match(one(f, 'kamcfg.bad-modparam-value').message, /Invalid tls_method parameter value/);
  const ignored = only(f, 'kamcfg.modparam-ignored');
  assert.deepEqual(ignored.map((x) => x.file).sort(), [KAM, KAM, TLS], 'tls_method and certificate in kamailio.cfg, and one note in tls.cfg');
  assert.match(ignored.find((x) => x.file === TLS)!.message, /\(tls_method, certificate\)/);
});

test('modparam mode: no tls_method means TLS 1.0 only; ca_path is never applied', () => {
  const text = kam('enable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "certificate", "/etc/kamailio/cert.pem")\nmodparam("tls", "private_key", "/etc/kamailio/cert.pem")\nmodparam("tls", "ca_path", "/etc/ssl/certs")\n');
  const f = run({ [KAM]: text, [CERT]: 'pem' }, { check: [KAM] }).findings.filter(notPki);
  const outdated = only(f, 'tls.protocol-outdated');
  // One root cause (no tls_method), one finding for both default profiles.
  assert.equal(outdated.length, 1, 'the server and client default profiles share tls_method');
  assert.match(outdated[0]!.message, /default server and client profiles \(tls modparams\) have no tls_method, so Kamailio uses its modparam default TLSv1 — TLS 1\.0 only/);
  assert.equal(outdated[0]!.fixes![0]!.edits[0]!.newText, 'modparam("tls", "tls_method", "TLSv1.2+")\n');
  assert.match(one(f, 'kamcfg.modparam-ignored').message, /never copies it into the default profiles/);
});

test('kamcfg.unknown-core-param and kamcfg.version-gated', () => {
  const f = check(GOOD.replace('enable_tls=yes\n', 'enable_tls=yes\nchildern=4\ntls_threads_mode=2\n'), TLS_CFG, {}, { version: '5.6' });
  assert.match(one(f, 'kamcfg.unknown-core-param').message, /Did you mean 'children'/);
  assert.match(one(f, 'kamcfg.version-gated').message, /tls_threads_mode needs Kamailio 5\.7/);
  assert.equal(only(check(GOOD.replace('enable_tls=yes\n', 'enable_tls=yes\ntls_threads_mode=2\n')), 'kamcfg.version-gated').length, 0, 'fine on 6.1');
});

test('kamcfg.syntax: #!endif followed by text and unbalanced braces', () => {
  const f = check(GOOD.replace('loadmodule "sl.so"\n', 'loadmodule "sl.so"\n#!ifdef WITH_X\n#!endif WITH_X\n'));
  assert.ok(only(f, 'kamcfg.syntax').some((x) => /#!endif' followed by text/.test(x.message)));
  assert.equal(only(check(GOOD.replace('}\n', '')), 'kamcfg.syntax').length, 1);
});

test('path rules for include_file and the tls.cfg path', () => {
  const f = check(GOOD.replace('loadmodule "sl.so"\n', 'loadmodule "sl.so"\ninclude_file "missing.cfg"\nimport_file "optional.cfg"\n').replace('/etc/kamailio/tls.cfg', '/etc/kamailio/tlsx.cfg'));
  const nf = only(f, 'path.not-found');
  assert.equal(nf.length, 2);
  assert.match(nf[0]!.message, /cannot open included file: missing\.cfg/);
  assert.match(nf[1]!.message, /cannot stat config file \/etc\/kamailio\/tlsx\.cfg/);
  assert.match(nf[1]!.message, /Did you mean tls\.cfg/);
});

test('cross-file: a profile without a listener shows in tls.cfg and at the modparam in kamailio.cfg', () => {
  const tls = TLS_CFG + '\n[server:127.0.0.2:5061]\ncertificate = /etc/kamailio/cert.pem\nprivate_key = /etc/kamailio/cert.pem\nmethod = TLSv1.2+\n';
  const f = only(check(GOOD, tls), 'tlscfg.profile-no-listener');
  assert.deepEqual(f.map((x) => x.file), [KAM, TLS]);
  assert.match(f[1]!.message, /TLSs<127\.0\.0\.2:5061>: No listening socket found/);
  assert.equal(f[1]!.related![0]!.range.start.line, 2, 'related: the TLS listen');
  // Matching listen on the IP (port 0 = any port) clears it.
  assert.equal(only(check(GOOD.replace('listen=tls:127.0.0.1:5061', 'listen=tls:127.0.0.1:5061\nlisten=tls:127.0.0.2:5061'), tls), 'tlscfg.profile-no-listener').length, 0);
  assert.equal(only(check(GOOD, tls.replace('127.0.0.2:5061', '127.0.0.1:0')), 'tlscfg.profile-no-listener').length, 0);
  // The advertised IP counts with the real port only (Kamailio 5.6.3).
  const adv = GOOD.replace('listen=tls:127.0.0.1:5061', 'listen=tls:127.0.0.1:5061 advertise 127.0.0.2:5062');
  assert.equal(only(check(adv, tls), 'tlscfg.profile-no-listener').length, 0);
  assert.equal(only(check(adv, tls.replace('127.0.0.2:5061', '127.0.0.2:5062')), 'tlscfg.profile-no-listener').length, 2);
});

test('IPv6 profile headers and listen sockets compare as addresses ([0:0:0:0:0:0:0:1] is [::1])', () => {
  const profile = (ip: string) => `${TLS_CFG}\n[server:[${ip}]:5061]\ncertificate = ${CERT}\nprivate_key = ${CERT}\nmethod = TLSv1.2+\n`;
  const v6 = (ip: string) => GOOD.replace('listen=tls:127.0.0.1:5061', `listen=tls:[${ip}]:5061`);
  // Kamailio 5.6.3 starts with each of these pairs (ORACLE-NOTES.md).
  for (const [listen, header] of [
    ['::1', '0:0:0:0:0:0:0:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['2001:db8::1', '2001:DB8:0:0:0:0:0:1'],
    ['2001:DB8::1', '2001:0db8::0001'],
  ] as const) {
    assert.equal(only(check(v6(listen), profile(header)), 'tlscfg.profile-no-listener').length, 0, `${listen} / ${header}`);
  }
  // A real miss names the address as Kamailio prints it (RFC 5952: TLSs<::1:5061>), the socket in brackets.
  const miss = only(check(v6('::2'), profile('0:0:0:0:0:0:0:1')), 'tlscfg.profile-no-listener');
  assert.equal(miss.length, 2);
  assert.deepEqual(miss[1]!.range, r(10, 0, 10, 31));
  assert.equal(
    miss[1]!.message,
    'No TLS listen socket on [::1]:5061 for [server:[0:0:0:0:0:0:0:1]:5061]: Kamailio exits with "TLSs<::1:5061>: No listening socket found" (TLS sockets: [::2]:5061).',
  );
  // The advertised address too.
  const adv = GOOD.replace('listen=tls:127.0.0.1:5061', 'listen=tls:127.0.0.1:5061 advertise [2001:DB8::1]:5062');
  assert.equal(only(check(adv, profile('2001:db8:0::1').replace(':5061]', ':0]')), 'tlscfg.profile-no-listener').length, 0);
});

test('relative paths resolve against the main kamailio.cfg folder, not tls.cfg\'s', () => {
  const main = GOOD.replace('/etc/kamailio/tls.cfg', 'tls/tls.cfg');
  const tls = TLS_CFG.replaceAll('/etc/kamailio/cert.pem', 'certs/a.pem');
  const ok = run({ [KAM]: main, '/etc/kamailio/tls/tls.cfg': tls, '/etc/kamailio/certs/a.pem': 'x' }, { check: [KAM] }).findings;
  assert.deepEqual(codes(ok.filter(notPki)), []);
  const wrong = run({ [KAM]: main, '/etc/kamailio/tls/tls.cfg': tls, '/etc/kamailio/tls/certs/a.pem': 'x' }, { check: [KAM] }).findings;
  const nf = only(wrong, 'path.not-found');
  assert.ok(nf.length >= 2);
  assert.match(nf[0]!.message, /resolves to \/etc\/kamailio\/certs\/a\.pem relative to the folder of kamailio\.cfg/);
  assert.match(nf[0]!.message, /exists relative to tls\.cfg's folder/);
  assert.equal(nf[0]!.fixes![0]!.edits[0]!.newText, '/etc/kamailio/tls/certs/a.pem');
});

test('path mappings translate deployed paths into the workspace', () => {
  const ws = '/home/me/repo/etc/kamailio';
  const f = run(
    { [`${ws}/kamailio.cfg`]: GOOD, [`${ws}/tls.cfg`]: TLS_CFG, [`${ws}/cert.pem`]: 'x' },
    { check: [`${ws}/kamailio.cfg`], settings: { pathMappings: [{ deployed: '/etc/kamailio', local: ws }] } },
  ).findings;
  assert.deepEqual(codes(f.filter(notPki)), []);
});

test('every fix applied to the example mistakes yields a file the parser accepts', () => {
  const text = kam('tls_method=TLSv1.2\nlisten=tls:0.0.0:5061\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nenable_tls=Yes\nmodparam("tls", "config", "/etc/kamailio/tls.cfg")\n');
  for (const finding of check(text).filter((x) => x.file === KAM && x.fixes)) {
    const fixed = applyEdits(text, finding.fixes![0]!.edits.filter((e) => e.file === KAM));
    const problems = parseKamailioFile(KAM, fixed).info.problems;
    assert.deepEqual(problems, [], `${finding.code}: ${finding.fixes![0]!.title}`);
  }
});
