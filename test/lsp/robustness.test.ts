// Hostile input never takes the server down: binary garbage, a 2 MB document, documents opened
// in any language; afterwards the server still answers requests.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';

/** Deterministic pseudo-random bytes as text (every byte value, NUL and broken UTF-8 included). */
function garbage(length: number, seed: number): string {
  let x = seed;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes) + '\u0000\ud800[server:\u0000]';
}

async function stillAnswers(client: LspTestClient, uri: string): Promise<void> {
  const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } };
  const actions = (await client.codeActions(uri, range, [])) as CodeAction[];
  assert.deepEqual(actions, []);
  assert.equal(await client.codeActions('file:///not/open/tls.cfg', range, []), null);
  assert.equal(client.hasExited, false);
}

test('binary garbage in tls.cfg and kamailio.cfg documents does not crash the server', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const tls = fileUri(dir.file('tls.cfg'));
    const kam = fileUri(dir.file('kamailio.cfg'));
    await client.open(tls, 'kamailio-tls', garbage(20_000, 1));
    await client.open(kam, 'kamailio', '#!KAMAILIO\n' + garbage(20_000, 2));
    const published = await client.waitForDiagnostics(tls, { version: 1 });
    assert.ok(published.diagnostics.length > 0, 'garbage is reported, not ignored');
    await client.waitForDiagnostics(kam, { version: 1 });
    await stillAnswers(client, tls);
    // And it keeps working normally.
    await client.change(tls, '[server:default]\nrequire_certiificate = yes\n', 2);
    const normal = await client.waitForDiagnostics(tls, { version: 2 });
    assert.ok(normal.diagnostics.some((d) => d.code === 'tlscfg.unknown-option'));
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('a 2 MB document is checked, its diagnostics are capped, and the server still answers', { timeout: 120_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    // Thousands of findings, errors (unknown options) and warnings (duplicates) mixed.
    let text = '[server:default]\n';
    let i = 0;
    const comment = '# ' + 'padding '.repeat(8) + '\n';
    while (text.length < 2 * 1024 * 1024) text += comment.repeat(12) + `verify_certificate = no\nbogus_option_${i++} = 1\n`;
    assert.ok(i > 1000);
    await client.open(uri, 'kamailio-tls', text);
    const published = await client.waitForDiagnostics(uri, { version: 1, timeoutMs: 90_000 });
    assert.equal(published.diagnostics.length, 1000);
    // Errors are kept first when the cap applies: the unknown options, not the duplicate warnings.
    assert.ok(published.diagnostics.every((d) => d.severity === 1), 'only errors survive the cap here');
    await stillAnswers(client, uri);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('documents of other languages and schemes are tolerated', { timeout: 30_000 }, async () => {
  const { client } = await LspTestClient.start();
  try {
    const untitled = 'untitled:Untitled-1';
    await client.open(untitled, 'kamailio-tls', '[server:default]\nrequire_certiificate = yes\n');
    const published = await client.waitForDiagnostics(untitled, { version: 1 });
    assert.ok(published.diagnostics.some((d) => d.code === 'tlscfg.unknown-option'));
    await client.open('file:///tmp/notes.txt', 'plaintext', 'hello');
    // A generic .cfg in another editor's `cfg` filetype is not ours; tls*.cfg by name is.
    await client.open('file:///tmp/app/settings.cfg', 'cfg', 'bogus = 1\n');
    await client.open('file:///tmp/app/tls-edge.cfg', 'cfg', '[server:default]\nrequire_certiificate = yes\n');
    const byName = await client.waitForDiagnostics('file:///tmp/app/tls-edge.cfg', { version: 1 });
    assert.ok(byName.diagnostics.some((d) => d.code === 'tlscfg.unknown-option'));
    await stillAnswers(client, untitled);
    assert.equal(client.publishedFor('file:///tmp/notes.txt').length, 0);
    assert.equal(client.publishedFor('file:///tmp/app/settings.cfg').length, 0);
  } finally {
    await client.shutdown();
  }
});
