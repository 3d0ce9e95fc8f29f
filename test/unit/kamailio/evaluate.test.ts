import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from '../helpers';
import { MAIN, evaluate, info, problems } from './evalHelpers';

test('core parameters: names, values, exact ranges and evaluation order', () => {
  const cfg = evaluate('debug=3\nenable_tls=yes;\nlog_prefix="{$mt $hdr(CSeq)} "\nuser = kamailio\nip_free_bind = -1\n');
  assert.deepEqual(
    cfg.coreParams.map((p) => [p.name, p.value.kind, p.value.text, p.order]),
    [
      ['debug', 'number', '3', 0],
      ['enable_tls', 'bool', 'yes', 1],
      ['log_prefix', 'string', '{$mt $hdr(CSeq)} ', 2],
      ['user', 'identifier', 'kamailio', 3],
      ['ip_free_bind', 'number', '-1', 4],
    ],
  );
  const [debug, tls, prefix] = cfg.coreParams;
  assert.deepEqual(debug!.range, r(0, 0, 0, 7));
  assert.deepEqual(debug!.nameRange, r(0, 0, 0, 5));
  assert.deepEqual(debug!.value.range, r(0, 6, 0, 7));
  assert.deepEqual(tls!.range, r(1, 0, 1, 14));
  assert.equal(tls!.value.raw, 'yes');
  assert.deepEqual(prefix!.value.range, r(2, 11, 2, 30));
  assert.equal(prefix!.value.raw, '"{$mt $hdr(CSeq)} "');
  assert.deepEqual(problems(cfg), []);
});

test('real-life mistakes parse as values for the rules: enable_tls=Yes, tls_method=TLSv1.2', () => {
  const cfg = evaluate('enable_tls=Yes\ntls_method=TLSv1.2\ntls_method=TLSv1\nfork=enabled\n');
  assert.deepEqual(
    cfg.coreParams.map((p) => [p.name, p.value.kind, p.value.text, p.value.raw]),
    [
      ['enable_tls', 'identifier', 'Yes', 'Yes'],
      ['tls_method', 'other', 'TLSv1.2', 'TLSv1.2'],
      ['tls_method', 'identifier', 'TLSv1', 'TLSv1'],
      ['fork', 'identifier', 'enabled', 'enabled'],
    ],
  );
  assert.deepEqual(cfg.coreParams[1]!.value.range, r(1, 11, 1, 18));
  assert.deepEqual(problems(cfg), [], 'no kamcfg.syntax: the rule layer reports these');
});

test('custom cfg variables and kemi settings keep their dotted names and descriptions', () => {
  const cfg = evaluate('kemi.onsend_route_callback="ksr_onsend"\npstn.gw_ip = "10.0.0.1" desc "My PSTN GW"\ngrp.n = 4 descr "x"\n');
  assert.deepEqual(
    cfg.coreParams.map((p) => [p.name, p.value.text]),
    [
      ['kemi.onsend_route_callback', 'ksr_onsend'],
      ['pstn.gw_ip', '10.0.0.1'],
      ['grp.n', '4'],
    ],
  );
  assert.deepEqual(cfg.coreParams[1]!.nameRange, r(1, 0, 1, 10));
  assert.deepEqual(cfg.coreParams[1]!.range, r(1, 0, 1, 41), 'the statement range includes the description');
});

test('a bad line never hides the next one', () => {
  const cfg = evaluate('listen=tls:0.0.0:5061\nfoo bar baz\nmodparam("tls" "config")\nenable_tls=yes\n');
  assert.deepEqual(
    cfg.coreParams.map((p) => p.name),
    ['listen', 'enable_tls'],
  );
  assert.equal(cfg.listens[0]!.problems.length, 1);
});

