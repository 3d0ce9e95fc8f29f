// Code actions as an editor receives them from the bundled server: "fix all of this kind in the
// file", and the fixes that create files (chain.incomplete → a fullchain file; chain.order → a
// reordered copy) as WorkspaceEdit file operations that never overwrite.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { lines, makeTempDir } from '../helpers/tempDir';
import { TestPki, chainPem, keyPem, standardChain } from '../fixtures/pki';

function applyText(text: string, edits: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const offset = (p: { line: number; character: number }) => {
    let o = 0;
    for (let l = 0; l < p.line; l++) o = text.indexOf('\n', o) + 1;
    return o + p.character;
  };
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

test('fix all of this kind in the file: one action fixes every typo, and only when there are several', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const text = lines(
      '[server:default]',
      'method = TLSv1.2+',
      'require_certiificate = no',
      '[server:127.0.0.1:5061]',
      'method = TLSv1.2+',
      'require_certiificate = no',
      '[client:default]',
      'method = TLSv1.2+',
      'verify_certiificate = no',
      'method = TLSv1_2',
    );
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', text);
    const { diagnostics } = await client.waitForDiagnostics(uri, { version: 1 });
    const typos = withCode(diagnostics, 'tlscfg.unknown-option');
    assert.equal(typos.length, 3);
    const actions = (await client.codeActions(uri, typos[0]!.range, [typos[0]!])) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ["Replace with 'require_certificate'", 'Fix all tlscfg.unknown-option in this file (3)', 'Ignore tlscfg.unknown-option on this line (sip-tls: ignore comment)']);
    const all = actions[1]!;
    assert.equal(all.kind, 'quickfix');
    assert.equal(all.isPreferred, undefined, 'the single fix stays the preferred one');
    assert.equal(all.diagnostics!.length, 3);
    const fixed = applyText(text, all.edit!.changes![uri]!);
    assert.equal(fixed, text.replaceAll('require_certiificate', 'require_certificate').replace('verify_certiificate', 'verify_certificate'));

    // One bad method only: no "fix all" for it.
    const bad = withCode(diagnostics, 'tlscfg.bad-value');
    assert.equal(bad.length, 1);
    const single = (await client.codeActions(uri, bad[0]!.range, [bad[0]!])) as CodeAction[];
    assert.deepEqual(single.map((a) => a.title), ["Replace with 'TLSv1.2'", 'Ignore tlscfg.bad-value on this line (sip-tls: ignore comment)']);

    // After the fix the server publishes no unknown option.
    await client.change(uri, fixed, 2);
    const after = await client.waitForDiagnostics(uri, { version: 2 });
    assert.deepEqual(withCode(after.diagnostics, 'tlscfg.unknown-option'), []);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('chain.incomplete and chain.order: the fix creates a new file through a WorkspaceEdit, never over an existing one', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const pki = new TestPki();
  const { root, intermediate, leaf } = standardChain(pki);
  dir.write({
    'certs/server.pem': leaf.pem,
    'certs/server.key': keyPem(leaf.privateKey),
    'certs/intermediate.pem': intermediate.pem,
    'certs/reversed.pem': chainPem(intermediate, leaf),
    'certs/reversed.key': keyPem(leaf.privateKey),
    'certs/root.pem': root.pem,
    // Someone's file with the name the fix would choose first: it must not be touched.
    'certs/server.fullchain.pem': 'not mine\n',
  });
  const text = lines(
    '[server:default]',
    'method = TLSv1.2+',
    'certificate = certs/server.pem',
    'private_key = certs/server.key',
    '[server:127.0.0.1:5061]',
    'method = TLSv1.2+',
    'certificate = certs/reversed.pem',
    'private_key = certs/reversed.key',
  );
  const tlsPath = dir.file('tls.cfg');
  dir.write({ 'tls.cfg': text });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], settings: { trustAnchors: [dir.file('certs/root.pem')] } });
  try {
    const uri = fileUri(tlsPath);
    await client.open(uri, 'kamailio-tls', text);
    const { diagnostics } = await client.waitForDiagnostics(uri, { version: 1 });

    const incomplete = withCode(diagnostics, 'chain.incomplete');
    assert.equal(incomplete.length, 1, JSON.stringify(diagnostics.map((d) => d.code)));
    const [create] = (await client.codeActions(uri, incomplete[0]!.range, incomplete)) as CodeAction[];
    assert.ok(create, 'a fix');
    const changes = create.edit!.documentChanges as (CreateFile | TextDocumentEdit)[];
    const op = changes[0] as CreateFile;
    assert.equal(op.kind, 'create');
    assert.equal(op.uri, fileUri(dir.file('certs/server.fullchain-2.pem')), 'a fresh name beside the taken one');
    assert.deepEqual(op.options, { overwrite: false, ignoreIfExists: false });
    const content = (changes[1] as TextDocumentEdit).edits[0]!.newText;
    assert.equal(content, chainPem(leaf, intermediate), 'leaf first, then the intermediate');
    const pointer = changes.find((c): c is TextDocumentEdit => 'textDocument' in c && c.textDocument.uri === uri)!;
    assert.equal(pointer.edits[0]!.newText, 'certs/server.fullchain-2.pem');

    const order = withCode(diagnostics, 'chain.order');
    assert.equal(order.length, 1, JSON.stringify(diagnostics.map((d) => d.code)));
    const [reorder] = (await client.codeActions(uri, order[0]!.range, order)) as CodeAction[];
    const ops = reorder!.edit!.documentChanges as (CreateFile | TextDocumentEdit)[];
    assert.equal((ops[0] as CreateFile).kind, 'create');
    assert.deepEqual((ops[0] as CreateFile).options, { overwrite: false, ignoreIfExists: false });
    assert.equal((ops[1] as TextDocumentEdit).edits[0]!.newText, chainPem(leaf, intermediate), 'the leaf moves first');
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('a client that cannot create files is offered no file-creating fix (rather than one that fails)', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const pki = new TestPki();
  const { intermediate, leaf } = standardChain(pki);
  dir.write({ 'certs/server.pem': leaf.pem, 'certs/server.key': keyPem(leaf.privateKey), 'certs/intermediate.pem': intermediate.pem });
  const text = lines('[server:default]', 'method = TLSv1.2+', 'certificate = certs/server.pem', 'private_key = certs/server.key');
  dir.write({ 'tls.cfg': text });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], capabilities: { createFiles: false } });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', text);
    const { diagnostics } = await client.waitForDiagnostics(uri, { version: 1 });
    const incomplete = withCode(diagnostics, 'chain.incomplete');
    assert.equal(incomplete.length, 1);
    // Only the suppression comment, which edits the open document and creates nothing.
    assert.deepEqual(((await client.codeActions(uri, incomplete[0]!.range, incomplete)) as CodeAction[]).map((a) => a.title), ['Ignore chain.incomplete on this line (sip-tls: ignore comment)']);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('cert.self-signed: the lab command is offered only to a client that declared it', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const self = new TestPki().selfSigned('sip.example.com');
  dir.write({ 'certs/self.pem': self.pem, 'certs/self.key': keyPem(self.privateKey) });
  const text = lines('[server:default]', 'method = TLSv1.2+', 'certificate = certs/self.pem', 'private_key = certs/self.key');
  dir.write({ 'tls.cfg': text });
  for (const declared of [true, false]) {
    const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], initializationOptions: declared ? { commands: ['sipTls.generateLabPki'] } : {} });
    try {
      const uri = fileUri(dir.file('tls.cfg'));
      await client.open(uri, 'kamailio-tls', text);
      const { diagnostics } = await client.waitForDiagnostics(uri, { version: 1 });
      const selfSigned = withCode(diagnostics, 'cert.self-signed');
      assert.equal(selfSigned.length, 1, JSON.stringify(diagnostics.map((d) => d.code)));
      const actions = (await client.codeActions(uri, selfSigned[0]!.range, selfSigned)) as CodeAction[];
      if (declared) {
        assert.deepEqual(actions.map((a) => [a.title, a.command?.command]), [['Generate a lab CA and a CA-signed certificate…', 'sipTls.generateLabPki'], ['Ignore cert.self-signed on this line (sip-tls: ignore comment)', undefined]]);
      } else {
        assert.deepEqual(actions.map((a) => a.title), ['Ignore cert.self-signed on this line (sip-tls: ignore comment)']);
      }
    } finally {
      await client.shutdown();
    }
  }
  dir.remove();
});
