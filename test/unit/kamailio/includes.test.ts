import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from '../helpers';
import { MAIN, evaluate, info, problems } from './evalHelpers';

test('relative includes: beside the including file first, then beside the main file', () => {
  const cfg = evaluate({
    [MAIN]: 'debug=1\ninclude_file "sub/a.cfg"\nfork=no\n',
    '/etc/kamailio/sub/a.cfg': 'import_file "b.cfg"\ninclude_file "c.cfg"\nchildren=4\n',
    '/etc/kamailio/sub/b.cfg': 'alias="b.example.com"\n',
    '/etc/kamailio/c.cfg': 'alias="c.example.com"\n',
  });
  assert.deepEqual(cfg.files, [MAIN, '/etc/kamailio/sub/a.cfg', '/etc/kamailio/sub/b.cfg', '/etc/kamailio/c.cfg']);
  assert.deepEqual(
    cfg.includes.map((i) => [i.file, i.directive, i.target, i.resolved, i.triedPaths]),
    [
      [MAIN, 'include_file', 'sub/a.cfg', ['/etc/kamailio/sub/a.cfg'], ['/etc/kamailio/sub/a.cfg']],
      ['/etc/kamailio/sub/a.cfg', 'import_file', 'b.cfg', ['/etc/kamailio/sub/b.cfg'], ['/etc/kamailio/sub/b.cfg', '/etc/kamailio/b.cfg']],
      ['/etc/kamailio/sub/a.cfg', 'include_file', 'c.cfg', ['/etc/kamailio/c.cfg'], ['/etc/kamailio/sub/c.cfg', '/etc/kamailio/c.cfg']],
    ],
  );
  assert.deepEqual(cfg.includes[0]!.targetRange, r(1, 14, 1, 23));
  assert.deepEqual(cfg.includes[0]!.range, r(1, 0, 1, 24));
  assert.equal(cfg.includes[0]!.quoted, true);
  // Kamailio's order: the included text sits where the directive is.
  assert.deepEqual(
    [...cfg.coreParams.map((p) => [p.name, p.order]), ...cfg.aliases.map((a) => [a.host, a.order])].sort((a, b) => Number(a[1]) - Number(b[1])).map((x) => x[0]),
    ['debug', 'alias', 'b.example.com', 'alias', 'c.example.com', 'children', 'fork'],
  );
  assert.deepEqual(info(cfg, '/etc/kamailio/sub/a.cfg').includes.map((i) => i.target), ['b.cfg', 'c.cfg']);
  assert.deepEqual(problems(cfg), []);
});

test('a missing import_file is skipped silently; a missing include_file is recorded for the rule', () => {
  const cfg = evaluate('import_file "kamailio-local.cfg"\n#!include_file "missing.cfg"\ndebug=2\n');
  assert.deepEqual(
    cfg.includes.map((i) => [i.directive, i.resolved, i.triedPaths]),
    [
      ['import_file', [], ['/etc/kamailio/kamailio-local.cfg']],
      ['include_file', [], ['/etc/kamailio/missing.cfg']],
    ],
  );
  assert.deepEqual(problems(cfg), [], 'the rule layer reports the missing include_file');
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['debug']);
});

test('absolute include paths go through mapPath', () => {
  const cfg = evaluate({ [MAIN]: 'include_file "/etc/kamailio/tls-role.cfg"\n', '/ws/etc/tls-role.cfg': 'enable_tls=yes\n' }, { mapPath: (p) => p.replace('/etc/kamailio/', '/ws/etc/') });
  assert.deepEqual(cfg.includes[0]!.resolved, ['/ws/etc/tls-role.cfg']);
  assert.deepEqual(cfg.includes[0]!.triedPaths, ['/ws/etc/tls-role.cfg']);
  assert.equal(cfg.coreParams[0]!.file, '/ws/etc/tls-role.cfg');
});

test('an include cycle is reported once and not followed', () => {
  const cfg = evaluate({
    [MAIN]: 'include_file "a.cfg"\ndebug=1\n',
    '/etc/kamailio/a.cfg': 'include_file "b.cfg"\n',
    '/etc/kamailio/b.cfg': 'include_file "a.cfg"\nfork=no\n',
  });
  assert.deepEqual(cfg.files, [MAIN, '/etc/kamailio/a.cfg', '/etc/kamailio/b.cfg']);
  assert.deepEqual(info(cfg, '/etc/kamailio/b.cfg').problems.map((p) => [p.range, p.message]), [
    [
      r(0, 14, 0, 19),
      `'a.cfg' is already being read (kamailio.cfg → a.cfg → b.cfg → a.cfg): Kamailio would include it again and again until it stops with "too many includes" (the nesting limit is 10).`,
    ],
  ]);
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['fork', 'debug']);
});

