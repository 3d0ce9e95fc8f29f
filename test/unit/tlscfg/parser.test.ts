import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTlsConfig } from '../../../server/src/core/tlscfg/parser';
import { r } from '../helpers';

const FILE = '/etc/kamailio/tls.cfg';

function problems(text: string) {
  return parseTlsConfig(FILE, text).problems;
}

test('profiles, options and exact ranges of keys and values', () => {
  const doc = parseTlsConfig(FILE, '# comment\n[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/kamailio/a.pem # trailing\n\n[client:[2001:db8::1]:5061]\nserver_name = "sip.example.com"\n');
  assert.equal(doc.problems.length, 0);
  assert.equal(doc.profiles.length, 2);
  const [srv, cli] = doc.profiles;
  assert.deepEqual(srv!.target, { kind: 'default' });
  assert.equal(srv!.role, 'server');
  assert.deepEqual(srv!.headerRange, r(1, 0, 1, 16));
  assert.equal(srv!.lastLine, 4);
  const method = srv!.options[0]!;
  assert.equal(method.name, 'method');
  assert.deepEqual(method.keyRange, r(2, 0, 2, 6));
  assert.deepEqual(method.valueRange, r(2, 9, 2, 17));
  assert.equal(method.value, 'TLSv1.2+');
  const cert = srv!.options[1]!;
  assert.equal(cert.value, '/etc/kamailio/a.pem', 'a # right after the value starts a comment');
  assert.deepEqual(cert.valueRange, r(3, 14, 3, 33));
  assert.deepEqual(cert.lineRange, r(3, 0, 4, 0));
  assert.deepEqual(cli!.target, { kind: 'address', ip: '2001:db8::1', family: 6, port: 5061 });
  const sn = cli!.options[0]!;
  assert.equal(sn.value, 'sip.example.com');
  assert.equal(sn.quoted, true);
  assert.deepEqual(sn.valueRange, r(6, 14, 6, 31), 'the range of a quoted value includes the quotes');
});

test('keys, types and default/any words are case-insensitive; aliases map to canonical names', () => {
  const doc = parseTlsConfig(FILE, '[SERVER:DEFAULT]\nCertificate = a.pem\ncert_file = b.pem\ntls_method = TLSv1.2+\n[c:all]\n[srv:def]\n');
  assert.equal(doc.problems.length, 0);
  assert.deepEqual(doc.profiles.map((p) => [p.role, p.target.kind]), [
    ['server', 'default'],
    ['client', 'any'],
    ['server', 'default'],
  ]);
  assert.deepEqual(doc.profiles[0]!.options.map((o) => o.name), ['certificate', 'certificate', 'method']);
});

test('unquoted values keep the delimiters Kamailio allows (paths, cipher strings, TLSv1.2+)', () => {
  const doc = parseTlsConfig(FILE, '[server:default]\ncipher_list = HIGH:!aNULL:@STRENGTH\nca_list = /etc/ssl/certs/ca-certificates.crt\n');
  assert.equal(doc.problems.length, 0);
  assert.deepEqual(doc.profiles[0]!.options.map((o) => o.value), ['HIGH:!aNULL:@STRENGTH', '/etc/ssl/certs/ca-certificates.crt']);
});

test('escapes in quoted and unquoted values', () => {
  const doc = parseTlsConfig(FILE, '[server:default]\nserver_name = "a\\"b\\\\c"\nca_list = /dir\\ with\\ space/x.pem\n');
  assert.equal(doc.problems.length, 0);
  assert.deepEqual(doc.profiles[0]!.options.map((o) => o.value), ['a"b\\c', '/dir with space/x.pem']);
});

test('CRLF line endings parse like LF (CR is white space for Kamailio)', () => {
  const doc = parseTlsConfig(FILE, '[server:default]\r\nmethod = TLSv1.2+\r\nverify_certificate = no\r\n');
  assert.equal(doc.problems.length, 0);
  assert.deepEqual(doc.profiles[0]!.options.map((o) => o.value), ['TLSv1.2+', 'no']);
});

test('an option before the first header is a syntax error with an insert-header fix', () => {
  const [p] = problems('method = TLSv1.2+\n[server:default]\n');
  assert.equal(p!.code, 'tlscfg.syntax');
  assert.deepEqual(p!.range, r(0, 0, 0, 6));
  assert.match(p!.message, /Unsupported option 'method'/);
  assert.equal(p!.fixes![0]!.edits[0]!.newText, '[server:default]\n');
});

test('missing =, empty value, trailing junk, invalid character and unterminated quote', () => {
  const ps = problems('[server:default]\nmethod TLSv1.2+\ncertificate =\nprivate_key = /a.pem junk\nca_list = /a~b.pem\nserver_name = "abc\nverify_depth = 3\n');
  assert.deepEqual(ps.map((p) => [p.code, p.range.start.line, p.range.start.character]), [
    ['tlscfg.syntax', 1, 7],
    ['tlscfg.syntax', 2, 0],
    ['tlscfg.syntax', 3, 21],
    ['tlscfg.syntax', 4, 12],
    ['tlscfg.syntax', 5, 14],
  ]);
  assert.match(ps[0]!.message, /Syntax error, '=' expected/);
  assert.match(ps[1]!.message, /no value/);
  assert.match(ps[2]!.message, /End of line expected/);
  assert.deepEqual(ps[2]!.range, r(3, 21, 3, 25));
  assert.match(ps[3]!.message, /Invalid character 0x7e/);
  assert.match(ps[4]!.message, /missing closing quote/);
});

