import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexKamailio, matchIpv6 } from '../../../server/src/core/kamailio/lexer';
import { LineIndex } from '../../../server/src/core/text';
import { r } from '../helpers';

/** [kind, text, range] of every token. */
function toks(text: string) {
  const lines = new LineIndex(text);
  return lexKamailio(text).tokens.map((t) => [t.kind, t.text, lines.rangeOf(t.start, t.end)] as const);
}
function kinds(text: string): string[] {
  return lexKamailio(text).tokens.map((t) => `${t.kind}:${t.text}`);
}

test('a listen line: words, punctuation and numbers with exact ranges', () => {
  assert.deepEqual(toks('listen=tls:1.2.3.4:5061'), [
    ['word', 'listen', r(0, 0, 0, 6)],
    ['punct', '=', r(0, 6, 0, 7)],
    ['word', 'tls', r(0, 7, 0, 10)],
    ['punct', ':', r(0, 10, 0, 11)],
    ['number', '1', r(0, 11, 0, 12)],
    ['punct', '.', r(0, 12, 0, 13)],
    ['number', '2', r(0, 13, 0, 14)],
    ['punct', '.', r(0, 14, 0, 15)],
    ['number', '3', r(0, 15, 0, 16)],
    ['punct', '.', r(0, 16, 0, 17)],
    ['number', '4', r(0, 17, 0, 18)],
    ['punct', ':', r(0, 18, 0, 19)],
    ['number', '5061', r(0, 19, 0, 23)],
  ]);
});

test('# and // comments end at the line end; nothing of them becomes a token', () => {
  assert.deepEqual(kinds('debug=3 # three\nfork=yes // on\n# whole line\n'), ['word:debug', 'punct:=', 'number:3', 'word:fork', 'punct:=', 'word:yes']);
  const lexed = lexKamailio('a=1 # c\n');
  assert.deepEqual(lexed.comments, [4, 7]);
  assert.equal(lexed.tokens[0]!.newlineBefore, true);
});

test('block comments nest (cfg.lex keeps a counter)', () => {
  assert.deepEqual(kinds('/* a /* b */ still comment */ x'), ['word:x']);
  const p = lexKamailio('debug=1\n/* open /* nested */\nfork=no\n').problems;
  assert.equal(p.length, 1);
  assert.equal(p[0]!.kind, 'unterminated-comment');
  assert.deepEqual([p[0]!.start, p[0]!.end], [8, 10], 'the problem sits on the outer /*');
  assert.match(p[0]!.message, /unexpected EOF: 1 comments open/);
});

test('a # or // inside a string, a pseudo-variable or $(…) is no comment', () => {
  assert.deepEqual(kinds('$var(a#b) = "x#y//z"; $(ru{s.select,1,#});'), ['pvar:$var(a#b)', 'punct:=', 'string:"x#y//z"', 'punct:;', 'pvar:$(ru{s.select,1,#})', 'punct:;']);
  const s = lexKamailio('"x#y//z"').tokens[0]!;
  assert.equal(s.value, 'x#y//z');
});

test('pseudo-variables: $x, $x(…), $(x{tr}[1]), $?, nested parentheses', () => {
  assert.deepEqual(kinds('$ru $avp(s:x) $(avp(x)[1]) $(var(x){s.tolower}{s.len}) $? $hdr(To(x))'), [
    'pvar:$ru',
    'pvar:$avp(s:x)',
    'pvar:$(avp(x)[1])',
    'pvar:$(var(x){s.tolower}{s.len})',
    'pvar:$?',
    'pvar:$hdr(To(x))',
  ]);
});

test('double-quoted strings: escapes, backslash-newline, adjacent strings joined across newlines', () => {
  const [a, , b, , c] = lexKamailio('"a\\tb\\"c\\\\d\\x41\\101"; "x\\\ny"; \'raw\\n\'').tokens;
  assert.equal(a!.value, 'a\tb"c\\dAA');
  assert.equal(a!.kind, 'string');
  assert.equal(b!.text, '"x\\\ny"');
  assert.equal(b!.value, 'xy', 'backslash-newline inside a string is removed');
  assert.equal(c!.value, 'raw\\n', "single-quoted strings are raw");
  const joined = lexKamailio('x = "sip"\n   ".example.com";');
  assert.equal(joined.tokens[2]!.value, 'sip.example.com');
  assert.equal(joined.tokens[2]!.text, '"sip"\n   ".example.com"');
  assert.deepEqual(kinds('"a" # c\n"b"'), ['string:"a"', 'string:"b"'], 'a comment between two strings stops the join');
  const subst = lexKamailio('"\\1 and \\d"').tokens[0]!;
  assert.equal(subst.value, '\\1 and \\d', 'a lone octal digit or an unknown escape keeps its backslash');
});

