// Tokens quoted from files: bounded, escaped, and never a key-looking run (quote.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { elideSecretLooking, escapeInvisible, excerpt, looksLikeSecretRun, quoted } from '../../server/src/core/quote';
import { run } from './helpers';
import { fuzzKeys } from '../helpers/fuzz/keys';
import { privateComponentsHex } from '../helpers/keyMaterial';

test('quoted: short tokens whole, long ones cut at 40 characters, controls and bidi overrides visible', () => {
  assert.equal(quoted('tls_method'), "'tls_method'");
  assert.equal(quoted('x'.repeat(41)), `'${'x'.repeat(39)}…'`);
  assert.equal(quoted('x'.repeat(40)), `'${'x'.repeat(40)}'`);
  assert.equal(quoted('a\u001b[31mb\u202ec\nd\te\u0000'), "'a\\x1b[31mb\\u{202e}c\\nd\\te\\x00'");
  assert.equal(escapeInvisible('\u200b\ufeff\u0085'), '\\u{200b}\\u{feff}\\x85');
  assert.equal(excerpt('é'.repeat(50)), 'é'.repeat(39) + '…', 'cut by characters, not UTF-16 units');
});

/** Deterministic random bytes (the same runs every time). */
function bytes(seed: number, n: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; out.length * 32 < n; i++) out.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(out).subarray(0, n);
}

test('elideSecretLooking: base64 runs cut to 8 characters; words, paths, host names and fingerprints whole', () => {
  for (let i = 0; i < 500; i++) {
    const b64 = bytes(i, 48).toString('base64');
    const shown = elideSecretLooking(`after ${b64} before`);
    // A '/' in the run may keep a short word-like head of it (a path's folders are kept).
    assert.match(shown, /^after [A-Za-z0-9+/]{0,30}…( before)$/, b64);
    assert.ok(!shown.includes(b64.slice(-24)), b64);
    const url = bytes(-i, 32).toString('base64url');
    assert.ok(looksLikeSecretRun(url), url);
  }
  // The fixed header of an RSA PKCS#8 key switches class less often than random text.
  assert.equal(elideSecretLooking('MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDRTHvwFowy0ssa'), 'MIIEvQIB…');
  assert.equal(elideSecretLooking('resolves to /etc/kamailio/MC4CAQAwBQYDK2VwBCIEIBielAejYYEA0wP8md87, which'), 'resolves to /etc/kamailio/MC4CAQAw…, which');
  for (const kept of [
    '/etc/kamailio/certs/Server2024Key.pem',
    '/usr/local/etc/kamailio/CompanyCerts2024/Production/Server',
    'MyCompanyProductionCerts2024',
    'WITH_TLS_AND_WEBSOCKETS_2024',
    'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305',
    '3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed',
    '4A:3F:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD',
    'TLSs<10.0.0.1:5061>',
  ]) {
    assert.equal(elideSecretLooking(kept), kept);
  }
});

test('every message of a configuration full of long and key-like tokens is bounded', () => {
  const token = bytes(7, 60).toString('base64').replace(/[+/=]/g, 'x');
  const long = 'y'.repeat(300);
  const { findings } = run({
    '/etc/kamailio/kamailio.cfg': `#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\n${token} = 1\n${long} = 2\nmodparam("tls", "${token}", 1)\n`,
    '/etc/kamailio/tls.cfg': `[server:default]\nmethod = ${token}\nverify_certificate = ${long}\n${token} = x\n[${long}]\n[server:${token}]\n${long}\n`,
  });
  assert.ok(findings.length >= 6, findings.map((f) => f.code).join());
  for (const f of findings) {
    assert.ok(!f.message.includes(token.slice(8, 24)), `${f.code}: ${f.message}`);
    assert.ok(!f.message.includes('y'.repeat(41)), `${f.code}: ${f.message}`);
    for (const fix of f.fixes ?? []) assert.ok(!fix.title.includes(token.slice(8, 24)) && !fix.title.includes('y'.repeat(41)), fix.title);
  }
});

// A heuristic, measured: a window of random base64 that happens to split into long words
// (`wawIBAQQggyzfskRi`) is shown. The fuzz run's leak oracle holds the product to zero on its
// inputs; this holds the rules to at most 1 window in 800 (22 in 20,000 measured, most of them around one stretch of one EC key).
test('at most 1 in 800 windows of 16 to 40 characters of a key\'s base64 or base64url survives a quote whole', () => {
  const texts = fuzzKeys().flatMap((k) => {
    const der = k.privateKey.export({ type: 'pkcs8', format: 'der' });
    return [der.toString('base64'), der.toString('base64url')];
  });
  const random = bytes(7, 20_000);
  let windows = 0;
  const survived = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const text = texts[i % texts.length]!;
    const length = 16 + (random[i]! % 25);
    const at = (random.readUInt16BE(i % (random.length - 2)) * 7919 + i) % (text.length - length);
    const window = text.slice(at, at + length);
    windows++;
    for (const shown of [quoted(window), elideSecretLooking(`Missing '=' after ${window}`)]) {
      const kept = shown.match(/[A-Za-z0-9+/_-]{16,}/g) ?? [];
      if (kept.some((run) => text.includes(run.slice(0, 16)))) survived.add(window);
    }
  }
  assert.equal(windows, 20_000);
  assert.ok(survived.size <= windows / 800, `${survived.size} of ${windows} windows shown whole: ${[...survived].slice(0, 10).join(' ')}`);
});

test('names people give files and profiles stay readable', () => {
  for (const name of ['SipExampleComIntermediateCA', 'KamailioServerCertificate2024', 'USERTrustRSACertificationAuthority', 'private_key_password', '/etc/letsencrypt/live/sip.example.com/fullchain.pem', 'kamailio-5.6-tls-config', 'is_registered_fallback2ip', '3f786850e387550fdab836ed7e6dc881', 'md5WithRSAEncryption', 'AES128-GCM-SHA256', 'ECDHE-RSA-CHACHA20-POLY1305', '/tmp/sip-tls-show-x7Yq2b/tls.cfg']) {
    assert.equal(elideSecretLooking(name), name);
  }
});

test('a private number in OpenSSL\'s text dump is cut to two bytes wherever it is quoted; fingerprints stay whole', () => {
  let runs = 0;
  for (const key of fuzzKeys()) {
    for (const hex of privateComponentsHex(key.privateKey)) {
      const bytes = hex.match(/../g)!;
      for (let at = 0; at + 8 <= bytes.length; at += 5) {
        for (const length of [8, 11, 15]) {
          const piece = bytes.slice(at, at + length).join(':');
          if (piece.length < 23) continue;
          runs++;
          for (const shown of [quoted(`${piece}:`), elideSecretLooking(`cannot open included file: ${piece}`), excerpt(`    ${piece}`)]) {
            assert.ok(!shown.includes(bytes.slice(at, at + 8).join(':')), shown);
            assert.ok(!shown.replace(/:/g, '').includes(bytes.slice(at, at + 8).join('')), shown);
          }
        }
      }
    }
  }
  assert.ok(runs > 100, `${runs} runs`);
  const fingerprint = '15:84:9C:29:B5:E3:78:34:A9:C1:90:25:D5:F8:7E:C2:E3:2D:43:D0:4E:45:A9:19:7E:70:3A:15:5F:B1:51:37';
  assert.equal(elideSecretLooking(`SHA-256: ${fingerprint}`), `SHA-256: ${fingerprint}`);
});
