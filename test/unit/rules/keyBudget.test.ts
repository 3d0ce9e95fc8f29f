// Key derivation budgets (cryptoBudgets.ts) over generated encrypted keys: PBKDF2 (SHA-1/256/512),
// scrypt and PKCS#12-PBE headers declaring from 1 to 2^64 iterations (or N × r × p past the work
// and memory limits) — each key encrypted at cheap parameters and its header patched, so the test
// itself derives almost nothing — × the places a key is read with a password (tls.cfg server,
// address and client profiles, private_key2, modparam mode, two profiles sharing the key).
// Every key over a budget is reported and never reaches OpenSSL with a passphrase (counted);
// every key within it is decrypted and judged as before. A hang guard bounds the whole batch.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import type { KeyObject } from 'node:crypto';
import { TestPki, chainPem, standardChain, P256 } from '../../fixtures/pki';
import { cheapSpec, encryptedPkcs8, type KdfSpec, type Prf } from '../../fixtures/encryptedKeys';
import { ANCHOR, DIR, NOW, KAM, deploy, show, type Files } from './certHarness';
import { KDF_ITERATIONS_PER_KEY, KDF_WORK_PER_CHECK, SCRYPT_WORK_PER_KEY } from '../../../server/src/core/pki/cryptoBudgets';
import { OPENSSL_SCRYPT_MAX_MEMORY, scryptMemory } from '../../../server/src/core/pki/keyEncryption';
import { Rng } from '../../helpers/fuzz/prng';
import type { Finding } from '../../../server/src/core/types';

// Every OpenSSL key derivation goes through createPrivateKey with a passphrase: count them.
const crypto = createRequire(__filename)('node:crypto') as typeof import('node:crypto');
const original = crypto.createPrivateKey;
let derivations = 0;
crypto.createPrivateKey = ((input: Parameters<typeof original>[0]) => {
  if (typeof input === 'object' && input !== null && 'passphrase' in input && input.passphrase !== undefined) derivations++;
  return original(input);
}) as typeof original;

const P = new TestPki(NOW);
const chain = standardChain(P, P256, 'budget.example.com');
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const PASSWORD = 'correct horse';
const base: Files = { [CERT]: chainPem(chain.leaf, chain.intermediate), [ANCHOR]: chain.root.pem };
const settings = (version: string) => ({ settings: { trustAnchors: [ANCHOR], version } });

/** How a declared header should be judged. */
type Expected = 'decrypts' | 'wrong-parameters' | 'over-budget' | 'scrypt-memory';

interface Variant {
  label: string;
  declared: KdfSpec;
  /** Encrypted at the declared parameters (cheap ones only), or at cheap ones with a patched header. */
  real: boolean;
  expected: Expected;
}

const ITERATIONS = [1, 2048, 20_000, KDF_ITERATIONS_PER_KEY + 1, 10_000_000, 2 ** 31 - 1, 2 ** 40, 2 ** 53 + 2, 2 ** 64];
const SCRYPT: [number, number, number][] = [
  [1024, 8, 1], // real and cheap
  [16384, 8, 1], // openssl pkcs8 -scrypt's defaults
  [16384, 8, 64], // work 8,388,608: over the work budget, within OpenSSL's memory
  [1024, 1, 2 ** 20], // work 2^30, memory ~128 MiB: OpenSSL refuses
  [2 ** 20, 8, 1], // 1 GiB: OpenSSL refuses
  [2 ** 14, 1, 2 ** 14], // work 2^28 within 32 MiB
];

function expectedFor(d: KdfSpec, real: boolean): Expected {
  if (d.kind === 'scrypt') {
    if (scryptMemory(d) > OPENSSL_SCRYPT_MAX_MEMORY) return 'scrypt-memory';
    if (d.n * d.r * d.p > SCRYPT_WORK_PER_KEY) return 'over-budget';
  } else if (d.iterations > KDF_ITERATIONS_PER_KEY) return 'over-budget';
  return real ? 'decrypts' : 'wrong-parameters';
}

