// Version- and platform-gated advisories: kamcfg.tls-threads-mode, kamcfg.tls-keylog,
// kamcfg.modparam-not-reloaded — present on the versions they concern, absent on the others,
// with exact ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run, one, only, r, applyEdits } from '../helpers';
import { lookupPlatform } from '../../../server/src/core/platform';

const KAM = '/etc/kamailio/kamailio.cfg';
const TLS = '/etc/kamailio/tls.cfg';
const CERT = '/etc/kamailio/cert.pem';
const TLS_CFG = `[server:default]\nmethod = TLSv1.2+\ncertificate = ${CERT}\nprivate_key = ${CERT}\n`;
const CONFIG = 'modparam("tls", "config", "/etc/kamailio/tls.cfg")';

/** kamailio.cfg: core lines on line 1…, then listen, loadmodule "tls.so", the modparams. */
function kam(core: string, modparams = CONFIG, more = ''): string {
  return `#!KAMAILIO\n${core}enable_tls=yes\nlisten=tls:127.0.0.1:5061\n${more}loadmodule "tls.so"\n${modparams}\n`;
}

type Settings = NonNullable<Parameters<typeof run>[1]>['settings'];
function check(kamailio: string, settings: Settings = {}) {
  return run({ [KAM]: kamailio, [TLS]: TLS_CFG, [CERT]: 'pem' }, { check: [KAM, TLS], settings }).findings;
}

