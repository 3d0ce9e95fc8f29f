import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIp } from '../../server/src/core/ipAddress';
import { parseTlsConfig } from '../../server/src/core/tlscfg/parser';

test('canonicalIp: one text per IPv6 address, in the RFC 5952 form Kamailio prints (TLSs<::1:5061>)', () => {
  // Left: as written; right: what Kamailio 5.6.3 printed in "TLSs<…>: No listening socket found".
  for (const [written, printed] of [
    ['0:0:0:0:0:0:0:1', '::1'],
    ['[0:0:0:0:0:0:0:1]', '::1'],
    ['2001:DB8::1', '2001:db8::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
  ] as const) {
    assert.equal(canonicalIp(written), printed, written);
  }
  assert.equal(canonicalIp('127.0.0.1'), '127.0.0.1');
  assert.equal(canonicalIp('SIP.Example.COM'), 'sip.example.com');
  assert.equal(canonicalIp('fe80::1%ETH0'), 'fe80::1%eth0', 'a zone index is kept as text');
});

test('a profile header keeps its IPv6 target canonical', () => {
  const doc = parseTlsConfig('/etc/kamailio/tls.cfg', '[server:[0:0:0:0:0:0:0:1]:5061]\n[client:[2001:DB8::0001]:0]\n');
  assert.deepEqual(
    doc.profiles.map((p) => p.target),
    [
      { kind: 'address', ip: '::1', family: 6, port: 5061 },
      { kind: 'address', ip: '2001:db8::1', family: 6, port: 0 },
    ],
  );
  assert.deepEqual(doc.profiles.map((p) => p.headerText), ['[server:[0:0:0:0:0:0:0:1]:5061]', '[client:[2001:DB8::0001]:0]'], 'the header as written');
});
