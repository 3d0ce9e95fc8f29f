// The probe's pure parts (target parsing, SIP response reading, the formatters, the wire reader on
// junk) and a DNS failure through an injected resolver: nothing here opens a connection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { formatProbeMarkdown, formatProbeText, parseProbeTarget, probeTarget, runProbe } from '../../../server/src/core/probe';
import { SipResponseReader, buildOptions } from '../../../server/src/core/probe/sip';
import { readServerFlight } from '../../../server/src/core/probe/wire';
import { markdownText, markupProblems } from '../../helpers/markdown';

test('parseProbeTarget: names, IPv4, [IPv6]:port, bare IPv6, sip(s): URIs, default port 5061', () => {
  assert.deepEqual(parseProbeTarget('sip.example.com'), { host: 'sip.example.com', port: 5061 });
  assert.deepEqual(parseProbeTarget('sip.example.com:5071'), { host: 'sip.example.com', port: 5071 });
  assert.deepEqual(parseProbeTarget('192.0.2.1:5061'), { host: '192.0.2.1', port: 5061 });
  assert.deepEqual(parseProbeTarget('[2001:db8::1]:5062'), { host: '2001:db8::1', port: 5062 });
  assert.deepEqual(parseProbeTarget('2001:db8::1'), { host: '2001:db8::1', port: 5061 });
  assert.deepEqual(parseProbeTarget('sips:alice@sip.example.com:5063;transport=tls'), { host: 'sip.example.com', port: 5063 });
  for (const bad of ['', 'a b', 'host:0', 'host:65536', 'host:x', '[nope]:5061']) assert.equal(typeof parseProbeTarget(bad), 'string', bad);
});

test('buildOptions: a well-formed OPTIONS request', () => {
  const r = buildOptions('sip.example.com', 5061, { address: '192.0.2.7', port: 40000 }, 'sip-tls/test');
  const lines = r.text.split('\r\n');
  assert.equal(lines[0], 'OPTIONS sip:sip.example.com:5061;transport=tls SIP/2.0');
  assert.match(lines[1]!, /^Via: SIP\/2\.0\/TLS 192\.0\.2\.7:40000;rport;branch=z9hG4bK[0-9a-f]{16}$/);
  assert.ok(lines.includes('Max-Forwards: 70'));
  assert.ok(lines.includes('To: <sip:sip.example.com:5061;transport=tls>'));
  assert.ok(lines.some((l) => /^From: <sip:probe@192\.0\.2\.7>;tag=[0-9a-f]+$/.test(l)));
  assert.ok(lines.some((l) => /^Call-ID: [0-9a-f]+@192\.0\.2\.7$/.test(l)));
  assert.ok(lines.includes('CSeq: 1 OPTIONS'));
  assert.ok(lines.includes('Contact: <sip:probe@192.0.2.7:40000;transport=tls>'));
  assert.ok(r.text.endsWith('Content-Length: 0\r\n\r\n'));
  const v6 = buildOptions('2001:db8::1', 5061, { address: '2001:db8::2', port: 1 }, 'x');
  assert.match(v6.text, /^OPTIONS sip:\[2001:db8::1\]:5061;transport=tls SIP\/2\.0\r\nVia: SIP\/2\.0\/TLS \[2001:db8::2\]:1;/);
});

test('SipResponseReader: split across chunks, keep-alives, bodies, provisional then final', () => {
  const reader = new SipResponseReader();
  assert.deepEqual(reader.push(Buffer.from('\r\n\r\nSIP/2.0 100 Try')), []);
  const first = reader.push(Buffer.from('ing\r\nContent-Length: 4\r\n\r\nabcdSIP/2.0 200 OK\r\nServer: kamailio (5.6.3)\r\nl: 0\r\n\r\n'));
  assert.deepEqual(first, [{ statusLine: 'SIP/2.0 100 Trying', status: 100 }, { statusLine: 'SIP/2.0 200 OK', status: 200, server: 'kamailio (5.6.3)' }]);
});

test('readServerFlight gives up quietly on junk', () => {
  assert.deepEqual(readServerFlight(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), undefined), { acceptableCas: [] });
  assert.deepEqual(readServerFlight(Buffer.from([22, 3, 3, 0, 4, 2, 0, 0, 9]), undefined), { acceptableCas: [] });
  assert.deepEqual(readServerFlight(undefined, undefined), { acceptableCas: [] });
});

test('a name that does not resolve is a dns error in plain words, not an exception', async () => {
  const lookup = ((_host: string, _options: unknown, callback: (err: NodeJS.ErrnoException | null, address: string, family: number) => void) => {
    const e: NodeJS.ErrnoException = new Error('getaddrinfo ENOTFOUND sip.invalid');
    e.code = 'ENOTFOUND';
    callback(e, '', 4);
  }) as unknown as LookupFunction;
  const r = await runProbe({ host: 'sip.invalid', port: 5061, lookup, timeoutMs: 2000 });
  assert.equal(r.ok, false);
  assert.equal(r.error?.phase, 'dns');
  assert.equal(r.error?.code, 'ENOTFOUND');
  assert.match(r.verdict, /^FAILED: cannot resolve sip\.invalid:5061: host name not found$/);
  assert.match(r.error?.explanation ?? '', /does not resolve/);
  assert.equal(r.target.servername, 'sip.invalid');
  assert.match(formatProbeText(r), /^FAILED: cannot resolve/);
});

test('probeTarget: a bad target is a setup report; an aborted probe says so', async () => {
  const bad = await probeTarget('host:notaport');
  assert.equal(bad.ok, false);
  assert.equal(bad.error?.phase, 'setup');
  const controller = new AbortController();
  controller.abort();
  const aborted = await probeTarget('127.0.0.1:9', {}, controller.signal);
  assert.equal(aborted.error?.phase, 'aborted');
});

test('formatProbeMarkdown escapes what the network sent', async () => {
  const r = await probeTarget('host:notaport');
  r.chain.push({ position: 0, role: 'leaf', subject: 'CN=*evil* [x](http://e)', issuer: 'CN=i', names: [], notBefore: '2026-01-01', notAfter: '2027-01-01', daysLeft: 10, serial: '01', sha256: 'AA', key: 'RSA 2048', signature: 'sha256WithRSAEncryption', keyUsage: [], extendedKeyUsage: [], ca: false });
  r.chainSource = 'wire';
  const md = formatProbeMarkdown(r).value;
  assert.match(md, /^\*\*FAILED\\: /);
  assert.deepEqual(markupProblems(md), []);
  assert.ok(markdownText(md).includes('CN=*evil* [x](http://e)'), md);
});
