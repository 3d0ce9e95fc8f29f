// The language server on a workspace folder full of symbolic links to `.`: it scans its folders
// at start, and links to `.` once made that scan exponential (4 links: over two minutes without
// an answer). Now the scan logs what it left out, and a hover answers within a second.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';

const KAMAILIO_CFG = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\nrequest_route {\n}\n';
const TLS_CFG = '[server:default]\nmethod = TLSv1.2+\nrequire_certiificate = yes\n';

test('six links to `.` at two levels: the scan logs the loops, the server answers a hover within a second', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  dir.write({ 'etc/kamailio.cfg': KAMAILIO_CFG, 'etc/tls.cfg': TLS_CFG });
  for (let i = 0; i < 6; i++) symlinkSync('.', dir.file(`here${i}`));
  for (let i = 0; i < 6; i++) symlinkSync('.', dir.file(`etc/again${i}`));
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const scan = await client.waitForLog(/kamailio configuration file\(s\) found/);
    assert.match(scan, /: 1 kamailio configuration file\(s\) found in \d+ ms \(2 folder\(s\), 15 name\(s\); not followed: 12 links looping back\)/);
    const tls = fileUri(dir.file('etc/tls.cfg'));
    await client.open(tls, 'kamailio-tls', TLS_CFG);
    const published = await client.waitForDiagnostics(tls, { version: 1 });
    assert.ok(published.diagnostics.some((d) => d.code === 'tlscfg.unknown-option'));
    const started = performance.now();
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: tls }, position: { line: 1, character: 2 } });
    const ms = performance.now() - started;
    assert.ok(hover !== null, 'a hover for method');
    assert.ok(ms < 1000, `hover took ${ms.toFixed(0)} ms`);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('a workspace folder deeper than the scan goes: the log says what was not searched', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  const deep = Array.from({ length: 10 }, (_, i) => `l${i}`).join('/');
  mkdirSync(dir.file(deep), { recursive: true });
  dir.write({ 'kamailio.cfg': KAMAILIO_CFG, [`${deep}/kamailio.cfg`]: KAMAILIO_CFG });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const warning = await client.waitForLog(/not searched/);
    assert.match(warning, /1 folder more than 8 levels below .* was not searched \(first: l0\/.*\/l8\)\. Open a configuration below it, or set sipTls\.mainConfig/);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
