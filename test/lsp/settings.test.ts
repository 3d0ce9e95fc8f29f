// Settings reach the checker: pulled per resource with workspace/configuration and re-read on
// didChangeConfiguration; initializationOptions.settings for clients without pull support;
// version, path mappings (with ${workspaceFolder} and relative paths) and severity overrides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { makeTempDir, lines } from '../helpers/tempDir';
import { lineOf } from '../helpers/text';

const TYPO = lines('[server:default]', 'require_certiificate = yes');

function severityOf(diagnostics: Diagnostic[], code: string): DiagnosticSeverity | 'absent' {
  const hits = withCode(diagnostics, code);
  if (hits.length === 0) return 'absent';
  assert.equal(hits.length, 1);
  return hits[0]!.severity!;
}

test('a severity override from workspace/configuration applies after didChangeConfiguration', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', TYPO);
    const initial = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(severityOf(initial.diagnostics, 'tlscfg.unknown-option'), DiagnosticSeverity.Error);
    // Settings are asked for the document itself (scopeUri) in the sipTls section.
    assert.ok(
      client.configurationRequests.flat().some((item) => item.scopeUri === uri && item.section === 'sipTls'),
      JSON.stringify(client.configurationRequests),
    );

    client.settings = { severity: { 'tlscfg.unknown-option': 'warning' } };
    let mark = client.mark();
    await client.configurationChanged();
    const warned = await client.waitForDiagnostics(uri, { after: mark });
    assert.equal(severityOf(warned.diagnostics, 'tlscfg.unknown-option'), DiagnosticSeverity.Warning);

    client.settings = { severity: { 'tlscfg.unknown-option': 'off' } };
    mark = client.mark();
    await client.configurationChanged();
    const off = await client.waitForDiagnostics(uri, { after: mark });
    assert.equal(severityOf(off.diagnostics, 'tlscfg.unknown-option'), 'absent');
    assert.ok(off.diagnostics.every((d) => d.code !== 'tlscfg.unknown-option'));

    client.settings = {};
    mark = client.mark();
    await client.configurationChanged();
    const back = await client.waitForDiagnostics(uri, { after: mark });
    assert.equal(severityOf(back.diagnostics, 'tlscfg.unknown-option'), DiagnosticSeverity.Error);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('without workspace/configuration, initializationOptions.settings are used', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({
    workspaceFolders: [dir.path],
    configuration: false,
    initializationOptions: { settings: { sipTls: { severity: { 'tlscfg.unknown-option': 'hint' } } } },
  });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', TYPO);
    const published = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(severityOf(published.diagnostics, 'tlscfg.unknown-option'), DiagnosticSeverity.Hint);
    assert.equal(client.configurationRequests.length, 0);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('without workspace/configuration, pushed settings apply on didChangeConfiguration', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], configuration: false });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', TYPO);
    const published = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(severityOf(published.diagnostics, 'tlscfg.unknown-option'), DiagnosticSeverity.Error);
    const mark = client.mark();
    await client.connection.sendNotification('workspace/didChangeConfiguration', {
      settings: { sipTls: { severity: { 'tlscfg.unknown-option': 'information' } } },
    });
    const pushed = await client.waitForDiagnostics(uri, { after: mark });
    assert.equal(severityOf(pushed.diagnostics, 'tlscfg.unknown-option'), DiagnosticSeverity.Information);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('sipTls.kamailioVersion gates options', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], settings: { kamailioVersion: '5.6' } });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', lines('[server:default]', 'method = TLSv1.3+'));
    const old = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(withCode(old.diagnostics, 'tlscfg.version-gated').length, 1);
    client.settings = { kamailioVersion: '6.1' };
    const mark = client.mark();
    await client.configurationChanged();
    const current = await client.waitForDiagnostics(uri, { after: mark });
    assert.equal(withCode(current.diagnostics, 'tlscfg.version-gated').length, 0);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

for (const [name, local] of [
  ['${workspaceFolder}', '${workspaceFolder}/etc/kamailio'],
  ['a relative local path', 'etc/kamailio'],
] as const) {
  test(`sipTls.pathMappings with ${name} resolves deployed paths into the workspace`, { timeout: 30_000 }, async () => {
    const dir = makeTempDir();
    dir.write({ 'etc/kamailio/server.pem': 'placeholder' });
    const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
    try {
      const uri = fileUri(dir.file('etc/kamailio/tls.cfg'));
      const text = lines('[server:default]', 'method = TLSv1.2+', 'certificate = /etc/kamailio/server.pem', 'private_key = /etc/kamailio/server.key');
      const certLine = lineOf(text, 'certificate');
      const keyLine = lineOf(text, 'private_key');
      await client.open(uri, 'kamailio-tls', text);
      const unmapped = await client.waitForDiagnostics(uri, { version: 1 });
      const notFoundLines = (ds: Diagnostic[]) => withCode(ds, 'path.not-found').map((d) => d.range.start.line);
      // Unmapped, /etc/kamailio is outside the workspace folder: provided at deploy time, not read.
      assert.deepEqual(notFoundLines(unmapped.diagnostics), []);
      const deployTime = withCode(unmapped.diagnostics, 'path.deploy-time');
      assert.equal(deployTime.length, 1);
      assert.equal(deployTime[0]!.range.start.line, certLine);
      assert.match(deployTime[0]!.message, /\/etc\/kamailio\/server\.pem, \/etc\/kamailio\/server\.key are outside/);

      client.settings = { pathMappings: { '/etc/kamailio': local } };
      const mark = client.mark();
      await client.configurationChanged();
      const mapped = await client.waitForDiagnostics(uri, { after: mark });
      // Mapped: the key is missing beside the certificate the repository holds.
      assert.deepEqual(notFoundLines(mapped.diagnostics), [keyLine]);
      assert.equal(withCode(mapped.diagnostics, 'path.deploy-time').length, 0);
      assert.match(withCode(mapped.diagnostics, 'path.not-found')[0]!.message, new RegExp(dir.file('etc/kamailio/server.key').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    } finally {
      await client.shutdown();
      dir.remove();
    }
  });
}
