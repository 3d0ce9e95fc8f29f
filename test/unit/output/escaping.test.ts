// The two escaping functions every output goes through, as properties over generated hostile
// strings (test/helpers/hostileText.ts): Markdown text and code spans render as exactly the text
// they were given, in every position our Markdown puts them (paragraph, list item, heading, table
// cell, line start), never as a link, an image or HTML (rendered with markdown-it, raw HTML and
// linkify on); visibleControls leaves no raw control, format character or separator, and applied to
// JSON it changes no value. And the escape hatch, trusted(), is used only for the product's own text.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { Markdown, code, md, text } from '../../../server/src/core/util/markdown';
import { visibleControls, visibleLines } from '../../../server/src/core/util/visible';
import { visibleStream } from '../../../server/src/cli/visibleOutput';
import { notificationText } from '../../../client/src/notificationText';
import { Rng } from '../../helpers/fuzz/prng';
import { ALL_PIECES, hostileString, rawInvisible } from '../../helpers/hostileText';
import { markdownText, markupProblems, renderMarkdown } from '../../helpers/markdown';
import { REPO_ROOT } from '../../helpers/paths';

const SEED = Number(process.env.SIP_TLS_ESCAPING_SEED ?? 20261211);
const COUNT = Number(process.env.SIP_TLS_ESCAPING_COUNT ?? 3000);

/** Every piece alone, then COUNT generated strings. */
function* samples(): Generator<string> {
  yield* ALL_PIECES;
  for (let i = 0; i < COUNT; i++) yield hostileString(Rng.forInput(SEED, i), { maxPieces: 6 });
}

function same(actual: string, expected: string, what: string, input: string): void {
  assert.equal(actual, expected, `${what} of ${JSON.stringify(input)}`);
}

test(`text(): ${COUNT} hostile strings render as themselves in a paragraph, a list, a heading, a table cell and at a line start — no link, image or HTML`, () => {
  let checked = 0;
  for (const s of samples()) {
    const shown = visibleControls(s);
    const contexts: [string, Markdown, string][] = [
      ['paragraph', md`Value: ${s}`, `Value: ${shown}`],
      ['list item', md`- first\n- ${s}`, `first\n${shown}`],
      ['heading', md`## ${s}`, shown],
      ['line start', md`${s}`, shown],
      ['after a line', md`**Label**\n${s}`, `Label\n${shown}`],
      ['bold', md`**Label** — ${s} — end`, `Label — ${shown} — end`],
    ];
    for (const [where, m, expected] of contexts) {
      assert.deepEqual(markupProblems(m.value), [], `${where}: ${JSON.stringify(s)} → ${JSON.stringify(m.value)}`);
      same(markdownText(m.value), `${expected}\n`, where, s);
      checked++;
    }
    const table = md`| Key | Value |\n|---|---|\n| a | ${s} |`;
    assert.deepEqual(markupProblems(table.value), [], `table: ${JSON.stringify(s)}`);
    const cells = renderMarkdown(table.value).match(/<td>([\s\S]*?)<\/td>/g) ?? [];
    assert.equal(cells.length, 2, `the row keeps its two cells: ${JSON.stringify(s)} → ${JSON.stringify(table.value)}`);
    same(markdownText(cells[1]!).replace(/ \| $/, ''), shown, 'table cell', s);
  }
  assert.ok(checked >= (COUNT + ALL_PIECES.length) * 6);
});

