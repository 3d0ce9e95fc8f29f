// The gnutls-cli peer of the oracle harness (test/integration/gnutlsPeer.ts): its output, as
// gnutls-cli 3.7.9 printed it against Kamailio 5.6.3, becomes a stable outcome kind, and its
// argv names the trust file, SNI and the verified name (no shell).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gnutlsArgs, parseGnutlsRun, priorityFor } from '../integration/gnutlsPeer';

const HEAD = "Processed 1 CA certificate(s).\nResolving '127.0.0.1:40297'...\nConnecting to '127.0.0.1:40297'...\n- Certificate type: X.509\n- Got a certificate list of 2 certificates.\n- Certificate[0] info:\n - subject `CN=sip.example.com,O=sip-tls tests', issuer `CN=Test Intermediate CA,O=sip-tls tests', serial 0x01, RSA key 2048 bits\n- Certificate[1] info:\n - subject `CN=Test Intermediate CA,O=sip-tls tests', issuer `CN=Test Root CA,O=sip-tls tests', serial 0x02\n";

test('gnutls-cli: a trusted certificate and a completed handshake are ok, with protocol and chain', () => {
  const stdout = `${HEAD}- Status: The certificate is trusted. \n- Description: (TLS1.3-X.509)-(ECDHE-SECP256R1)-(RSA-PSS-RSAE-SHA256)-(AES-256-GCM)\n- Options:\n- Handshake was completed\n\n- Simple Client Mode:\n\n- Peer has closed the GnuTLS connection\n`;
  assert.deepEqual(parseGnutlsRun({ rc: 0, stdout, stderr: '', timedOut: false }), { ok: true, protocol: 'TLS1.3', chain: ['sip.example.com', 'Test Intermediate CA'] });
});

test('gnutls-cli: the certificate status reasons become the kind, joined in order', () => {
  const failed = (status: string) =>
    parseGnutlsRun({ rc: 1, stdout: `${HEAD}\n- Status: ${status} \n*** PKI verification of server certificate failed...\n`, stderr: '*** Fatal error: Error in the certificate.\n', timedOut: false });
  assert.equal(failed('The certificate is NOT trusted. The certificate issuer is unknown.').code, 'issuer-unknown');
  assert.equal(failed('The certificate is NOT trusted. The certificate chain uses expired certificate.').code, 'expired');
  assert.equal(failed('The certificate is NOT trusted. The name in the certificate does not match the expected.').code, 'name-mismatch');
  assert.equal(failed('The certificate is NOT trusted. The certificate chain does not match the intended purpose.').code, 'purpose');
  const two = failed('The certificate is NOT trusted. The certificate issuer is unknown. The certificate chain uses expired certificate.');
  assert.equal(two.code, 'issuer-unknown+expired');
  assert.equal(two.ok, false);
  assert.equal(two.message, 'The certificate is NOT trusted. The certificate issuer is unknown. The certificate chain uses expired certificate.');
  // Older releases print "Verifying server certificate failed" without a status reason we know.
  assert.equal(parseGnutlsRun({ rc: 1, stdout: `${HEAD}*** Verifying server certificate failed...\n`, stderr: '', timedOut: false }).code, 'not-trusted');
});

test('gnutls-cli: handshake errors and alerts, refused and stuck connections', () => {
  const keyUsage = parseGnutlsRun({ rc: 1, stdout: "Connecting to '127.0.0.1:43811'...\n", stderr: "|<1>| Peer's certificate does not allow digital signatures. Key usage violation detected.\n*** Fatal error: Key usage violation in certificate has been detected.\n", timedOut: false });
  assert.deepEqual(keyUsage, { ok: false, code: 'key-usage-violation', message: 'Key usage violation in certificate has been detected.' });
  const alert = parseGnutlsRun({ rc: 1, stdout: `${HEAD}- Status: The certificate is trusted. \n- Handshake was completed\n`, stderr: '*** Fatal error: A TLS fatal alert has been received.\n*** Received alert [48]: CA is unknown\n', timedOut: false });
  assert.equal(alert.code, 'alert:ca-is-unknown');
  assert.equal(parseGnutlsRun({ rc: 1, stdout: '', stderr: '*** Fatal error: A TLS fatal alert has been received.\n*** Received alert [80]: Internal error\n', timedOut: false }).code, 'alert:internal-error');
  assert.equal(parseGnutlsRun({ rc: 1, stdout: "Connecting to '127.0.0.1:1'...\n", stderr: 'Could not connect to 127.0.0.1:1: Connection refused\n', timedOut: false }).code, 'ECONNREFUSED');
  assert.equal(parseGnutlsRun({ rc: null, stdout: "Connecting to '127.0.0.1:5061'...\n", stderr: '', timedOut: true }).code, 'TIMEOUT');
  assert.equal(parseGnutlsRun({ rc: 1, stdout: '', stderr: '*** Fatal error: Something new.\n', timedOut: false }).code, 'handshake:something-new');
});

test('gnutls-cli argv: trust file, SNI and verified name; by address no SNI; a client certificate; a priority for old versions', () => {
  assert.deepEqual(gnutlsArgs({ port: 5061, trustFiles: ['/c/root.pem'] }, '/c/root.pem'), ['--x509cafile', '/c/root.pem', '--sni-hostname', 'sip.example.com', '--verify-hostname', 'sip.example.com', '-p', '5061', '127.0.0.1']);
  assert.deepEqual(gnutlsArgs({ port: 5061, trustFiles: ['/c/root.pem'], servername: null }, '/c/root.pem'), ['--x509cafile', '/c/root.pem', '-p', '5061', '127.0.0.1']);
  assert.deepEqual(
    gnutlsArgs({ port: 1, trustFiles: ['/r'], servername: 'a.example', certFile: '/c.pem', keyFile: '/k.pem', priority: 'NORMAL' }, '/r'),
    ['--x509cafile', '/r', '--sni-hostname', 'a.example', '--verify-hostname', 'a.example', '--x509certfile', '/c.pem', '--x509keyfile', '/k.pem', '--priority', 'NORMAL', '-p', '1', '127.0.0.1'],
  );
  assert.equal(priorityFor({ kind: 'client' }), undefined);
  assert.equal(priorityFor({ kind: 'client', minVersion: 'TLSv1', maxVersion: 'TLSv1' }), 'NORMAL:-VERS-ALL:+VERS-TLS1.0');
  assert.equal(priorityFor({ kind: 'client', minVersion: 'TLSv1', maxVersion: 'TLSv1.1' }), 'NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1');
});