test('an unterminated string is reported at its quote; checking resumes on the next line', () => {
  const lexed = lexKamailio('log_prefix="abc\nfork=no\n');
  assert.deepEqual(lexed.problems.map((p) => [p.kind, p.start, p.end]), [['unterminated-string', 11, 15]]);
  assert.match(lexed.problems[0]!.message, /unexpected EOF in unclosed string/);
  assert.deepEqual(kinds('log_prefix="abc\nfork=no\n'), ['word:log_prefix', 'punct:=', 'string:"abc', 'word:fork', 'punct:=', 'word:no']);
  const shifted = lexKamailio('x("a, "b");\ny("c");\n').problems[0]!;
  assert.match(shifted.message, /the string that starts on line 1 runs across a line break/);
});

test('numbers the flex way: decimal, 0x hex, leading-0 octal, [01]+b binary, and NUM_ID by longest match', () => {
  const values = lexKamailio('5061 0x1F 017 101b 0 5060x 08 1b2').tokens.map((t) => [t.kind, t.text, t.value ?? '']);
  assert.deepEqual(values, [
    ['number', '5061', '5061'],
    ['number', '0x1F', '31'],
    ['number', '017', '15'],
    ['number', '101b', '5'],
    ['number', '0', '0'],
    ['word', '5060x', ''],
    ['word', '08', ''],
    ['word', '1b2', ''],
  ]);
});

test('IPV6ADDR is one token; a protocol colon next to "::" is swallowed by it', () => {
  assert.deepEqual(kinds('[2001:db8::1]:5061'), ['punct:[', 'ipv6:2001:db8::1', 'punct:]', 'punct::', 'number:5061']);
  assert.deepEqual(kinds('tls:::1:5061'), ['word:tls', 'ipv6:::', 'punct::', 'number:1', 'punct::', 'number:5061']);
  assert.deepEqual(kinds('fe80::1 dead:beef'), ['ipv6:fe80::1', 'word:dead', 'punct::', 'word:beef']);
  assert.equal(matchIpv6('::1:5061', 0, 8), 8);
  assert.equal(matchIpv6('1:2:3:4:5:6:7:8', 0, 15), 15);
  assert.equal(matchIpv6('12345:', 0, 6), 0);
});

test('operators by longest match', () => {
  assert.deepEqual(kinds('a==b!=c=~d+=1 >= <= && || << >> (int)x (str)y'), [
    'word:a', 'punct:==', 'word:b', 'punct:!=', 'word:c', 'punct:=~', 'word:d', 'punct:+=', 'number:1',
    'punct:>=', 'punct:<=', 'punct:&&', 'punct:||', 'punct:<<', 'punct:>>', 'punct:(int)', 'word:x', 'punct:(str)', 'word:y',
  ]);
});

test('backslash-newline outside strings joins lines; unknown characters are dropped like flex echoes them', () => {
  const t = lexKamailio('listen=udp:1.2.3.4:5060 \\\n advertise 5.6.7.8:5060 ? `').tokens;
  const adv = t.find((x) => x.text === 'advertise')!;
  assert.equal(adv.newlineBefore, false);
  assert.equal(t[t.length - 1]!.text, '5060');
});

test('preprocessor directives with their spellings and the id/value spans', () => {
  const text = '#!define WITH_TLS\n!!def PORT 5061 # c\n#!trydefine X\n#!redef Y "v"\n#!ifdef WITH_TLS\n#!ifndef Z\n#!else\n#!endif\n#!subst "/a/b/"\n#!substdefs "!N!v!"\n#!defenv H=HOME\n#!trydefenvs USER\n#!defexp E 1+2\n#!ifexp KAMAILIO_VERSION >= 5007000\n#!undefine X\n';
  const ds = lexKamailio(text).tokens.filter((t) => t.kind === 'directive').map((t) => [t.directive!.name, t.directive!.spelling, t.directive!.prefix, t.directive!.id?.text ?? '', t.directive!.value?.text ?? t.directive!.expression?.text ?? '']);
  assert.deepEqual(ds, [
    ['define', 'define', '#!', 'WITH_TLS', ''],
    ['define', 'def', '!!', 'PORT', '5061 # c'],
    ['trydef', 'trydefine', '#!', 'X', ''],
    ['redefine', 'redef', '#!', 'Y', '"v"'],
    ['ifdef', 'ifdef', '#!', 'WITH_TLS', ''],
    ['ifndef', 'ifndef', '#!', 'Z', ''],
    ['else', 'else', '#!', '', ''],
    ['endif', 'endif', '#!', '', ''],
    ['subst', 'subst', '#!', '', ''],
    ['substdefs', 'substdefs', '#!', '', ''],
    ['defenv', 'defenv', '#!', 'H=HOME', ''],
    ['trydefenvs', 'trydefenvs', '#!', 'USER', ''],
    ['defexp', 'defexp', '#!', 'E', '1+2'],
    ['ifexp', 'ifexp', '#!', '', 'KAMAILIO_VERSION >= 5007000'],
    ['undef', 'undefine', '#!', 'X', ''],
  ]);
  const lines = new LineIndex(text);
  const def = lexKamailio(text).tokens[0]!.directive!;
  assert.deepEqual(lines.rangeOf(def.keyword.start, def.keyword.end), r(0, 0, 0, 8));
  assert.deepEqual(lines.rangeOf(def.id!.start, def.id!.end), r(0, 9, 0, 17));
});

