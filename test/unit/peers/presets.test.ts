// The built-in peers and the peer shape: every preset is valid for the committed JSON schema and
// for readPeer, carries its sources, and the schema and readPeer describe the same shape — for
// the presets and for hostile custom peers derived from them (a custom peer is untrusted
// repository content: readPeer and an editor validating with the schema must agree on every one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Ajv from 'ajv';
import { PEER_KEYS, hostMatches, peerHostMatch, readPeer } from '../../../server/src/core/peers/peer';
import { PRESET_DATA, builtInPeer, builtInPeers } from '../../../server/src/core/peers/presets';
import { peerFileSchema, peerSchema } from '../../../server/src/core/peers/schema';

const ROOT = join(__dirname, '..', '..', '..');
const PRESET_DIR = join(ROOT, 'server', 'src', 'core', 'peers', 'presets');
const SCHEMA_FILE = join(ROOT, 'schemas', 'sip-tls-peer.schema.json');
const SCHEMA_TEXT = readFileSync(SCHEMA_FILE, 'utf8');
const SCHEMA = JSON.parse(SCHEMA_TEXT) as Record<string, unknown>;
const ajv = new Ajv({ allErrors: true, strict: false });
/** The committed schema (what editors validate with). */
const validate = ajv.compile(SCHEMA);
/** The schema schema.ts generates now (what `npm run docs` would commit); the same when up to date. */
const validateGenerated = ajv.compile({ ...peerFileSchema(), $id: 'generated' });
const SCHEMAS = [
  { label: 'schemas/sip-tls-peer.schema.json', validate },
  { label: 'peerFileSchema()', validate: validateGenerated },
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** The preset files on disk, parsed as a custom peer would be (JSON.parse, not the bundler). */
const FILES: { file: string; data: Obj }[] = readdirSync(PRESET_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, data: JSON.parse(readFileSync(join(PRESET_DIR, file), 'utf8')) as Obj }));

const clone = <T>(v: T): T => structuredClone(v);
const errorsOf = (v: { errors?: unknown }) => JSON.stringify(v.errors, null, 1);

test('there are preset files, and builtInPeers() loads exactly them (none forgotten, none extra)', () => {
  assert.ok(FILES.length >= 6, FILES.map((f) => f.file).join(', '));
  assert.equal(PRESET_DATA.length, FILES.length);
  assert.deepEqual(
    builtInPeers().map((p) => p.id).sort(),
    FILES.map((f) => f.data['id']).sort(),
  );
  assert.deepEqual(FILES.map((f) => f.file), FILES.map((f) => `${String(f.data['id'])}.json`), 'each file is named after its id');
  assert.equal(new Set(builtInPeers().map((p) => p.id)).size, builtInPeers().length, 'ids are unique');
  for (const { data } of FILES) assert.equal(builtInPeer(String(data['id']))?.id, data['id']);
});

for (const { file, data } of FILES) {
  test(`preset ${file}: valid for the schema (ajv), read by readPeer with no problem, and deep-equal to its JSON`, () => {
    for (const s of SCHEMAS) assert.ok(s.validate(data), `${file} against ${s.label}: ${errorsOf(s.validate)}`);
    const { peer, problems } = readPeer(clone(data));
    assert.deepEqual(problems, []);
    assert.deepStrictEqual(peer, data, 'readPeer returns exactly what the file says (every field written out)');
    // What the bundler imports is the same object.
    const loaded = builtInPeers().find((p) => p.id === data['id']);
    assert.deepStrictEqual(loaded, data);
    assert.deepStrictEqual(PRESET_DATA.find((d) => (d as Obj)['id'] === data['id']), data);
  });

  test(`preset ${file}: checked is an ISO day, not in the future; every source is https with a non-empty "says"`, () => {
    const checked = data['checked'];
    assert.equal(typeof checked, 'string', 'built-in presets say when they were checked');
    assert.match(String(checked), /^\d{4}-\d{2}-\d{2}$/);
    const day = new Date(`${String(checked)}T00:00:00Z`);
    assert.ok(!Number.isNaN(day.getTime()), String(checked));
    assert.equal(day.toISOString().slice(0, 10), checked, 'a real calendar day');
    assert.ok(day.getTime() <= Date.now(), `${String(checked)} is in the future`);
    const sources = data['sources'];
    assert.ok(Array.isArray(sources) && sources.length >= 1, 'at least one source');
    for (const s of sources as Obj[]) {
      const url = new URL(String(s['url']));
      assert.equal(url.protocol, 'https:', String(s['url']));
      assert.ok(url.hostname.includes('.'), String(s['url']));
      assert.equal(typeof s['says'], 'string');
      assert.ok(String(s['says']).trim().length > 0, `${String(s['url'])}: says nothing`);
    }
  });
}

