// What a long-lived Checker (the language server's) reuses between keystrokes — the evaluation
// of kamailio.cfg after an edit inside a route's string, the tls.cfg parse after an edit in a
// comment line, the findings of a rule run — must never differ from what a fresh Checker finds,
// and must give way to a changed file on disk and to the clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Checker } from '../../server/src/core/check';
import { MemoryHost } from '../../server/src/core/memoryHost';
import type { Finding } from '../../server/src/core/types';
import { TestPki, keyPem, chainPem, standardChain, days, RSA2048 } from '../fixtures/pki';
import { settings } from './helpers';

const NOW = new Date('2026-01-15T12:00:00Z');
const DIR = '/etc/kamailio';
const KAM = `${DIR}/kamailio.cfg`;
const TLS = `${DIR}/tls.cfg`;
const CERT = `${DIR}/certs/server.pem`;
const KEY = `${DIR}/certs/server.key`;
const ANCHOR = '/srv/anchors/root.pem';

const KAM_TEXT = `#!KAMAILIO
enable_tls=yes
listen=tls:127.0.0.1:5061
loadmodule "tls.so"
loadmodule "sl.so"
modparam("tls", "config", "${TLS}")
request_route {
	xlog("L_INFO", "hello $rm\\n");
	route("RELAY");
	route(MISSING);
}
route[RELAY] {
	xlog("relay"); # note
	sl_send_reply("200", "OK");
}
`;
const TLS_TEXT = `# the server
[server:default]
method = TLSv1.2+
certificate = certs/server.pem
private_key = certs/server.key
# the client
[client:default]
verify_certificate = no
`;

const s = settings({ trustAnchors: [ANCHOR] });
const request = { files: [KAM, TLS], settingsFor: () => s };

function fresh(host: MemoryHost, texts: Record<string, string>): Finding[] {
  const checker = new Checker(host);
  for (const [file, text] of Object.entries(texts)) checker.setOverlay(file, text);
  return checker.check(request).findings;
}

function world(notAfter?: Date): MemoryHost {
  const p = new TestPki(NOW);
  const { root, intermediate, leaf } = standardChain(p, RSA2048, 'sip.example.com', notAfter ? { notAfter } : {});
  return new MemoryHost({ [KAM]: KAM_TEXT, [TLS]: TLS_TEXT, [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), [ANCHOR]: root.pem }, NOW);
}

test('typing inside a route string reuses the evaluation; anything else evaluates again; findings always match a fresh check', () => {
  const host = world();
  const live = new Checker(host);
  let kam = KAM_TEXT;
  live.setOverlay(KAM, kam);
  live.setOverlay(TLS, TLS_TEXT);
  live.check(request);
  const model = () => live.deploymentFor(KAM, request)?.kamailio;
  const type = (at: string, insert: string, expectReuse: boolean) => {
    const before = model();
    const i = kam.indexOf(at) + at.length;
    kam = kam.slice(0, i) + insert + kam.slice(i);
    live.setOverlay(KAM, kam);
    const got = live.check(request).findings;
    assert.deepEqual(got, fresh(host, { [KAM]: kam, [TLS]: TLS_TEXT }), `after typing ${JSON.stringify(insert)} after ${JSON.stringify(at)}`);
    assert.equal(model() === before, expectReuse, `reuse after typing ${JSON.stringify(insert)} after ${JSON.stringify(at)}`);
  };
  type('"hello', ' there', true);
  type('"hello there', 'x', true);
  type('xlog("relay', 'ing', true); // a comment after the string is fine
  type('"L_', 'X', false); // more arguments follow the string on its line
  type('"hello', '"', false); // a quote ends the string
  type('route("RE', 'X', false); // a route name
  type('hello $rm', '\\', false); // an escape
});

test('typing in a tls.cfg comment line keeps the parse; a value edit parses again', () => {
  const host = world();
  const live = new Checker(host);
  live.setOverlay(KAM, KAM_TEXT);
  let tls = TLS_TEXT;
  live.setOverlay(TLS, tls);
  live.check(request);
  const doc = () => live.deploymentFor(TLS, request)?.tls?.documents[0];
  const edit = (next: string, expectSame: boolean) => {
    const before = doc();
    tls = next;
    live.setOverlay(TLS, tls);
    assert.deepEqual(live.check(request).findings, fresh(host, { [KAM]: KAM_TEXT, [TLS]: tls }));
    assert.equal(doc() === before, expectSame);
  };
  edit(tls.replace('# the server', '# the server x'), true);
  edit(tls.replace('# the client', '# the clientele'), true);
  edit(tls.replace('method = TLSv1.2+', 'method = TLSv1.3'), false);
  edit(tls.replace('# the server x', '# the server x \\'), false); // a backslash swallows the next line
});

test('reused rule findings give way to a file changed on disk and to the clock', () => {
  const host = world(days(20, NOW));
  const live = new Checker(host);
  live.setOverlay(KAM, KAM_TEXT);
  live.setOverlay(TLS, TLS_TEXT);
  const codes = () => live.check(request).findings.map((f) => f.code);
  assert.ok(codes().includes('cert.expiring-soon'));
  // No edit, the key file goes away: the rules run again.
  host.remove(KEY);
  live.invalidate(KEY);
  assert.ok(codes().some((c) => c.startsWith('path.')), 'the missing key is reported');
  assert.deepEqual(live.check(request).findings, fresh(host, { [KAM]: KAM_TEXT, [TLS]: TLS_TEXT }));
  // The clock passes the certificate's end: cert.expired without any edit or file event.
  host.setNow(days(25, NOW));
  assert.ok(codes().includes('cert.expired'));
  assert.deepEqual(live.check(request).findings, fresh(host, { [KAM]: KAM_TEXT, [TLS]: TLS_TEXT }));
});
