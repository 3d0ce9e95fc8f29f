// The LSP lifecycle against the real server over stdio, in generated orders: requests before
// `initialize` are refused (ServerNotInitialized), a second `initialize` — with any parameters —
// is refused (InvalidRequest) and leaves the session as it was (hovers and diagnostics on the
// documents already open keep coming), requests after `shutdown` are refused (InvalidRequest),
// and `exit` ends the process with 0 after shutdown, 1 without.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CompletionRequest,
  DocumentSymbolRequest,
  ErrorCodes,
  ExitNotification,
  HoverRequest,
  InitializeRequest,
  ResponseError,
  ShutdownRequest,
  type Hover,
  type MarkupContent,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { lines, makeTempDir } from '../helpers/tempDir';
import { Rng } from '../helpers/fuzz/prng';

type AnyRequest = (c: ProtocolConnection, uri: string) => Promise<unknown>;

/** Requests a client may send at the wrong time (each names what it is for the messages). */
const WRONG_TIME_REQUESTS: [string, AnyRequest][] = [
  ['hover', (c, uri) => c.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } })],
  ['completion', (c, uri) => c.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 1, character: 0 } })],
  ['documentSymbol', (c, uri) => c.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })],
  ['sipTls/fileReport', (c, uri) => c.sendRequest('sipTls/fileReport', { uri })],
  ['shutdown', (c) => c.sendRequest(ShutdownRequest.type)],
  ['unknown method', (c) => c.sendRequest('x/unknown', {})],
];

async function refusedWith(p: Promise<unknown>, code: number, what: string): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ResponseError, `${what}: a JSON-RPC error response, got ${String(e)}`);
    assert.equal(e.code, code, `${what}: error code (${e.message})`);
    return true;
  });
}

function hoverText(h: Hover | null): string {
  assert.ok(h, 'a hover');
  return (h.contents as MarkupContent).value;
}

const TLS = lines('[server:default]', 'method = TLSv1.2+', 'verify_certificate = no');

for (const seed of [1, 2, 3, 4]) {
  test(`generated order #${seed}: wrong-time requests are refused, a repeated initialize leaves the session answering`, { timeout: 60_000 }, async () => {
    const rng = Rng.forInput(20260511, seed);
    const dir = makeTempDir();
    const other = makeTempDir();
    dir.write({ 'tls.cfg': TLS });
    const uri = fileUri(dir.file('tls.cfg'));
    const client = LspTestClient.spawn({ workspaceFolders: [dir.path] });
    try {
      const c = client.connection;
      for (let i = rng.between(1, 4); i > 0; i--) {
        const [name, send] = rng.pick(WRONG_TIME_REQUESTS);
        await refusedWith(send(c, uri), ErrorCodes.ServerNotInitialized, `${name} before initialize`);
      }
      await client.initialize();
      await client.open(uri, 'kamailio-tls', TLS);
      await client.waitForDiagnostics(uri);
      const before = hoverText(await c.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } }));
      assert.match(before, /\*\*method\*\*/);

      for (let i = rng.between(1, 3); i > 0; i--) {
        // Another workspace, untrusted, other capabilities: nothing of it may take effect.
        const params = {
          processId: process.pid,
          rootUri: fileUri(other.path),
          workspaceFolders: rng.chance(0.5) ? [{ uri: fileUri(other.path), name: 'other' }] : null,
          capabilities: rng.chance(0.5) ? {} : { workspace: { configuration: false } },
          initializationOptions: { trusted: rng.chance(0.5), debounceMs: rng.between(0, 500) },
        };
        await refusedWith(c.sendRequest(InitializeRequest.type, params), ErrorCodes.InvalidRequest, 'second initialize');
      }
      assert.equal(hoverText(await c.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 2 } })), before, 'the same session answers');
      // Diagnostics still flow for the open document: an edit that adds an unknown option.
      const mark = client.mark();
      await client.change(uri, TLS + 'require_certiificate = yes\n', 2);
      const after = await client.waitForDiagnostics(uri, { after: mark, version: 2 });
      assert.ok(after.diagnostics.some((d) => d.code === 'tlscfg.unknown-option' && d.range.start.line === 3), 'the edit is checked');

      await c.sendRequest(ShutdownRequest.type);
      for (let i = rng.between(1, 4); i > 0; i--) {
        const [name, send] = rng.pick(WRONG_TIME_REQUESTS);
        await refusedWith(send(c, uri), ErrorCodes.InvalidRequest, `${name} after shutdown`);
      }
      await refusedWith(c.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: {} }), ErrorCodes.InvalidRequest, 'initialize after shutdown');
      await c.sendNotification(ExitNotification.type);
      assert.equal(await client.waitForExit(), 0, 'exit after shutdown: code 0');
    } finally {
      client.kill();
      dir.remove();
      other.remove();
    }
  });
}

test('exit without shutdown ends the server with code 1; so does the end of its input', { timeout: 30_000 }, async () => {
  const { client: a } = await LspTestClient.start();
  try {
    await a.connection.sendNotification(ExitNotification.type);
    assert.equal(await a.waitForExit(), 1);
  } finally {
    a.kill();
  }
  const { client: b } = await LspTestClient.start();
  try {
    b.process.stdin.end();
    assert.equal(await b.waitForExit(), 1);
  } finally {
    b.kill();
  }
  const { client: c } = await LspTestClient.start();
  try {
    await c.connection.sendRequest(ShutdownRequest.type);
    c.process.stdin.end();
    assert.equal(await c.waitForExit(), 0, 'input closed after shutdown: code 0');
  } finally {
    c.kill();
  }
});
