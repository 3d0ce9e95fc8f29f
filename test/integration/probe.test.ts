// `sip-tls probe` against a real Kamailio 5.6 TLS listener (Debian kamailio + kamailio-tls-modules,
// run as root), with a PKI generated now by TestPki:
//   port A  [server:default] sip.example.com (leaf + intermediate), plus an SNI-only profile
//           [server:any] server_name = voip.example.org with its own certificate;
//   port B  mutual TLS: verify_certificate = yes, require_certificate = yes, ca_list = root.
// Plus the failures that need no Kamailio: a closed port and a TCP server that never answers the
// handshake. Only 127.0.0.1 is ever contacted.
//
//   npm run build && CI=true node --import tsx --test test/integration/probe.test.ts
//
// Under CI=true a missing Kamailio fails (with what to install); a local run skips loudly.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { runCliAsync } from '../helpers/cli';
import { TestPki, chainPem, keyPem } from '../fixtures/pki';
import { freePort, kamailioAvailable } from './kamailioOracle';
import { kamailioCfg, startKamailio, type KamailioListener } from './kamailioListener';
import type { ProbeReport } from '../../server/src/core/probe';
import { needs } from './needs';

const kamailio = kamailioAvailable();
const root = process.getuid?.() === 0;

function needsKamailio(t: TestContext): boolean {
  if (!needs(t, kamailio.ok, kamailio.reason ?? 'kamailio missing')) return false;
  if (!needs(t, root, 'these tests start Kamailio as root (it binds and reads its files without -u/-g)')) return false;
  return needs(t, listener !== undefined, `Kamailio did not start: ${startError}`);
}

// ---- the PKI and the Kamailio under test ------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'sip-tls-probe-'));
chmodSync(dir, 0o755);
const file = (name: string) => join(dir, name);
const pki = new TestPki();
const caRoot = pki.root('Probe Root CA');
const caInt = pki.intermediate(caRoot, 'Probe Intermediate CA');
const leaf = pki.leaf(caInt, 'sip.example.com');
const sniLeaf = pki.leaf(caInt, 'voip.example.org');
const client = pki.leaf(caInt, 'pbx.example.net', { eku: ['clientAuth'] });
const otherRoot = pki.root('Some Other Root CA');
const stranger = pki.leaf(otherRoot, 'stranger.example.net', { eku: ['clientAuth'] });

writeFileSync(file('root.pem'), caRoot.pem);
writeFileSync(file('other-root.pem'), otherRoot.pem);
writeFileSync(file('chain.pem'), chainPem(leaf, caInt));
writeFileSync(file('leaf.key'), keyPem(leaf.privateKey), { mode: 0o600 });
writeFileSync(file('sni-chain.pem'), chainPem(sniLeaf, caInt));
writeFileSync(file('sni.key'), keyPem(sniLeaf.privateKey), { mode: 0o600 });
writeFileSync(file('client.pem'), chainPem(client, caInt));
writeFileSync(file('client.key'), keyPem(client.privateKey), { mode: 0o600 });
writeFileSync(file('stranger.pem'), stranger.pem);
writeFileSync(file('stranger.key'), keyPem(stranger.privateKey), { mode: 0o600 });

let listener: KamailioListener | undefined;
let startError = 'not started';
let portA = 0;
let portB = 0;

before(async () => {
  portA = await freePort();
  portB = await freePort();
  if (!kamailio.ok || !root) return;
  writeFileSync(
    file('tls.cfg'),
    [
      '[server:default]',
      'method = TLSv1.2+',
      `certificate = ${file('chain.pem')}`,
      `private_key = ${file('leaf.key')}`,
      'verify_certificate = no',
      '',
      '[server:any]',
      'method = TLSv1.2+',
      'server_name = voip.example.org',
      `certificate = ${file('sni-chain.pem')}`,
      `private_key = ${file('sni.key')}`,
      'verify_certificate = no',
      '',
      `[server:127.0.0.1:${portB}]`,
      'method = TLSv1.2+',
      `certificate = ${file('chain.pem')}`,
      `private_key = ${file('leaf.key')}`,
      'verify_certificate = yes',
      'require_certificate = yes',
      `ca_list = ${file('root.pem')}`,
      '',
      '[client:default]',
      'verify_certificate = no',
      '',
    ].join('\n'),
  );
  try {
    if (process.env.PROBE_HOLD) console.log('DIR', dir, portA, portB);
    listener = await startKamailio(dir, kamailioCfg(dir, [portA, portB]), [portA, portB]);
  } catch (e) {
    startError = e instanceof Error ? e.message : String(e);
  }
});

after(async () => {
  await listener?.stop();
  if (!process.env.PROBE_KEEP) rmSync(dir, { recursive: true, force: true });
});

async function probe(...args: string[]): Promise<{ code: number | null; report: ProbeReport; ms: number; stderr: string }> {
  const run = await runCliAsync(['probe', ...args, '--format', 'json'], { cwd: dir });
  let report: ProbeReport;
  try {
    report = JSON.parse(run.stdout) as ProbeReport;
  } catch {
    throw new Error(`not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}\n--- kamailio:\n${listener?.log() ?? ''}`);
  }
  return { code: run.code, report, ms: run.ms, stderr: run.stderr };
}