test('loadmodule forms, loadpath/mpath with and without =, cfgengine', () => {
  const cfg = evaluate(
    'mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"\nloadpath "/opt/modules"\nloadmodule "tls.so"\nloadmodule("tm")\nloadmodule("/usr/lib/kamailio/modules/sl.so", "opt")\nloadmodulex "xlog.so"\ncfgengine "lua"\n',
  );
  assert.deepEqual(
    cfg.modules.map((m) => [m.path, m.module, m.pathRange, m.range]),
    [
      ['tls.so', 'tls', r(2, 12, 2, 18), r(2, 0, 2, 19)],
      ['tm', 'tm', r(3, 12, 3, 14), r(3, 0, 3, 16)],
      ['/usr/lib/kamailio/modules/sl.so', 'sl', r(4, 12, 4, 43), r(4, 0, 4, 52)],
      ['xlog.so', 'xlog', r(5, 13, 5, 20), r(5, 0, 5, 21)],
    ],
  );
  assert.deepEqual(
    cfg.coreParams.map((p) => [p.name, p.value.text]),
    [
      ['mpath', '/usr/lib/x86_64-linux-gnu/kamailio/modules/'],
      ['loadpath', '/opt/modules'],
    ],
  );
  assert.equal(cfg.cfgEngine, 'lua');
});

test('modparam values: string, number, negative number, bare yes/no (lexed as 1/0), pseudo-variable for modparamx', () => {
  const cfg = evaluate(
    'modparam("tls", "config", "/etc/kamailio/tls.cfg")\nmodparam("tls","verify_certificate", yes)\nmodparam("tm", "fr_timer", 30000)\nmodparam("tls", "connection_timeout", -1)\nmodparamx("tls|tm", "x", $env(HOME))\nmodparam("dialog", "dlg_flag", off)\n',
  );
  assert.deepEqual(
    cfg.modparams.map((m) => [m.module, m.param, m.value.kind, m.value.text, m.extended]),
    [
      ['tls', 'config', 'string', '/etc/kamailio/tls.cfg', false],
      ['tls', 'verify_certificate', 'bool', 'yes', false],
      ['tm', 'fr_timer', 'number', '30000', false],
      ['tls', 'connection_timeout', 'number', '-1', false],
      ['tls|tm', 'x', 'other', '$env(HOME)', true],
      ['dialog', 'dlg_flag', 'bool', 'no', false],
    ],
  );
  const m = cfg.modparams[0]!;
  assert.deepEqual(m.moduleRange, r(0, 10, 0, 13));
  assert.deepEqual(m.paramRange, r(0, 17, 0, 23));
  assert.deepEqual(m.value.range, r(0, 26, 0, 49));
  assert.deepEqual(m.range, r(0, 0, 0, 50));
});

test('a string containing # keeps it (no comment inside quotes)', () => {
  const cfg = evaluate('modparam("tls", "cipher_list", "HIGH:!aNULL#x") # real comment\n');
  assert.equal(cfg.modparams[0]!.value.text, 'HIGH:!aNULL#x');
  assert.deepEqual(cfg.modparams[0]!.range, r(0, 0, 0, 47));
});

test('#!substdef is applied to modparam strings and defines the name for IDs', () => {
  const cfg = evaluate('#!substdef "!TLSCFG!/etc/kamailio/tls.cfg!g"\n#!substdef "/MYIP/10.0.0.1/"\nmodparam("tls", "config", "TLSCFG")\nlisten=udp:MYIP:5060\nlog_prefix="at MYIP: "\n');
  const m = cfg.modparams[0]!;
  assert.equal(m.value.text, '/etc/kamailio/tls.cfg');
  assert.equal(m.value.raw, '"TLSCFG"');
  assert.equal(m.value.fromDefine, true);
  assert.equal(cfg.listens[0]!.host, '10.0.0.1');
  assert.equal(cfg.listens[0]!.hostKind, 'ipv4');
  assert.deepEqual(cfg.listens[0]!.hostRange, r(3, 11, 3, 15));
  assert.equal(cfg.coreParams[1]!.value.text, 'at 10.0.0.1: ');
  assert.deepEqual(
    info(cfg).defines.map((d) => [d.name, d.value]),
    [
      ['TLSCFG', '/etc/kamailio/tls.cfg'],
      ['MYIP', '10.0.0.1'],
    ],
  );
});

test('#!subst rewrites strings only, with back-references; include names too', () => {
  const cfg = evaluate({
    [MAIN]: '#!subst "/DOM(AIN)?/example.com/i"\n#!subst "!conf/([a-z]+)!/etc/\\1!"\nalias="sip.dom"\nmodparam("x", "y", "conf/abc")\nDOM=1\ninclude_file "DOM.cfg"\n',
    '/etc/kamailio/example.com.cfg': 'debug=2\n',
  });
  assert.equal(cfg.aliases[0]!.host, 'sip.example.com');
  assert.equal(cfg.modparams[0]!.value.text, '/etc/abc');
  assert.deepEqual(cfg.includes[0]!.resolved, ['/etc/kamailio/example.com.cfg']);
});

