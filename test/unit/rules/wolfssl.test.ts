// tls_wolfssl as the TLS engine: TLS is on with it, its modparams are addressed to it, method and
// cipher_list are ignored (information, and no OpenSSL verdicts), crl is a folder on 6.1, and it
// cannot be loaded together with tls.so. Exact ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, one, only, r, applyEdits } from '../helpers';

const KAM = '/etc/kamailio/kamailio.cfg';
const TLS = '/etc/kamailio/tls.cfg';
const CERT = '/etc/kamailio/cert.pem';
const CRLS = '/etc/kamailio/crls';

function kam(modules: string, modparams: string): string {
  return `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\n${modules}\n${modparams}\n`;
}
const WOLF = 'loadmodule "tls_wolfssl.so"';
const CONFIG = 'modparam("tls_wolfssl", "config", "/etc/kamailio/tls.cfg")';
const PROFILE = `[server:default]\nmethod = TLSv1\ncertificate = ${CERT}\nprivate_key = ${CERT}\ncipher_list = NOTACIPHER\n`;

type Settings = NonNullable<Parameters<typeof run>[1]>['settings'];
function check(kamailio: string, tls = PROFILE, settings: Settings = {}, extra: Record<string, string> = {}) {
  return run({ [KAM]: kamailio, [TLS]: tls, [CERT]: 'pem', ...extra }, { check: [KAM, TLS], settings }).findings;
}

