// `sip-tls explain`: every code's text comes from the catalog, and every example the catalog
// records really triggers its code when checked through the CLI on its own.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { BEHAVIOUR_WORDS, CATALOG } from '../../server/src/core/catalog';
import { runCli } from '../helpers/cli';
import { foldersRemovedAfter } from './fixtures';

const { empty } = foldersRemovedAfter();
const withExample = CATALOG.filter((e) => e.example);
const words = (text: string): string => text.replace(/\s+/g, ' ').trim();

test('every recorded example, checked on its own, reports its code', () => {
  assert.ok(withExample.length >= 20, `${withExample.length} examples`);
  // One CLI run per set of options; each example in a folder of its own.
  const byOptions = new Map<string, typeof withExample>();
  for (const e of withExample) {
    const key = JSON.stringify(e.example!.options ?? []);
    byOptions.set(key, [...(byOptions.get(key) ?? []), e]);
  }
  for (const [options, entries] of byOptions) {
    const dir = empty();
    const folders = entries.map((e) => {
      const folder = e.code.replace(/\./g, '_');
      dir.write({ [join(folder, e.example!.file)]: e.example!.text });
      return folder;
    });
    const run = runCli(['check', ...folders, '--format', 'json', ...(JSON.parse(options) as string[])], { cwd: dir.path });
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    const report = JSON.parse(run.stdout) as { diagnostics: { file: string; code: string }[] };
    for (const [i, e] of entries.entries()) {
      const codes = report.diagnostics.filter((d) => d.file === dir.file(join(folders[i]!, e.example!.file))).map((d) => d.code);
      assert.ok(codes.includes(e.code), `${e.code}: its example reports ${codes.join(', ') || 'nothing'}`);
    }
  }
});

test('explain CODE: summary, severity, what Kamailio does, help, fix, example (or says there is none), versions', () => {
  const codes = CATALOG.map((e) => e.code);
  const run = runCli(['explain', ...codes], { cwd: empty().path });
  assert.equal(run.code, 0, run.stderr);
  const sections = run.stdout.split(/\n(?=[a-z]+\.[a-z0-9-]+: )/);
  assert.equal(sections.length, CATALOG.length);
  for (const [i, e] of CATALOG.entries()) {
    const s = sections[i]!;
    assert.ok(s.startsWith(`${e.code}: ${e.summary}\n`), s.slice(0, 200));
    assert.ok(s.includes(`Default severity: ${e.severity} `), e.code);
    assert.ok(s.includes(`Kamailio ${BEHAVIOUR_WORDS[e.kamailio]}.`), e.code);
    for (const [platform, b] of Object.entries(e.onPlatform ?? {})) assert.ok(s.includes(`On ${platform}: Kamailio ${BEHAVIOUR_WORDS[b]}.`), e.code);
    assert.ok(words(s).includes(words(e.help)), `${e.code}: the catalog's help, whole`);
    assert.ok(s.includes(e.hasFix ? 'A quick fix is offered' : 'No mechanical fix'), e.code);
    if (e.example) {
      assert.ok(s.includes(`Example (${e.example.file}; sip-tls check ${e.example.file}${e.example.options ? ` ${e.example.options.join(' ')}` : ''} reports ${e.code}):\n`), e.code);
      for (const line of e.example.text.trimEnd().split('\n')) assert.ok(s.includes(`\n  ${line}\n`), `${e.code}: ${line}`);
    } else assert.ok(s.includes('Example: none recorded in the catalog for this code.'), e.code);
    assert.ok(s.includes(`Applies to: ${e.applies ?? 'every Kamailio version sip-tls knows (5.4 to 6.2)'}`), e.code);
    assert.ok(s.split('\n').every((l) => l.length <= 100 || !l.startsWith('  ')), `${e.code}: help wrapped at 100 columns`);
  }
});

test('explain without a code lists every code once with its severity and summary', () => {
  const run = runCli(['explain'], { cwd: empty().path });
  assert.equal(run.code, 0);
  const lines = run.stdout.trimEnd().split('\n');
  for (const e of CATALOG) {
    const line = lines.filter((l) => l.startsWith(`${e.code} `));
    assert.equal(line.length, 1, e.code);
    assert.match(line[0]!, new RegExp(`^${e.code.replace(/\./g, '\\.')} +${e.severity} +${e.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  }
  assert.equal(lines.at(-1), `${CATALOG.length} codes. sip-tls explain CODE says what Kamailio does, an example and the fix.`);
});

test('explain: an unknown code or option is exit 2 with the closest code; help explain and the main help document it', () => {
  const dir = empty();
  const typo = runCli(['explain', 'tls.verify-of'], { cwd: dir.path });
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /unknown diagnostic code 'tls\.verify-of'; did you mean 'tls\.verify-off'\?/);
  assert.equal(typo.stdout, '');
  assert.equal(runCli(['explain', '--frmat'], { cwd: dir.path }).code, 2);
  assert.match(runCli(['help', 'explain'], { cwd: dir.path }).stdout, /^Usage: sip-tls explain \[CODE \.\.\.\]/);
  assert.match(runCli(['--help'], { cwd: dir.path }).stdout, /sip-tls explain \[CODE \.\.\.\]/);
});
