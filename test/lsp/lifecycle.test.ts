// The bundled server starts on both entry points, announces its capabilities, registers file
// watchers where the client allows it, answers unknown documents with null and shuts down cleanly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocumentSyncKind } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';
import manifest from '../../package.json';

test('node dist/server.js --stdio starts, initializes and exits cleanly', { timeout: 30_000 }, async () => {
  const { client, result } = await LspTestClient.start({ entry: 'server' });
  try {
    assert.deepEqual(result.serverInfo, { name: 'sip-tls', version: manifest.version });
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
  } finally {
    assert.equal(await client.shutdown(), 0);
  }
});

test('sip-tls serve --stdio runs the same server', { timeout: 30_000 }, async () => {
  const { client, result } = await LspTestClient.start({ entry: 'cli' });
  try {
    assert.deepEqual(result.serverInfo, { name: 'sip-tls', version: manifest.version });
    assert.deepEqual(result.capabilities.textDocumentSync, { openClose: true, change: TextDocumentSyncKind.Incremental });
    assert.deepEqual(result.capabilities.codeActionProvider, { codeActionKinds: ['quickfix'] });
  } finally {
    assert.equal(await client.shutdown(), 0);
  }
});

test('registers watchers for configurations, certificates, keys and what decides the deployed layout when the client allows it', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    // Registration is sent right after `initialized`; a round trip makes sure it has arrived.
    await client.codeActions(fileUri(dir.file('none.cfg')), { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
    const watched = client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles');
    assert.equal(watched.length, 1);
    assert.deepEqual(watched[0]!.registerOptions, {
      watchers: [{ globPattern: '**/{*.cfg,*.pem,*.crt,*.cer,*.key,.sip-tls.json,*compose*.yml,*compose*.yaml,Dockerfile*,.gitignore,*.j2,*.tmpl,*.tpl,*.sample}' }],
    });
    assert.ok(client.registrations.some((r) => r.method === 'workspace/didChangeConfiguration'));
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('registers no watchers when the client cannot take dynamic registrations', { timeout: 30_000 }, async () => {
  const { client } = await LspTestClient.start({ watchedFilesRegistration: false });
  try {
    await client.codeActions('file:///nowhere/tls.cfg', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, []);
    assert.equal(client.registrations.filter((r) => r.method === 'workspace/didChangeWatchedFiles').length, 0);
  } finally {
    await client.shutdown();
  }
});

test('workspace folders are searched for main configurations, also folders added later', { timeout: 30_000 }, async () => {
  const first = makeTempDir();
  const second = makeTempDir();
  // A #!KAMAILIO file is a main configuration when it holds what one holds (modules, routes);
  // a marked fragment of routes alone is not.
  first.write({
    'kamailio.cfg': '#!KAMAILIO\n',
    'etc/routing.cfg': '#!KAMAILIO\nloadmodule "sl.so"\nrequest_route { drop; }\n',
    'etc/fragment.cfg': '#!KAMAILIO\nroute[AUTH] { return; }\n',
    'etc/tls.cfg': '',
    'node_modules/x/kamailio.cfg': '',
  });
  second.write({ 'kamailio-edge.cfg': '' });
  const { client } = await LspTestClient.start({ workspaceFolders: [first.path] });
  try {
    await client.waitForLog(new RegExp(`^${first.path}: 2 kamailio configuration file\\(s\\) found`));
    await client.connection.sendNotification('workspace/didChangeWorkspaceFolders', {
      event: { added: [{ uri: fileUri(second.path), name: 'second' }], removed: [] },
    });
    await client.waitForLog(new RegExp(`^${second.path}: 1 kamailio configuration file\\(s\\) found`));
  } finally {
    await client.shutdown();
    first.remove();
    second.remove();
  }
});

test('a request for a document that is not open returns null', { timeout: 30_000 }, async () => {
  const { client } = await LspTestClient.start();
  try {
    const answer = await client.codeActions('file:///nowhere/tls.cfg', { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, [
      { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } }, message: 'x', source: 'sip-tls', code: 'tlscfg.syntax' },
    ]);
    assert.equal(answer, null);
  } finally {
    await client.shutdown();
  }
});

test('untrusted mode is accepted and the server still checks (it only reads files)', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], initializationOptions: { trusted: false } });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', '[server:default]\nrequire_certiificate = yes\n');
    const published = await client.waitForDiagnostics(uri, { version: 1 });
    assert.ok(published.diagnostics.some((d) => d.code === 'tlscfg.unknown-option'));
    assert.ok(client.logs.some((l) => l.includes('untrusted workspace')), client.logs.join('\n'));
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