test('kamcfg.tls-threads-mode on 5.8 with OpenSSL 3: unset, 0 or 1 is a warning with a fix; 2 is fine', () => {
  const unset = one(check(kam(''), { version: '5.8' }), 'kamcfg.tls-threads-mode');
  assert.equal(unset.severity, 'warning');
  assert.equal(unset.file, KAM);
  assert.deepEqual(unset.range, r(3, 12, 3, 18), 'on "tls.so" of the loadmodule');
  assert.equal(
    unset.message,
    'tls_threads_mode is not set, so Kamailio 5.8 runs with 0: with OpenSSL 3, the processes then share the thread-local state OpenSSL keeps in shared memory — the cause of the crashes reported in kamailio/kamailio#3635, #3791, #3885, #4055, #4778 ("freeing already freed pointer … called from tls: tls_init.c: ser_free"). The maintainers recommend tls_threads_mode=2, the default from 6.0, set before loadmodule "tls.so".',
  );
  const fixed = applyEdits(kam(''), unset.fixes![0]!.edits);
  assert.equal(fixed, kam('', CONFIG, 'tls_threads_mode=2\n'));
  assert.equal(only(check(fixed, { version: '5.8' }), 'kamcfg.tls-threads-mode').length, 0);

  for (const [v, pattern] of [['0', /^tls_threads_mode=0: with OpenSSL 3/], ['1', /^tls_threads_mode=1: mode 1 only runs OpenSSL's initialisation in a temporary thread/]] as const) {
    const f = one(check(kam(`tls_threads_mode=${v}\n`), { version: '5.8' }), 'kamcfg.tls-threads-mode');
    assert.equal(f.severity, 'warning');
    assert.deepEqual(f.range, r(1, 17, 1, 18));
    assert.match(f.message, pattern);
    assert.equal(f.fixes![0]!.edits[0]!.newText, '2');
  }
  assert.equal(only(check(kam('tls_threads_mode=2\n'), { version: '5.8' }), 'kamcfg.tls-threads-mode').length, 0);
  // 5.7: the parameter exists from 5.7.5 only, which the message says.
  assert.match(one(check(kam(''), { version: '5.7' }), 'kamcfg.tls-threads-mode').message, /recommend tls_threads_mode=2 \(5\.7 has it from 5\.7\.5\), the default from 6\.0/);
});

test('kamcfg.tls-threads-mode is gated by version and platform', () => {
  // 5.6 has no such parameter: nothing to advise, and writing it is kamcfg.version-gated.
  assert.equal(only(check(kam(''), { version: '5.6' }), 'kamcfg.tls-threads-mode').length, 0);
  const gated = one(check(kam('tls_threads_mode=2\n'), { version: '5.6' }), 'kamcfg.version-gated');
  assert.deepEqual(gated.range, r(1, 0, 1, 16));
  assert.equal(gated.message, 'tls_threads_mode needs Kamailio 5.7.5 or later: Kamailio 5.6 exits with "unknown config variable".');
  // OpenSSL 1.1 platforms are not concerned.
  assert.equal(only(check(kam(''), { version: '5.8', platform: lookupPlatform('openssl-1.1')! }), 'kamcfg.tls-threads-mode').length, 0);
  // Ubuntu 24.04 packages 5.7.4 (the platform gives the patch level, project/layers.ts): no
  // tls_threads_mode to set (information), and setting it fails.
  const noble = { platform: lookupPlatform('ubuntu-24.04')!, version: '5.7.4' };
  // A 5.7 whose patch level is unknown may be either side of the backport: no claim.
  assert.equal(only(check(kam('tls_threads_mode=2\n'), { version: '5.7' }), 'kamcfg.version-gated').length, 0);
  const info = one(check(kam(''), noble), 'kamcfg.tls-threads-mode');
  assert.equal(info.severity, 'information');
  assert.match(info.message, /^Kamailio 5\.7\.4 has no tls_threads_mode: .* came with 5\.7\.5/);
  assert.equal(info.fixes, undefined);
  const written = check(kam('tls_threads_mode=2\n'), noble);
  assert.match(one(written, 'kamcfg.version-gated').message, /^tls_threads_mode needs Kamailio 5\.7\.5 or later: Kamailio 5\.7\.4 exits with "unknown config variable"\.$/);
  assert.equal(only(written, 'kamcfg.tls-threads-mode').length, 0);
  // 6.x: 2 by default; 1 is forced to 2 (information), 0 is information too.
  for (const v of ['6.0', '6.1']) assert.equal(only(check(kam(''), { version: v }), 'kamcfg.tls-threads-mode').length, 0, v);
  const forced = one(check(kam('tls_threads_mode=1\n'), { version: '6.0' }), 'kamcfg.tls-threads-mode');
  assert.equal(forced.severity, 'information');
  assert.deepEqual(forced.range, r(1, 17, 1, 18));
  assert.match(forced.message, /forces it to 2 and logs "tls_threads_mode=1 is invalid on kamailio version >= 6; forcing tls_threads_mode=2"/);
  assert.equal(one(check(kam('tls_threads_mode=0\n'), { version: '6.1' }), 'kamcfg.tls-threads-mode').severity, 'information');
  // TLS off: nothing (tls.so's mod_init returns at once).
  const off = `#!KAMAILIO\nloadmodule "tls.so"\n`;
  assert.equal(only(run({ [KAM]: off }, { check: [KAM], settings: { version: '5.8' } }).findings, 'kamcfg.tls-threads-mode').length, 0);
});

test('kamcfg.tls-keylog on 6.1+: non-zero keylog_mode says where the secrets go; unknown parameter before 6.1', () => {
  const mp = `${CONFIG}\nmodparam("tls", "keylog_mode", 15)\nmodparam("tls", "keylog_file", "/var/log/kamailio/keys.log")\nmodparam("tls", "keylog_peer", "udp:192.0.2.9:9999")`;
  const f = one(check(kam('', mp), { version: '6.1' }), 'kamcfg.tls-keylog');
  assert.equal(f.severity, 'warning');
  assert.deepEqual(f.range, r(5, 31, 5, 33));
  assert.equal(
    f.message,
    'keylog_mode 15 turns on TLS key logging: Kamailio 6.1 exports the session secrets of every TLS connection (NSS key log lines) and writes them to the log (NOTICE level), to /var/log/kamailio/keys.log, over UDP to udp:192.0.2.9:9999 (keylog_peer) — whoever reads them decrypts the recorded SIP traffic, SDES SRTP keys included. Meant for debugging with Wireshark: set 0 in production.',
  );
  assert.equal(f.fixes![0]!.edits[0]!.newText, '0');
  assert.equal(only(check(kam('', `${CONFIG}\nmodparam("tls", "keylog_mode", 0)`), { version: '6.1' }), 'kamcfg.tls-keylog').length, 0);
  assert.match(one(check(kam('', `${CONFIG}\nmodparam("tls", "keylog_mode", 3)`), { version: '6.2' }), 'kamcfg.tls-keylog').message, /connection \(NSS key log lines\) — whoever/);
  // Before 6.1 the parameter does not exist: Kamailio exits (measured on 5.6.3), no advisory.
  for (const v of ['5.6', '6.0']) {
    const old = check(kam('', `${CONFIG}\nmodparam("tls", "keylog_mode", 15)`), { version: v });
    assert.equal(only(old, 'kamcfg.tls-keylog').length, 0, v);
    assert.match(one(old, 'kamcfg.unknown-modparam').message, /keylog_mode needs Kamailio 6\.1; Kamailio .* exits with "parameter <keylog_mode> of type <2:int> not found in module <tls>"/);
  }
});

test('kamcfg.modparam-not-reloaded: modparam certificate with an RPC transport or a certbot path, in modparam mode only', () => {
  const mp = 'modparam("tls", "tls_method", "TLSv1.2+")\nmodparam("tls", "certificate", "/etc/kamailio/cert.pem")\nmodparam("tls", "private_key", "/etc/kamailio/cert.pem")';
  const withCtl = check(kam('', mp, 'loadmodule "ctl.so"\n'));
  const f = one(withCtl, 'kamcfg.modparam-not-reloaded');
  assert.equal(f.severity, 'information');
  assert.deepEqual(f.range, r(6, 17, 6, 28));
  assert.match(f.message, /^ctl\.so is loaded, but tls\.reload reloads only a tls\.cfg: without modparam\("tls", "config", …\) it answers 500 "No TLS configuration file configured", so a renewed certificate set here takes effect only when Kamailio restarts\./);
  assert.deepEqual(f.related?.[0]?.range, r(3, 0, 3, 19));
  // Without a way to send RPC commands, and not a renewed certificate: nothing (low noise).
  assert.equal(only(check(kam('', mp)), 'kamcfg.modparam-not-reloaded').length, 0);
  const certbot = mp.replace('"/etc/kamailio/cert.pem")\nmodparam("tls", "private_key"', '"/etc/letsencrypt/live/sip.example.com/fullchain.pem")\nmodparam("tls", "private_key"');
  assert.match(one(check(kam('', certbot)), 'kamcfg.modparam-not-reloaded').message, /^\/etc\/letsencrypt\/live\/sip\.example\.com\/fullchain\.pem is renewed by certbot, and tls\.reload/);
  // With a tls.cfg, tls.reload works (and the modparam is kamcfg.modparam-ignored anyway).
  assert.equal(only(check(kam('', `${CONFIG}\n${mp}`, 'loadmodule "jsonrpcs.so"\n')), 'kamcfg.modparam-not-reloaded').length, 0);
});
