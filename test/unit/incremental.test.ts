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

/** The evaluated configuration of a fresh Checker for the same texts. */
function freshModel(host: MemoryHost, kam: string): unknown {
  const checker = new Checker(host);
  checker.setOverlay(KAM, kam);
  checker.setOverlay(TLS, TLS_TEXT);
  checker.check(request);
  return checker.deploymentFor(KAM, request)?.kamailio;
}

function world(notAfter?: Date): MemoryHost {
  const p = new TestPki(NOW);
  const { root, intermediate, leaf } = standardChain(p, RSA2048, 'sip.example.com', notAfter ? { notAfter } : {});
  return new MemoryHost({ [KAM]: KAM_TEXT, [TLS]: TLS_TEXT, [CERT]: chainPem(leaf, intermediate), [KEY]: keyPem(leaf.privateKey), [ANCHOR]: root.pem }, NOW);
}

test('typing on a line of a route body reuses the evaluation; anything structural evaluates again; findings always match a fresh check', () => {
  const host = world();
  const live = new Checker(host);
  let kam = KAM_TEXT;
  live.setOverlay(KAM, kam);
  live.setOverlay(TLS, TLS_TEXT);
  live.check(request);
  const model = () => live.deploymentFor(KAM, request)?.kamailio;
  const type = (at: string, insert: string, expectReuse: boolean) => {
    const before = model();
    assert.ok(kam.includes(at), `the text holds ${JSON.stringify(at)}`);
    const i = kam.indexOf(at) + at.length;
    kam = kam.slice(0, i) + insert + kam.slice(i);
    live.setOverlay(KAM, kam);
    const got = live.check(request).findings;
    assert.deepEqual(got, fresh(host, { [KAM]: kam, [TLS]: TLS_TEXT }), `after typing ${JSON.stringify(insert)} after ${JSON.stringify(at)}`);
    assert.equal(model() === before, expectReuse, `reuse after typing ${JSON.stringify(insert)} after ${JSON.stringify(at)}`);
    assert.deepEqual(model(), freshModel(host, kam), `the model after typing ${JSON.stringify(insert)} after ${JSON.stringify(at)}`);
  };
  type('"hello', ' there', true);
  type('"hello there', 'x', true);
  type('xlog("relay', 'ing', true); // a comment after the string
  type('"L_', 'X', true); // more arguments after the string
  type('therex $rm', '\\', true); // an escaped backslash: still one string
  type('route[RELAY]', ' ', false); // the header line of a block is not inside its body
  type('sl_send_reply("200", "OK");', ' if (1) { xlog("a"); }', true); // balanced braces on one line
  type('n");\n\t', ' ', true); // a call moves along its line
  type('\t route("RELAY");', ' x();', true);
  type('\t route(', ' ', true);
  type('"hello', '"', false); // a quote ends the string
  type('route( "RE', 'X', false); // a route name
  type('route(MISS', 'X', false); // another route name
  type('sl_send_reply("200", "OK");', ' {', false); // a brace
  type('sl_send_reply("200", "OK");', ' /*', false); // a comment left open
  type('sl_send_reply("200", "OK");', '\n', false); // a new line moves everything below
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

/**
 * Random edits anywhere in a script full of what can make a line matter (defines that expand to
 * braces or nothing, multi-line strings and comments, a call split over lines, #!ifdef regions,
 * an event route, a block closed by a define): after each one the long-lived Checker's model and
 * findings must equal a fresh Checker's. Single-line edits in route bodies are reused, so this
 * proves routeBodyLineEdit's acceptance against a full evaluation.
 */
test('random edits: the reused model and findings always equal a fresh evaluation', () => {
  const script = `#!KAMAILIO
#!define WITH_TLS
#!define CLOSE }
#!define EMPTY
#!define RELAYNAME "RELAY"
#!subst "/FOO/BAR/"
enable_tls=yes
listen=tls:127.0.0.1:5061
loadmodule "tls.so"
loadmodule "sl.so"
modparam("tls", "config", "${TLS}")
request_route {
	xlog("L_INFO", "hello $rm FOO\\n");
	if ($rU == "x") {
		route(RELAY);
	} else {
		route("MISSING");
	}
	xlog("a multi-line
string"); /* a comment
over lines */
	route
	(RELAY);
#!ifdef WITH_TLS
	sl_send_reply("200", "OK");
#!else
	sl_send_reply("500", "no");
#!endif
	$var(x) = 1; EMPTY xlog("x");
	route(RELAYNAME);
}
route[RELAY] {
	xlog("relay"); # note
	sl_send_reply("200", "OK");
}
event_route[tls:connection-out] {
	xlog("ev");
}
route[X] { xlog("closed by a define");
	CLOSE
listen=tls:127.0.0.2:5061
route[Y] {
	xlog("y"); t_relay();
}
`;
  const snippets = ['x', ' ', '"', "'", '{', '}', '(', ')', ';', '#', '/*', '*/', '\\', '$', '$var(', 'route', 'route(RELAY)', 'route(Y)',
    'CLOSE', 'EMPTY', 'WITH_TLS', '\n', 'if (1) { x(); }', '} else {', 'route[Z] {', 'modparam', '#!define Q', 'include_file "a.cfg"',
    'event_route[', 'RELAYNAME', '"a"', 'FOO', 'loadmodule', 'listen=', 'xlog("L_INFO", "k");'];
  // What a user mostly types: half of the inserts.
  const plain = ['x', ' ', 'f()', ' "a" ', '$var(y) = 2;', ' route(Y);', 'if (1) { x(); }'];
  let seed = 20261127;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  const host = world();
  const live = new Checker(host);
  live.setOverlay(TLS, TLS_TEXT);
  let kam = script;
  let reused = 0;
  const EDITS = 1500;
  for (let step = 0; step < EDITS; step++) {
    live.setOverlay(KAM, kam);
    live.check(request);
    const before = live.deploymentFor(KAM, request)?.kamailio;
    if (step % 10 === 0) kam = script;
    const lines = kam.split('\n');
    const line = random(lines.length);
    const at = kam.split('\n').slice(0, line).join('\n').length + (line > 0 ? 1 : 0) + random(lines[line]!.length + 1);
    kam = random(3) === 0 ? kam.slice(0, at) + kam.slice(at + 1 + random(3)) : kam.slice(0, at) + (random(2) === 0 ? plain[random(plain.length)]! : snippets[random(snippets.length)]!) + kam.slice(at);
    live.setOverlay(KAM, kam);
    const got = live.check(request).findings;
    const model = live.deploymentFor(KAM, request)?.kamailio;
    if (model === before) reused++;
    const checker = new Checker(host);
    checker.setOverlay(KAM, kam);
    checker.setOverlay(TLS, TLS_TEXT);
    const expected = checker.check(request).findings;
    const context = `step ${step}: ${JSON.stringify(kam.split('\n')[line])}`;
    assert.deepEqual(got, expected, context);
    assert.deepEqual(model, checker.deploymentFor(KAM, request)?.kamailio, context);
  }
  assert.ok(reused > EDITS / 20, `the reuse path was taken ${reused} times of ${EDITS}`);
});

test('each reason to evaluate again, on its own: the edit changes what the evaluation sees', () => {
  const head = `#!KAMAILIO\n#!define CLOSE }\nloadmodule "tls.so"\nmodparam("tls", "config", "${TLS}")\n`;
  const cases: { name: string; script: string; at: string; insert: string }[] = [
    { name: 'a define that expands to a brace', script: `${head}route[A] {\n\txlog("a");\n\txlog("b");\n}\n`, at: 'xlog("a");', insert: ' CLOSE' },
    { name: 'a route call split over lines', script: `${head}route[A] {\n\troute\n\tx();\n}\nroute[B] {\n}\n`, at: '\tx', insert: '(B);' },
    { name: 'a directive inside a string of a skipped #!ifdef region', script: `${head}route[A] {\n#!ifdef NOPE\n\txlog("a");\n#!endif\n\txlog("b");\n}\n`, at: 'xlog("a', insert: ' #!ifdef X ' },
    { name: 'a commented-out #!endif in a skipped region', script: `${head}route[A] {\n#!ifdef NOPE\n\txlog("a");\n#!endif\n\txlog("b");\n}\n#!endif\n`, at: 'xlog("a");', insert: ' // #!endif' },
    { name: 'a directive Kamailio ignores (a problem on the line)', script: `${head}route[A] {\n\txlog("a");\n}\n`, at: 'xlog("a");', insert: ' #!endif x' },
    { name: 'an unclosed block comment', script: `${head}route[A] {\n\txlog("a");\n}\n`, at: 'xlog("a");', insert: ' /* x' },
    { name: 'a string that joins the next line', script: `${head}route[A] {\n\txlog("a");\n\t"b";\n}\n`, at: 'xlog("a");', insert: ' "c"' },
  ];
  for (const c of cases) {
    const host = world();
    const live = new Checker(host);
    live.setOverlay(TLS, TLS_TEXT);
    live.setOverlay(KAM, c.script);
    live.check(request);
    const before = live.deploymentFor(KAM, request)?.kamailio;
    assert.ok(c.script.includes(c.at), c.name);
    const i = c.script.indexOf(c.at) + c.at.length;
    const kam = c.script.slice(0, i) + c.insert + c.script.slice(i);
    live.setOverlay(KAM, kam);
    assert.deepEqual(live.check(request).findings, fresh(host, { [KAM]: kam, [TLS]: TLS_TEXT }), c.name);
    const model = live.deploymentFor(KAM, request)?.kamailio;
    assert.notEqual(model, before, `${c.name}: evaluated again`);
    assert.deepEqual(model, freshModel(host, kam), c.name);
  }
});

/**
 * Per-profile reuse of certificate findings (rules/profileRuns.ts): random value edits across the
 * profiles of a tls.cfg, files replaced or removed on disk and the clock moving on, and after
 * every step the long-lived Checker must find exactly what a fresh one finds.
 */
test('random tls.cfg value edits, file changes and clock steps: per-profile reuse equals a fresh check', () => {
  const p = new TestPki(NOW);
  const a = standardChain(p, RSA2048, 'sip.example.com');
  const b = standardChain(p, RSA2048, 'edge.example.com');
  const otherRoot = p.root('Other Root CA');
  const selfSigned = p.selfSigned('lab.example.com');
  const shortLived = p.leaf(a.intermediate, 'soon.example.com', { notAfter: days(3, NOW) });
  const files: Record<string, string> = {
    [`${DIR}/certs/a.pem`]: chainPem(a.leaf, a.intermediate),
    [`${DIR}/certs/a-leaf.pem`]: chainPem(a.leaf),
    [`${DIR}/certs/a.key`]: keyPem(a.leaf.privateKey),
    [`${DIR}/certs/b.pem`]: chainPem(b.leaf, b.intermediate),
    [`${DIR}/certs/b.key`]: keyPem(b.leaf.privateKey),
    [`${DIR}/certs/lab.pem`]: chainPem(selfSigned),
    [`${DIR}/certs/lab.key`]: keyPem(selfSigned.privateKey),
    [`${DIR}/certs/soon.pem`]: chainPem(shortLived, a.intermediate),
    [`${DIR}/certs/soon.key`]: keyPem(shortLived.privateKey),
    [`${DIR}/ca/a.pem`]: chainPem(a.intermediate, a.root),
    [`${DIR}/ca/b.pem`]: chainPem(b.root),
    [ANCHOR]: a.root.pem + b.root.pem,
  };
  const tlsText = `[server:default]
method = TLSv1.2+
certificate = certs/a.pem
private_key = certs/a.key
ca_list = ca/a.pem
verify_certificate = yes

[server:127.0.0.1:5061]
certificate = certs/b.pem
private_key = certs/b.key
server_name = edge.example.com

[server:any]
server_name = soon.example.com
certificate = certs/soon.pem
private_key = certs/soon.key

[client:default]
ca_list = ca/b.pem
verify_certificate = yes

[client:any]
server_name = lab.example.com
certificate = certs/lab.pem
private_key = certs/lab.key
`;
  const kamText = KAM_TEXT.replace('listen=tls:127.0.0.1:5061', 'listen=tls:127.0.0.1:5061\nalias=sip.example.com');
  const host = new MemoryHost({ ...files, [KAM]: kamText, [TLS]: tlsText }, NOW);
  const live = new Checker(host);
  live.setOverlay(KAM, kamText);
  let tls = tlsText;
  live.setOverlay(TLS, tls);
  let previous = live.check(request).findings;

  const values = ['certs/a.pem', 'certs/a-leaf.pem', 'certs/b.pem', 'certs/lab.pem', 'certs/soon.pem', 'certs/missing.pem', 'certs/a.key', 'certs/b.key', 'ca/a.pem', 'ca/b.pem', 'ca/none.pem'];
  const options = ['certificate', 'private_key', 'ca_list'];
  let seed = 5;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  let clock = NOW.getTime();
  let reusedSteps = 0;
  for (let step = 0; step < 300; step++) {
    const what = random(10);
    if (what === 0) {
      // A file replaced on disk (a new mtime) or removed.
      const path = Object.keys(files)[random(Object.keys(files).length)]!;
      clock += 1000;
      host.setNow(new Date(clock));
      if (random(3) === 0) host.remove(path);
      else host.writeFile(path, random(2) === 0 ? files[path]! : otherRoot.pem);
    } else if (what === 1) {
      clock += random(3) * 86_400_000;
      host.setNow(new Date(clock));
    } else {
      // A value of one option in one profile: the line is rewritten (or the option added).
      const lines = tls.split('\n');
      const option = options[random(options.length)]!;
      const candidates = lines.map((l, i) => (l.startsWith(`${option} = `) ? i : -1)).filter((i) => i >= 0);
      const at = candidates[random(candidates.length)];
      if (at === undefined) continue;
      lines[at] = `${option} = ${values[random(values.length)]}`;
      tls = lines.join('\n');
      live.setOverlay(TLS, tls);
    }
    const got = live.check(request).findings;
    const checker = new Checker(host);
    checker.setOverlay(KAM, kamText);
    checker.setOverlay(TLS, tls);
    assert.deepEqual(got, checker.check(request).findings, `step ${step} (${['file', 'clock'][what] ?? 'edit'})`);
    if (what > 1 && got.some((f) => previous.includes(f))) reusedSteps++;
    previous = got;
  }
  assert.ok(reusedSteps > 50, `findings of unchanged profiles were reused on ${reusedSteps} steps`);
});

test('a reused profile still notices a trust anchor that changes after the profile that first read it was edited', () => {
  const p = new TestPki(NOW);
  const a = standardChain(p, RSA2048, 'sip.example.com');
  const b = standardChain(p, RSA2048, 'edge.example.com');
  const host = new MemoryHost(
    {
      [`${DIR}/certs/a.pem`]: chainPem(a.leaf, a.intermediate),
      [`${DIR}/certs/a.key`]: keyPem(a.leaf.privateKey),
      [`${DIR}/certs/b.pem`]: chainPem(b.leaf, b.intermediate),
      [`${DIR}/certs/b.key`]: keyPem(b.leaf.privateKey),
      [ANCHOR]: a.root.pem + b.root.pem,
    },
    // Not a whole number of days from the certificates' dates: findings that compare dates hold
    // until the next such boundary, so the reuse is possible (fileProbe.ts dependsOnDate).
    new Date(NOW.getTime() + 1000),
  );
  const tlsText = `[server:default]\ncertificate = certs/a.pem\nprivate_key = certs/a.key\n\n[server:127.0.0.1:5061]\ncertificate = certs/b.pem\nprivate_key = certs/b.key\n`;
  const live = new Checker(host);
  live.setOverlay(KAM, KAM_TEXT);
  live.setOverlay(TLS, tlsText);
  const freshFindings = (tls: string) => fresh(host, { [KAM]: KAM_TEXT, [TLS]: tls });
  assert.deepEqual(live.check(request).findings, freshFindings(tlsText));
  // The first profile (which built the trust pool) no longer reaches it; the second is reused.
  const edited = tlsText.replace('certs/a.pem', 'certs/missing.pem');
  live.setOverlay(TLS, edited);
  assert.deepEqual(live.check(request).findings, freshFindings(edited));
  // The anchor file loses the second chain's root: the second profile's chain is no longer trusted.
  host.setNow(new Date(NOW.getTime() + 2000));
  host.writeFile(ANCHOR, a.root.pem);
  const after = live.check(request).findings;
  assert.deepEqual(after, freshFindings(edited));
  assert.ok(after.some((f) => f.code.startsWith('chain.') && f.message.includes('b.pem')), 'the untrusted chain is reported');
});