test('PEER_KEYS is the set of the schema properties: generated (schema.ts) and committed (schemas/) alike', () => {
  assert.equal(new Set(PEER_KEYS).size, PEER_KEYS.length, 'no key twice');
  const keys = [...PEER_KEYS].sort();
  assert.deepEqual(Object.keys(peerSchema(true)['properties'] as object).sort(), keys, 'peerSchema() (schema.ts)');
  assert.deepEqual(Object.keys(peerFileSchema()['properties'] as object).sort(), keys, 'peerFileSchema() (schema.ts)');
  // Custom peers in the project file are keyed by id, so their schema has every key but id.
  assert.deepEqual(Object.keys(peerSchema(false)['properties'] as object).sort(), keys.filter((k) => k !== 'id'), 'peerSchema(false)');
  // The committed file is what schema.ts writes (npm run docs).
  const stale = 'schemas/sip-tls-peer.schema.json is not what schema.ts generates: run npm run docs';
  assert.deepEqual(Object.keys(SCHEMA['properties'] as object).sort(), keys, `committed schema: ${stale}`);
  assert.deepEqual(SCHEMA, peerFileSchema(), stale);
  assert.equal(SCHEMA_TEXT, JSON.stringify(peerFileSchema(), null, 2) + '\n', stale);
  assert.equal(SCHEMA['additionalProperties'], false);
});

// ── Hostile custom peers ────────────────────────────────────────────────────────────────────

interface Variant {
  name: string;
  /** The value handed to readPeer and ajv. */
  value: unknown;
  /**
   * Where a problem must be: every problem's `at` is this path or inside it ('' = the whole
   * value, problems exactly at ''). Undefined: not one field (not checked).
   */
  at?: string;
}

/** An own enumerable property, as JSON.parse creates it — `__proto__` included. */
function withOwn<T extends object>(o: T, key: string, value: unknown): T {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  return o;
}

const HEX64 = 'cb3ccbb76031e5e0138f8dd39a23f9de47ffc35e43c1144cea27d46a5ab1cb5f';
const ROOT_OK = { name: 'Some Root', sha256: HEX64 };
/** Wrong values tried for every field (some happen to be right for some fields: then both accept). */
const WRONG: Json[] = [null, 0, -1, 1.5, 2048, true, false, '', 'x', '1.2', 'public-roots', [], ['x'], [1], [null], [[]], [{}], {}, { a: 1 }, { roots: [] }];
const BAD_SHA = {
  '65 hex digits': HEX64 + 'a',
  '63 hex digits': HEX64.slice(1),
  'non-hex': 'g'.repeat(64),
  'upper-case hex': HEX64.toUpperCase(),
  'with colons': HEX64.match(/../g)!.join(':'),
  'a trailing newline': HEX64 + '\n',
  'a leading space': ' ' + HEX64.slice(1),
  'a number': 1234,
  'empty': '',
};

