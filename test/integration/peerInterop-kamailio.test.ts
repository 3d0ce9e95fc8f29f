// The interop table against real Kamailio: for each way a carrier refuses a handshake (missing
// intermediate, expired, wrong name, cipher mismatch, self-signed, mutual TLS not set), a Kamailio
// 5.6 deployment that starts, a carrier emulated by `openssl s_client`/`s_server` and
// `gnutls-cli`/`gnutls-serv` configured as the carrier connects (TLS 1.2 only, ECDHE-RSA suites,
// its own CA file, SNI, its client-certificate demand), the real handshake failing with the
// table's symptom, `sip-tls check` reporting it beforehand and naming the carrier, and the fixed
// deployment passing both tools with no peer finding. The carrier is a custom peer of the project
// file; its roots are the test PKI's, pinned by fingerprint (as a custom peer pins its CA).
//
//   npm run build && CI=true node --import tsx --test test/integration/peerInterop-kamailio.test.ts
//
// Only 127.0.0.1 is contacted. Under CI=true a missing component fails; locally it skips loudly.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test, type TestContext } from 'node:test';
import { runCliAsync } from '../helpers/cli';
import { TestPki, chainPem, keyPem, days, type Issued } from '../fixtures/pki';
import { freePort, kamailioAvailable, sipOptions } from './kamailioOracle';
import { kamailioCfg, startKamailio } from './kamailioListener';
import { gnutlsAvailable, probeGnutlsClient } from './gnutlsPeer';
import { needs } from './needs';

const kamailio = kamailioAvailable();
const gnutls = gnutlsAvailable();
const OPENSSL = process.env.OPENSSL ?? 'openssl';
const opensslOk = spawnSync(OPENSSL, ['version'], { encoding: 'utf8' }).status === 0;
const asRoot = process.getuid?.() === 0;

function ready(t: TestContext): boolean {
  return (
    needs(t, kamailio.ok, kamailio.reason ?? 'kamailio missing') &&
    needs(t, asRoot, 'these tests start Kamailio as root') &&
    needs(t, opensslOk, `${OPENSSL} cannot be run: apt-get install -y openssl`) &&
    needs(t, gnutls.ok, gnutls.reason ?? 'gnutls-cli missing')
  );
}

// ---- the carrier ---------------------------------------------------------------------------------

const SBC = 'sbc.example.com';
const CARRIER_HOST = 'sip.carrier.test';
const SUITES = ['ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-AES128-GCM-SHA256'];
/** The same suites and version in GnuTLS's words. */
const GNUTLS_PRIORITY = 'NONE:+VERS-TLS1.2:+ECDHE-RSA:+AES-256-GCM:+AES-128-GCM:+AEAD:+SIGN-ALL:+COMP-NULL:+GROUP-ALL:+CTYPE-X509';

const pki = new TestPki();
const root = pki.root('Carrier-Trusted Root CA');
const intermediate = pki.intermediate(root, 'Carrier-Trusted Intermediate CA');
const carrierRoot = pki.root('Carrier Own Root CA');
const carrierCert = pki.leaf(carrierRoot, CARRIER_HOST);
const sha = (c: Issued) => c.x509.fingerprint256.replace(/:/g, '').toLowerCase();

/** The project file: the carrier as sip-tls knows it, paired with both default profiles. */
function projectFile(): string {
  return JSON.stringify(
    {
      peers: {
        carrier: {
          name: 'Strict Carrier',
          sources: [{ url: 'https://carrier.example/sip-trunk-requirements', says: 'TLS 1.2, ECDHE-RSA AES-GCM suites, mutual TLS, SBC FQDN in the certificate.' }],
          connects: 'both',
          versions: ['1.2'],
          suites: SUITES,
          keyTypes: ['rsa'],
          trustsOurCertificateVia: { roots: [{ name: 'Carrier-Trusted Root CA', sha256: sha(root) }] },
          itsRoots: { required: 'any', roots: [{ name: 'Carrier Own Root CA', sha256: sha(carrierRoot) }] },
          hosts: [CARRIER_HOST],
          needsDnsSan: true,
          clientCertificate: 'required',
          clientCertificateEku: 'clientAuth',
          presentsClientCertificate: false,
          srtp: [],
          profiles: ['server:default', 'client:default'],
          names: [SBC],
        },
      },
    },
    null,
    2,
  );
}

