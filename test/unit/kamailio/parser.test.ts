import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseKamailioFile } from '../../../server/src/core/kamailio';
import type { StatementItem } from '../../../server/src/core/kamailio/statements';
import { r } from '../helpers';

const FILE = '/etc/kamailio/kamailio.cfg';

function describe(item: StatementItem): string {
  switch (item.type) {
    case 'assign':
      return `assign ${item.name} = ${item.value.map((t) => t.text).join(' ')}`;
    case 'directive':
      return `directive ${item.token.directive!.name}`;
    case 'include':
      return `include ${item.token.include!.name?.text ?? ''}`;
    case 'loadmodule':
      return `loadmodule ${item.path?.value ?? ''}`;
    case 'loadpath':
      return `loadpath ${item.path?.value ?? ''}`;
    case 'modparam':
      return `modparam ${item.module?.value ?? ''} ${item.param?.value ?? ''}`;
    case 'cfgengine':
      return `cfgengine ${item.engine?.value ?? ''}`;
    case 'flags':
      return `flags ${item.names.map((n) => n.text).join(',')}`;
    case 'route':
      return `route ${item.kind}${item.name ? `[${item.name.text}]` : ''} calls=${item.calls.map((c) => c.name).join(',')}`;
    case 'import_files':
      return `import_files ${item.target?.value ?? ''}`;
  }
}

test('items of one file in source order, every #!ifdef branch included, nothing expanded', () => {
  const text = `#!KAMAILIO
#!define WITH_TLS
#!ifdef WITH_TLS
enable_tls=yes
#!else
enable_tls=no
#!endif
flags FLT_ACC:1, FLT_NAT
mpath "/usr/lib/kamailio/modules"
loadmodule "tls.so"
modparam("tls", "config", "/etc/kamailio/tls.cfg")
cfgengine "native"
include_file "local.cfg"
import_files "d/*.cfg"
listen=tls:MY_IP:5061
request_route {
#!ifdef WITH_TLS
  route(TLS);
#!endif
}
`;
  const parsed = parseKamailioFile(FILE, text);
  assert.deepEqual(parsed.items.map(describe), [
    'directive define',
    'directive ifdef',
    'assign enable_tls = yes',
    'directive else',
    'assign enable_tls = no',
    'directive endif',
    'flags FLT_ACC,FLT_NAT',
    'loadpath /usr/lib/kamailio/modules',
    'loadmodule tls.so',
    'modparam tls config',
    'cfgengine native',
    'include "local.cfg"',
    'import_files d/*.cfg',
    'assign listen = tls : MY_IP : 5061',
    'route request_route calls=TLS',
    'directive ifdef',
    'directive endif',
  ]);
  assert.equal(parsed.file, FILE);
  assert.equal(parsed.text, text);
  assert.equal(parsed.lines.lineCount, 21);
});

test('the standalone info: no outside define, includes not followed', () => {
  const parsed = parseKamailioFile(FILE, '#!KAMAILIO\n#!ifdef WITH_TLS\nenable_tls=yes\n#!endif\n#!define X 1\ninclude_file "local.cfg"\nroute[A] {\n  route(B);\n}\n#!endif x\n');
  const info = parsed.info;
  assert.equal(info.file, FILE);
  assert.equal(info.marker, 'KAMAILIO');
  assert.deepEqual(info.inactiveRanges, [r(2, 0, 3, 0)]);
  assert.deepEqual(info.defines.map((d) => [d.name, d.value, d.range]), [['X', '1', r(4, 9, 4, 10)]]);
  assert.deepEqual(info.includes.map((i) => [i.target, i.resolved, i.triedPaths]), [['local.cfg', [], ['/etc/kamailio/local.cfg']]]);
  assert.deepEqual(info.routes.map((b) => [b.kind, b.name, b.calls.map((c) => c.name)]), [['route', 'A', ['B']]]);
  // One #!ifdef, one #!endif: the numbers agree, so the `#!endif x` comment only warns.
  assert.deepEqual(info.problems.map((p) => [p.code, p.range]), [['kamcfg.unpaired-directive', r(9, 0, 9, 9)]]);
});

test('a file with no marker and no statements', () => {
  const parsed = parseKamailioFile(FILE, '');
  assert.deepEqual(parsed.items, []);
  assert.equal(parsed.info.marker, undefined);
  assert.deepEqual(parsed.info.problems, []);
});

test('lexFrom re-lexes from an offset and is memoised', () => {
  const parsed = parseKamailioFile(FILE, 'a="x\ny"\nb=1\n');
  const again = parsed.lexFrom(5);
  assert.equal(again, parsed.lexFrom(5));
  assert.deepEqual(again.tokens.map((t) => t.text), ['y', '"', 'b', '=', '1'], 'the quote opens a string that never closes');
});