function variantsOf(preset: Obj): Variant[] {
  const v: Variant[] = [];
  const add = (name: string, at: string | undefined, change: (o: Obj) => unknown) => {
    const o = clone(preset);
    const r = change(o);
    v.push({ name, value: r === undefined ? o : r, ...(at !== undefined ? { at } : {}) });
  };
  const set = (k: string, value: unknown, at = k) => add(`${k} = ${describe(value)}`, at, (o) => void (o[k] = value as Json));

  // The whole value.
  add('null instead of an object', '', () => null);
  add('an array holding the peer', '', (o) => [o]);
  add('an empty array', '', () => []);
  add('a string', '', () => JSON.stringify(preset));
  add('a number', '', () => 42);
  // A copy with no prototype at all is still the same peer.
  add('a null-prototype copy', undefined, (o) => Object.assign(Object.create(null) as object, o));

  // Unknown keys.
  set('colour', true);
  set('Name', 'x');
  set('', 'x');
  set('constructor', {});
  set('toString', 'x');
  set('hasOwnProperty', false);
  add('an own "__proto__" key (JSON.parse keeps it as data)', '__proto__', (o) => withOwn(o, '__proto__', { polluted: true, connects: 'to-us' }));
  add('an own "__proto__" key holding null', '__proto__', (o) => withOwn(o, '__proto__', null));

  // Every field: missing, and every wrong type.
  for (const k of PEER_KEYS) {
    add(`without ${k}`, k, (o) => void delete o[k]);
    for (const w of WRONG) set(k, w);
  }

  // id, name, checked.
  for (const id of ['A', '-x', 'x_y', 'x y', 'x'.repeat(40), 'x'.repeat(41), 'x'.repeat(10_000), 'teams\n', 'é']) set('id', id);
  for (const name of ['x'.repeat(200), 'x'.repeat(201), ' ', '\u0000', '😀'.repeat(100), '😀'.repeat(150)]) set('name', name);
  for (const checked of ['2026-1-04', '2026-12-04T00:00:00Z', '20261204', '2026-12-04\n', '٢٠٢٦-١٢-٠٤', '9999-99-99']) set('checked', checked);

  // sources.
  const src = { url: 'https://example.com/x', says: 'It says so.' };
  for (const s of [
    { ...src, url: 'http://example.com/x' },
    { ...src, url: 'https://' },
    { ...src, url: 'https://exa mple.com/' },
    { ...src, url: 'HTTPS://example.com/' },
    { ...src, url: 'javascript:alert(1)' },
    { ...src, says: '' },
    { ...src, says: 1 },
    { ...src, says: 'x'.repeat(10_000) },
    { url: src.url },
    { says: src.says },
    { ...src, extra: 1 },
    [src.url, src.says],
    null,
    src.url,
  ]) set('sources', [s], 'sources');
  set('sources', src, 'sources');
  set('sources', Array.from({ length: 10_000 }, () => src), 'sources');
  add('sources[0] with an own "__proto__" key', 'sources', (o) => void (o['sources'] = [withOwn({ ...src }, '__proto__', { says: 'x' })]));

  // connects, clientCertificate, clientCertificateEku.
  for (const c of ['To-Us', 'to-us ', 'none', 'server']) set('connects', c);
  for (const c of ['Required', 'optional', 'true']) set('clientCertificate', c);
  for (const c of ['serverAuth', 'clientauth', ['clientAuth']]) set('clientCertificateEku', c);

  // versions.
  for (const versions of [['1.4'], ['1.2', '1.4'], ['1.2', '1.2'], ['1.0', '1.1', '1.2', '1.3'], ['1.0', '1.1', '1.2', '1.3', '1.3'], ['1.2 '], ['v1.2'], ['TLSv1.2'], [1.2], ['1.3', '1.2'], '1.2', ['1.2\n']]) set('versions', versions);

  // suites.
  for (const suites of [
    ['ECDHE RSA AES128'],
    [' AES128-SHA'],
    ['aes128-sha'],
    ['A'.repeat(10_000)],
    ['A'.repeat(10_000) + ' '],
    ['AES128-SHA\n'],
    ['-AES128-SHA'],
    ['AES128-SHA:AES256-SHA'],
    ['TLS_AES_128_GCM_SHA256'],
    Array.from({ length: 200 }, () => 'AES128-SHA'),
    Array.from({ length: 201 }, () => 'AES128-SHA'),
    Array.from({ length: 100_000 }, () => 'AES128-SHA'),
  ]) set('suites', suites);

  // keyTypes, minRsaBits.
  for (const keyTypes of [['rsa', 'rsa'], ['rsa', 'ec', 'rsa'], ['dsa'], ['RSA'], ['ecdsa']]) set('keyTypes', keyTypes);
  for (const bits of [1023, 1024, 16384, 16385, 2048.5, 1e308, -2048, '2048']) set('minRsaBits', bits);

  // Roots: trustsOurCertificateVia and itsRoots, one bad sha256 at a time.
  for (const [what, sha] of Object.entries(BAD_SHA)) {
    set('trustsOurCertificateVia', { roots: [{ name: 'R', sha256: sha }] });
    add(`itsRoots.roots[0].sha256: ${what}`, 'itsRoots', (o) => {
      const ir = (o['itsRoots'] as Obj | undefined) ?? { required: 'any', roots: [ROOT_OK] };
      (ir['roots'] as Obj[])[0]!['sha256'] = sha as Json;
      o['itsRoots'] = ir;
    });
    add(`itsRoots.expired[0].sha256: ${what}`, 'itsRoots', (o) => void (o['itsRoots'] = { required: 'all', roots: [ROOT_OK], expired: [{ name: 'Old', sha256: sha as Json }] }));
  }
  for (const t of [
    { roots: [ROOT_OK] },
    { roots: [] },
    { roots: [ROOT_OK], extra: 1 },
    { roots: [{ ...ROOT_OK, name: '' }] },
    { roots: [{ ...ROOT_OK, name: 'x'.repeat(10_000) }] },
    { roots: [{ ...ROOT_OK, extra: 1 }] },
    { roots: [{ sha256: HEX64 }] },
    { roots: [[ROOT_OK.name, ROOT_OK.sha256]] },
    { roots: ROOT_OK },
    { roots: Array.from({ length: 100 }, () => ROOT_OK) },
    { roots: Array.from({ length: 101 }, () => ROOT_OK) },
    [ROOT_OK],
    ['public-roots'],
    'Public-Roots',
  ]) set('trustsOurCertificateVia', t);
  add('trustsOurCertificateVia with an own "__proto__" key', 'trustsOurCertificateVia', (o) => void (o['trustsOurCertificateVia'] = withOwn({ roots: [ROOT_OK] }, '__proto__', { roots: [] })));
  add('trustsOurCertificateVia.roots[0] with an own "__proto__" key', 'trustsOurCertificateVia', (o) => void (o['trustsOurCertificateVia'] = { roots: [withOwn({ ...ROOT_OK }, '__proto__', { name: 'x' })] }));
  for (const ir of [
    { required: 'any', roots: [ROOT_OK] },
    { required: 'all', roots: [ROOT_OK], expired: [ROOT_OK] },
    { required: 'all', roots: [ROOT_OK], expired: [] },
    { required: 'some', roots: [ROOT_OK] },
    { roots: [ROOT_OK] },
    { required: 'all' },
    { required: 'all', roots: [] },
    { required: 'all', roots: [ROOT_OK], extra: true },
    { required: 'all', roots: Array.from({ length: 101 }, () => ROOT_OK) },
    { required: 'all', roots: [ROOT_OK], expired: Array.from({ length: 101 }, () => ROOT_OK) },
    [{ required: 'all', roots: [ROOT_OK] }],
    { required: 'all', roots: [ROOT_OK, null] },
  ]) set('itsRoots', ir);
  add('itsRoots with an own "__proto__" key', 'itsRoots', (o) => void (o['itsRoots'] = withOwn({ required: 'all', roots: [ROOT_OK] }, '__proto__', { required: 'any' })));
  add('itsRoots.roots[0] with an own "__proto__" key', 'itsRoots', (o) => void (o['itsRoots'] = { required: 'all', roots: [withOwn({ ...ROOT_OK }, '__proto__', {})] }));

  // hosts.
  for (const hosts of [
    ['sip.example.com'],
    ['*.example.com'],
    ['*.'],
    ['*'],
    ['*.*.example.com'],
    ['sip.*.example.com'],
    ['SIP.EXAMPLE.COM'],
    ['sip.example.com.'],
    ['example'],
    ['192.0.2.1'],
    ['[2001:db8::1]'],
    [`${'a'.repeat(63)}.com`],
    [`${'a'.repeat(64)}.com`],
    ['-a.example.com'],
    ['sip.example.com ', 'x'],
    [`${'a.'.repeat(5_000)}com`],
    Array.from({ length: 200 }, (_, i) => `h${i}.example.com`),
    Array.from({ length: 201 }, (_, i) => `h${i}.example.com`),
    Array.from({ length: 100_000 }, (_, i) => `h${i}.example.com`),
  ]) set('hosts', hosts);

  // srtp.
  for (const srtp of [['AES_CM_128_HMAC_SHA1_80'], ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_80'], ['NOT_A_SUITE'], ['aes_cm_128_hmac_sha1_80'], [''], Array.from({ length: 12 }, () => 'AEAD_AES_128_GCM'), Array.from({ length: 13 }, () => 'AEAD_AES_128_GCM')]) set('srtp', srtp);

  return v;
}

function describe(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 50)}… (${s.length} chars)` : s;
}

const inside = (at: string, field: string) => (field === '' ? at === '' : at === field || at.startsWith(`${field}.`) || at.startsWith(`${field}[`));

test('hostile custom peers derived from every preset: readPeer and the schema agree on each, and readPeer says where', () => {
  const before = Object.getOwnPropertyNames(Object.prototype).sort();
  /** Disagreement (without the preset) → the presets it was derived from. */
  const disagreements = new Map<string, string[]>();
  let count = 0;
  let rejected = 0;
  for (const { file, data } of FILES) {
    for (const variant of variantsOf(data)) {
      count++;
      const label = `${file}: ${variant.name}`;
      const start = performance.now();
      const { peer, problems } = readPeer(variant.value);
      const took = performance.now() - start;
      // A sanity bound, not a speed test: nothing a custom peer holds makes the reader hang.
      assert.ok(took < 1000, `${label}: readPeer took ${took.toFixed(0)} ms`);
      const readerAccepts = peer !== undefined;
      let agreed = true;
      for (const s of SCHEMAS) {
        const schemaAccepts = s.validate(variant.value) === true;
        if (schemaAccepts === readerAccepts) continue;
        agreed = false;
        const what = `${variant.name}: ${s.label} ${schemaAccepts ? 'accepts' : `rejects (${s.validate.errors?.map((e) => `${e.instancePath} ${e.message}`).join('; ')})`}, readPeer ${readerAccepts ? 'accepts' : `rejects (${problems.map((p) => `${p.at}: ${p.message}`).join('; ')})`}`;
        disagreements.set(what, [...(disagreements.get(what) ?? []), file]);
      }
      if (!agreed) continue;
      if (readerAccepts) {
        assert.deepEqual(problems, [], label);
        // What readPeer returns is itself a valid peer that reads back unchanged.
        for (const s of SCHEMAS) assert.ok(s.validate(peer), `${label}: readPeer's result fails ${s.label}: ${errorsOf(s.validate)}`);
        assert.deepStrictEqual(readPeer(clone(peer)).peer, peer, label);
      } else {
        rejected++;
        assert.ok(problems.length > 0, `${label}: rejected without a problem`);
        for (const p of problems) {
          assert.equal(typeof p.at, 'string', label);
          assert.ok(typeof p.message === 'string' && p.message.length > 0, label);
          if (variant.at !== undefined) assert.ok(inside(p.at, variant.at), `${label}: problem at "${p.at}" (${p.message}), expected at "${variant.at}"`);
        }
      }
    }
  }
  assert.ok(count > FILES.length * 400, `${count} variants`);
  assert.ok(rejected > count / 2, `${rejected} of ${count} rejected`);
  // Nothing was polluted by the "__proto__" keys.
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), before);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  const listed = [...disagreements].map(([what, files]) => `${what} [${files.length === FILES.length ? 'every preset' : files.join(', ')}]`);
  assert.deepEqual(listed, [], `${listed.length} kinds of variant (of ${count} variants): a schema and readPeer disagree`);
});

