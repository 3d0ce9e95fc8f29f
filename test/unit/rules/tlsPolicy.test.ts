import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, one, only, r } from '../helpers';
import { judgeCipherList } from '../../../server/src/core/tlscfg/ciphers';
import { lookupPlatform } from '../../../server/src/core/platform';
import { parseVersion } from '../../../server/src/core/version';

const TLS = '/etc/kamailio/tls.cfg';
const CERT = '/etc/kamailio/cert.pem';
const SERVER = `[server:default]\ncertificate = ${CERT}\nprivate_key = ${CERT}\n`;

function check(body: string) {
  return run({ [TLS]: body, [CERT]: 'pem' }, { check: [TLS] }).findings;
}

test('tls.protocol-outdated on OpenSSL 3: TLS 1.0 or 1.1 alone is an error, a range from TLS 1.0 only information', () => {
  const exact = one(check(SERVER + 'method = TLSv1\n'), 'tls.protocol-outdated');
  assert.deepEqual(exact.range, r(3, 9, 3, 14));
  assert.equal(exact.severity, 'error');
  assert.match(exact.message, /TLS 1\.0 only .*on OpenSSL 3 at its default security level .*refuses TLS 1\.0 at its default security level, so no TLS handshake of this profile ever completes/);
  assert.equal(exact.fixes![0]!.edits[0]!.newText, 'TLSv1.2+');
  assert.equal(one(check(SERVER + 'method = TLSv1.1\n'), 'tls.protocol-outdated').severity, 'error');

  const omitted = one(check(SERVER), 'tls.protocol-outdated');
  assert.deepEqual(omitted.range, r(0, 0, 0, 16), 'an omitted method points at the header');
  assert.equal(omitted.severity, 'information');
  assert.match(omitted.message, /built-in TLSv1\+ \(TLS 1\.0 and newer\), but on OpenSSL 3 .* negotiates TLS 1\.2 and newer only: write TLSv1\.2\+/);
  assert.deepEqual(omitted.fixes![0]!.edits[0], { file: TLS, range: r(1, 0, 1, 0), newText: 'method = TLSv1.2+\n' });

  for (const m of ['SSLv23', 'TLSv1.0+', 'TLSv1.1+']) assert.equal(one(check(SERVER + `method = ${m}\n`), 'tls.protocol-outdated').severity, 'information', m);
  for (const m of ['TLSv1.2', 'TLSv1.2+', 'TLSv1.3', 'TLSv1.3+']) assert.equal(only(check(SERVER + `method = ${m}\n`), 'tls.protocol-outdated').length, 0, m);
});

test('tls.protocol-outdated where TLS 1.0/1.1 can still be negotiated: a platform without the policy, or @SECLEVEL=0', () => {
  const legacy = (body: string) => run({ [TLS]: body, [CERT]: 'pem' }, { check: [TLS], settings: { platform: lookupPlatform('openssl-1.1')! } }).findings;
  const range = one(legacy(SERVER + 'method = TLSv1+\n'), 'tls.protocol-outdated');
  assert.equal(range.severity, 'warning');
  assert.match(range.message, /on OpenSSL 1\.1 without a system TLS policy .*TLS 1\.0 and 1\.1 can be negotiated/);
  const exact = one(legacy(SERVER + 'method = TLSv1\n'), 'tls.protocol-outdated');
  assert.equal(exact.severity, 'warning');
  assert.match(exact.message, /only peers that still accept TLS 1\.0 can connect/);
  // Lowering the security level in cipher_list makes TLS 1.0 possible with OpenSSL 3 too.
  const lowered = one(check(SERVER + 'method = TLSv1\ncipher_list = DEFAULT:@SECLEVEL=0\n'), 'tls.protocol-outdated');
  assert.equal(lowered.severity, 'warning');
  assert.match(lowered.message, /with @SECLEVEL=0 in cipher_list, OpenSSL 3 on .* offers it, but only peers/);
  // The platform's name is in the message.
  const debian = run({ [TLS]: SERVER + 'method = TLSv1\n', [CERT]: 'pem' }, { check: [TLS], settings: { platform: lookupPlatform('debian-12')! } }).findings;
  assert.match(one(debian, 'tls.protocol-outdated').message, /on Debian 12 \(Kamailio 5\.6\.3, OpenSSL 3\.0\)/);
});

test('tls.cipher-invalid: unknown names, and TLS 1.3 suite names with a TLS 1.2 method', () => {
  const unknown = one(check(SERVER + 'method = TLSv1.2+\ncipher_list = NOTACIPHER\n'), 'tls.cipher-invalid');
  assert.match(unknown.message, /no cipher match/);
  assert.deepEqual(unknown.range, r(4, 14, 4, 24));
  const tls13 = one(check(SERVER + 'method = TLSv1.2+\ncipher_list = TLS_AES_256_GCM_SHA384\n'), 'tls.cipher-invalid');
  assert.match(tls13.message, /Failure to set SSL context cipher list/);
  // One valid element is enough for OpenSSL.
  assert.equal(only(check(SERVER + 'method = TLSv1.2+\ncipher_list = NOTACIPHER:HIGH\n'), 'tls.cipher-invalid').length, 0);
  // With a TLS 1.3 method the list must name TLS 1.3 suites.
  assert.equal(only(check(SERVER + 'method = TLSv1.3+\ncipher_list = TLS_AES_256_GCM_SHA384\n'), 'tls.cipher-invalid').length, 0);
  assert.equal(only(check(SERVER + 'method = TLSv1.3+\ncipher_list = HIGH:!aNULL\n'), 'tls.cipher-invalid').length, 1);
});

