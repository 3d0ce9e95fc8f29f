// Editor features over LSP against the bundled server: hovers on options, values, headers,
// modparams and listen sockets; document links; go to definition; symbols; folding; completion.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  type CompletionItem,
  type DocumentSymbol,
  type Hover,
  type Location,
  type MarkupContent,
} from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { lines, makeTempDir } from '../helpers/tempDir';
import { markdownText, markupProblems } from '../helpers/markdown';

/** The hover as a reader sees it (rendered), after checking that its Markdown has no link, image or HTML. */
function md(h: Hover | null): string {
  assert.ok(h, 'a hover');
  const source = (h.contents as MarkupContent).value;
  assert.deepEqual(markupProblems(source), []);
  return markdownText(source);
}

test('hovers, links, definition, symbols, folding and completion', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  dir.write({ 'certs/server.pem': 'placeholder', 'certs/server.key': 'placeholder', 'routes.cfg': 'route[REPLY] {\n  exit;\n}\n' });
  const tls = lines(
    '[server:default]',
    'method = TLSv1.2+',
    'certificate = certs/server.pem',
    'private_key = certs/server.key',
    '',
    '[server:127.0.0.1:5061]',
    'server_name = sip.example.com',
    'method = TLSv1',
    '',
    '[client:default]',
    'verify_client = optional',
    '',
  );
  const kam = lines(
    '#!KAMAILIO',
    'enable_tls=yes',
    'listen=tls:127.0.0.1:5061',
    'loadmodule "tls.so"',
    `modparam("tls", "config", "tls.cfg")`,
    'include_file "routes.cfg"',
    'request_route {',
    '  route(REPLY);',
    '}',
  );
  dir.write({ 'kamailio.cfg': kam, 'tls.cfg': tls });
  const kamUri = fileUri(dir.file('kamailio.cfg'));
  const tlsUri = fileUri(dir.file('tls.cfg'));
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    await client.open(kamUri, 'kamailio', kam);
    await client.open(tlsUri, 'kamailio-tls', tls);
    await client.waitForDiagnostics(tlsUri);
    const c = client.connection;
    const hoverAt = (uri: string, line: number, character: number) => c.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });

    // Option name, method value, header, path value.
    assert.match(md(await hoverAt(tlsUri, 1, 2)), /^method \(also tls_method\) — tls\.cfg option/);
    assert.match(md(await hoverAt(tlsUri, 7, 11)), /TLS 1\.0 only/);
    const header = md(await hoverAt(tlsUri, 5, 3));
    assert.match(header, /connections received on 127\.0\.0\.1:5061/);
    assert.match(header, /Serves: tls:127\.0\.0\.1:5061 \(kamailio\.cfg:3\)/);
    assert.match(header, /certificate = cert\.pem/, 'omitted options fall back to built-in defaults');
    assert.match(md(await hoverAt(tlsUri, 2, 16)), new RegExp(`^${dir.file('certs/server.pem').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(relative to the folder of kamailio\\.cfg`));
    assert.match(md(await hoverAt(tlsUri, 10, 18)), /requested; if sent it must verify/);
    // kamailio.cfg: listen socket → serving profiles; modparam name.
    const listen = md(await hoverAt(kamUri, 2, 12));
    assert.match(listen, /\[server:127\.0\.0\.1:5061\] by address and SNI sip\.example\.com/);
    assert.match(listen, /\[server:default\] otherwise \(default\)/);
    assert.match(md(await hoverAt(kamUri, 4, 19)), /Path of tls\.cfg/);
    assert.equal(await hoverAt(tlsUri, 4, 0), null, 'a blank line has no hover');

    // Links: the certificate and key paths, the tls.cfg and the included file.
    const tlsLinks = await c.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: tlsUri } });
    assert.deepEqual(tlsLinks!.map((l) => l.target), [fileUri(dir.file('certs/server.pem')), fileUri(dir.file('certs/server.key'))]);
    const kamLinks = await c.sendRequest(DocumentLinkRequest.type, { textDocument: { uri: kamUri } });
    assert.deepEqual(kamLinks!.map((l) => l.target).sort(), [fileUri(dir.file('routes.cfg')), fileUri(dir.file('tls.cfg'))].sort());

    // Definition: route(REPLY) → route[REPLY] in the fragment; listen → profiles; header → listen.
    const route = (await c.sendRequest(DefinitionRequest.type, { textDocument: { uri: kamUri }, position: { line: 7, character: 9 } })) as Location[];
    assert.deepEqual(route.map((l) => [l.uri, l.range.start.line]), [[fileUri(dir.file('routes.cfg')), 0]]);
    const profiles = (await c.sendRequest(DefinitionRequest.type, { textDocument: { uri: kamUri }, position: { line: 2, character: 12 } })) as Location[];
    assert.deepEqual(profiles.map((l) => l.range.start.line), [5, 0]);
    const sockets = (await c.sendRequest(DefinitionRequest.type, { textDocument: { uri: tlsUri }, position: { line: 5, character: 3 } })) as Location[];
    assert.deepEqual(sockets.map((l) => [l.uri, l.range.start.line]), [[kamUri, 2]]);

    // Symbols and folding of tls.cfg.
    const syms = (await c.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: tlsUri } })) as DocumentSymbol[];
    assert.deepEqual(syms.map((s) => s.name), ['[server:default]', '[server:127.0.0.1:5061]', '[client:default]']);
    assert.deepEqual(syms[0]!.children!.map((s) => s.name), ['method', 'certificate', 'private_key']);
    const folds = await c.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: tlsUri } });
    assert.deepEqual(folds!.map((f) => [f.startLine, f.endLine]), [[0, 3], [5, 7], [9, 10]]);
    const kamSyms = (await c.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: kamUri } })) as DocumentSymbol[];
    assert.ok(kamSyms.some((s) => s.name === 'request_route'));

    // Completion: option names, method values allowed by the version, headers from listens, paths.
    const complete = async (uri: string, text: string, line: number, character: number) => {
      await client.change(uri, text, Date.now() % 100000);
      return ((await c.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character } })) as CompletionItem[]).map((i) => i.label);
    };
    const keys = await complete(tlsUri, tls.replace('method = TLSv1\n', 'method = TLSv1\nveri\n'), 8, 4);
    assert.ok(keys.includes('verify_certificate') && keys.includes('verify_cert') && keys.includes('verify_client'));
    const methods = await complete(tlsUri, tls.replace('method = TLSv1\n', 'method = \n'), 7, 9);
    assert.equal(methods[0], 'TLSv1.2+');
    assert.ok(methods.includes('TLSv1.3+'), 'the default target 6.1 has TLSv1.3+');
    assert.ok(!methods.includes('SSLv2'));
    const headers = await complete(tlsUri, tls + '[', 12, 1);
    assert.ok(headers.includes('[server:127.0.0.1:5061]'));
    const paths = await complete(tlsUri, tls.replace('certificate = certs/server.pem', 'certificate = certs/'), 2, 20);
    assert.deepEqual(paths.sort(), ['server.key', 'server.pem']);
    const modparams = await complete(kamUri, kam.replace('modparam("tls", "config"', 'modparam("tls", "ver'), 4, 20);
    assert.ok(modparams.includes('verify_certificate') && modparams.includes('tls_method'));
  } finally {
    await client.shutdown();
  }
});