test('an own "__proto__" key is reported as an unknown key and pollutes nothing', () => {
  const text = JSON.stringify(FILES[0]!.data).replace(/^\{/, '{"__proto__":{"polluted":true},');
  const parsed = JSON.parse(text) as Obj;
  assert.ok(Object.prototype.hasOwnProperty.call(parsed, '__proto__'));
  const { peer, problems } = readPeer(parsed);
  assert.equal(peer, undefined);
  assert.deepEqual(problems.map((p) => p.at), ['__proto__']);
  for (const s of SCHEMAS) assert.equal(s.validate(parsed), false, s.label);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

// ── Host patterns ───────────────────────────────────────────────────────────────────────────

test('hostMatches: an exact name matches itself only, case- and trailing-dot-insensitively', () => {
  assert.equal(hostMatches('sip.pstnhub.microsoft.com', 'sip.pstnhub.microsoft.com'), true);
  assert.equal(hostMatches('sip.pstnhub.microsoft.com', 'SIP.PstnHub.Microsoft.com.'), true);
  assert.equal(hostMatches('sip.pstnhub.microsoft.com', 'sip2.pstnhub.microsoft.com'), false);
  assert.equal(hostMatches('sip.pstnhub.microsoft.com', 'x.sip.pstnhub.microsoft.com'), false);
  assert.equal(hostMatches('sip.pstnhub.microsoft.com', 'pstnhub.microsoft.com'), false);
});

test('hostMatches: *.pstnhub.microsoft.com matches a name below it, never the bare domain or a look-alike', () => {
  const p = '*.pstnhub.microsoft.com';
  assert.equal(hostMatches(p, 'sip.pstnhub.microsoft.com'), true);
  assert.equal(hostMatches(p, 'SIP4.PSTNHUB.MICROSOFT.COM.'), true);
  assert.equal(hostMatches(p, 'pstnhub.microsoft.com'), false);
  assert.equal(hostMatches(p, '.pstnhub.microsoft.com'), false);
  assert.equal(hostMatches(p, 'xpstnhub.microsoft.com'), false);
  assert.equal(hostMatches(p, 'sip.pstnhub.microsoft.com.evil.example'), false);
  assert.equal(hostMatches(p, 'sip.pstnhub.microsoft.co'), false);
  assert.equal(hostMatches(p, ''), false);
  // peer.ts documents `*.` as covering ONE OR MORE labels ("inference, not RFC 6125"), so a name
  // two labels below matches too. This is the implementation's documented behaviour, not the
  // one-label wildcard of RFC 6125 (which would reject it).
  assert.equal(hostMatches(p, 'a.b.pstnhub.microsoft.com'), true);
});

test('peerHostMatch: the Teams preset names the pattern a destination matches, first match in list order', () => {
  const teams = builtInPeer('teams')!;
  assert.equal(peerHostMatch(teams, 'sip.pstnhub.microsoft.com'), 'sip.pstnhub.microsoft.com');
  assert.equal(peerHostMatch(teams, 'sip2.pstnhub.microsoft.com'), 'sip2.pstnhub.microsoft.com');
  assert.equal(peerHostMatch(teams, 'sip-all.pstnhub.microsoft.com'), '*.pstnhub.microsoft.com');
  assert.equal(peerHostMatch(teams, 'sip.pstnhub.gov.teams.microsoft.us'), '*.pstnhub.gov.teams.microsoft.us');
  assert.equal(peerHostMatch(teams, 'sip.pstnhub.dod.teams.microsoft.us'), '*.pstnhub.dod.teams.microsoft.us');
  assert.equal(peerHostMatch(teams, 'pstnhub.microsoft.com'), undefined);
  assert.equal(peerHostMatch(teams, 'sip.microsoft.com'), undefined);
  assert.equal(peerHostMatch(teams, 'sip.pstnhub.microsoft.com.example'), undefined);
  assert.equal(peerHostMatch(builtInPeer('whatsapp')!, 'wa.meta.vc'), 'wa.meta.vc');
  assert.equal(peerHostMatch(builtInPeer('whatsapp')!, 'x.wa.meta.vc'), undefined);
  assert.equal(peerHostMatch(builtInPeer('browsers')!, 'sip.pstnhub.microsoft.com'), undefined, 'no hosts: nothing matches');
});
