// Peers in the editor, over LSP against the bundled server: a Twilio destination in kamailio.cfg
// is inferred (information, at the host), the client profile's findings name Twilio, and the
// profile header's hover lists each peer with its verdict.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HoverRequest, type MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { lines, makeTempDir } from '../helpers/tempDir';
import { markdownText, markupProblems } from '../helpers/markdown';

test('a peer inferred from kamailio.cfg: information at the host, findings naming it, and a verdict per peer in the header hover', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  const kam = lines(
    '#!KAMAILIO',
    'enable_tls=yes',
    'listen=tls:127.0.0.1:5061',
    'loadmodule "tls.so"',
    'modparam("tls", "config", "tls.cfg")',
    'request_route {',
    '  $du = "sip:acme.pstn.twilio.com:5061;transport=tls";',
    '  t_relay();',
    '}',
  );
  const tls = lines('[client:default]', 'method = TLSv1.3', 'verify_certificate = no', '', '[client:10.9.9.9:5061]', 'method = TLSv1.2+', 'verify_certificate = no');
  dir.write({ 'kamailio.cfg': kam, 'tls.cfg': tls, '.sip-tls.json': JSON.stringify({ peers: { modern: { profiles: ['client:10.9.9.9:5061'] } } }) });
  const kamUri = fileUri(dir.file('kamailio.cfg'));
  const tlsUri = fileUri(dir.file('tls.cfg'));
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    await client.open(kamUri, 'kamailio', kam);
    await client.open(tlsUri, 'kamailio-tls', tls);
    const kamDiags = await client.waitForDiagnostics(kamUri);
    const inferred = kamDiags.diagnostics.find((d) => d.code === 'peer.inferred');
    assert.ok(inferred, JSON.stringify(kamDiags.diagnostics));
    assert.deepEqual(inferred.range, { start: { line: 6, character: 13 }, end: { line: 6, character: 33 } });
    assert.match(inferred.message, /^Twilio .* is a peer of \[client:default\]: acme\.pstn\.twilio\.com is a destination in kamailio\.cfg:7/);
    const tlsDiags = await client.waitForDiagnostics(tlsUri);
    const mismatch = tlsDiags.diagnostics.find((d) => d.code === 'peer.version-mismatch');
    assert.ok(mismatch, JSON.stringify(tlsDiags.diagnostics));
    assert.match(mismatch.message, /^Twilio .*\(reached through \[client:default\]\) negotiates TLS 1\.2 only/);

    const hoverAt = async (line: number) => {
      const h = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: tlsUri }, position: { line, character: 3 } });
      assert.ok(h, 'a hover');
      const source = (h.contents as MarkupContent).value;
      assert.deepEqual(markupProblems(source), []);
      return markdownText(source);
    };
    assert.match(await hoverAt(0), /Peers\n.*Twilio .* \(inferred\): fails — peer\.version-mismatch/s);
    assert.match(await hoverAt(4), /Peers\n.*Modern baseline.* \(declared in \.sip-tls\.json\): handshake expected to succeed/s);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('sipTls.peers pairs a peer from the editor settings; a malformed entry is logged and ignored', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  const tls = lines('[server:default]', 'method = TLSv1.3', 'certificate = /nowhere/cert.pem', 'private_key = /nowhere/key.pem');
  dir.write({ 'tls.cfg': tls });
  const uri = fileUri(dir.file('tls.cfg'));
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    await client.open(uri, 'kamailio-tls', tls);
    const before = await client.waitForDiagnostics(uri, { version: 1 });
    assert.ok(!before.diagnostics.some((d) => String(d.code).startsWith('peer.')));
    client.settings = { peers: ['bandwidth=server:default', 'not a peer!'] };
    const mark = client.mark();
    await client.configurationChanged();
    const after = await client.waitForDiagnostics(uri, { after: mark });
    const f = after.diagnostics.find((d) => d.code === 'peer.version-mismatch');
    assert.ok(f, JSON.stringify(after.diagnostics));
    assert.match(f.message, /^Bandwidth .*\(connecting to \[server:default\]\) negotiates TLS 1\.2 only/);
    assert.ok(client.logs.some((l) => /settings: sipTls\.peers: ignoring "not a peer!" \(NAME or NAME=PROFILE/.test(l)), client.logs.join('\n'));
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