test('a #!subst pattern with catastrophic backtracking is applied in linear time (found by the fuzzer)', () => {
  const a = 'a'.repeat(40);
  const started = performance.now();
  const cfg = evaluate({ [MAIN]: `#!subst "/(a*)*b/c/"\nalias="${a}"\ninclude_file ${a}\nmodparam("x", "y", "${a}b")\n` });
  assert.ok(performance.now() - started < 2000, 'no exponential backtracking');
  assert.equal(cfg.aliases[0]!.host, a, 'no match: unchanged');
  assert.equal(cfg.modparams[0]!.value.text, 'c', 'a match is still replaced');
});

test('defines: built-ins, -A NAME and NAME=VALUE, expansion in listen lines, quoted values give strings', () => {
  const cfg = evaluate(
    '#!ifdef KAMAILIO_6\n#!ifdef KAMAILIO_6_1\n#!ifdef KAMAILIO_6_1_0\ndebug=KAMAILIO_VERSION\n#!endif\n#!endif\n#!endif\n#!define MYPORT 5061\n#!define PFX "kam: "\nlisten=tls:LISTEN_IP:MYPORT\nlog_prefix=PFX\nlog_name=OS_NAME\n',
    { defines: ['WITH_TLS', 'LISTEN_IP=192.0.2.10'] },
  );
  assert.deepEqual(
    cfg.coreParams.map((p) => [p.name, p.value.kind, p.value.text, p.value.fromDefine ?? false]),
    [
      ['debug', 'number', '6001000', true],
      ['listen', 'other', 'tls:192.0.2.10:5061', true],
      ['log_prefix', 'string', 'kam: ', true],
      ['log_name', 'identifier', 'linux', true],
    ],
  );
  const l = cfg.listens[0]!;
  assert.deepEqual([l.proto, l.host, l.hostKind, l.port], ['tls', '192.0.2.10', 'ipv4', 5061]);
  assert.deepEqual(l.hostRange, r(9, 11, 9, 20), 'the range is the name that expanded');
  assert.deepEqual(l.portRange, r(9, 21, 9, 27));
  assert.ok(cfg.defines.has('WITH_TLS'));
  assert.equal(cfg.defines.get('MYPORT')!.value, '5061');
  assert.deepEqual(cfg.defines.get('MYPORT')!.range, r(7, 9, 7, 15));
  assert.equal(cfg.defines.get('MYPORT')!.file, MAIN);
});