// ---- the rows -------------------------------------------------------------------------------------

interface Deployment {
  /** Files of the case folder (certificates, keys, CA files). */
  files: Record<string, string>;
  /** [server:default] lines after method. */
  server: string;
  /** [client:default] lines after method. */
  client: string;
}

interface Row {
  name: string;
  /** Which side the carrier is: it connects to us (a TLS client), or we connect to it (a TLS server asking for our certificate). */
  carrier: 'client' | 'server';
  broken: Deployment;
  fixed: Deployment;
  /** What sip-tls must report on the broken deployment (code, and a pattern of its message besides the carrier's name). */
  expect: { code: string; message: RegExp };
  /** The symptom each tool prints. */
  openssl: RegExp;
  gnutls: RegExp;
}

const goodLeaf = pki.leaf(intermediate, SBC);
const serverFiles = (leaf: Issued, withIntermediate = true): Record<string, string> => ({
  'server.pem': withIntermediate ? chainPem(leaf, intermediate) : leaf.pem,
  'server.key': keyPem(leaf.privateKey),
  'carrier-ca.pem': carrierRoot.pem,
});
const SERVER = `certificate = server.pem\nprivate_key = server.key\n`;
const CLIENT_NO_CERT = `verify_certificate = yes\nca_list = carrier-ca.pem\n`;
const CLIENT_CERT = `${CLIENT_NO_CERT}certificate = server.pem\nprivate_key = server.key\n`;
const ok = (files: Record<string, string>): Deployment => ({ files, server: SERVER, client: CLIENT_CERT });

const ROWS: Row[] = [
  {
    name: 'missing intermediate',
    carrier: 'client',
    broken: ok(serverFiles(goodLeaf, false)),
    fixed: ok(serverFiles(goodLeaf)),
    expect: { code: 'peer.certificate-rejected', message: /is not sent and is not one of the roots Strict Carrier trusts.*fullchain/ },
    openssl: /unable to get local issuer certificate/,
    gnutls: /issuer-unknown/,
  },
  {
    name: 'expired',
    carrier: 'client',
    broken: ok(serverFiles(pki.leaf(intermediate, SBC, { notBefore: days(-400), notAfter: days(-1) }))),
    fixed: ok(serverFiles(goodLeaf)),
    expect: { code: 'peer.certificate-rejected', message: /expired on/ },
    openssl: /certificate has expired/,
    gnutls: /expired/,
  },
  {
    name: 'wrong CN/SAN',
    carrier: 'client',
    broken: ok(serverFiles(pki.leaf(intermediate, 'other.example.com'))),
    fixed: ok(serverFiles(goodLeaf)),
    expect: { code: 'peer.certificate-rejected', message: /expects sbc\.example\.com in our certificate.*hostname mismatch/ },
    openssl: /hostname mismatch/,
    gnutls: /name-mismatch/,
  },
  {
    name: 'cipher mismatch (the carrier allows only TLS 1.2 ECDHE)',
    carrier: 'client',
    broken: { ...ok(serverFiles(goodLeaf)), server: `${SERVER}cipher_list = AES256-SHA:AES128-SHA\n` },
    fixed: { ...ok(serverFiles(goodLeaf)), server: `${SERVER}cipher_list = ${SUITES.join(':')}:AES256-SHA:AES128-SHA\n` },
    expect: { code: 'peer.no-shared-suite', message: /enables none of them/ },
    openssl: /handshake failure|no shared cipher/,
    gnutls: /handshake|alert/i,
  },
  {
    name: 'self-signed',
    carrier: 'client',
    broken: (() => {
      const self = pki.selfSigned(SBC);
      return ok({ 'server.pem': self.pem, 'server.key': keyPem(self.privateKey), 'carrier-ca.pem': carrierRoot.pem });
    })(),
    fixed: ok(serverFiles(goodLeaf)),
    expect: { code: 'peer.certificate-rejected', message: /self-signed/ },
    openssl: /self-signed certificate|self signed certificate/,
    gnutls: /issuer-unknown/,
  },
  {
    name: 'mutual TLS not set (the carrier requires a client certificate)',
    carrier: 'server',
    broken: { ...ok(serverFiles(goodLeaf)), client: CLIENT_NO_CERT },
    fixed: ok(serverFiles(goodLeaf)),
    expect: { code: 'peer.client-certificate-missing', message: /requires a client certificate \(mutual TLS\), and \[client:default\] presents none/ },
    openssl: /peer did not return a certificate|did not return a certificate/,
    gnutls: /No certificate was found|certificate is required|Error in handshake/i,
  },
];

