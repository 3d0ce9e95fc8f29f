// sharedSuites against the openssl binary: for a matrix of cipher_lists, every preset's TLS 1.2
// suites and every server key class, a suite sharedSuites judges (not `unknown`) is `shared`
// exactly when `openssl ciphers -s -tls1_2 LIST` lists it, Kamailio can negotiate it at all (no
// PSK, SRP, anonymous or NULL suite: sharedSuites' NEVER) and, with a key class, it
// authenticates with that key (`openssl ciphers -v`, columns Kx= and Au=).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { getCiphers } from 'node:tls';
import { sharedSuites } from '../../../server/src/core/peers/sharedSuites';
import { builtInPeers } from '../../../server/src/core/peers/presets';
import { suiteKeyClass, type SuiteKeyClass } from '../../../server/src/core/tlscfg/cipherSuites';

const CI = process.env.CI === 'true';
const OPENSSL = '/usr/bin/openssl';
// The binary reads no system configuration (a distribution's CipherString or SECLEVEL would
// change its answers but not Node's bundled OpenSSL, which sharedSuites asks).
const ENV = { ...process.env, OPENSSL_CONF: '/dev/null' };

function openssl(args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync(OPENSSL, args, { env: ENV, encoding: 'utf8', timeout: 10_000 });
  return { ok: r.status === 0, out: r.stdout ?? '', err: r.stderr ?? String(r.error ?? '') };
}

const version = openssl(['version']);
const HAVE_OPENSSL = version.ok && /^OpenSSL 3\./.test(version.out);

function needsOpenssl(t: TestContext): boolean {
  if (HAVE_OPENSSL) return true;
  const what = `${OPENSSL} (OpenSSL 3.x) is needed to compare sharedSuites with OpenSSL: ${version.ok ? version.out.trim() : version.err.trim() || 'not found'}`;
  if (CI) assert.fail(`CI=true: ${what}`);
  t.skip(what);
  return false;
}

interface SuiteInfo {
  kx: string;
  au: string;
  enc: string;
}