test('#!define of a name that exists is fatal (also after -A); #!trydef and #!redefine are not', () => {
  const cfg = evaluate('#!define WITH_TLS\n#!define A 1\n#!define A 2\n#!trydef A 3\n#!redefine B 4\n#!redef A 5\ndebug=A\n', { defines: ['WITH_TLS'] });
  assert.deepEqual(
    problems(cfg).map(([l, c, m]) => [l, c, m.slice(0, 30)]),
    [
      [0, 9, 'already defined: WITH_TLS (it '],
      [2, 9, 'already defined: A — Kamailio '],
    ],
  );
  assert.match(problems(cfg)[0]![2], /given with -A \/ sipTls.defines/);
  assert.deepEqual(info(cfg).problems.map((p) => p.range), [r(0, 9, 0, 17), r(2, 9, 2, 10)]);
  assert.match(problems(cfg)[1]![2], /use #!trydef/);
  assert.equal(cfg.coreParams[0]!.value.text, '5');
});

test("a '-' right after a define name is fatal and reported on the name", () => {
  const cfg = evaluate('#!define WITH-TLS\ndebug=2\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range]), [['kamcfg.syntax', r(0, 9, 0, 14)]], 'the name and the dash');
  assert.match(problems(cfg)[0]![2], /'-' is not allowed/);
  assert.equal(cfg.coreParams.length, 1);
});

test('#!ifdef/#!else regions follow the defines from the options; inactive ranges are exact', () => {
  const text = '#!ifdef WITH_TLS\nenable_tls=yes\n#!else\nenable_tls=no\n#!endif\n#!ifndef WITH_TLS\ndebug=1\n#!endif\n';
  const on = evaluate(text, { defines: ['WITH_TLS'] });
  assert.deepEqual(on.coreParams.map((p) => `${p.name}=${p.value.text}`), ['enable_tls=yes']);
  assert.deepEqual(info(on).inactiveRanges, [r(3, 0, 4, 0), r(6, 0, 7, 0)]);
  const off = evaluate(text);
  assert.deepEqual(off.coreParams.map((p) => `${p.name}=${p.value.text}`), ['enable_tls=no', 'debug=1']);
  assert.deepEqual(info(off).inactiveRanges, [r(1, 0, 2, 0)]);
  assert.deepEqual(problems(off), []);
});

test('nested regions and a define made inside an active branch', () => {
  const cfg = evaluate('#!ifdef A\n#!ifdef B\ndebug=1\n#!endif\n#!else\n#!define C\n#!endif\n#!ifdef C\ndebug=2\n#!endif\n');
  assert.deepEqual(cfg.coreParams.map((p) => p.value.text), ['2']);
  assert.deepEqual(info(cfg).inactiveRanges, [r(1, 0, 4, 0)]);
});

test('#!endif # comment and #!endif WITH_APIBAN are comments to Kamailio: the region never closes', () => {
  const cfg = evaluate('#!ifdef WITH_APIBAN\nloadmodule "apiban.so"\n#!endif WITH_APIBAN\ndebug=2\n');
  assert.deepEqual(problems(cfg).map(([l, c]) => [l, c]), [
    [0, 0],
    [2, 0],
  ]);
  const [open, ignored] = info(cfg).problems;
  assert.deepEqual(open!.range, r(0, 0, 0, 7));
  assert.match(open!.message, /This #!ifdef has no matching #!endif: Kamailio stops with "different number of preprocessor directives: 1 more #!if\[n\]def as #!endif"/);
  assert.deepEqual(ignored!.range, r(2, 0, 2, 19));
  assert.equal(
    ignored!.message,
    `Kamailio ignores '#!endif' followed by text: '#!endif WITH_APIBAN' is read as a comment, so it closes nothing. Only white space may follow '#!endif'; move the text to its own comment line. The numbers of #!if… and #!endif then differ: Kamailio stops with "different number of preprocessor directives: 1 more #!if[n]def as #!endif".`,
  );
  assert.equal(ignored!.code, 'kamcfg.syntax');
  assert.equal(open!.code, 'kamcfg.syntax');
  assert.deepEqual(cfg.coreParams, [], 'everything after stays inside the region that never closed');
  // The numbers agree (the real #!endif closes the region): Kamailio starts, the comment is a warning.
  const comment = evaluate('#!ifdef X\n#!else\ndebug=1\n#!endif # comment\n#!endif\n');
  assert.deepEqual(info(comment).problems.map((p) => [p.code, p.range, p.message]), [
    [
      'kamcfg.unpaired-directive',
      r(3, 0, 3, 17),
      "Kamailio ignores '#!endif' followed by text: '#!endif # comment' is read as a comment, so it closes nothing. Only white space may follow '#!endif'; move the text to its own comment line.",
    ],
  ]);
  assert.deepEqual(comment.coreParams.map((p) => p.value.text), ['1']);
});

test('in a skipped region a commented-out #!endif still closes it (IFDEF_SKIP ignores comments)', () => {
  const cfg = evaluate('#!ifdef X\ndebug=2\n// #!endif\n#!endif\nfork=no\n');
  assert.deepEqual(problems(cfg).map(([l, c]) => [l, c]), [[3, 0]]);
  assert.match(problems(cfg)[0]![2], /has no open #!ifdef\/#!ifndef: Kamailio logs "invalid position for preprocessor directive 'endif'", still counts it, and stops with "different number of preprocessor directives: 1 more #!endif as #!if\[n\]def"/);
  assert.deepEqual(info(cfg).inactiveRanges, [r(1, 0, 2, 3)]);
  const active = evaluate('#!define X\n#!ifdef X\ndebug=2\n// #!endif\n#!endif\n');
  assert.deepEqual(problems(active), [], 'in an active region the comment is a comment');
});

test('a stray #!else is ignored by Kamailio (warning); a stray #!endif alone is fatal', () => {
  const cfg = evaluate('#!else\ndebug=1\n#!endif\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range]), [
    ['kamcfg.unpaired-directive', r(0, 0, 0, 6)],
    ['kamcfg.syntax', r(2, 0, 2, 7)],
  ]);
  assert.match(problems(cfg)[0]![2], /Kamailio only warns \("invalid position for preprocessor directive 'else'"\) and ignores it, so the lines after it are always used/);
  assert.deepEqual(cfg.coreParams.map((p) => p.value.text), ['1']);
});

// Kamailio 5.6.3 counts #!if…/#!endif instead of pairing them (ORACLE-NOTES.md "Preprocessor
// directives are counted"): a stray #!endif only warns, and a count of 0 at the end starts.
test('a stray #!endif balanced by an #!ifdef never closed: Kamailio starts; a false one skips the rest', () => {
  const cfg = evaluate('debug=1\n#!endif\n#!ifdef UNDEF_X\nfork=no\nrequest_route {\n  exit;\n}\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range, p.message]), [
    [
      'kamcfg.unpaired-directive',
      r(1, 0, 1, 7),
      `This '#!endif' has no open #!ifdef/#!ifndef: Kamailio logs "invalid position for preprocessor directive 'endif'" but still counts it, so it balances the #!ifdef at line 3 that is never closed, and Kamailio starts. Remove it, and close the #!ifdef where its region should end.`,
    ],
    [
      'kamcfg.unpaired-directive',
      r(2, 0, 2, 7),
      `This #!ifdef is never closed: Kamailio starts only because the stray '#!endif' at line 2 makes the numbers of #!if… and #!endif agree, and its condition is false, so everything after it — the rest of the configuration — is skipped. Add its #!endif where the region should end.`,
    ],
  ]);
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['debug'], 'the stray #!endif changes nothing; the open #!ifdef skips the rest');
  assert.deepEqual(info(cfg).inactiveRanges, [r(3, 0, 7, 0)]);
  assert.deepEqual(info(cfg).routes, [], "request_route is in the skipped rest");
});

test('a stray #!endif before a true #!ifdef never closed: the lines after it are used', () => {
  const cfg = evaluate('#!define X\n#!endif\n#!ifndef Y\nfork=no\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range.start.line]), [
    ['kamcfg.unpaired-directive', 1],
    ['kamcfg.unpaired-directive', 2],
  ]);
  assert.match(info(cfg).problems[1]!.message, /^This #!ifndef is never closed: .* and its lines are used to the end of the configuration\./);
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['fork']);
});