const explain = (r: { report: ProbeReport }) => JSON.stringify(r.report, null, 2);

// ---- Kamailio -------------------------------------------------------------------------------

test('good chain, --ca root, matching SNI, --options: exit 0, chain of 2 with fingerprints, SIP/2.0 200 OK', async (t) => {
  if (!needsKamailio(t)) return;
  const r = await probe(`127.0.0.1:${portA}`, '--servername', 'sip.example.com', '--ca', file('root.pem'), '--options');
  assert.equal(r.code, 0, explain(r));
  const p = r.report;
  assert.equal(p.ok, true);
  assert.match(p.verdict, /^OK: TLSv1\.[23] to 127\.0\.0\.1:\d+, chain trusted, name sip\.example\.com matches, SIP\/2\.0 200 OK$/);
  assert.ok(p.tls && ['TLSv1.3', 'TLSv1.2'].includes(p.tls.protocol), explain(r));
  assert.equal(p.target.servername, 'sip.example.com');
  assert.equal(p.chainSource, 'wire');
  assert.equal(p.chain.length, 2, 'the server sends leaf + intermediate; the root is not sent');
  assert.equal(p.chain[0]!.sha256, leaf.x509.fingerprint256);
  assert.equal(p.chain[1]!.sha256, caInt.x509.fingerprint256);
  assert.deepEqual(p.chain[0]!.names, ['DNS:sip.example.com']);
  assert.match(p.chain[0]!.subject, /CN=sip\.example\.com/);
  assert.match(p.chain[1]!.subject, /CN=Probe Intermediate CA/);
  assert.ok(p.chain[0]!.daysLeft > 300);
  assert.equal(p.trustAnchor?.sha256, caRoot.x509.fingerprint256, 'completed with the --ca root');
  assert.deepEqual(p.verification, { trusted: true, code: null, reason: null, explanation: null });
  assert.equal(p.hostname?.matches, true);
  assert.equal(p.clientCertificate.requested, false);
  assert.equal(p.sip?.statusLine, 'SIP/2.0 200 OK');
  assert.equal(p.sip?.status, 200);
  assert.match(p.sip?.server ?? '', /kamailio/i);
  assert.match(p.sip?.request ?? '', new RegExp(`^OPTIONS sip:127\\.0\\.0\\.1:${portA};transport=tls SIP/2\\.0$`));
  assert.ok(p.timings.handshakeMs !== null && p.timings.sipMs !== null);

  const text = await runCliAsync(['probe', `127.0.0.1:${portA}`, '--servername', 'sip.example.com', '--ca', file('root.pem'), '--options'], { cwd: dir });
  assert.equal(text.code, 0);
  assert.match(text.stdout.split('\n')[0]!, /^OK: /, 'the verdict comes first');
  assert.ok(text.stdout.includes(leaf.x509.fingerprint256));
  assert.match(text.stdout, /SIP OPTIONS\s+SIP\/2\.0 200 OK/);
  assert.doesNotMatch(text.stdout + text.stderr, /PRIVATE KEY/);
});

test('TLS 1.2 only: the same chain, protocol TLSv1.2', async (t) => {
  if (!needsKamailio(t)) return;
  const r = await probe(`127.0.0.1:${portA}`, '--servername', 'sip.example.com', '--ca', file('root.pem'), '--max-version', 'TLSv1.2');
  assert.equal(r.code, 0, explain(r));
  assert.equal(r.report.tls?.protocol, 'TLSv1.2');
  assert.equal(r.report.chain.length, 2);
  assert.equal(r.report.chainSource, 'wire');
});

