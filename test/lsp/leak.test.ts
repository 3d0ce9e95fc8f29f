// No private-key material ever leaves the checker: over a matrix of key files (PKCS#1, PKCS#8,
// SEC1, encrypted, key inside the certificate file, mismatched key, key given as certificate,
// certificate given as key, key given as CA list, truncated key), every diagnostic, hover,
// code action and log message of the language server and every CLI output (text, JSON, SARIF)
// is scanned for the PEM body and for any 16-byte run of the key's DER (see helpers/secrets.ts).
// Then key material where configuration is read (helpers/keyLeakProperty.ts) through the same faces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HoverRequest, MarkupContent } from 'vscode-languageserver-protocol/node';
import { P256, RSA2048, TestPki, keyPem, newKey } from '../fixtures/pki';
import { SecretScanner } from '../helpers/secrets';
import { runCli } from '../helpers/cli';
import { LspTestClient, fileUri } from '../helpers/lspClient';
import { makeTempDir } from '../helpers/tempDir';
import { markdownText } from '../helpers/markdown';
import { EXPECTED, PLACES, keysUnderTest, leakCases } from '../helpers/keyLeakProperty';
import { runThroughFaces } from '../helpers/keyLeakFaces';

interface LeakCase {
  name: string;
  files: Record<string, string>;
  tls: string;
}

test('no private key material in diagnostics, hovers, code actions, logs or CLI output', { timeout: 180_000 }, async () => {
  const pki = new TestPki();
  const root = pki.root('Leak Test Root', { key: P256 });
  const rsaLeaf = pki.leaf(root, 'sip.example.com', { key: RSA2048 });
  const ecLeaf = pki.leaf(root, 'sip.example.com', { key: P256 });
  const other = newKey(RSA2048, true);
  const scanner = new SecretScanner();
  const publicDers = [root.der, rsaLeaf.der, ecLeaf.der].concat([rsaLeaf.publicKey, ecLeaf.publicKey, other.publicKey, root.publicKey].map((k) => new Uint8Array(k.export({ type: 'spki', format: 'der' }))));

  const rsaPkcs1 = keyPem(rsaLeaf.privateKey, 'pkcs1');
  const rsaPkcs8 = keyPem(rsaLeaf.privateKey, 'pkcs8');
  const rsaEncrypted = keyPem(rsaLeaf.privateKey, 'pkcs8', 'correct horse');
  const ecSec1 = keyPem(ecLeaf.privateKey, 'sec1');
  const ecPkcs8 = keyPem(ecLeaf.privateKey, 'pkcs8');
  const otherPem = keyPem(other.privateKey, 'pkcs1');
  const rootKey = keyPem(root.privateKey, 'sec1');
  const truncated = rsaPkcs8.slice(0, Math.floor(rsaPkcs8.length * 0.6));
  scanner.addKey(rsaLeaf.privateKey, [rsaPkcs1, rsaPkcs8, rsaEncrypted], publicDers);
  scanner.addKey(ecLeaf.privateKey, [ecSec1, ecPkcs8], publicDers);
  scanner.addKey(other.privateKey, [otherPem], publicDers);
  scanner.addKey(root.privateKey, [rootKey], publicDers);
  assert.ok(scanner.size > 1000, 'the scanner knows the secret runs');

  const profile = (cert: string, key: string, extra = '') => `[server:default]\nmethod = TLSv1.2+\ncertificate = ${cert}\nprivate_key = ${key}\nca_list = ca.crt\n${extra}`;
  const cases: LeakCase[] = [
    { name: 'pkcs1', files: { 'server.crt': rsaLeaf.pem, 'server.key': rsaPkcs1 }, tls: profile('server.crt', 'server.key') },
    { name: 'pkcs8', files: { 'server.crt': rsaLeaf.pem, 'server.key': rsaPkcs8 }, tls: profile('server.crt', 'server.key') },
    { name: 'sec1', files: { 'server.crt': ecLeaf.pem, 'server.key': ecSec1 }, tls: profile('server.crt', 'server.key') },
    { name: 'encrypted', files: { 'server.crt': rsaLeaf.pem, 'server.key': rsaEncrypted }, tls: profile('server.crt', 'server.key') },
    { name: 'key-in-certificate-file', files: { 'server.pem': rsaLeaf.pem + rsaPkcs8 }, tls: profile('server.pem', 'server.pem') },
    { name: 'key-before-certificate', files: { 'server.pem': ecSec1 + ecLeaf.pem }, tls: profile('server.pem', 'server.pem') },
    { name: 'mismatched', files: { 'server.crt': rsaLeaf.pem, 'server.key': otherPem }, tls: profile('server.crt', 'server.key') },
    { name: 'key-as-certificate', files: { 'server.key': rsaPkcs8 }, tls: profile('server.key', 'server.key') },
    { name: 'certificate-as-key', files: { 'server.crt': ecLeaf.pem }, tls: profile('server.crt', 'server.crt') },
    { name: 'key-as-ca-list', files: { 'server.crt': ecLeaf.pem, 'server.key': ecPkcs8 }, tls: profile('server.crt', 'server.key').replace('ca_list = ca.crt', 'ca_list = root.key') },
    { name: 'truncated', files: { 'server.crt': rsaLeaf.pem, 'server.key': truncated }, tls: profile('server.crt', 'server.key') },
  ];

  const dir = makeTempDir('sip-tls-leak-');
  const haystacks: { where: string; text: string }[] = [];
  const folders: string[] = [];
  for (const c of cases) {
    dir.write({
      [`${c.name}/kamailio.cfg`]: '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\n',
      [`${c.name}/tls.cfg`]: c.tls,
      [`${c.name}/ca.crt`]: root.pem,
      [`${c.name}/root.key`]: rootKey,
      ...Object.fromEntries(Object.entries(c.files).map(([n, t]) => [`${c.name}/${n}`, t])),
    });
    folders.push(dir.file(c.name));
  }
  try {
    // The CLI, every output format.
    for (const folder of folders) {
      for (const format of ['text', 'json', 'sarif']) {
        const r = runCli(['check', folder, '--format', format], { cwd: folder });
        assert.ok(r.code === 0 || r.code === 1, `${folder} ${format}: exit ${r.code} ${r.stderr}`);
        haystacks.push({ where: `cli ${format} ${folder}`, text: r.stdout + r.stderr });
      }
    }
    // The language server: diagnostics, a hover on every value, code actions for every diagnostic.
    const { client } = await LspTestClient.start({ workspaceFolders: folders });
    try {
      let diagnostics = 0;
      const codes: string[] = [];
      for (const [i, c] of cases.entries()) {
        const uri = fileUri(`${folders[i]}/tls.cfg`);
        await client.open(uri, 'kamailio-tls', c.tls);
        const published = await client.waitForDiagnostics(uri, { version: 1 });
        diagnostics += published.diagnostics.length;
        codes.push(...published.diagnostics.map((d) => `${c.name}:${String(d.code)}`));
        haystacks.push({ where: `diagnostics ${c.name}`, text: JSON.stringify(published) });
        for (const [line, text] of c.tls.split('\n').entries()) {
          const eq = text.indexOf('=');
          if (eq < 0) continue;
          for (const character of [eq + 2, text.length - 1, 1]) {
            const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } });
            haystacks.push({ where: `hover ${c.name} ${line}:${character}`, text: JSON.stringify(hover) });
            // Escaped Markdown writes `+` and `/` as `\+` and `\/`: scan what the reader sees too.
            if (hover && MarkupContent.is(hover.contents)) haystacks.push({ where: `hover text ${c.name} ${line}:${character}`, text: markdownText(hover.contents.value) });
          }
        }
        for (const d of published.diagnostics) {
          const actions = await client.codeActions(uri, d.range, [d]);
          haystacks.push({ where: `code actions ${c.name} ${String(d.code)}`, text: JSON.stringify(actions) });
        }
      }
      // Every broken key case has at least its own finding (key.unreadable, key.mismatch, …).
      assert.ok(diagnostics >= 6, `the key cases produce findings (${codes.join(', ')})`);
      haystacks.push({ where: 'window/logMessage', text: client.logs.join('\n') }, { where: 'server stderr', text: client.stderr.join('') });
    } finally {
      await client.shutdown();
    }
    const leaks = haystacks.flatMap((h) => scanner.find(h.text).map((hit) => `${h.where}: ${hit}`));
    assert.deepEqual(leaks, []);
    console.log(`scanned ${haystacks.length} outputs (${haystacks.reduce((s, h) => s + h.text.length, 0)} characters) for ${scanner.size} secret 16-byte runs: no key material`);
  } finally {
    dir.remove();
  }
});

