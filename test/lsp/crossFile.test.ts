// kamailio.cfg and tls.cfg open together: a finding that concerns both files shows in both, and
// editing one re-publishes the other. Needs the kamailio.cfg parser (listen=, modparam).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { makeTempDir, lines } from '../helpers/tempDir';
import { lineOf, rangeOf } from '../helpers/text';

test('profile without a listener: reported in tls.cfg and kamailio.cfg, cleared by fixing the listen line', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  dir.write({ 'cert.pem': 'placeholder', 'key.pem': 'placeholder' });
  const tlsPath = dir.file('tls.cfg');
  const kamailio = (listen: string) =>
    lines(
      '#!KAMAILIO',
      'enable_tls=yes',
      `listen=tls:${listen}:5061`,
      'loadmodule "tls.so"',
      `modparam("tls", "config", "${tlsPath}")`,
    );
  const tls = lines(
    '[server:default]',
    'method = TLSv1.2+',
    `certificate = ${dir.file('cert.pem')}`,
    `private_key = ${dir.file('key.pem')}`,
    '',
    '[server:127.0.0.2:5061]',
    'method = TLSv1.2+',
    `certificate = ${dir.file('cert.pem')}`,
    `private_key = ${dir.file('key.pem')}`,
  );
  const kamUri = fileUri(dir.file('kamailio.cfg'));
  const tlsUri = fileUri(tlsPath);
  const noListener = (ds: Diagnostic[]) => withCode(ds, 'tlscfg.profile-no-listener');

  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const kamV1 = kamailio('127.0.0.1');
    dir.write({ 'kamailio.cfg': kamV1 });
    await client.open(kamUri, 'kamailio', kamV1);
    await client.open(tlsUri, 'kamailio-tls', tls);

    const header = rangeOf(tls, lineOf(tls, '[server:127.0.0.2:5061]'), '[server:127.0.0.2:5061]');
    const modparamValue = rangeOf(kamV1, lineOf(kamV1, 'modparam'), `"${tlsPath}"`);
    const inTls = await client.waitForDiagnostics(tlsUri, { version: 1, where: (ds) => noListener(ds).length > 0 });
    const tlsFinding = noListener(inTls.diagnostics);
    assert.equal(tlsFinding.length, 1);
    assert.deepEqual(tlsFinding[0]!.range, header);
    assert.equal(tlsFinding[0]!.severity, 1);
    assert.ok(tlsFinding[0]!.relatedInformation?.some((r) => r.location.uri === kamUri), 'related: the listen line in kamailio.cfg');

    const inKam = await client.waitForDiagnostics(kamUri, { version: 1, where: (ds) => noListener(ds).length > 0 });
    const kamFinding = noListener(inKam.diagnostics);
    assert.equal(kamFinding.length, 1);
    assert.deepEqual(kamFinding[0]!.range, modparamValue);
    assert.ok(kamFinding[0]!.relatedInformation?.some((r) => r.location.uri === tlsUri && r.location.range.start.line === header.start.line));

    // Only kamailio.cfg changes; tls.cfg is re-checked and re-published too.
    const mark = client.mark();
    await client.change(kamUri, kamailio('127.0.0.2'), 2);
    const kamAfter = await client.waitForDiagnostics(kamUri, { version: 2 });
    assert.deepEqual(noListener(kamAfter.diagnostics), []);
    const tlsAfter = await client.waitForDiagnostics(tlsUri, { after: mark });
    assert.equal(tlsAfter.version, 1);
    assert.deepEqual(noListener(tlsAfter.diagnostics), []);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('sipTls.mainConfig chooses the main configuration among several', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  dir.write({ 'cert.pem': 'placeholder', 'key.pem': 'placeholder' });
  const tlsPath = dir.file('tls.cfg');
  const kamailio = (listen: string) =>
    lines('#!KAMAILIO', 'enable_tls=yes', `listen=tls:${listen}:5061`, 'loadmodule "tls.so"', 'modparam("tls", "config", "tls.cfg")');
  // Two deployments share tls.cfg: only the second one listens on the profile's address.
  dir.write({ 'kamailio-old.cfg': kamailio('127.0.0.1'), 'kamailio-new.cfg': kamailio('127.0.0.2') });
  const tls = lines(
    '[server:default]',
    `certificate = ${dir.file('cert.pem')}`,
    `private_key = ${dir.file('key.pem')}`,
    '',
    '[server:127.0.0.2:5061]',
    `certificate = ${dir.file('cert.pem')}`,
    `private_key = ${dir.file('key.pem')}`,
  );
  const tlsUri = fileUri(tlsPath);
  const noListener = (ds: Diagnostic[]) => withCode(ds, 'tlscfg.profile-no-listener');
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    await client.open(tlsUri, 'kamailio-tls', tls);
    // Both candidates are main configurations: the old one has no listener for the profile.
    const both = await client.waitForDiagnostics(tlsUri, { version: 1 });
    assert.equal(noListener(both.diagnostics).length, 1);
    assert.match(noListener(both.diagnostics)[0]!.message, /TLS sockets: 127\.0\.0\.1:5061/);

    client.settings = { mainConfig: 'kamailio-new.cfg' };
    let mark = client.mark();
    await client.configurationChanged();
    const forced = await client.waitForDiagnostics(tlsUri, { after: mark });
    assert.deepEqual(noListener(forced.diagnostics), []);

    client.settings = { mainConfig: '${workspaceFolder}/kamailio-old.cfg' };
    mark = client.mark();
    await client.configurationChanged();
    const old = await client.waitForDiagnostics(tlsUri, { after: mark });
    assert.equal(noListener(old.diagnostics).length, 1);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