test('a stray #!endif before a closed #!ifdef leaves the count at -1: fatal', () => {
  const cfg = evaluate('#!endif\n#!ifdef X\ndebug=1\n#!endif\nfork=no\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range]), [['kamcfg.syntax', r(0, 0, 0, 7)]]);
  assert.match(info(cfg).problems[0]!.message, /stops with "different number of preprocessor directives: 1 more #!endif as #!if\[n\]def"\.$/);
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['fork']);
});

test('two stray #!endif and two open #!ifdef pair up in order; more #!ifdef than that is fatal for all', () => {
  const balanced = evaluate('#!endif\n#!endif\n#!ifdef A\n#!ifdef B\n');
  assert.deepEqual(
    info(balanced).problems.map((p) => [p.code, p.range.start.line, /at line (\d+)/.exec(p.message)![1]]),
    [
      ['kamcfg.unpaired-directive', 0, '3'],
      ['kamcfg.unpaired-directive', 1, '4'],
      ['kamcfg.unpaired-directive', 2, '1'],
      ['kamcfg.unpaired-directive', 3, '2'],
    ],
  );
  const off = evaluate('#!endif\n#!ifdef A\n#!ifdef B\n');
  assert.deepEqual(info(off).problems.map((p) => [p.code, p.range.start.line]), [
    ['kamcfg.syntax', 0],
    ['kamcfg.syntax', 1],
    ['kamcfg.syntax', 2],
  ]);
  assert.ok(info(off).problems.every((p) => p.message.includes('"different number of preprocessor directives: 1 more #!if[n]def as #!endif"')));
});