test('tls_wolfssl is a TLS engine: TLS is on, its tls.cfg is read, method and cipher_list are information, not OpenSSL verdicts', () => {
  const f = check(kam(WOLF, CONFIG));
  for (const code of ['kamcfg.tls-module-missing', 'kamcfg.tls-not-enabled', 'tls.protocol-outdated', 'tls.cipher-invalid', 'kamcfg.unknown-modparam', 'kamcfg.modparam-before-loadmodule']) {
    assert.equal(only(f, code).length, 0, code);
  }
  const ignored = only(f, 'tls.engine-ignores');
  assert.equal(ignored.length, 2);
  const method = ignored.find((x) => x.range.start.line === 1)!;
  assert.equal(method.severity, 'information');
  assert.equal(method.file, TLS);
  assert.deepEqual(method.range, r(1, 9, 1, 14));
  assert.match(method.message, /^tls_wolfssl creates every profile with wolfSSL's generic method and a minimum of TLS 1\.2, so method has no effect/);
  const ciphers = ignored.find((x) => x.range.start.line === 4)!;
  assert.deepEqual(ciphers.range, r(4, 14, 4, 24));
  assert.match(ciphers.message, /never applies cipher_list/);
  // The same tls.cfg under tls.so: the OpenSSL verdicts.
  const openssl = check(kam('loadmodule "tls.so"', CONFIG.replace('tls_wolfssl', 'tls')));
  assert.equal(one(openssl, 'tls.protocol-outdated').severity, 'error');
  one(openssl, 'tls.cipher-invalid');
  assert.equal(only(openssl, 'tls.engine-ignores').length, 0);
});

test('tls_wolfssl: one information per option and file, however many profiles repeat it', () => {
  const two = PROFILE + '\n[server:127.0.0.1:5061]\nmethod = TLSv1.2+\ncertificate = /etc/kamailio/cert.pem\nprivate_key = /etc/kamailio/cert.pem\n';
  const f = only(check(kam(WOLF, CONFIG), two), 'tls.engine-ignores').find((x) => x.range.start.line === 1)!;
  assert.match(f.message, /\(the same for the 1 other method line of this file\)\.$/);
  assert.deepEqual(f.related?.[0]?.range, r(7, 9, 7, 17));
});

test('tls_wolfssl modparams: addressed to tls_wolfssl, a subset of the tls parameters, and "tls" addresses nothing', () => {
  const wrong = one(check(kam(WOLF, 'modparam("tls", "config", "/etc/kamailio/tls.cfg")')), 'kamcfg.modparam-before-loadmodule');
  assert.equal(wrong.severity, 'error');
  assert.deepEqual(wrong.range, r(4, 10, 4, 13));
  assert.equal(wrong.message, 'modparam("tls", …) addresses a module that is not loaded — the TLS module here is tls_wolfssl.so: Kamailio exits with "No module matching <tls> found" and "Can\'t set module parameter".');
  assert.equal(applyEdits(kam(WOLF, 'modparam("tls", "config", "/etc/kamailio/tls.cfg")'), wrong.fixes![0]!.edits), kam(WOLF, CONFIG));

  const keylog = one(check(kam(WOLF, `${CONFIG}\nmodparam("tls_wolfssl", "keylog_mode", 1)`), PROFILE, { version: '6.1' }), 'kamcfg.unknown-modparam');
  assert.deepEqual(keylog.range, r(5, 25, 5, 36));
  assert.equal(keylog.message, 'keylog_mode is a parameter of the tls module that tls_wolfssl does not export (tls_wolfssl_mod.c): Kamailio exits with "parameter <keylog_mode> of type <2:int> not found in module <tls_wolfssl>".');
  assert.equal(only(check(kam(WOLF, `${CONFIG}\nmodparam("tls_wolfssl", "keylog_mode", 1)`), PROFILE, { version: '6.1' }), 'kamcfg.tls-keylog').length, 0);

  // Modparam mode: the default profiles come from the tls_wolfssl modparams.
  const modparams = 'modparam("tls_wolfssl", "tls_method", "TLSv1")\nmodparam("tls_wolfssl", "certificate", "/etc/kamailio/missing.pem")\nmodparam("tls_wolfssl", "private_key", "/etc/kamailio/cert.pem")';
  const mp = run({ [KAM]: kam(WOLF, modparams), [CERT]: 'pem' }, { check: [KAM] }).findings;
  assert.deepEqual(one(mp, 'tls.engine-ignores').range, r(4, 38, 4, 45));
  assert.equal(only(mp, 'tls.protocol-outdated').length, 0);
  assert.deepEqual(one(mp, 'path.not-found').range, r(5, 39, 5, 66), 'the modparam certificate is resolved and checked');
});

test('kamcfg.tls-engine-conflict: tls.so and tls_wolfssl.so together, with TLS on', () => {
  const both = kam(`loadmodule "tls.so"\n${WOLF}`, CONFIG.replace('tls_wolfssl', 'tls'));
  const f = one(check(both), 'kamcfg.tls-engine-conflict');
  assert.equal(f.severity, 'error');
  assert.deepEqual(f.range, r(4, 12, 4, 26));
  assert.match(f.message, /^tls\.so and tls_wolfssl\.so are both loaded, but they are mutually exclusive TLS engines: .*"configuration group has been already declared: tls".* Kamailio exits/);
  assert.deepEqual(f.related?.[0]?.range, r(3, 0, 3, 19));
  // TLS off: mod_init returns before declaring anything.
  const off = `#!KAMAILIO\nloadmodule "tls.so"\n${WOLF}\n`;
  assert.equal(only(run({ [KAM]: off }, { check: [KAM] }).findings, 'kamcfg.tls-engine-conflict').length, 0);
});

test('tls.wolfssl-crl-file: on 6.1 crl names a folder; a folder is not a path problem; earlier versions and tls.so read a file', () => {
  const withCrl = (crl: string) => `[server:default]\nmethod = TLSv1.2+\ncertificate = ${CERT}\nprivate_key = ${CERT}\ncrl = ${crl}\n`;
  const file = one(check(kam(WOLF, CONFIG), withCrl(CERT), { version: '6.1' }), 'tls.wolfssl-crl-file');
  assert.equal(file.severity, 'warning');
  assert.deepEqual(file.range, r(4, 6, 4, 28));
  assert.match(file.message, /^TLSs<default>: with tls_wolfssl, crl names a folder of CRL files whose names end in \.pem, not a file: \/etc\/kamailio\/cert\.pem is a file.*#4695/);
  const folder = check(kam(WOLF, CONFIG), withCrl(CRLS), { version: '6.1' }, { [`${CRLS}/root_crl.pem`]: 'crl' });
  for (const code of ['tls.wolfssl-crl-file', 'path.unreadable']) assert.equal(only(folder, code).length, 0, code);
  assert.equal(only(check(kam(WOLF, CONFIG), withCrl(CERT), { version: '6.0' }), 'tls.wolfssl-crl-file').length, 0);
  assert.equal(only(check(kam('loadmodule "tls.so"', CONFIG.replace('tls_wolfssl', 'tls')), withCrl(CERT), { version: '6.1' }), 'tls.wolfssl-crl-file').length, 0);
});

test('OpenSSL-only advisories stay off with tls_wolfssl (tls_threads_mode)', () => {
  const tls = check(kam('loadmodule "tls.so"', CONFIG.replace('tls_wolfssl', 'tls')), PROFILE, { version: '5.8' });
  one(tls, 'kamcfg.tls-threads-mode');
  assert.equal(only(check(kam(WOLF, CONFIG), PROFILE, { version: '5.8' }), 'kamcfg.tls-threads-mode').length, 0);
});