test('a #!define value continues over backslash-newline', () => {
  const d = lexKamailio('#!define Q "a" \\\n "b"\nx').tokens[0]!.directive!;
  assert.equal(d.value!.text, '"a"  "b"');
});

test('unknown #!words and #!endif/#!else followed by text are comments; the latter is a problem', () => {
  assert.deepEqual(kinds('#!foo bar\n#!KAMAILIO\n#!endif # comment\n#!else WITH_X\n'), []);
  const p = lexKamailio('#!ifdef A\n#!endif WITH_APIBAN\n').problems;
  assert.equal(p.length, 1);
  assert.equal(p[0]!.kind, 'ignored-directive');
  assert.deepEqual([p[0]!.start, p[0]!.end], [10, 29]);
  assert.match(p[0]!.message, /Kamailio ignores '#!endif' followed by text: '#!endif WITH_APIBAN'/);
  const eof = lexKamailio('#!ifdef A\n#!endif').problems[0]!;
  assert.match(eof.message, /at the very end of the file: the directive needs a newline/);
  assert.equal(lexKamailio('#!endif  \r\n').tokens[0]!.directive!.name, 'endif', 'blanks and CR before the newline are fine');
});

test("a '-' right after a define name is fatal", () => {
  const p = lexKamailio('#!define A-B 1\n').problems;
  assert.equal(p[0]!.kind, 'define-dash');
  assert.deepEqual([p[0]!.start, p[0]!.end], [9, 11]);
});

test('include_file/import_file with or without #!, name up to white space (quotes included)', () => {
  const t = lexKamailio('include_file "a.cfg"\n  include_file "d.cfg";\n#!import_file "b c.cfg"\n').tokens.filter((x) => x.kind === 'include');
  assert.deepEqual(
    t.map((x) => [x.include!.directive, x.include!.prefixed, x.include!.name!.text]),
    [
      ['include_file', false, '"a.cfg"'],
      ['include_file', false, '"d.cfg";'],
      ['import_file', true, '"b'],
    ],
  );
});

test('event_route names keep their dashes and colons', () => {
  assert.deepEqual(kinds('event_route[tm:local-request] {'), ['word:event_route', 'punct:[', 'event-name:tm:local-request', 'punct:]', 'punct:{']);
});

test('marker line #!KAMAILIO is recorded only when a newline follows at once', () => {
  assert.equal(lexKamailio('#!KAMAILIO\nx').marker?.name, 'KAMAILIO');
  assert.equal(lexKamailio('//!OPENSER\n').marker?.name, 'OPENSER');
  assert.equal(lexKamailio('#!KAMAILIO \n').marker, undefined);
});

test('CRLF line endings: CR is white space everywhere', () => {
  assert.deepEqual(kinds('debug=3\r\n#!ifdef X\r\nfork=no\r\n#!endif\r\n'), ['word:debug', 'punct:=', 'number:3', 'directive:#!ifdef X\r', 'word:fork', 'punct:=', 'word:no', 'directive:#!endif']);
});

test('linear on large input: a 10,000-line generated configuration lexes', () => {
  const block = 'modparam("tm", "fr_timer", 30000) # c\nroute[R] {\n  if ($var(x) == "a#b") { xlog("L_INFO", "$ru\\n"); } /* c */\n}\n';
  const text = block.repeat(2500);
  const lexed = lexKamailio(text);
  assert.equal(lexed.problems.length, 0);
  assert.equal(lexed.tokens.length, 2500 * 29);
  assert.equal(lexed.comments.length, 2500 * 4);
});
