import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, one, only, codes, r, applyEdits } from '../helpers';
import { parseTlsConfig } from '../../../server/src/core/tlscfg/parser';
import { lookupPlatform } from '../../../server/src/core/platform';

const TLS = '/etc/kamailio/tls.cfg';
const CERT = '/etc/kamailio/cert.pem';
const GOOD = `[server:default]\nmethod = TLSv1.2+\ncertificate = ${CERT}\nprivate_key = ${CERT}\n`;

// The placeholder certificate files ('pem', 'c', 'k') are not certificates: the certificate
// families (cert./chain./key./ca.) have their own tests (test/unit/rules/cert*.test.ts).
const notPki = (f: { code: string }) => !/^(cert|chain|key|ca)\./.test(f.code);

function check(body: string, options: Parameters<typeof run>[1] = {}) {
  return run({ [TLS]: body, [CERT]: 'pem' }, { check: [TLS], ...options }).findings.filter(notPki);
}

test('a clean standalone tls.cfg has no finding', () => {
  assert.deepEqual(check(GOOD + '\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nca_list = /etc/kamailio/cert.pem\n'), []);
});

test('tlscfg.unknown-option: typo with the nearest key, OpenSIPS spellings mapped, foreign keys removed', () => {
  const f = check(GOOD + 'require_certiificate = yes\nca_dir = /etc/ssl\ndh_params = /x\n');
  const typo = only(f, 'tlscfg.unknown-option')[0]!;
  assert.deepEqual(typo.range, r(4, 0, 4, 20));
  assert.match(typo.message, /Unsupported option 'require_certiificate'.*Did you mean 'require_certificate'/);
  assert.equal(typo.fixes![0]!.edits[0]!.newText, 'require_certificate');
  assert.equal(typo.fixes![0]!.isPreferred, true);
  const opensips = only(f, 'tlscfg.unknown-option')[1]!;
  assert.match(opensips.message, /Kamailio's name for it is 'ca_path'/);
  const foreign = only(f, 'tlscfg.unknown-option')[2]!;
  assert.match(foreign.message, /no Kamailio equivalent/);
  assert.deepEqual(foreign.fixes![0]!.edits[0]!.range, r(6, 0, 7, 0));
});

test('tlscfg.syntax: a UTF-8 BOM at the start of tls.cfg is fatal, and the only finding', () => {
  const f = check('\ufeff' + GOOD);
  assert.deepEqual(f.map((x) => [x.code, x.severity, x.range]), [['tlscfg.syntax', 'error', r(0, 0, 0, 1)]]);
  assert.equal(
    f[0]!.message,
    'The file starts with a UTF-8 byte order mark (bytes EF BB BF): Kamailio exits with "tls.cfg:1:1: Invalid character 0xef". Save it as UTF-8 without a byte order mark.',
  );
  assert.equal(applyEdits('\ufeff' + GOOD, f[0]!.fixes![0]!.edits), GOOD);
  assert.deepEqual(parseTlsConfig(TLS, '\ufeff' + GOOD).profiles.map((p) => p.headerText), ['[server:default]'], 'the header after it is read');
  // Anywhere else it is an invalid character like any other.
  assert.match(one(check(GOOD + 'server_name = x\ufeff\n'), 'tlscfg.syntax').message, /^Invalid character 0xef \(a UTF-8 byte order mark\)/);
});

test('verify_cert and require_cert are Kamailio aliases, not unknown options', () => {
  assert.deepEqual(codes(check(GOOD + 'verify_cert = no\nrequire_cert = no\n')), []);
});

test('tlscfg.bad-value: methods, booleans, verify_client, integers, empty crl', () => {
  const f = check(
    '[server:default]\nmethod = TLSv1_2\ncertificate = /etc/kamailio/cert.pem\nprivate_key = /etc/kamailio/cert.pem\nverify_certificate = y\nverify_client = sometimes\nverify_depth = -1\nverify_depth = 3a\ncrl = ""\n',
  );
  const bad = only(f, 'tlscfg.bad-value');
  assert.equal(bad.length, 6);
  assert.match(bad[0]!.message, /Unsupported enum value 'TLSv1_2'/);
  assert.deepEqual(bad[0]!.range, r(1, 9, 1, 16));
  assert.equal(bad[0]!.fixes![0]!.edits[0]!.newText, 'TLSv1.2');
  assert.match(bad[1]!.message, /boolean expected/);
  assert.equal(bad[1]!.fixes![0]!.edits[0]!.newText, 'yes');
  assert.match(bad[2]!.message, /off, on, optional or optional_no_ca/);
  assert.match(bad[3]!.message, /cannot be negative.*Invalid integer value '-'/);
  assert.equal(bad[3]!.fixes![0]!.edits[0]!.newText, '1');
  assert.match(bad[4]!.message, /Invalid integer value '3a'/);
  assert.match(bad[5]!.message, /Unable to load certificate revocation list ''/);
});

test('tls.cfg booleans are case-insensitive (Yes, ENABLED, 1)', () => {
  assert.deepEqual(codes(check(GOOD + 'verify_certificate = Yes\nrequire_certificate = ENABLED\n'), TLS).filter((c) => c === 'tlscfg.bad-value'), []);
});

test('common wrong method spellings get the right suggestion', () => {
  for (const [wrong, right] of [['TLSv1_2', 'TLSv1.2'], ['TLS1.2', 'TLSv1.2'], ['tlsv12', 'TLSv1.2'], ['TLSv1.2-', 'TLSv1.2+']] as const) {
    const f = check(GOOD.replace('TLSv1.2+', wrong));
    assert.equal(one(f, 'tlscfg.bad-value').fixes![0]!.edits[0]!.newText, right, wrong);
  }
});

test('SSLv2 and SSLv3 are accepted by the parser but OpenSSL 3 cannot create a context', () => {
  for (const m of ['SSLv2', 'SSLv3']) {
    const f = check(GOOD.replace('TLSv1.2+', m));
    assert.match(one(f, 'tlscfg.bad-value').message, /Cannot create SSL context/, m);
    assert.equal(only(f, 'tls.protocol-outdated').length, 0, 'the fatal error says it all');
  }
});

test('tlscfg.version-gated: TLSv1.3+ before 5.7, private_key_password before 6.0, certificate2 before 6.2', () => {
  const body = GOOD.replace('TLSv1.2+', 'TLSv1.3+') + 'private_key_password = secret\ncertificate2 = /x.pem\n';
  const on56 = only(check(body, { settings: { version: '5.6' } }), 'tlscfg.version-gated');
  assert.equal(on56.length, 3);
  assert.match(on56[0]!.message, /needs Kamailio 5\.7.*Unsupported enum value 'TLSv1\.3\+'/);
  assert.equal(on56[0]!.fixes![0]!.edits[0]!.newText, 'TLSv1.2+');
  assert.match(on56[1]!.message, /private_key_password' needs Kamailio 6\.0/);
  assert.match(on56[2]!.message, /certificate2' needs Kamailio 6\.2/);
  const on61 = only(check(body, { settings: { version: '6.1' } }), 'tlscfg.version-gated');
  assert.deepEqual(on61.map((f) => f.message.slice(0, 15)), ["'certificate2' "]);
  assert.equal(only(check(body, { settings: { version: '6.2' } }), 'tlscfg.version-gated').length, 0);
});

test('a version-dependent message names the Kamailio it judges by, and says when that version is only assumed', () => {
  const body = GOOD + 'certificate2 = /x.pem\n';
  const assumed = one(check(body), 'tlscfg.version-gated');
  assert.match(assumed.message, /Kamailio 6\.1 \(assumed: no platform or kamailioVersion is set\) exits with "Unsupported option 'certificate2'"/);
  const given = one(check(body, { settings: { version: '6.1' } }), 'tlscfg.version-gated');
  assert.match(given.message, /; Kamailio 6\.1 exits/);
  assert.doesNotMatch(given.message, /assumed/);
  const packaged = one(check(body, { settings: { platform: lookupPlatform('debian-13')!, kamailioVersion: lookupPlatform('debian-13')!.kamailio! } }), 'tlscfg.version-gated');
  assert.match(packaged.message, /; Kamailio 6\.0\.1 exits/);
});

test('tlscfg.duplicate-option: the earlier line has no effect; fix removes it', () => {
  const text = GOOD + 'verify_certificate = no\nverify_certificate = yes\n';
  const f = one(check(text), 'tlscfg.duplicate-option');
  assert.deepEqual(f.range, r(4, 0, 4, 18));
  assert.equal(f.severity, 'warning');
  assert.equal(f.related![0]!.range.start.line, 5);
  const fixed = applyEdits(text, f.fixes![0]!.edits);
  assert.equal(parseTlsConfig(TLS, fixed).profiles[0]!.options.filter((o) => o.name === 'verify_certificate').length, 1);
});

test('tlscfg.duplicate-profile: address twice without server_name is fatal unless it is the last profile', () => {
  const twice = GOOD + '[server:1.2.3.4:5061]\ncertificate = /etc/kamailio/cert.pem\nprivate_key = /etc/kamailio/cert.pem\n[server:1.2.3.4:5061]\ncertificate = /etc/kamailio/cert.pem\nprivate_key = /etc/kamailio/cert.pem\n';
  const last = one(check(twice), 'tlscfg.duplicate-profile');
  assert.equal(last.severity, 'warning');
  assert.match(last.message, /last profile/);
  const notLast = one(check(twice + '[client:default]\nverify_certificate = no\n'), 'tlscfg.duplicate-profile');
  assert.equal(notLast.severity, 'error');
  assert.match(notLast.message, /duplicate definition for a tls profile/);
  assert.deepEqual(notLast.range, r(7, 0, 7, 21));
  assert.equal(notLast.related![0]!.range.start.line, 4);
});

test('tlscfg.duplicate-profile: IPv6 addresses compare as addresses, for server and client profiles', () => {
  const server = `${GOOD}[server:[::1]:5061]\ncertificate = ${CERT}\nprivate_key = ${CERT}\n[server:[0:0:0:0:0:0:0:1]:5061]\ncertificate = ${CERT}\nprivate_key = ${CERT}\n[client:default]\nverify_certificate = no\n`;
  const f = one(check(server), 'tlscfg.duplicate-profile');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, r(7, 0, 7, 31));
  assert.match(f.message, /^\[server:\[0:0:0:0:0:0:0:1\]:5061\] repeats an earlier profile for the same address/);
  assert.equal(f.related![0]!.range.start.line, 4);
  const client = `${GOOD}[client:[2001:DB8::1]:5061]\nverify_certificate = no\n[client:[2001:db8:0:0::1]:5061]\nverify_certificate = no\n[client:default]\nverify_certificate = no\n`;
  assert.deepEqual(one(check(client), 'tlscfg.duplicate-profile').range, r(6, 0, 6, 31));
  // Different addresses stay different.
  assert.equal(only(check(server.replace('[server:[::1]:5061]', '[server:[::2]:5061]')), 'tlscfg.duplicate-profile').length, 0);
});

test('tlscfg.duplicate-profile: SNI virtual hosting on one address is fine', () => {
  const f = check(GOOD + '[server:1.2.3.4:5061]\nserver_name = a.example.com\ncertificate = /etc/kamailio/cert.pem\nprivate_key = /etc/kamailio/cert.pem\n[server:1.2.3.4:5061]\nserver_name = b.example.com\ncertificate = /etc/kamailio/cert.pem\nprivate_key = /etc/kamailio/cert.pem\n[client:default]\nverify_certificate = no\n');
  assert.equal(only(f, 'tlscfg.duplicate-profile').length, 0);
});

test('tlscfg.duplicate-profile: [server:default] twice silently drops the first', () => {
  const f = one(check(GOOD + GOOD), 'tlscfg.duplicate-profile');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, r(0, 0, 0, 16));
  assert.match(f.message, /silently drops this one/);
});

test('tlscfg.any-without-server-name with an insert fix that uses the SIP domain', () => {
  const f = one(check(GOOD + '[client:any]\nserver_id = carrier\n', { settings: { sipDomains: ['sip.example.net'] } }), 'tlscfg.any-without-server-name');
  assert.deepEqual(f.range, r(4, 0, 4, 12));
  assert.match(f.message, /TLSc<any:>: tls domain for any address but no server name/);
  assert.equal(f.fixes![0]!.edits[0]!.newText, 'server_name = sip.example.net\n');
  assert.deepEqual(f.fixes![0]!.edits[0]!.range, r(5, 0, 5, 0));
});

test('tlscfg.no-inherit: an address profile does not inherit certificate and method from [server:default]', () => {
  const withCert = check(GOOD + '[server:1.2.3.4:5061]\nserver_name = a.example.com\n');
  const f = one(withCert, 'tlscfg.no-inherit');
  assert.equal(f.severity, 'warning', 'cert.pem exists, so Kamailio starts (with the wrong certificate)');
  assert.match(f.message, /built-in default cert\.pem \(\/etc\/kamailio\/cert\.pem\)/);
  assert.match(f.message, /not method = TLSv1\.2\+ of \[server:default\]/);
  const fixed = applyEdits(GOOD + '[server:1.2.3.4:5061]\nserver_name = a.example.com\n', f.fixes![0]!.edits);
  assert.match(fixed, /\[server:1\.2\.3\.4:5061\]\ncertificate = \/etc\/kamailio\/cert\.pem\nprivate_key = \/etc\/kamailio\/cert\.pem\nmethod = TLSv1\.2\+\nserver_name/);

  const noCertPem = run({ [TLS]: '[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/kamailio/a.pem\nprivate_key = /etc/kamailio/a.pem\n[server:any]\nserver_name = b.example.com\n', '/etc/kamailio/a.pem': 'x' }, { check: [TLS] }).findings;
  const fatal = one(noCertPem, 'tlscfg.no-inherit');
  assert.equal(fatal.severity, 'error', 'cert.pem is missing: Kamailio refuses to start');
  assert.match(fatal.message, /Unable to load certificate file '\/etc\/kamailio\/cert\.pem'/);
});

test('tlscfg.missing-default: error without cert.pem, warning with it, and a skeleton fix', () => {
  const body = '[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n';
  const withPem = one(check(body), 'tlscfg.missing-default');
  assert.equal(withPem.severity, 'warning');
  const noPem = one(run({ [TLS]: body }, { check: [TLS] }).findings, 'tlscfg.missing-default');
  assert.equal(noPem.severity, 'error');
  assert.match(noPem.message, /TLSs<default>: Unable to load certificate file '\/etc\/kamailio\/cert\.pem'/);
  const fixed = applyEdits(body, noPem.fixes![0]!.edits);
  const doc = parseTlsConfig(TLS, fixed);
  assert.equal(doc.problems.length, 0);
  assert.deepEqual(doc.profiles.map((p) => `${p.role}:${p.target.kind}`), ['server:default', 'client:default']);
});

test('tlscfg.value-ignored: server_name_mode outside 0..2 acts as 0', () => {
  const f = one(check(GOOD + 'server_name_mode = 7\n'), 'tlscfg.value-ignored');
  assert.equal(f.severity, 'warning');
});