test('tls.cipher-weak flags enabled weak families, not negated ones or ones OpenSSL 3 lacks', () => {
  assert.deepEqual(judgeCipherList('HIGH:!aNULL:!MD5', false), { weak: [] });
  assert.deepEqual(judgeCipherList('ALL', false).weak, ['anonymous (unauthenticated) suites via ALL without !aNULL']);
  assert.ok(judgeCipherList('HIGH:aNULL', false).weak.includes('anonymous (unauthenticated) suites'));
  assert.ok(judgeCipherList('HIGH:eNULL', false).weak.includes('NULL (no encryption)'));
  assert.ok(judgeCipherList('@SECLEVEL=0:HIGH', false).weak.some((w) => w.startsWith('@SECLEVEL=0')));
  // RC4 is not in OpenSSL 3's default provider: RC4-MD5 selects nothing and is dead weight.
  assert.deepEqual(judgeCipherList('RC4-MD5:HIGH:!aNULL', false).weak, []);
  const f = one(check(SERVER + 'method = TLSv1.2+\ncipher_list = ALL\n'), 'tls.cipher-weak');
  assert.equal(f.fixes![0]!.edits[0]!.newText, 'HIGH:!aNULL:!eNULL:!MD5:!RC4:!3DES');
});

test('tls.verify-off on client profiles that do not verify; either flag means verify', () => {
  const off = one(check(SERVER + 'method = TLSv1.2+\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n'), 'tls.verify-off');
  assert.deepEqual(off.range, r(6, 21, 6, 23));
  assert.equal(off.fixes![0]!.edits[0]!.newText, 'yes');
  for (const flag of ['verify_certificate', 'require_certificate']) {
    const f = check(SERVER + `method = TLSv1.2+\n[client:default]\nmethod = TLSv1.2+\n${flag} = yes\nca_list = ${CERT}\n`);
    assert.equal(only(f, 'tls.verify-off').length, 0, flag);
  }
});

test('tls.verify-no-ca: verification without ca_list/ca_path fails every check', () => {
  const cli = one(check(SERVER + 'method = TLSv1.2+\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = yes\nrequire_certificate = yes\n'), 'tls.verify-no-ca');
  assert.deepEqual(cli.range, r(7, 0, 7, 19), 'on the option that turns verification on');
  assert.match(cli.message, /no outgoing TLS connection succeeds/);
  assert.equal(cli.fixes![0]!.edits[0]!.newText, 'ca_list = /etc/ssl/certs/ca-certificates.crt\n');
  const srv = one(check(SERVER + 'method = TLSv1.2+\nverify_client = on\n'), 'tls.verify-no-ca');
  assert.match(srv.message, /every client certificate/);
  // optional_no_ca accepts any certificate, so no CA list is needed.
  assert.equal(only(check(SERVER + 'method = TLSv1.2+\nverify_client = optional_no_ca\n'), 'tls.verify-no-ca').length, 0);
  assert.equal(only(check(SERVER + `method = TLSv1.2+\nrequire_certificate = yes\nca_path = /etc/ssl/certs\n`), 'tls.verify-no-ca').length, 0);
});

test('cipher_list with a TLSv1.3 method goes where that Kamailio patch release sends it (6.0.2: SSL_CTX_set_ciphersuites)', () => {
  const at = (version: string, lines: string) =>
    only(run({ [TLS]: SERVER + lines, [CERT]: 'pem' }, { check: [TLS], settings: { kamailioVersion: parseVersion(version)! } }).findings, 'tls.cipher-invalid');
  const tls13Names = 'method = TLSv1.3+\ncipher_list = TLS_AES_256_GCM_SHA384\n';
  const classicNames = 'method = TLSv1.3+\ncipher_list = ECDHE-RSA-AES256-GCM-SHA384\n';
  // 6.0.1 (Debian 13, proven in the chroot oracle): set_cipher_list, where TLS 1.3 names match nothing.
  const old = at('6.0.1', tls13Names);
  assert.equal(old.length, 1);
  assert.equal(old[0]!.severity, 'error');
  assert.deepEqual(old[0]!.range, r(4, 14, 4, 36));
  assert.deepEqual(at('6.0.1', classicNames), []);
  // 6.0.2+ and 6.1: set_ciphersuites, where only TLS 1.3 names count.
  assert.deepEqual(at('6.0.2', tls13Names), []);
  assert.deepEqual(at('6.1', tls13Names), []);
  assert.equal(at('6.1', classicNames)[0]?.severity, 'error');
  // 6.0 without a patch level: each list fails on one side of 6.0.2, so a warning that says which.
  const unknown = at('6.0', tls13Names);
  assert.equal(unknown.length, 1);
  assert.equal(unknown[0]!.severity, 'warning');
  assert.match(unknown[0]!.message, /6\.0\.0 and 6\.0\.1 hand cipher_list to SSL_CTX_set_cipher_list .*this list fails on 6\.0\.0\/6\.0\.1 .*Give the patch level/);
  assert.match(at('6.0', classicNames)[0]!.message, /on 6\.0\.2\+ with a TLSv1\.3 method/);
  // A list that fails everywhere is an error whatever the patch level.
  assert.equal(at('6.0', 'method = TLSv1.3+\ncipher_list = NOSUCHCIPHER\n')[0]?.severity, 'error');
});
