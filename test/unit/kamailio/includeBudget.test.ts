// Include fan-out is bounded (issue 11, "include depth and fan-out"): Kamailio reads a fragment
// as often as it is included, so a repository can make one deployment gigabytes of text. Past
// MAX_INCLUDED_CHARS of included text sip-tls follows no more includes: one project.check-limit
// at the include that crossed it, everything before it and the rest of the including files still
// checked. Generated: fragment sizes × directives × nesting, crossing at a computed include.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_INCLUDED_CHARS } from '../../../server/src/core/kamailio/activeStream';
import { MAIN, evaluate } from './evalHelpers';

const MiB = 1024 * 1024;

/** A fragment of `chars` characters: comment lines, then one alias naming it. */
function fragment(chars: number, name: string): string {
  const line = `# ${'x'.repeat(76)}\n`;
  return line.repeat(Math.ceil(chars / line.length)) + `alias="${name}.example.com"\n`;
}

for (const [size, directive, nested] of [
  [2 * MiB, 'include_file', false],
  [7 * MiB, 'import_file', false],
  [5 * MiB, 'include_file', true],
] as const) {
  test(`${Math.round(size / MiB)} MiB fragments by ${directive}${nested ? ' through a nested fragment' : ''}: one check-limit where the budget is crossed, the rest checked`, () => {
    const big = fragment(size, 'big');
    const crossing = Math.floor(MAX_INCLUDED_CHARS / big.length); // includes 0..crossing-1 fit
    const count = crossing + 3;
    const files: Record<string, string> = { '/etc/kamailio/big.cfg': big };
    let via = '/etc/kamailio/big.cfg';
    if (nested) {
      files['/etc/kamailio/wrap.cfg'] = `${directive} "big.cfg"\n`;
      via = '/etc/kamailio/wrap.cfg';
    }
    const lines = ['#!KAMAILIO', ...Array.from({ length: count }, () => `${directive} "${via.slice('/etc/kamailio/'.length)}"`), 'listen=tls:192.0.2.10:5061', 'alias="after.example.com"'];
    files[MAIN] = lines.join('\n') + '\n';
    const cfg = evaluate(files);
    const limits = [...cfg.fileInfo.values()].flatMap((i) => i.problems.filter((p) => p.code === 'project.check-limit').map((p) => ({ p, file: [...cfg.fileInfo.entries()].find(([, v]) => v === i)![0] })));
    assert.equal(limits.length, 1, JSON.stringify(limits.map((l) => l.p.message)));
    const limit = limits[0]!;
    // The include that crossed: in main at line 1 + crossing (or, nested, the wrapper's include).
    if (nested) assert.equal(limit.file, '/etc/kamailio/wrap.cfg');
    else assert.deepEqual([limit.file, limit.p.range.start.line], [MAIN, 1 + crossing]);
    assert.match(limit.p.message, /stops following includes here: this deployment's included text would pass 64 MiB/);
    assert.match(limit.p.message, /Kamailio reads them all/);
    // Everything before the crossing was read; what follows the includes in main still is.
    assert.equal(cfg.aliases.filter((a) => a.host === 'big.example.com').length, crossing);
    assert.ok(cfg.aliases.some((a) => a.host === 'after.example.com'));
    assert.equal(cfg.listens.length, 1, 'the listen after the includes is still read');
  });
}

test('under the budget nothing is said and every include is followed', () => {
  const big = fragment(MiB, 'big');
  const count = Math.floor(MAX_INCLUDED_CHARS / big.length);
  const cfg = evaluate({ [MAIN]: '#!KAMAILIO\n' + 'include_file "big.cfg"\n'.repeat(count), '/etc/kamailio/big.cfg': big });
  assert.equal(cfg.aliases.length, count);
  assert.ok(![...cfg.fileInfo.values()].some((i) => i.problems.some((p) => p.code === 'project.check-limit')));
});
