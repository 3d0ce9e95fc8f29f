// `sip-tls probe` as a child process against a Node TLS server in this process (no Kamailio):
// usage errors (exit 2), the JSON document's shape, the text layout. Only 127.0.0.1 is contacted.
// The live cases against Kamailio are in test/integration/probe.test.ts.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as tls from 'node:tls';
import { runCli, runCliAsync } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';
import { TestPki, chainPem, keyPem } from '../fixtures/pki';

const dir = makeTempDir('sip-tls-probe-cli-');
const pki = new TestPki();
const root = pki.root('CLI Probe Root');
const inter = pki.intermediate(root, 'CLI Probe Intermediate');
const leaf = pki.leaf(inter, 'sip.example.com');
dir.write({ 'root.pem': root.pem, 'not-pem.txt': 'hello\n' });

let server: tls.Server;
let port = 0;
before(async () => {
  server = tls.createServer({ cert: chainPem(leaf, inter), key: keyPem(leaf.privateKey) }, (s) => {
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      if (d.toString().startsWith('OPTIONS ')) s.write('SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\nSIP/2.0 200 OK\r\nServer: node-test\r\nContent-Length: 0\r\n\r\n');
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
after(() => {
  server.close();
  dir.remove();
});

test('usage errors exit 2 with a message on stderr and nothing on stdout', () => {
  const cases: [string[], RegExp][] = [
    [['probe'], /probe needs a HOST\[:PORT\]/],
    [['probe', 'a', 'b'], /one HOST\[:PORT\]/],
    [['probe', '127.0.0.1:0'], /'0' is not a port/],
    [['probe', '127.0.0.1:99999'], /not a port/],
    [['probe', '2001:db8::1:5061x'], /not a host name|IPv6/],
    [['probe', 'sip.example.com', '--bogus'], /unknown option '--bogus'/],
    [['probe', 'sip.example.com', '--cert', 'c.pem'], /--cert and --key go together/],
    [['probe', 'sip.example.com', '--min-version', 'TLSv1'], /--min-version must be one of TLSv1\.2, TLSv1\.3/],
    [['probe', 'sip.example.com', '--min-version', 'TLSv1.3', '--max-version', 'TLSv1.2'], /above --max-version/],
    [['probe', 'sip.example.com', '--format', 'sarif'], /--format must be text or json/],
    [['probe', 'sip.example.com', '--timeout', 'soon'], /--timeout needs milliseconds/],
    [['probe', 'sip.example.com', '--timeout'], /--timeout needs a value/],
    [['probe', '127.0.0.1:5061', '--ca', 'missing.pem'], /--ca .*missing\.pem/],
    [['probe', '127.0.0.1:5061', '--ca', 'not-pem.txt'], /--ca/],
  ];
  for (const [args, message] of cases) {
    const run = runCli(args, { cwd: dir.path });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message, args.join(' '));
    assert.equal(run.stdout, '', args.join(' '));
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
  }
});

test('help probe and probe --help describe the options and exit codes', () => {
  for (const args of [['help', 'probe'], ['probe', '--help']]) {
    const run = runCli(args, { cwd: dir.path });
    assert.equal(run.code, 0);
    for (const option of ['--servername', '--ca', '--cert', '--key', '--min-version', '--max-version', '--cipher', '--options', '--timeout', '--format']) {
      assert.ok(run.stdout.includes(option), option);
    }
    assert.match(run.stdout, /Exit codes: 0 /);
  }
  assert.doesNotMatch(runCli(['--help'], { cwd: dir.path }).stdout, /probe.*not available/);
});

const KEYS = ['version', 'ok', 'verdict', 'problems', 'target', 'error', 'tls', 'chain', 'chainSource', 'trustAnchor', 'verification', 'hostname', 'clientCertificate', 'sip', 'timings'];

test('JSON: one stable document with every field, the answer first', async () => {
  const run = await runCliAsync(['probe', `127.0.0.1:${port}`, '--servername', 'sip.example.com', '--ca', 'root.pem', '--options', '--format', 'json'], { cwd: dir.path });
  assert.equal(run.code, 0, run.stdout + run.stderr);
  const doc = JSON.parse(run.stdout) as Record<string, unknown> & { chain: Record<string, unknown>[] };
  assert.deepEqual(Object.keys(doc), KEYS);
  assert.equal(doc.version, 1);
  assert.equal(doc.ok, true);
  assert.deepEqual(doc.problems, []);
  assert.equal(doc.error, null);
  assert.deepEqual(doc.target, { host: '127.0.0.1', port, address: '127.0.0.1', servername: 'sip.example.com', trust: dir.file('root.pem') });
  assert.equal(doc.chainSource, 'wire');
  assert.equal(doc.chain.length, 2);
  for (const key of ['position', 'role', 'subject', 'issuer', 'names', 'notBefore', 'notAfter', 'daysLeft', 'serial', 'sha256', 'key', 'signature']) {
    assert.ok(key in doc.chain[0]!, key);
  }
  assert.equal(doc.chain[0]!.role, 'leaf');
  assert.equal(doc.chain[1]!.role, 'intermediate');
  assert.deepEqual(doc.sip, { request: `OPTIONS sip:127.0.0.1:${port};transport=tls SIP/2.0`, statusLine: 'SIP/2.0 200 OK', status: 200, provisional: ['SIP/2.0 100 Trying'], server: 'node-test' });
  assert.deepEqual(Object.keys(doc.timings as object), ['dnsMs', 'connectMs', 'handshakeMs', 'sipMs', 'totalMs']);
  assert.deepEqual(doc.clientCertificate, { requested: false, offered: false, acceptableCas: [], refusal: null });
});

test('JSON of a failure has the same keys; text puts the verdict first and the reason in words', async () => {
  const json = await runCliAsync(['probe', `127.0.0.1:${port}`, '--servername', 'sip.example.com', '--format', 'json'], { cwd: dir.path });
  assert.equal(json.code, 1);
  const doc = JSON.parse(json.stdout) as Record<string, unknown> & { verification: { code: string } };
  assert.deepEqual(Object.keys(doc), KEYS);
  assert.equal(doc.ok, false);
  assert.equal(doc.verification.code, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');

  const text = await runCliAsync(['probe', `127.0.0.1:${port}`, '--servername', 'sip.example.com'], { cwd: dir.path });
  assert.equal(text.code, 1);
  const lines = text.stdout.split('\n');
  assert.match(lines[0]!, /^FAILED: TLSv1\.3 to 127\.0\.0\.1:\d+: chain not trusted \(UNABLE_TO_GET_ISSUER_CERT_LOCALLY\)$/);
  assert.match(text.stdout, /unable to get local issuer certificate/);
  assert.match(text.stdout, /Certificate chain \(2, as sent by the server\)/);
  assert.ok(text.stdout.includes(leaf.x509.fingerprint256));
});

test('a cipher list OpenSSL refuses is bad usage (exit 2)', async () => {
  const run = await runCliAsync(['probe', `127.0.0.1:${port}`, '--cipher', 'NOT-A-CIPHER'], { cwd: dir.path });
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.stderr, /--cipher/);
});

test('--peer NAME connects as that peer does: a TLS 1.3-only server fails as Teams (TLS 1.2 only) and passes as the modern baseline', async () => {
  const only13 = tls.createServer({ cert: chainPem(leaf, inter), key: keyPem(leaf.privateKey), minVersion: 'TLSv1.3' }, (s) => s.on('error', () => undefined));
  only13.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => only13.listen(0, '127.0.0.1', () => r()));
  const p13 = (only13.address() as { port: number }).port;
  try {
    const asTeams = await runCliAsync(['probe', `127.0.0.1:${p13}`, '--servername', 'sip.example.com', '--ca', 'root.pem', '--peer', 'teams', '--format', 'json'], { cwd: dir.path });
    assert.equal(asTeams.code, 1, asTeams.stdout + asTeams.stderr);
    const report = JSON.parse(asTeams.stdout) as { ok: boolean; peer: { id: string; notes: string[] }; error?: { phase: string } };
    assert.equal(report.peer.id, 'teams');
    assert.equal(report.error?.phase, 'handshake');
    assert.ok(report.peer.notes.some((n) => /presents a client certificate, which this probe does not have/.test(n)), report.peer.notes.join('\n'));
    const text = await runCliAsync(['probe', `127.0.0.1:${p13}`, '--servername', 'sip.example.com', '--ca', 'root.pem', '--peer', 'teams'], { cwd: dir.path });
    assert.match(text.stdout, /^as Microsoft Teams Direct Routing connects \(checked 2026-\d\d-\d\d\): TLS 1\.2, TLS 1\.2 suites ECDHE-RSA-AES256-GCM-SHA384:/);
    const asModern = await runCliAsync(['probe', `127.0.0.1:${p13}`, '--servername', 'sip.example.com', '--ca', 'root.pem', '--peer', 'modern'], { cwd: dir.path });
    assert.equal(asModern.code, 0, asModern.stdout + asModern.stderr);
    // An explicit option wins over the peer's.
    const explicit = await runCliAsync(['probe', `127.0.0.1:${p13}`, '--servername', 'sip.example.com', '--ca', 'root.pem', '--peer', 'teams', '--max-version', 'TLSv1.3', '--cipher', 'ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256'], { cwd: dir.path });
    assert.equal(explicit.code, 0, explicit.stdout + explicit.stderr);
  } finally {
    only13.close();
  }
});

test('--peer usage errors: an unknown peer, and one the probe cannot play', () => {
  const unknown = runCli(['probe', 'sip.example.com', '--peer', 'acme'], { cwd: dir.path });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--peer needs a built-in peer \(teams, twilio, bandwidth, whatsapp, browsers, modern\), not 'acme'/);
  assert.equal(unknown.stdout, '');
});