test('the count is global: a stray #!endif in an included file balances an #!ifdef of the main file', () => {
  const cfg = evaluate({ [MAIN]: 'include_file "x.cfg"\n#!ifdef WITH_X\ndebug=1\n', '/etc/kamailio/x.cfg': 'fork=no\n#!endif\n' });
  assert.deepEqual(info(cfg, '/etc/kamailio/x.cfg').problems.map((p) => [p.code, p.range]), [['kamcfg.unpaired-directive', r(1, 0, 1, 7)]]);
  assert.match(info(cfg, '/etc/kamailio/x.cfg').problems[0]!.message, /balances the #!ifdef at kamailio\.cfg:2 that is never closed/);
  assert.match(info(cfg).problems[0]!.message, /because the stray '#!endif' at x\.cfg:2 makes the numbers/);
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['fork']);
});

test('#!else in a region never opened and directives with text in a skipped region only warn', () => {
  const cfg = evaluate('#!ifdef X\n#!endif # X\n!!endif x\n#!else # x\n#!endif\ndebug=1\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range]), [
    ['kamcfg.unpaired-directive', r(1, 0, 1, 11)],
    ['kamcfg.unpaired-directive', r(2, 0, 2, 9)],
    ['kamcfg.unpaired-directive', r(3, 0, 3, 10)],
  ]);
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['debug']);
});

test("'!!endif' with text in active text reaches the grammar: a parse error", () => {
  const cfg = evaluate('debug=1\n!!endif x\nfork=no\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range, p.message]), [
    [
      'kamcfg.syntax',
      r(1, 0, 1, 9),
      `'!!endif x' is no directive for Kamailio (only white space may follow '!!endif'), and '!!' does not start a comment, so the line is a parse error ("syntax error"). Write '!!endif' alone on its line.`,
    ],
  ]);
});

test('#!endif at the very end of the file without a newline is ignored', () => {
  const cfg = evaluate('#!ifdef X\ndebug=1\n#!endif');
  assert.deepEqual(problems(cfg).map(([l, c]) => [l, c]), [
    [0, 0],
    [2, 0],
  ]);
});

test('lexical problems count only in active text', () => {
  const skipped = evaluate('#!ifdef X\nlog_prefix="never closed\n/* nor this\n#!endif\ndebug=1\n');
  assert.deepEqual(problems(skipped), []);
  assert.deepEqual(skipped.coreParams.map((p) => p.name), ['debug'], 'reading resumes after the region even though the full lexing saw a string there');
  const active = evaluate('debug=1\nlog_prefix="never closed\nfork=no\n');
  assert.deepEqual(info(active).problems.map((p) => p.range), [r(1, 11, 1, 24)]);
  assert.match(info(active).problems[0]!.message, /^Unterminated string: no closing " before the end of the file, so Kamailio stops with "unexpected EOF in unclosed string"/);
  assert.deepEqual(active.coreParams.map((p) => p.name), ['debug', 'log_prefix', 'fork']);
  const comment = evaluate('debug=1\n/* a /* b */\nfork=no\n');
  assert.deepEqual(info(comment).problems.map((p) => [p.code, p.range]), [['kamcfg.unterminated-comment', r(1, 0, 1, 2)]]);
  assert.match(info(comment).problems[0]!.message, /"unexpected EOF: 1 comments open" but starts/);
});

test('#!ifexp on 6.1 (true, false, unknown → false) and on 5.6 (a comment there)', () => {
  const text = '#!ifexp KAMAILIO_VERSION >= 5008000\ndebug=1\n#!endif\n#!ifexp OS_NAME == "linux" && !defined_nope\ndebug=2\n#!endif\n#!ifexp foo(\ndebug=3\n#!endif\n';
  assert.deepEqual(evaluate(text).coreParams.map((p) => p.value.text), ['1', '2']);
  const old = evaluate('#!ifexp 0\ndebug=1\n#!endif\n', { version: '5.6' });
  assert.deepEqual(old.coreParams.map((p) => p.value.text), ['1']);
  assert.deepEqual(info(old).problems.map((p) => [p.code, p.range.start.line, p.message]), [
    ['kamcfg.version-gated', 0, "Kamailio 5.6 does not know '#!ifexp' (it arrived in 5.7): it reads the line as a comment, so the lines below are always used and the matching '#!endif' has nothing to close."],
    ['kamcfg.syntax', 2, `This '#!endif' has no open #!ifdef/#!ifndef: Kamailio logs "invalid position for preprocessor directive 'endif'", still counts it, and stops with "different number of preprocessor directives: 1 more #!endif as #!if[n]def".`],
  ]);
});

test('#!defexp computes a value (5.7+)', () => {
  const cfg = evaluate('#!define A 40\n#!defexp B A + 2\n#!defexps C "x" + "y"\ndebug=B\nlog_prefix=C\n');
  assert.deepEqual(cfg.coreParams.map((p) => [p.value.kind, p.value.text]), [
    ['number', '42'],
    ['string', 'xy'],
  ]);
});

test('#!defexp and #!undef on 5.6 are comments there', () => {
  const cfg = evaluate('#!defexp B 1\n#!define C 1\n#!undef C\n', { version: '5.6' });
  assert.deepEqual(info(cfg).problems.map((p) => [p.code, p.range, p.message]), [
    ['kamcfg.version-gated', r(0, 0, 0, 8), "Kamailio 5.6 does not know '#!defexp' (it arrived in 5.7): it reads the line as a comment, so B stays undefined."],
    ['kamcfg.version-gated', r(2, 0, 2, 7), "Kamailio 5.6 does not know '#!undef': it reads the line as a comment, so C stays defined."],
  ]);
  assert.ok(cfg.defines.has('C'));
  assert.ok(!evaluate('#!define C 1\n#!undef C\n').defines.has('C'), '#!undef is effective on newer targets');
});

test('#!defenv defines the name with a value only the deployment knows', () => {
  const cfg = evaluate('#!defenv ID=SHELL\n#!ifdef ID\ndebug=1\n#!endif\nlisten=udp:ID:5060\n');
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['debug', 'listen']);
  assert.equal(cfg.listens[0]!.hostKind, 'placeholder');
  assert.deepEqual(problems(cfg), []);
});

