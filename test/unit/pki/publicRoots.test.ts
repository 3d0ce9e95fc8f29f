// The public root store is indexed by subject from the DER alone and parsed on demand: every root
// of Node's store must still be found under its own subject, exactly once.
import test from 'node:test';
import assert from 'node:assert/strict';
import { rootCertificates } from 'node:tls';
import { publicRoots } from '../../../server/src/core/pki/publicRoots';
import { parseCertificate } from '../../../server/src/core/pki/certificate';
import { scanPem } from '../../../server/src/core/pki/pem';

test('every public root is found under its subject, and only parsed roots are built', () => {
  const index = publicRoots();
  assert.equal(index.size, rootCertificates.length);
  let found = 0;
  for (const pem of rootCertificates) {
    const cert = parseCertificate(scanPem(new TextEncoder().encode(pem)).blocks[0]!.der!);
    const hits = index.withSubject(cert.subject.canonical).filter((c) => c.fingerprint256 === cert.fingerprint256);
    assert.equal(hits.length, 1, cert.subject.text);
    assert.ok(index.has(cert));
    found++;
  }
  assert.equal(found, rootCertificates.length);
  assert.deepEqual(index.withSubject('cn=not a root'), []);
});