test(`code(): ${COUNT} hostile strings are one code span holding exactly the visible text`, () => {
  for (const s of samples()) {
    for (const m of [md`Path: ${code(s)} (end)`, md`- **Subject**: ${code(s)}`, md`**${code(s)}** (how)`]) {
      assert.deepEqual(markupProblems(m.value), [], `${JSON.stringify(s)} → ${JSON.stringify(m.value)}`);
      const spans = [...renderMarkdown(m.value).matchAll(/<code>([\s\S]*?)<\/code>/g)].map((x) => x[1]!.replace(/&(amp|lt|gt|quot);/g, (e) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"' })[e]!));
      assert.equal(spans.length, 1, `one code span: ${JSON.stringify(m.value)}`);
      // An all-blank value is shown padded; anything else exactly.
      if (s.trim() !== '') same(spans[0]!, visibleControls(s), 'code span', s);
    }
  }
});

test(`visibleControls(): no raw control, format character or separator survives; idempotent; plain text unchanged`, () => {
  for (const s of samples()) {
    const v = visibleControls(s);
    assert.equal(rawInvisible(v, false), undefined, JSON.stringify(s));
    assert.equal(visibleControls(v), v, 'idempotent');
    assert.equal(visibleLines(s).split('\n').length, s.split('\n').length, 'visibleLines keeps the lines');
  }
  for (const plain of ['sip.example.com', 'CN=Test Root CA, O=sip-tls tests', 'Ünïcödé ✅ ⛔ ⚠️ 💡 日本', 'a\\b']) assert.equal(visibleControls(plain), plain);
  assert.equal(visibleControls('a\x1b[2J\rb\u202ec\u{e0041}\n'), 'a\\u001b[2J\\rb\\u202ec\\udb40\\udc41\\n');
});

test('visibleLines() on JSON changes bytes, never values: every hostile string round-trips exactly', () => {
  const values = [...samples()];
  const document = { version: 1, values, nested: values.slice(0, 50).map((v) => ({ [v]: v })) };
  for (const json of [JSON.stringify(document, null, 2), JSON.stringify(document)]) {
    const shown = visibleLines(json);
    assert.equal(rawInvisible(shown), undefined);
    assert.deepEqual(JSON.parse(shown), document);
  }
});

test('the CLI streams show controls visibly; colour is kept only where formatText made the text visible first', () => {
  const written: string[] = [];
  const sink = { write: (t: string) => written.push(t), isTTY: true };
  visibleStream(sink).write('a\x1b[31mred\x1b[0m\rVerdict: OK\nnext\u202e\n');
  visibleStream(sink, { colour: true }).write('\x1b[31;1merror\x1b[0m x\x1b]0;t\x07\n');
  assert.deepEqual(written, ['a\\u001b[31mred\\u001b[0m\\rVerdict: OK\nnext\\u202e\n', '\x1b[31;1merror\x1b[0m x\\u001b]0;t\\u0007\n']);
  assert.equal(visibleStream(sink).isTTY, true, 'isTTY is passed on (colour decisions)');
});

test('Markdown values are made only by the markdown module, and never silently become strings', () => {
  assert.throws(() => new (Markdown as unknown as new (token: symbol, value: string) => Markdown)(Symbol('Markdown'), '![x](https://evil.example/x.png)'), TypeError);
  assert.equal(md`**${'*x*'}** ${code('`a`')} ${text('<b>')} ${3}`.value, '**\\*x\\*** `` `a` `` \\<b\\> 3');
  assert.throws(() => `${md`**x**`}`, TypeError, 'Markdown pasted into a plain string is refused');
});

/** Every trusted(…) call in the product, by file: each argument is documentation written in this repository. */
const TRUSTED_CALLS: Record<string, string[]> = {
  'server/src/core/features/hover.ts': ['spec.doc', "METHOD_TEXT[m.name] ?? ''", 'words', 'spec.doc', 'doc'],
  'server/src/core/features/completion.ts': ['docs(v)!', 'p.doc'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('trusted() — Markdown taken as it is — is only used for the product’s own documentation tables', () => {
  const found: Record<string, string[]> = {};
  for (const file of [...sources(path.join(REPO_ROOT, 'server', 'src')), ...sources(path.join(REPO_ROOT, 'client', 'src'))]) {
    const rel = path.relative(REPO_ROOT, file);
    if (rel === path.join('server', 'src', 'core', 'util', 'markdown.ts')) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/\btrusted\(([^()]*(?:\([^()]*\))?[^()]*)\)/g)) (found[rel] ??= []).push(m[1]!);
  }
  assert.deepEqual(found, TRUSTED_CALLS, 'a new trusted() call: make sure its argument can never hold text from a file, a certificate, a peer or the user, then list it here');
});

/** How VS Code finds links in a notification message (vs/base/common/linkedText.ts, parseLinkedText). */
const NOTIFICATION_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

test(`notificationText(): ${COUNT} hostile strings make no link and no raw control in a VS Code notification`, () => {
  assert.ok(NOTIFICATION_LINK.test('wrote [x](command:workbench.action.terminal.new)'), 'the pattern finds a link');
  for (const s of samples()) {
    const shown = notificationText(`SIP-TLS: wrote x.pem (${s} → ${s}).`);
    NOTIFICATION_LINK.lastIndex = 0;
    assert.equal(NOTIFICATION_LINK.exec(shown), null, JSON.stringify(shown));
    assert.equal(rawInvisible(shown, false), undefined, JSON.stringify(shown));
  }
});