test('MOD_<name> is defined as soon as the module is loaded', () => {
  const cfg = evaluate('#!ifdef MOD_tls\ndebug=1\n#!endif\nloadmodule "/usr/lib/kamailio/modules/tls.so"\n#!ifdef MOD_tls\ndebug=2\n#!endif\n');
  assert.deepEqual(cfg.coreParams.map((p) => p.value.text), ['2']);
  assert.ok(cfg.defines.has('MOD_tls'));
});

test('route blocks: kinds, names, ranges and route() calls', () => {
  const cfg = evaluate(
    'request_route {\n  route(REQINIT);\n  if (is_method("INVITE")) { route(RELAY); }\n}\nroute[REQINIT] {\n  return;\n}\nroute[RELAY] { t_relay(); }\nfailure_route[MANAGE_FAILURE] { }\nbranch_route[MANAGE_BRANCH] { }\nonreply_route[MANAGE_REPLY] { }\nreply_route { }\nonsend_route { }\nevent_route[tm:local-request] { }\nroute["quoted"] { }\nroute[2] { }\n',
  );
  const routes = info(cfg).routes;
  assert.deepEqual(
    routes.map((b) => [b.kind, b.name ?? null, b.range.start.line, b.range.end.line]),
    [
      ['request_route', null, 0, 3],
      ['route', 'REQINIT', 4, 6],
      ['route', 'RELAY', 7, 7],
      ['failure_route', 'MANAGE_FAILURE', 8, 8],
      ['branch_route', 'MANAGE_BRANCH', 9, 9],
      ['onreply_route', 'MANAGE_REPLY', 10, 10],
      ['reply_route', null, 11, 11],
      ['onsend_route', null, 12, 12],
      ['event_route', 'tm:local-request', 13, 13],
      ['route', 'quoted', 14, 14],
      ['route', '2', 15, 15],
    ],
  );
  assert.deepEqual(routes[0]!.range, r(0, 0, 3, 1));
  assert.deepEqual(routes[0]!.calls, [
    { name: 'REQINIT', range: r(1, 8, 1, 15) },
    { name: 'RELAY', range: r(2, 35, 2, 40) },
  ]);
  assert.deepEqual(routes[1]!.nameRange, r(4, 6, 4, 13));
  assert.deepEqual(routes[8]!.nameRange, r(13, 12, 13, 28));
  assert.deepEqual(routes[9]!.nameRange, r(14, 7, 14, 13));
  assert.deepEqual(problems(cfg), []);
});