test('includes nest at most 10 deep', () => {
  const files: Record<string, string> = { [MAIN]: 'include_file "f1.cfg"\n' };
  for (let i = 1; i <= 12; i++) files[`/etc/kamailio/f${i}.cfg`] = `include_file "f${i + 1}.cfg"\n`;
  const cfg = evaluate(files);
  assert.equal(cfg.files.length, 11);
  assert.deepEqual(problems(cfg, '/etc/kamailio/f10.cfg').map(([l, c, m]) => [l, c, m]), [[0, 14, 'Includes are nested more than 10 deep here: Kamailio stops with "too many includes".']]);
});

test('the file name must be in double quotes (also: a trailing ; is part of the name)', () => {
  const cfg = evaluate({ [MAIN]: 'include_file local.cfg\ninclude_file "local.cfg";\ninclude_file "local.cfg"\n', '/etc/kamailio/local.cfg': 'debug=1\n' });
  assert.deepEqual(info(cfg).problems.map((p) => [p.range, p.message]), [
    [r(0, 13, 0, 22), 'The file name of include_file must be in double quotes: Kamailio exits with "included file name must be between quotes: local.cfg".'],
    [
      r(1, 13, 1, 25),
      `Kamailio reads the whole '"local.cfg";' as the file name (everything up to white space), so the ';' breaks it and Kamailio exits with "included file name must be between quotes". Remove the ';'.`,
    ],
  ]);
  assert.deepEqual(
    cfg.includes.map((i) => [i.quoted, i.resolved.length]),
    [
      [false, 0],
      [false, 0],
      [true, 1],
    ],
  );
});

test('one #!ifdef stack for the whole deployment: a region opened in one file can close in another', () => {
  const cfg = evaluate({ [MAIN]: '#!ifdef WITH_X\ninclude_file "x.cfg"\ndebug=1\n', '/etc/kamailio/x.cfg': 'fork=no\n#!endif\nchildren=2\n' }, { defines: ['WITH_X'] });
  assert.deepEqual(cfg.coreParams.map((p) => p.name), ['fork', 'children', 'debug']);
  assert.deepEqual(problems(cfg), []);
  assert.deepEqual(problems(cfg, '/etc/kamailio/x.cfg'), []);
  const off = evaluate({ [MAIN]: '#!ifdef WITH_X\ninclude_file "x.cfg"\n#!endif\ndebug=1\n', '/etc/kamailio/x.cfg': 'fork=no\n' });
  assert.deepEqual(off.files, [MAIN], 'an include in a skipped region is not read');
  assert.deepEqual(off.includes, []);
});

test('an include inside a route block is part of the block', () => {
  const cfg = evaluate({
    [MAIN]: 'request_route {\n  route(A);\n  import_file "checks.cfg"\n}\nroute[A] { }\n',
    '/etc/kamailio/checks.cfg': 'if (!mf_process_maxfwd_header("10")) {\n  sl_send_reply("483", "Too Many Hops");\n  exit;\n}\n',
  });
  assert.deepEqual(problems(cfg), []);
  assert.deepEqual(info(cfg).routes.map((b) => [b.kind, b.range]), [
    ['request_route', r(0, 0, 3, 1)],
    ['route', r(4, 0, 4, 12)],
  ]);
});

test('import_files "dir/*.cfg" (kazoo configurations; not in upstream Kamailio) includes the matches in name order', () => {
  const cfg = evaluate({
    [MAIN]: 'import_files "local.d/*.cfg"\nimport_files "none.d/*.cfg"\n',
    '/etc/kamailio/local.d/20-b.cfg': 'alias="b"\n',
    '/etc/kamailio/local.d/10-a.cfg': 'alias="a"\n',
    '/etc/kamailio/local.d/readme.txt': 'x\n',
  });
  assert.deepEqual(
    cfg.includes.map((i) => [i.directive, i.target, i.resolved]),
    [
      ['import_files', 'local.d/*.cfg', ['/etc/kamailio/local.d/10-a.cfg', '/etc/kamailio/local.d/20-b.cfg']],
      ['import_files', 'none.d/*.cfg', []],
    ],
  );
  assert.deepEqual(cfg.aliases.map((a) => a.host), ['a', 'b']);
  assert.deepEqual(cfg.includes[0]!.targetRange, r(0, 14, 0, 27));
});