test('SNI: server_name profile selected by SNI; a name the certificate lacks is a host-name mismatch', async (t) => {
  if (!needsKamailio(t)) return;
  const sni = await probe(`127.0.0.1:${portA}`, '--servername', 'voip.example.org', '--ca', file('root.pem'));
  assert.equal(sni.code, 0, explain(sni));
  assert.equal(sni.report.chain[0]!.sha256, sniLeaf.x509.fingerprint256, 'the [server:any] server_name profile answered');

  const wrong = await probe(`127.0.0.1:${portA}`, '--servername', 'wrong.example.com', '--ca', file('root.pem'));
  assert.equal(wrong.code, 1, explain(wrong));
  assert.equal(wrong.report.chain[0]!.sha256, leaf.x509.fingerprint256, 'no profile for the name: the default answered');
  assert.equal(wrong.report.verification?.trusted, true, 'the chain itself is fine');
  assert.equal(wrong.report.hostname?.matches, false);
  assert.equal(wrong.report.hostname?.checked, 'wrong.example.com');
  assert.match(wrong.report.hostname?.reason ?? '', /wrong\.example\.com.*not in the cert's altnames/);
  assert.match(wrong.report.verdict, /^FAILED: .*name wrong\.example\.com not in the certificate/);

  // An IP address sends no SNI and is checked as an address (the leaf has no IP SAN).
  const ip = await probe(`127.0.0.1:${portA}`, '--ca', file('root.pem'));
  assert.equal(ip.code, 1);
  assert.equal(ip.report.target.servername, null);
  assert.equal(ip.report.hostname?.checked, '127.0.0.1');
  assert.equal(ip.report.hostname?.matches, false);
});

test('unknown CA: public roots or another root → exit 1, unable to get local issuer certificate', async (t) => {
  if (!needsKamailio(t)) return;
  for (const args of [[], ['--ca', file('other-root.pem')]]) {
    const r = await probe(`127.0.0.1:${portA}`, '--servername', 'sip.example.com', ...args);
    assert.equal(r.code, 1, explain(r));
    assert.equal(r.report.verification?.trusted, false);
    assert.equal(r.report.verification?.code, 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY');
    assert.equal(r.report.verification?.reason, 'unable to get local issuer certificate');
    assert.match(r.report.verification?.explanation ?? '', /--ca/);
    assert.equal(r.report.hostname?.matches, true);
    assert.equal(r.report.chain.length, 2, 'the chain is shown even though it does not verify');
    assert.equal(r.report.trustAnchor, null);
    assert.equal(r.report.target.trust, args.length ? file('other-root.pem') : 'public roots');
  }
});

test('mutual TLS: without --cert the server requires one; with a client certificate of the same CA it succeeds', async (t) => {
  if (!needsKamailio(t)) return;
  const base = [`127.0.0.1:${portB}`, '--servername', 'sip.example.com', '--ca', file('root.pem')];

  const none = await probe(...base);
  assert.equal(none.code, 1, explain(none));
  assert.equal(none.report.clientCertificate.requested, true);
  assert.equal(none.report.clientCertificate.offered, false);
  assert.deepEqual(none.report.clientCertificate.acceptableCas, ['CN=Probe Root CA, O=sip-tls tests'], 'Kamailio sends its ca_list names');
  assert.equal(none.report.error?.phase, 'client-certificate');
  assert.match(none.report.verdict, /client certificate (is )?required/);
  assert.match(none.report.problems.join('\n'), /--cert/);

  const none12 = await probe(...base, '--max-version', 'TLSv1.2');
  assert.equal(none12.code, 1, explain(none12));
  assert.equal(none12.report.clientCertificate.requested, true);
  assert.equal(none12.report.error?.phase, 'client-certificate');
  assert.match(none12.report.verdict, /client certificate required/);

  const good = await probe(...base, '--cert', file('client.pem'), '--key', file('client.key'), '--options');
  assert.equal(good.code, 0, explain(good));
  assert.equal(good.report.clientCertificate.requested, true);
  assert.equal(good.report.clientCertificate.offered, true);
  assert.equal(good.report.clientCertificate.refusal, null);
  assert.equal(good.report.sip?.statusLine, 'SIP/2.0 200 OK');

  const foreign = await probe(...base, '--cert', file('stranger.pem'), '--key', file('stranger.key'));
  assert.equal(foreign.code, 1, explain(foreign));
  assert.equal(foreign.report.error?.phase, 'client-certificate');
  assert.match(foreign.report.clientCertificate.refusal ?? '', /unknown ca|bad certificate|certificate unknown/);
  assert.doesNotMatch(JSON.stringify(foreign.report), /PRIVATE KEY/);
});

// ---- no Kamailio needed ---------------------------------------------------------------------

test('connection refused on a closed port: exit 1 with a clear error, no stack trace', async () => {
  const port = await freePort();
  const r = await probe(`127.0.0.1:${port}`);
  assert.equal(r.code, 1);
  assert.equal(r.report.error?.phase, 'connect');
  assert.equal(r.report.error?.code, 'ECONNREFUSED');
  assert.match(r.report.verdict, new RegExp(`^FAILED: cannot connect to 127\\.0\\.0\\.1:${port}: connection refused`));
  assert.equal(r.stderr, '');
  const text = await runCliAsync(['probe', `127.0.0.1:${port}`], { cwd: dir });
  assert.equal(text.code, 1);
  assert.match(text.stdout, /Nothing listens on/);
  assert.doesNotMatch(text.stdout + text.stderr, /\n\s+at /, 'no stack trace');
});

test('a TCP server that never answers the handshake: exit 1 within the timeout', async () => {
  const sockets: Socket[] = [];
  const server: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await probe(`127.0.0.1:${port}`, '--timeout', '700');
    assert.equal(r.code, 1, explain(r));
    assert.equal(r.report.error?.phase, 'timeout');
    assert.match(r.report.error?.message ?? '', /no TLS handshake within 700 ms/);
    assert.match(r.report.error?.explanation ?? '', /never answered the TLS ClientHello/);
    assert.ok(r.report.timings.totalMs >= 650 && r.report.timings.totalMs < 1500, `total ${r.report.timings.totalMs} ms`);
    assert.ok(r.ms < 5000, `the whole run took ${r.ms} ms`);
  } finally {
    for (const s of sockets) s.destroy();
    server.close();
  }
});