test('the scanner itself finds key material in every form it looks for', () => {
  const key = newKey(P256, true);
  const pem = keyPem(key.privateKey, 'sec1');
  const scanner = new SecretScanner();
  scanner.addKey(key.privateKey, [pem], [new Uint8Array(key.publicKey.export({ type: 'spki', format: 'der' }))]);
  const der = Buffer.from(key.privateKey.export({ type: 'pkcs8', format: 'der' }));
  // The private scalar sits in the middle of the DER: pick a secret run there.
  const run = der.subarray(36, 52);
  const forms = [
    pem,
    run.toString('hex'),
    run.toString('hex').toUpperCase(),
    [...run].map((b) => b.toString(16).padStart(2, '0')).join(':'),
    Buffer.concat([Buffer.from([1]), run]).toString('base64'),
    Buffer.concat([Buffer.from([1, 2]), run]).toString('base64'),
    der.subarray(30, 60).toString('base64'),
  ];
  for (const f of forms) assert.ok(scanner.find(`text before ${f} text after`).length > 0, f);
  assert.deepEqual(scanner.find(Buffer.from(key.publicKey.export({ type: 'spki', format: 'der' })).toString('base64')), [], 'public key data is not a leak');
});

test('key material read as configuration: nothing of it in CLI check/show output or in what the server sends', { timeout: 300_000 }, async () => {
  // A sample of the forms through every place (the unit layer runs all forms in-process).
  const sample = /\/(pem-pkcs8|der-pkcs1|der-sec1|pkcs12|openssh|jwk|base64-pkcs8|openssl-text|pem-certificate-and-key)$/;
  const keys = keysUnderTest('small');
  const cases = keys.flatMap((key) => leakCases(key, 'small').filter((c) => sample.test(c.form.name) && !c.name.includes(' garbage ')).map((c) => ({ key, c })));
  const { outputs, diagnosticCodes } = await runThroughFaces(cases);
  const leaks = outputs.flatMap((o) => o.key.scanner.find(o.text).map((hit) => `${o.where}: ${hit}`));
  assert.deepEqual(leaks, []);
  // The mechanism fired: where the material is the open document's own configuration, the
  // editor shows the finding that says what it is.
  for (const { c } of cases) {
    const expected = EXPECTED[c.place];
    if (expected && (expected.file.endsWith('kamailio.cfg') || c.place === 'open-tls-document')) assert.ok(diagnosticCodes.get(c.name)?.includes(expected.code), `${c.name}: ${diagnosticCodes.get(c.name)?.join(', ')}`);
  }
  assert.ok(new Set(cases.map(({ c }) => c.place)).size === PLACES.length, 'every place');
  console.log(`${cases.length} cases through the CLI and the server, ${outputs.length} outputs: no key material`);
});