// ---- running a deployment -------------------------------------------------------------------------

const base = mkdtempSync(join(tmpdir(), 'sip-tls-interop-'));
chmodSync(base, 0o755);
after(() => rmSync(base, { recursive: true, force: true }));

function materialize(name: string, d: Deployment, port: number): string {
  const dir = join(base, name.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(dir, { recursive: true });
  for (const [f, text] of Object.entries(d.files)) writeFileSync(join(dir, f), text, { mode: f.endsWith('.key') ? 0o600 : 0o644 });
  writeFileSync(join(dir, 'root.pem'), root.pem);
  writeFileSync(join(dir, 'client.pem'), chainPem(carrierCert));
  writeFileSync(join(dir, 'client.key'), keyPem(carrierCert.privateKey), { mode: 0o600 });
  writeFileSync(join(dir, 'tls.cfg'), `[server:default]\nmethod = TLSv1.2+\n${d.server}\n[client:default]\nmethod = TLSv1.2+\n${d.client}`);
  writeFileSync(join(dir, 'kamailio.cfg'), kamailioCfg(dir, [port], { forward: true }));
  writeFileSync(join(dir, '.sip-tls.json'), projectFile());
  return dir;
}

interface Checked {
  findings: { code: string; message: string; file: string; severity: string }[];
  raw: string;
}

async function sipTls(dir: string): Promise<Checked> {
  const r = await runCliAsync(['check', 'kamailio.cfg', '--format', 'json', '--kamailio-version', '5.6', '--trust', 'root.pem'], { cwd: dir });
  const report = JSON.parse(r.stdout) as { diagnostics: Checked['findings'] };
  return { findings: report.diagnostics, raw: r.stdout + r.stderr };
}

interface Outcome {
  ok: boolean;
  text: string;
}

function run(cmd: string, args: string[], input: string, timeoutMs: number): Promise<{ rc: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (rc) => {
      clearTimeout(timer);
      resolve({ rc, out });
    });
    child.stdin.end(input);
  });
}

/** openssl s_client as the carrier connecting to us: TLS 1.2, its suites, its CA file, SNI and name check. */
async function opensslClient(dir: string, port: number): Promise<Outcome> {
  const args = ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', SBC, '-verify_hostname', SBC, '-CAfile', join(dir, 'root.pem'), '-verify_return_error', '-tls1_2', '-cipher', SUITES.join(':'), '-brief'];
  const r = await run(OPENSSL, args, 'OPTIONS sip:x SIP/2.0\r\n\r\n', 8000);
  return { ok: r.rc === 0 && /Verification: OK/.test(r.out), text: `${OPENSSL} ${args.join(' ')}\nrc ${r.rc}\n${r.out}` };
}

async function gnutlsClient(dir: string, port: number): Promise<Outcome> {
  const r = await probeGnutlsClient({ port, trustFiles: [join(dir, 'root.pem')], servername: SBC, priority: GNUTLS_PRIORITY, timeoutMs: 8000 });
  return { ok: r.ok, text: `${r.code ?? 'ok'} ${r.message ?? ''}\n${r.raw}` };
}

/** Sends OPTIONS over UDP until `until` settles, so that Kamailio opens a TLS connection to `tlsPort`. */
async function poke(udpPort: number, tlsPort: number, until: Promise<unknown>): Promise<void> {
  const { createSocket } = await import('node:dgram');
  const udp = createSocket('udp4');
  let done = false;
  void until.finally(() => (done = true));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
  for (let i = 0; i < 30 && !done; i++) {
    const msg = sipOptions(tlsPort, udp.address().port);
    udp.send(msg, udpPort, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 300));
  }
  udp.close();
}

/**
 * A TLS server as the carrier, requiring our client certificate, until one handshake ended
 * (accepted or refused) or the time ran out.
 */
