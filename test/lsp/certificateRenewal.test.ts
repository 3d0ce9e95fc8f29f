// Certificates change on disk while the configuration does not: a renewal (certbot, an ACME
// client, a copy from the CA) must clear cert.expired, and a key swapped for one that does not
// belong to the certificate must raise key.mismatch — without any edit to kamailio.cfg or tls.cfg.
//
// The server does not watch the file system itself: it registers a `workspace/didChangeWatchedFiles`
// watcher with the client (glob WATCHED_FILES_GLOB in server/src/lsp/watchedFiles.ts) and
// re-checks when the client reports a change. So these tests (1) check that the registration
// covers the certificate and key files, and (2) drive the notification path the way an editor
// does after the file changed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FileChangeType, type Diagnostic, type Registration } from 'vscode-languageserver-protocol';
import { RSA2048, TestPki, days, keyPem, newKey } from '../fixtures/pki';
import { globMatches } from '../helpers/glob';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { lines, makeTempDir, type TempDir } from '../helpers/tempDir';
import { lineOf, rangeOf } from '../helpers/text';

const WATCHED_FILES = 'workspace/didChangeWatchedFiles';

/** A deployment: kamailio.cfg + tls.cfg naming certs/chain.pem and certs/leaf.key (relative to kamailio.cfg). */
function writeDeployment(dir: TempDir): { kamailioCfg: string; tlsCfg: string } {
  const kamailioCfg = lines(
    '#!KAMAILIO',
    'enable_tls=yes',
    'listen=tls:127.0.0.1:5061',
    'loadmodule "tls.so"',
    'modparam("tls", "config", "tls.cfg")',
    '',
    'request_route {',
    '\texit;',
    '}',
  );
  const tlsCfg = lines(
    '[server:default]',
    'method = TLSv1.2+',
    'certificate = certs/chain.pem',
    'private_key = certs/leaf.key',
    'server_name = sip.example.com',
  );
  dir.write({ 'kamailio.cfg': kamailioCfg, 'tls.cfg': tlsCfg });
  return { kamailioCfg, tlsCfg };
}