test('a bad line never hides the next one: every broken line is reported and later options still parse', () => {
  const doc = parseTlsConfig(FILE, '[server:default]\nmethod = = x\nbad ~ line\ncertificate = /ok.pem\n');
  assert.equal(doc.problems.length, 2);
  assert.equal(doc.profiles[0]!.options.at(-1)!.value, '/ok.pem');
});

test('a value longer than 512 bytes is "Token too long"', () => {
  const ok = problems(`[server:default]\ncertificate = /${'a'.repeat(511)}\n`);
  assert.equal(ok.length, 0, '512 bytes are accepted');
  const [p] = problems(`[server:default]\ncertificate = /${'a'.repeat(512)}\n`);
  assert.match(p!.message, /Token too long/);
});

test('a comment ending in a backslash swallows the next line, as in Kamailio', () => {
  const doc = parseTlsConfig(FILE, '[server:default]\n# note \\\nmethod = TLSv1\ncertificate = /a.pem\n');
  assert.deepEqual(doc.profiles[0]!.options.map((o) => o.name), ['certificate']);
});

test('negative integers keep their sign for the rule; integers are read in normal mode', () => {
  const doc = parseTlsConfig(FILE, '[server:default]\nverify_depth = -1\n');
  assert.equal(doc.problems.length, 0);
  const o = doc.profiles[0]!.options[0]!;
  assert.equal(o.value, '-1');
  assert.deepEqual(o.valueRange, r(1, 15, 1, 17));
});

test('unknown keys are kept (name undefined) with their value for the rule', () => {
  const doc = parseTlsConfig(FILE, '[server:default]\nrequire_certiificate = yes\nca-list = /x\n');
  assert.equal(doc.problems.length, 0);
  assert.deepEqual(doc.profiles[0]!.options.map((o) => [o.key, o.name, o.value]), [
    ['require_certiificate', undefined, 'yes'],
    ['ca-list', undefined, '/x'],
  ]);
  assert.deepEqual(doc.profiles[0]!.options[1]!.keyRange, r(2, 0, 2, 7));
});

// Headers: every real-life mistake of reference §1.3, with Kamailio's message and a fix.
const HEADER_CASES: [string, RegExp, string | undefined][] = [
  ['[server:localhost:5061]', /not a host name.*Invalid IPv4 address/, '[server:127.0.0.1:5061]'],
  ['[server:any:5061]', /takes no port.*']' expected/, '[server:any]'],
  ['[server:default:5061]', /takes no port/, '[server:default]'],
  ['[srvr:default]', /Invalid TLS domain type/, '[server:default]'],
  ['[server:127.0.0.1]', /has no port.*':' expected/, undefined],
  ['[c:*]', /'\*' is not accepted.*IP address expected/, '[c:default]'],
  ['[client:[::ffff:1.2.3.4]:5061]', /Invalid IPv6 address/, undefined],
  ['[server:2001:db8::1:5061]', /IPv6 address without brackets/, '[server:[2001:db8::1]:5061]'],
  ['[server:default', /missing its closing '\]'/, '[server:default]'],
  ['[server:1.2.3:5061]', /Invalid IPv4 address/, undefined],
  ['[server:1.2.3.4:port]', /Invalid port number 'port'/, undefined],
  ['[server:256.1.1.1:5061]', /Invalid IPv4 address/, undefined],
];

for (const [header, message, fixed] of HEADER_CASES) {
  test(`bad header ${header}`, () => {
    const doc = parseTlsConfig(FILE, `${header}\nmethod = TLSv1.2+\n`);
    assert.equal(doc.problems.length, 1, JSON.stringify(doc.problems));
    const p = doc.problems[0]!;
    assert.equal(p.code, 'tlscfg.bad-header');
    assert.match(p.message, message);
    assert.equal(p.range.start.line, 0);
    if (fixed) assert.equal(p.fixes?.[0]?.edits[0]?.newText, fixed);
    else assert.equal(p.fixes, undefined);
    // The options below a broken header are still read.
    assert.equal(doc.profiles.length, 1);
    assert.equal(doc.profiles[0]!.options[0]!.name, 'method');
  });
}

test('a header missing its [ is recognised as a header, with a fix', () => {
  const doc = parseTlsConfig(FILE, 'server:default]\nmethod = TLSv1.2+\n');
  assert.equal(doc.problems.length, 1);
  const p = doc.problems[0]!;
  assert.equal(p.code, 'tlscfg.bad-header');
  assert.deepEqual(p.range, r(0, 0, 0, 15));
  assert.deepEqual(p.fixes![0]!.edits[0], { range: r(0, 0, 0, 0), newText: '[' });
  assert.deepEqual(doc.profiles[0]!.target, { kind: 'default' });
});

test('text after a header is "End of line expected", a comment is fine', () => {
  assert.equal(problems('[server:default] # ok\n').length, 0);
  const [p] = problems('[server:default] extra\n');
  assert.equal(p!.code, 'tlscfg.syntax');
  assert.deepEqual(p!.range, r(0, 17, 0, 22));
});

test('IPv4 and IPv6 address profiles with port 0', () => {
  const doc = parseTlsConfig(FILE, '[server:10.0.0.1:0]\n[client:[::1]:5061]\n');
  assert.deepEqual(doc.profiles.map((p) => p.target), [
    { kind: 'address', ip: '10.0.0.1', family: 4, port: 0 },
    { kind: 'address', ip: '::1', family: 6, port: 5061 },
  ]);
});

test('empty, comment-only and binary input never throw', () => {
  for (const text of ['', '\n\n', '# only\n', '\u0000\u0001\u00ff', '[', '[server:', '"', '\\', 'a = "\\q"', '[server:default]\nmethod = \\']) {
    const doc = parseTlsConfig(FILE, text);
    assert.ok(Array.isArray(doc.problems));
  }
});