function variants(rng: Rng): Variant[] {
  const out: Variant[] = [];
  for (const iterations of ITERATIONS) {
    for (const kind of ['pbkdf2', 'pkcs12-3des'] as const) {
      const prf = rng.pick<Prf>(['sha1', 'sha256', 'sha512']);
      const declared: KdfSpec = kind === 'pbkdf2' ? { kind, iterations, prf } : { kind, iterations };
      // Real only where cheap: the test must not spend what the budget saves.
      const real = iterations <= 2048 || (iterations <= 20_000 && rng.chance(0.5));
      out.push({ label: `${kind}${kind === 'pbkdf2' ? `/${prf}` : ''} ${iterations}`, declared, real, expected: expectedFor(declared, real) });
    }
  }
  for (const [n, r, p] of SCRYPT) {
    const declared: KdfSpec = { kind: 'scrypt', n, r, p };
    const real = n * r * p <= 1024 * 8;
    out.push({ label: `scrypt N=${n} r=${r} p=${p}`, declared, real, expected: expectedFor(declared, real) });
  }
  return out;
}

interface Place {
  name: string;
  version: string;
  /** The tls.cfg (undefined: modparam mode) and the kamailio.cfg override. */
  tls?: string;
  kam?: string;
  /** References to the key that carry a password Kamailio applies. */
  passwordApplies: boolean;
  references: number;
}

const SERVER = `[server:default]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/server.key\nprivate_key_password = "${PASSWORD}"\n`;
const PLACES: Place[] = [
  { name: 'tls.cfg [server:default]', version: '6.0', tls: SERVER, passwordApplies: true, references: 1 },
  {
    name: 'tls.cfg [server:127.0.0.1:5061] and [server:default] sharing the key',
    version: '6.0',
    tls: `${SERVER}\n[server:127.0.0.1:5061]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/server.key\nprivate_key_password = "${PASSWORD}"\n`,
    passwordApplies: true,
    references: 2,
  },
  {
    name: 'tls.cfg [client:default]',
    version: '6.0',
    tls: `[server:default]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/plain.key\n\n[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\ncertificate = certs/server.pem\nprivate_key = certs/server.key\nprivate_key_password = "${PASSWORD}"\n`,
    passwordApplies: true,
    references: 1,
  },
  {
    name: 'tls.cfg private_key2 with private_key_password2 (6.2)',
    version: '6.2',
    tls: `[server:default]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/plain.key\ncertificate2 = certs/server.pem\nprivate_key2 = certs/server.key\nprivate_key_password2 = "${PASSWORD}"\n`,
    passwordApplies: true,
    references: 1,
  },
  {
    name: 'modparam mode with the private_key_password modparam',
    version: '6.0',
    kam: `#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "tls_method", "TLSv1.2+")\nmodparam("tls", "certificate", "certs/server.pem")\nmodparam("tls", "private_key", "certs/server.key")\nmodparam("tls", "private_key_password", "${PASSWORD}")\n`,
    passwordApplies: false,
    references: 1,
  },
];

function keyFindings(findings: Finding[]): Finding[] {
  return findings.filter((f) => f.code.startsWith('key.') && f.file.endsWith('.cfg'));
}

/** One finding per reference to the key, each with this code and these message parts. */
function expectEach(keys: Finding[], references: number, code: string, parts: RegExp[], label: string): void {
  assert.equal(keys.length, references, label);
  for (const f of keys) {
    assert.equal(f.code, code, label);
    for (const p of parts) assert.match(f.message, p, label);
  }
}

function check(place: Place, keyPem: string, plain: KeyObject) {
  const files: Files = { ...base, [KEY]: keyPem, [`${DIR}/certs/plain.key`]: plain.export({ type: 'pkcs8', format: 'pem' }).toString() };
  if (place.kam) files[KAM] = place.kam;
  return deploy(place.tls, files, settings(place.version)).findings;
}