test('route(NAME) outside a block is no route block', () => {
  const cfg = evaluate('route(X);\nroute[X] { }\n');
  assert.deepEqual(info(cfg).routes.map((b) => b.name), ['X']);
});

test('braces are matched on the active text: duplicated headers in #!ifdef/#!else are fine', () => {
  const text = '#!ifdef WITH_NAT\nroute[NAT] {\n  fix_nated_contact();\n#!else\nroute[NAT] {\n#!endif\n  return;\n}\n';
  for (const defines of [[], ['WITH_NAT']]) {
    const cfg = evaluate(text, { defines });
    assert.deepEqual(problems(cfg), []);
    assert.equal(info(cfg).routes.length, 1);
  }
});

test('unbalanced braces: a block left open before the next route, at EOF, and a stray }', () => {
  const cfg = evaluate('request_route {\n  if (a) {\n    exit;\n}\nroute[X] {\n  return;\n}\n}\nroute[Y] {\n');
  assert.deepEqual(info(cfg).problems.map((p) => [p.range, p.message]), [
    [r(0, 14, 0, 15), "Unbalanced braces: the '{' of this request_route is not closed before 'route' on line 5, so Kamailio stops with a syntax error there."],
    [r(7, 0, 7, 1), "Unbalanced braces: this '}' closes no block, so Kamailio stops with a syntax error here."],
    [r(8, 9, 8, 10), "Unbalanced braces: the '{' of this route[Y] is never closed, so Kamailio stops with a syntax error at the end of the file."],
  ]);
  assert.deepEqual(info(cfg).routes.map((b) => b.name ?? b.kind), ['request_route', 'X', 'Y'], 'the next block is still read');
});

test('socket = { … } blocks (5.7+) become listen sockets', () => {
  const cfg = evaluate('socket = {\n  bind = tls:10.0.0.1:5061;\n  advertise = 203.0.113.1:5061;\n  name = "s1";\n  workers = 4;\n}\ndebug=2\n');
  const l = cfg.listens[0]!;
  assert.deepEqual([l.proto, l.host, l.port, l.name, l.socketBlock, l.advertise?.host, l.advertise?.port], ['tls', '10.0.0.1', 5061, 's1', true, '203.0.113.1', 5061]);
  assert.deepEqual(l.hostRange, r(1, 13, 1, 21));
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['socket', 'debug']);
  assert.deepEqual(cfg.coreParams[0]!.range, r(0, 0, 5, 1));
});

test('CRLF line endings give the same statements and ranges', () => {
  const cfg = evaluate('#!ifdef X\r\ndebug=1\r\n#!endif\r\nlisten=tls:1.2.3.4:5061\r\nmodparam("tls", "config", "/etc/tls.cfg")\r\n');
  assert.deepEqual(problems(cfg), []);
  assert.deepEqual(info(cfg).inactiveRanges, [r(1, 0, 2, 0)]);
  assert.deepEqual(cfg.listens[0]!.portRange, r(3, 19, 3, 23));
  assert.deepEqual(cfg.modparams[0]!.value.range, r(4, 26, 4, 40));
  assert.equal(cfg.modparams[0]!.value.text, '/etc/tls.cfg');
});

test('a 10,000-line generated configuration evaluates', () => {
  let text = '#!KAMAILIO\n#!define WITH_X\nloadmodule "tls.so"\n';
  for (let i = 0; i < 1111; i++) {
    text += `#!ifdef WITH_X\nmodparam("m${i}", "p", "v${i}") # c\n#!else\nx=1\n#!endif\nroute[R${i}] {\n  if ($var(x) == "a#b") { route(R${i + 1}); }\n  /* c */ xlog("L_INFO", "$ru\\n");\n}\n`;
  }
  assert.ok(text.split('\n').length >= 10000);
  const cfg = evaluate(text);
  assert.equal(cfg.modparams.length, 1111);
  assert.equal(info(cfg).routes.length, 1111);
  assert.equal(info(cfg).inactiveRanges.length, 1111);
  assert.deepEqual(problems(cfg), []);
});