/** Every TLS ≤ 1.2 suite the binary knows, with its key exchange, authentication and cipher. */
const INFO = new Map<string, SuiteInfo>();
if (HAVE_OPENSSL) {
  const all = openssl(['ciphers', '-v', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0']);
  assert.ok(all.ok, all.err);
  for (const line of all.out.split('\n')) {
    const [name, , kx, au, enc] = line.trim().split(/\s+/);
    if (!name || name.startsWith('TLS_')) continue;
    INFO.set(name, { kx: kx!.replace(/^Kx=/, ''), au: au!.replace(/^Au=/, ''), enc: enc!.replace(/^Enc=/, '') });
  }
}

/** What `openssl ciphers -s -tls1_2 LIST` enables (TLS 1.3 names dropped); [] when it selects nothing. */
function enabled(list: string): string[] {
  // '' is no cipher_list at all: OpenSSL's DEFAULT (as sharedSuites documents). The binary
  // itself refuses an empty string ("no cipher match").
  const r = openssl(['ciphers', '-s', '-tls1_2', list === '' ? 'DEFAULT' : list]);
  if (!r.ok) {
    assert.match(r.err, /no cipher match|Error in cipher list/, `openssl ciphers '${list}': ${r.err}`);
    return [];
  }
  return r.out
    .trim()
    .split(':')
    .filter((s) => s !== '' && !s.startsWith('TLS_'));
}

/** sharedSuites' NEVER: what Kamailio negotiates with no key (PSK, SRP, anonymous, NULL cipher). */
const never = (i: SuiteInfo) => /PSK|SRP/.test(i.kx) || i.au === 'PSK' || i.au === 'SRP' || i.au === 'None' || i.enc === 'None';

/** Can a certificate key of this class authenticate the suite (openssl -v's Au= and Kx=)? */
function keyFits(i: SuiteInfo, key: SuiteKeyClass | undefined): boolean {
  switch (key) {
    case undefined:
      return true;
    case 'rsa':
      return i.au === 'RSA';
    case 'rsa-pss':
      // An RSA-PSS key only signs: no RSA key exchange.
      return i.au === 'RSA' && i.kx !== 'RSA';
    case 'ecdsa':
      return i.au === 'ECDSA';
  }
}

const MOZILLA_INTERMEDIATE_5 =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305';
const MOZILLA_INTERMEDIATE_6 =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305';
const MOZILLA_OLD =
  'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:DES-CBC3-SHA';

const LISTS: string[] = [
  'DEFAULT',
  'HIGH',
  'ALL',
  'ALL:COMPLEMENTOFALL',
  'COMPLEMENTOFDEFAULT',
  'ECDHE+AESGCM',
  'AES128-SHA:AES256-SHA',
  'HIGH:!aNULL:!MD5',
  '!ECDHE:ALL',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-GCM-SHA256',
  'kRSA',
  'RSA',
  'aECDSA',
  'ECDSA',
  'aRSA:!kRSA',
  '@SECLEVEL=0:ALL',
  'ALL:@SECLEVEL=3',
  'kRSA:@SECLEVEL=3',
  'DEFAULT:@SECLEVEL=2',
  'DEFAULT:!AES128',
  'DEFAULT:!kRSA',
  'DEFAULT:!SHA1',
  'EECDH+AESGCM:EDH+AESGCM',
  'AESGCM+aRSA',
  'SHA256',
  'TLSv1.2',
  'SSLv3',
  'HIGH:!TLSv1.2',
  'ECDHE:!SHA256:!SHA384',
  'ALL:-AES128-SHA:AES128-SHA',
  'ALL:!AES128-SHA:AES128-SHA',
  'HIGH:+AES128-SHA256:@STRENGTH',
  'ECDHE-RSA-AES128-GCM-SHA256:!ECDHE-RSA-AES128-GCM-SHA256',
  'CAMELLIA:AES128-SHA',
  'PSK',
  'eNULL:AES256-SHA256',
  MOZILLA_INTERMEDIATE_5,
  MOZILLA_INTERMEDIATE_6,
  MOZILLA_OLD,
  // Separators and TLS 1.3 names, as Kamailio hands them to SSL_CTX_set_cipher_list.
  'AES128-SHA, AES256-SHA256',
  'AES128-SHA AES256-SHA256',
  'TLS_AES_128_GCM_SHA256:ECDHE-RSA-AES256-GCM-SHA384',
  // Garbage.
  'NOPE',
  'NOPE:AES128-SHA',
  'aes128-sha',
  ':::',
  '!ALL',
  '',
];

/** The key classes suiteKeyClass gives RSA, RSA-PSS and EC keys, and no key. */
const KEYS: (SuiteKeyClass | undefined)[] = [undefined, suiteKeyClass('rsa'), suiteKeyClass('ec'), suiteKeyClass('rsa-pss')];

/** Every preset's TLS 1.2 suites (empty: not restricted, skipped), plus a set of every suite Node names. */
const PEER_SETS: { name: string; suites: string[] }[] = [
  ...builtInPeers()
    .filter((p) => p.suites.length > 0)
    .map((p) => ({ name: p.id, suites: p.suites })),
  {
    name: 'every TLS ≤ 1.2 suite of Node’s OpenSSL, and two names it does not know',
    suites: [
      ...getCiphers()
        .filter((c) => !c.startsWith('tls_'))
        .map((c) => c.toUpperCase()),
      'ECDHE-RSA-CAMELLIA128-SHA256',
      'NOT-A-SUITE',
    ],
  },
];

const FORWARD_SECRET_KX = new Set(['ECDH', 'DH']);

test('the matrix: at least 25 cipher lists, key classes rsa and ecdsa, every preset with suites', () => {
  assert.ok(LISTS.length >= 25);
  assert.deepEqual(KEYS, [undefined, 'rsa', 'ecdsa', 'rsa-pss']);
  assert.deepEqual(
    PEER_SETS.slice(0, -1).map((s) => s.name).sort(),
    builtInPeers()
      .filter((p) => p.suites.length > 0)
      .map((p) => p.id)
      .sort(),
  );
  assert.ok(PEER_SETS.length >= 3, 'bandwidth, teams and modern name their suites');
});

test('openssl knows every preset suite by that name (the presets use OpenSSL names)', (t) => {
  if (!needsOpenssl(t)) return;
  const missing = builtInPeers().flatMap((p) => p.suites.filter((s) => !INFO.has(s)).map((s) => `${p.id}: ${s}`));
  assert.deepEqual(missing, []);
});

for (const list of LISTS) {
  test(`sharedSuites agrees with openssl ciphers -s -tls1_2 '${list}'`, (t) => {
    if (!needsOpenssl(t)) return;
    const listed = new Set(enabled(list));
    const disagreements: string[] = [];
    let judged = 0;
    for (const set of PEER_SETS) {
      for (const key of KEYS) {
        const r = sharedSuites(list, set.suites, key);
        const where = `peer ${set.name}, key ${key ?? '(none)'}`;
        // What it claims about its own answer: peer suites only, in the peer's order, each once.
        assert.deepEqual(r.shared, set.suites.filter((s) => r.shared.includes(s)), `${where}: shared is in the peer's order`);
        assert.deepEqual(r.unknown, set.suites.filter((s) => r.unknown.includes(s)), `${where}: unknown is in the peer's order`);
        assert.ok(r.shared.every((s) => !r.unknown.includes(s)), `${where}: shared and unknown are disjoint`);
        // forwardSecret ⊆ shared: exactly the shared ECDHE-/DHE- ones, by name and by OpenSSL's Kx.
        assert.ok(r.forwardSecret.every((s) => r.shared.includes(s)), `${where}: forwardSecret ⊆ shared`);
        assert.deepEqual(r.forwardSecret, r.shared.filter((s) => /^(ECDHE|DHE|EDH)-/.test(s)), `${where}: forwardSecret`);
        assert.deepEqual(r.forwardSecret, r.shared.filter((s) => FORWARD_SECRET_KX.has(INFO.get(s)?.kx ?? '')), `${where}: forwardSecret by openssl's Kx`);
        // A name Node's OpenSSL does not know is never judged.
        for (const s of set.suites) if (!getCiphers().includes(s.toLowerCase())) assert.ok(r.unknown.includes(s), `${where}: ${s} is not known to Node, so unknown`);
        for (const suite of set.suites) {
          if (r.unknown.includes(suite)) continue;
          judged++;
          const info = INFO.get(suite);
          const expected = info !== undefined && listed.has(suite) && !never(info) && keyFits(info, key);
          const got = r.shared.includes(suite);
          if (got !== expected) {
            disagreements.push(
              `${suite} (${info ? `Kx=${info.kx} Au=${info.au} Enc=${info.enc}` : 'unknown to openssl'}), ${where}: sharedSuites ${got ? 'shares' : 'does not share'} it; openssl ${listed.has(suite) ? 'lists' : 'does not list'} it${got !== listed.has(suite) ? '' : ` (key or NEVER decides)`}`,
            );
          }
        }
      }
    }
    // The presets' own suites are always judged: each is askable alone.
    for (const key of KEYS) for (const p of builtInPeers()) assert.deepEqual(sharedSuites(list, p.suites, key).unknown, [], `${p.id}, key ${key ?? '(none)'}: a preset suite left unjudged`);
    assert.ok(judged > 0);
    assert.deepEqual(disagreements, [], `cipher_list '${list}' (openssl lists: ${[...listed].join(':') || 'nothing'})`);
  });
}

test("'' is OpenSSL's DEFAULT, for every peer and key", (t) => {
  if (!needsOpenssl(t)) return;
  for (const set of PEER_SETS) for (const key of KEYS) assert.deepEqual(sharedSuites('', set.suites, key), sharedSuites('DEFAULT', set.suites, key), `${set.name}, ${key ?? '(none)'}`);
});

test('a peer with no suites shares none and leaves none unknown', () => {
  for (const list of ['DEFAULT', 'ALL', 'NOPE', ''])
    for (const key of KEYS) assert.deepEqual(sharedSuites(list, [], key), { shared: [], forwardSecret: [], unknown: [] });
});