test('generated encrypted keys × places: over a budget reported and never derived, within it judged as before', () => {
  const rng = Rng.forInput(20260511, 2);
  const all = variants(rng);
  const counts: Record<Expected, number> = { decrypts: 0, 'wrong-parameters': 0, 'over-budget': 0, 'scrypt-memory': 0 };
  const started = performance.now();
  let hostileMs = 0;
  for (const v of all) {
    const pem = encryptedPkcs8(chain.leaf.privateKey, PASSWORD, v.real ? v.declared : cheapSpec(v.declared.kind), v.declared);
    for (const place of PLACES) {
      const before = derivations;
      const t0 = performance.now();
      const findings = check(place, pem, chain.leaf.privateKey);
      if (v.expected === 'over-budget' || v.expected === 'scrypt-memory') hostileMs += performance.now() - t0;
      const keys = keyFindings(findings);
      const label = `${v.label} in ${place.name}: ${show(keys)}`;
      if (!place.passwordApplies) {
        assert.deepEqual(keys.map((f) => f.code), ['key.encrypted'], label);
        assert.match(keys[0]!.message, /the private_key_password modparam is not applied/, label);
        assert.equal(derivations, before, `no derivation without a password Kamailio applies: ${label}`);
        continue;
      }
      counts[v.expected]++;
      switch (v.expected) {
        case 'decrypts':
          assert.deepEqual(keys, [], label);
          assert.ok(derivations - before <= 1, `decrypted once at most (shared between profiles): ${label}`);
          break;
        case 'wrong-parameters':
          expectEach(keys, place.references, 'key.encrypted', [/private_key_password2? does not decrypt it/], label);
          break;
        case 'over-budget':
          assert.equal(derivations, before, `never handed to OpenSSL with a passphrase: ${label}`);
          expectEach(keys, place.references, 'key.decryption-cost', [
            v.declared.kind === 'scrypt' ? /N × r × p = [\d,]+, more than the 1,048,576 sip-tls runs per key/ : /at ([\d,]+|more than 2\^53) iterations, more than the 1,000,000 iterations sip-tls runs per key/,
            /it is not decrypted, so whether it belongs to the certificate is not checked\. OpenSSL has no such limit: Kamailio runs all of it whenever it loads the key, once for each of its processes/,
          ], label);
          for (const f of keys) assert.equal(f.severity, 'warning', label);
          break;
        case 'scrypt-memory':
          assert.equal(derivations, before, `never handed to OpenSSL with a passphrase: ${label}`);
          expectEach(keys, place.references, 'key.encrypted', [/it needs [\d,]+ MiB of memory, more than the 32 MiB OpenSSL allows scrypt, so OpenSSL cannot decrypt it \("memory limit exceeded"\) and Kamailio will refuse to start/], label);
          break;
      }
      for (const f of keys) assert.match(f.file, /tls\.cfg$/, `on the option that names the key: ${label}`);
    }
  }
  for (const [k, n] of Object.entries(counts)) assert.ok(n >= 4, `every outcome generated (${k}: ${n})`);
  // A hang guard, not a measurement: one derivation the budget lets through costs hundreds of
  // milliseconds at these counts, and 2^31 iterations minutes.
  assert.ok(hostileMs < 5000, `${counts['over-budget'] + counts['scrypt-memory']} checks of hostile keys took ${hostileMs.toFixed(0)} ms`);
  assert.ok(performance.now() - started < 60_000);
});

test('the budget per check: the keys after it (in configuration order) are not decrypted, whatever was cached', () => {
  // Five profiles, each with its own copy of a key at 999,999 iterations: four fit in 4,000,000.
  const iterations = 999_999;
  assert.ok(4 * iterations <= KDF_WORK_PER_CHECK && 5 * iterations > KDF_WORK_PER_CHECK);
  const pem = encryptedPkcs8(chain.leaf.privateKey, PASSWORD, { kind: 'pbkdf2', iterations, prf: 'sha256' });
  const profile = (i: number) => `[server:127.0.0.${i + 1}:5061]\nmethod = TLSv1.2+\ncertificate = certs/server.pem\nprivate_key = certs/k${i}.key\nprivate_key_password = "${PASSWORD}"\n`;
  const tls = [0, 1, 2, 3, 4].map(profile).join('\n');
  const kam = `#!KAMAILIO\nenable_tls=yes\n${[0, 1, 2, 3, 4].map((i) => `listen=tls:127.0.0.${i + 1}:5061`).join('\n')}\nloadmodule "tls.so"\nmodparam("tls", "config", "${DIR}/tls.cfg")\n`;
  const files: Files = { ...base, [KAM]: kam };
  for (let i = 0; i < 5; i++) files[`${DIR}/certs/k${i}.key`] = pem;
  const before = derivations;
  const d = deploy(tls, files, settings('6.0'));
  assert.equal(derivations - before, 4, 'four keys decrypted');
  const costs = d.findings.filter((f) => f.code === 'key.decryption-cost');
  assert.equal(costs.length, 1, show(d.findings));
  assert.equal(costs[0]!.severity, 'information');
  assert.equal(costs[0]!.range.start.line, 4 * 6 + 3, 'the fifth profile in file order');
  assert.match(costs[0]!.message, /this check already spent 3,999,996 of its 4,000,000 key derivation iterations on other keys: it is not decrypted, so whether it belongs to the certificate is not checked\. Kamailio decrypts it as usual\./);
  assert.deepEqual(d.findings.filter((f) => f.code === 'key.mismatch' || f.code === 'key.encrypted'), []);
});