async function carrierServer(kind: 'openssl' | 'gnutls', dir: string, udpPort: number): Promise<Outcome> {
  const tlsPort = await freePort();
  const cert = join(dir, 'client.pem');
  const key = join(dir, 'client.key');
  const ca = join(dir, 'root.pem');
  const args =
    kind === 'openssl'
      ? ['s_server', '-accept', `127.0.0.1:${tlsPort}`, '-cert', cert, '-key', key, '-CAfile', ca, '-Verify', '2', '-verify_return_error', '-tls1_2', '-cipher', SUITES.join(':'), '-naccept', '1', '-brief']
      : ['--port', String(tlsPort), '--x509certfile', cert, '--x509keyfile', key, '--x509cafile', ca, '--require-client-cert', '--verify-client-cert', '--priority', GNUTLS_PRIORITY];
  const cmd = kind === 'openssl' ? OPENSSL : 'gnutls-serv';
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const settled = new Promise<boolean>((resolve) => {
    const look = (d: string) => {
      out += d;
      if (/CIPHER is|Ciphersuite:|Protocol version:|- Description:|Handshake was completed/.test(out)) resolve(true);
      else if (/peer did not return a certificate|error|Error in handshake|alert/i.test(out) && /accept|handshake|certificate/i.test(out)) resolve(false);
    };
    child.stdout.setEncoding('utf8').on('data', look);
    child.stderr.setEncoding('utf8').on('data', look);
    child.on('close', () => resolve(false));
    setTimeout(() => resolve(false), 10_000);
  });
  // Wait for the listening socket before poking Kamailio.
  await new Promise((r) => setTimeout(r, 400));
  void poke(udpPort, tlsPort, settled);
  const accepted = await settled;
  await new Promise((r) => setTimeout(r, 300)); // the rest of the server's report
  child.kill('SIGKILL');
  return { ok: accepted, text: `${cmd} ${args.join(' ')}\n${out}` };
}

async function handshakes(row: Row, dir: string, port: number): Promise<{ openssl: Outcome; gnutls: Outcome }> {
  if (row.carrier === 'client') return { openssl: await opensslClient(dir, port), gnutls: await gnutlsClient(dir, port) };
  return { openssl: await carrierServer('openssl', dir, port), gnutls: await carrierServer('gnutls', dir, port) };
}

const CARRIER_NAMED = /^Strict Carrier \((connecting to|reached through) \[(server|client):default\]\)/;

for (const row of ROWS) {
  test(`interop: ${row.name} — the carrier's handshake fails as the table says, sip-tls said so naming the carrier, and the fix passes openssl and gnutls`, async (t) => {
    if (!ready(t)) return;
    for (const stage of ['broken', 'fixed'] as const) {
      const port = await freePort();
      const dir = materialize(`${row.name}-${stage}`, row[stage], port);
      const checked = await sipTls(dir);
      const peerFindings = checked.findings.filter((f) => f.code.startsWith('peer.') && f.code !== 'peer.inferred');
      if (stage === 'broken') {
        const hit = peerFindings.find((f) => f.code === row.expect.code);
        assert.ok(hit, `sip-tls did not report ${row.expect.code}:\n${checked.raw}`);
        assert.match(hit.message, CARRIER_NAMED);
        assert.match(hit.message, row.expect.message);
      } else {
        assert.deepEqual(peerFindings, [], `the fixed deployment still has peer findings:\n${checked.raw}`);
        assert.equal(checked.findings.filter((f) => f.severity === 'error').length, 0, checked.raw);
      }
      const kam = await startKamailio(dir, kamailioCfg(dir, [port], { forward: true }), [port]);
      try {
        const seen = await handshakes(row, dir, port);
        for (const [tool, outcome, symptom] of [
          ['openssl', seen.openssl, row.openssl],
          ['gnutls', seen.gnutls, row.gnutls],
        ] as const) {
          if (stage === 'broken') {
            assert.equal(outcome.ok, false, `${tool} accepted the broken deployment:\n${outcome.text}\n--- kamailio\n${kam.log()}`);
            assert.match(outcome.text, symptom, `${tool} failed otherwise than the table says:\n${outcome.text}`);
          } else {
            assert.equal(outcome.ok, true, `${tool} refused the fixed deployment:\n${outcome.text}\n--- kamailio\n${kam.log()}`);
          }
        }
      } finally {
        await kam.stop();
      }
    }
  });
}