async function watchedFilesRegistration(client: LspTestClient, timeoutMs = 5000): Promise<Registration> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = client.registrations.find((x) => x.method === WATCHED_FILES);
    if (r) return r;
    if (Date.now() > deadline) {
      throw new Error(`the server registered no ${WATCHED_FILES} watcher within ${timeoutMs} ms (registrations: ${client.registrations.map((x) => x.method).join(', ') || 'none'})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const codes = (ds: Diagnostic[]): string => ds.map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}`).join(', ') || '(none)';

test('the server asks the client to watch certificate and key files (it has no file watching of its own)', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const registration = await watchedFilesRegistration(client);
    const watchers = (registration.registerOptions as { watchers?: { globPattern: unknown }[] } | undefined)?.watchers ?? [];
    const globs = watchers.map((w) => w.globPattern).filter((g): g is string => typeof g === 'string');
    assert.ok(globs.length > 0, `watcher registration without string glob patterns: ${JSON.stringify(registration.registerOptions)}`);
    for (const file of ['certs/chain.pem', 'certs/leaf.key', 'fullchain.crt', 'letsencrypt/live/sip.example.com/privkey.pem', 'ca.cer', 'tls.cfg', 'kamailio.cfg']) {
      assert.ok(globs.some((g) => globMatches(g, file)), `${file} is not covered by the watched-file globs ${JSON.stringify(globs)}`);
    }
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('a renewed certificate clears cert.expired, a foreign key raises key.mismatch — no configuration edit', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  const pki = new TestPki(new Date());
  const root = pki.root('Renewal Test Root CA');
  const int = pki.intermediate(root, 'Renewal Test Intermediate CA');
  const expired = pki.leaf(int, 'sip.example.com', { notBefore: days(-400, pki.now), notAfter: days(-5, pki.now) });
  const chain = dir.file('certs/chain.pem');
  const key = dir.file('certs/leaf.key');
  dir.write({
    'certs/root.pem': root.pem,
    'certs/chain.pem': expired.pem + int.pem,
    'certs/leaf.key': keyPem(expired.privateKey),
  });
  const { kamailioCfg, tlsCfg } = writeDeployment(dir);
  const kamUri = fileUri(dir.file('kamailio.cfg'));
  const tlsUri = fileUri(dir.file('tls.cfg'));
  const certValue = rangeOf(tlsCfg, lineOf(tlsCfg, 'certificate'), 'certs/chain.pem');
  const keyValue = rangeOf(tlsCfg, lineOf(tlsCfg, 'private_key'), 'certs/leaf.key');

  const { client } = await LspTestClient.start({
    workspaceFolders: [dir.path],
    settings: { kamailioVersion: '5.6', trustAnchors: [dir.file('certs/root.pem')] },
  });
  try {
    await client.open(kamUri, 'kamailio', kamailioCfg);
    await client.open(tlsUri, 'kamailio-tls', tlsCfg);

    // 1. The expired certificate is reported on the value of `certificate =`.
    const before = await client.waitForDiagnostics(tlsUri, { version: 1, where: (ds) => withCode(ds, 'cert.expired').length > 0 });
    const expiredFindings = withCode(before.diagnostics, 'cert.expired');
    assert.equal(expiredFindings.length, 1, `one cert.expired expected, got: ${codes(before.diagnostics)}`);
    assert.deepEqual(expiredFindings[0]!.range, certValue, 'cert.expired sits on the value of certificate =');
    assert.equal(expiredFindings[0]!.severity, 1, 'cert.expired is an error');
    assert.deepEqual(withCode(before.diagnostics, 'key.mismatch'), [], 'the key belongs to the certificate');

    // 2. Renewal: same key, new validity; only the file on disk changes.
    const renewed = pki.leaf(int, 'sip.example.com', { keyPair: { privateKey: expired.privateKey, publicKey: expired.publicKey } });
    dir.write({ 'certs/chain.pem': renewed.pem + int.pem });
    const mark = client.mark();
    await client.filesChanged([{ uri: fileUri(chain), type: FileChangeType.Changed }]);
    const after = await client.waitForDiagnostics(tlsUri, { after: mark, where: (ds) => withCode(ds, 'cert.expired').length === 0 });
    assert.equal(after.version, 1, 'the document was not edited');
    assert.deepEqual(withCode(after.diagnostics, 'key.mismatch'), [], `renewed with the same key: ${codes(after.diagnostics)}`);
    assert.deepEqual(
      after.diagnostics.filter((d) => /^(cert|chain|key)\./.test(String(d.code))),
      [],
      `a renewed, complete, trusted chain with its key: no certificate finding expected, got ${codes(after.diagnostics)}`,
    );

    // 3. The key is replaced by one that does not belong to the certificate.
    dir.write({ 'certs/leaf.key': keyPem(newKey(RSA2048, true).privateKey) });
    const mark2 = client.mark();
    await client.filesChanged([{ uri: fileUri(key), type: FileChangeType.Changed }]);
    const mismatch = await client.waitForDiagnostics(tlsUri, { after: mark2, where: (ds) => withCode(ds, 'key.mismatch').length > 0 });
    assert.equal(mismatch.version, 1, 'the document was not edited');
    const mismatchFindings = withCode(mismatch.diagnostics, 'key.mismatch');
    assert.equal(mismatchFindings.length, 1, `one key.mismatch expected, got: ${codes(mismatch.diagnostics)}`);
    assert.deepEqual(mismatchFindings[0]!.range, keyValue, 'key.mismatch sits on the value of private_key =');
    assert.equal(mismatchFindings[0]!.severity, 1, 'key.mismatch is an error');
    assert.deepEqual(withCode(mismatch.diagnostics, 'cert.expired'), [], 'the certificate is still the renewed one');

    // 4. And back: the right key again clears it.
    dir.write({ 'certs/leaf.key': keyPem(renewed.privateKey) });
    const mark3 = client.mark();
    await client.filesChanged([{ uri: fileUri(key), type: FileChangeType.Changed }]);
    await client.waitForDiagnostics(tlsUri, { after: mark3, where: (ds) => withCode(ds, 'key.mismatch').length === 0 });
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