test('a header that cannot be read, or legacy PEM encryption around PKCS#8, is never decrypted (information)', () => {
  const good = encryptedPkcs8(chain.leaf.privateKey, PASSWORD, { kind: 'pbkdf2', iterations: 1 });
  const body = good.split('\n').slice(1, -2).join('');
  const der = Buffer.from(body, 'base64');
  // An unknown key derivation function: change the PBKDF2 OID's last arc (…5.12 → …5.99).
  const unknownKdf = Buffer.from(der);
  unknownKdf[unknownKdf.indexOf(Buffer.from([0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c])) + 8] = 0x63;
  const toPem = (b: Buffer, headers = '') => `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${headers}${b.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END ENCRYPTED PRIVATE KEY-----\n`;
  const cases: [string, string, RegExp][] = [
    ['unknown KDF', toPem(unknownKdf), /key derivation function 1\.2\.840\.113549\.1\.5\.99 is not PBKDF2 or scrypt/],
    ['trailing bytes', toPem(Buffer.concat([der, Buffer.from([0, 0])])), /not one DER SEQUENCE/],
    ['legacy around PKCS#8', toPem(der, 'Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n'), /legacy PEM encryption around a PKCS#8 key/],
  ];
  for (const [name, pem, reason] of cases) {
    const before = derivations;
    const keys = keyFindings(check(PLACES[0]!, pem, chain.leaf.privateKey));
    assert.equal(derivations, before, name);
    assert.equal(keys.length, 1, `${name}: ${show(keys)}`);
    assert.equal(keys[0]!.code, 'key.decryption-cost', name);
    assert.equal(keys[0]!.severity, 'information', name);
    assert.match(keys[0]!.message, reason, name);
    assert.match(keys[0]!.message, /so the work it asks for is unknown: it is not decrypted/, name);
  }
});

test('the matching-key search beside a mismatched key skips encrypted keys over the budget', () => {
  const other = standardChain(P, P256, 'other.example.com');
  const hostile = encryptedPkcs8(chain.leaf.privateKey, PASSWORD, cheapSpec('pbkdf2'), { kind: 'pbkdf2', iterations: 2 ** 31 - 1, prf: 'sha256' });
  const matching = encryptedPkcs8(chain.leaf.privateKey, PASSWORD, { kind: 'pbkdf2', iterations: 2048, prf: 'sha256' });
  const files: Files = {
    ...base,
    [KEY]: encryptedPkcs8(other.leaf.privateKey, PASSWORD, { kind: 'pbkdf2', iterations: 2048, prf: 'sha256' }),
    [`${DIR}/certs/a-hostile.key`]: hostile,
    [`${DIR}/certs/b-matching.key`]: matching,
  };
  const before = derivations;
  const d = deploy(SERVER, files, settings('6.0'));
  const mismatch = d.findings.find((f) => f.code === 'key.mismatch');
  assert.ok(mismatch, show(d.findings));
  assert.deepEqual(mismatch.fixes?.map((f) => f.title), ['Use the matching key b-matching.key']);
  assert.equal(derivations - before, 2, 'the key itself and the matching candidate; never the hostile one');
});

test("the scrypt memory verdict read from the header is OpenSSL's own, on both sides of its 32 MiB", () => {
  // Real keys (encrypted at the declared parameters), handed to OpenSSL directly.
  const cases: [number, number, number][] = [
    [16384, 8, 1], // 16 MiB: decrypts
    [32768, 4, 1], // 16 MiB
    [32768, 8, 1], // 32 MiB + 2 KiB: refused
    [16384, 16, 1], // the same through r
    [2, 1, 262_000], // B = 128·r·p just under 32 MiB
    [2, 1, 262_144], // just over
  ];
  for (const [n, r, p] of cases) {
    const pem = encryptedPkcs8(chain.leaf.privateKey, PASSWORD, { kind: 'scrypt', n, r, p });
    let refused = false;
    try {
      original({ key: pem, format: 'pem', passphrase: PASSWORD });
    } catch (e) {
      assert.match((e as Error).message, /memory limit exceeded/, `N=${n} r=${r} p=${p}`);
      refused = true;
    }
    assert.equal(scryptMemory({ n, r, p }) > OPENSSL_SCRYPT_MAX_MEMORY, refused, `N=${n} r=${r} p=${p}: ${scryptMemory({ n, r, p })} bytes`);
  }
});
