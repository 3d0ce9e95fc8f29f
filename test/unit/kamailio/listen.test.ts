import { test } from 'node:test';
import assert from 'node:assert/strict';
import { r } from '../helpers';
import { evaluate } from './evalHelpers';
import type { ListenSocket } from '../../../server/src/core/kamailio/model';

function listens(text: string, options: { defines?: string[] } = {}): ListenSocket[] {
  return evaluate(text, options).listens;
}
function one(text: string): ListenSocket {
  const ls = listens(text);
  assert.equal(ls.length, 1, JSON.stringify(ls.map((l) => l.host)));
  return ls[0]!;
}
function summary(l: ListenSocket) {
  return [l.proto ?? null, l.host, l.hostKind, l.port ?? null, l.portText ?? null];
}
function messages(l: ListenSocket): string[] {
  return l.problems.map((p) => p.message);
}

test('IPv4 with protocol and port: host and port ranges', () => {
  const l = one('listen=tls:192.0.2.10:5061\n');
  assert.deepEqual(summary(l), ['tls', '192.0.2.10', 'ipv4', 5061, '5061']);
  assert.deepEqual(l.hostRange, r(0, 11, 0, 21));
  assert.deepEqual(l.portRange, r(0, 22, 0, 26));
  assert.deepEqual(l.range, r(0, 0, 0, 26));
  assert.deepEqual(l.problems, []);
});

test('accepted forms: brackets, bare IPv6, host names, interfaces, quoted, *, no port, upper-case proto', () => {
  assert.deepEqual(summary(one('listen=tls:[::1]:5062')), ['tls', '::1', 'ipv6', 5062, '5062']);
  assert.deepEqual(one('listen=tls:[::1]:5062').hostRange, r(0, 11, 0, 16), 'the brackets are part of the host range');
  assert.deepEqual(summary(one('listen=tls:2001:db8::1')), ['tls', '2001:db8::1', 'ipv6', null, null]);
  assert.deepEqual(summary(one('listen=tls:localhost:5064')), ['tls', 'localhost', 'hostname', 5064, '5064']);
  assert.deepEqual(summary(one('listen=udp:my-host.example.com:5060')), ['udp', 'my-host.example.com', 'hostname', 5060, '5060']);
  assert.deepEqual(summary(one('listen=udp:1and1.com:5060')), ['udp', '1and1.com', 'hostname', 5060, '5060']);
  assert.deepEqual(summary(one('listen=tls:lo:5063')), ['tls', 'lo', 'interface-or-hostname', 5063, '5063']);
  assert.deepEqual(summary(one('listen="127.0.0.1"')), [null, '127.0.0.1', 'ipv4', null, null]);
  assert.deepEqual(summary(one('listen=udp:"sip.dns.example.com":5060')), ['udp', 'sip.dns.example.com', 'hostname', 5060, '5060']);
  assert.deepEqual(summary(one('listen=*:127.0.0.1:*')), ['any', '127.0.0.1', 'ipv4', null, '*']);
  assert.deepEqual(summary(one('listen=tls:127.0.0.1')), ['tls', '127.0.0.1', 'ipv4', null, null]);
  assert.deepEqual(summary(one('listen=TLS:127.0.0.1:5061;')), ['tls', '127.0.0.1', 'ipv4', 5061, '5061']);
  assert.deepEqual(summary(one('listen = udp:127.0.0.1 : 0x13c4')), ['udp', '127.0.0.1', 'ipv4', 5060, '0x13c4']);
  for (const text of ['listen=tls:[::1]:5062', 'listen=tls:localhost:5064', 'listen=*:127.0.0.1:*', 'listen="127.0.0.1"']) assert.deepEqual(one(text).problems, [], text);
});

test('several sockets on one line; advertise, name and virtual apply to all of them', () => {
  const ls = listens('listen=udp:127.0.0.1:5060 tcp:127.0.0.1:5060 advertise 192.0.2.1:5060 name "pub" virtual\n');
  assert.deepEqual(ls.map(summary), [
    ['udp', '127.0.0.1', 'ipv4', 5060, '5060'],
    ['tcp', '127.0.0.1', 'ipv4', 5060, '5060'],
  ]);
  for (const l of ls) {
    assert.deepEqual(l.advertise, { host: '192.0.2.1', port: 5060, range: r(0, 55, 0, 69) });
    assert.equal(l.name, 'pub');
    assert.equal(l.virtual, true);
    assert.deepEqual(l.problems, []);
  }
  assert.deepEqual(ls[1]!.hostRange, r(0, 30, 0, 39));
  assert.ok(ls[0]!.order < ls[1]!.order);
});

test('advertise PROTO:host:port (5.8+) is recorded for the version rule, not reported here', () => {
  const l = one('listen=udp:127.0.0.1:5060 advertise udp:192.0.2.1:5060\n');
  assert.deepEqual(l.advertise, { host: '192.0.2.1', port: 5060, range: r(0, 40, 0, 54), proto: 'udp' });
  assert.deepEqual(l.problems, []);
});

test('SCTP multi-homing list (a, b)', () => {
  const l = one('listen=sctp:(127.0.0.1, 127.0.0.2):5060\n');
  assert.deepEqual(summary(l), ['sctp', '127.0.0.1', 'ipv4', 5060, '5060']);
  assert.deepEqual(l.problems, []);
});

test('a listen value continues on the next line only where the grammar clearly does', () => {
  const ls = listens('listen=udp:127.0.0.1:5060\n    advertise 192.0.2.1:5060\nlisten=tcp:127.0.0.1:5060\ndebug=2\n');
  assert.equal(ls.length, 2);
  assert.equal(ls[0]!.advertise?.host, '192.0.2.1');
  assert.equal(ls[1]!.advertise, undefined);
});

test('placeholders: undefined names, <…>, empty or bracketed substdefs, pseudo-variables are never problems', () => {
  const ls = listens(
    'listen=udp:MY_IP:SIP_PORT\nlisten=MY_IP_ADDR\nlisten=udp:<private_ip>:5060 advertise <public_ip>:5060\n#!substdef "!INTERNAL_IP!!g"\nlisten=tls:INTERNAL_IP:5061 advertise INTERNAL_IP:5061\n#!substdef "!PRIV![KAM_PRIVATE_IP]!g"\nlisten=udp:PRIV:5060\n#!substdef "!L!udp:$def(NOPE):5060!g"\nlisten=L\n#!substdef "!IP6!!g"\nlisten=tcp:[IP6]:5060\n',
  );
  assert.deepEqual(ls.map((l) => [l.host, l.hostKind, l.portText ?? null]), [
    ['MY_IP', 'placeholder', 'SIP_PORT'],
    ['MY_IP_ADDR', 'placeholder', null],
    ['<private_ip>', 'placeholder', '5060'],
    ['INTERNAL_IP', 'placeholder', '5061'],
    ['PRIV', 'placeholder', '5060'],
    ['L', 'placeholder', null],
    ['IP6', 'placeholder', '5060'],
  ]);
  for (const l of ls) assert.deepEqual(l.problems, [], l.host);
  assert.deepEqual(ls[0]!.hostRange, r(0, 11, 0, 16));
  assert.deepEqual(ls[0]!.portRange, r(0, 17, 0, 25));
  assert.deepEqual(ls[3]!.hostRange, r(4, 11, 4, 22), 'a define that expanded to nothing: the range is its name');
});

test('defines used in listen lines', () => {
  const ls = listens('#!define PUB "203.0.113.5"\n#!define LISTEN_TLS tls:10.0.0.1:5061\nlisten=LISTEN_TLS advertise PUB:5061\n', { defines: ['PORT=5062'] });
  assert.deepEqual(ls.map(summary), [['tls', '10.0.0.1', 'ipv4', 5061, '5061']]);
  assert.deepEqual(ls[0]!.hostRange, r(2, 7, 2, 17));
  assert.equal(ls[0]!.advertise?.host, '203.0.113.5');
  const bad = listens('#!define MYIP 0.0.0\nlisten=tls:MYIP:5061\n');
  assert.equal(bad[0]!.problems.length, 1, 'a defined value is checked like a written one');
  assert.deepEqual(bad[0]!.problems[0]!.range, r(1, 11, 1, 15));
});

test('listen=tls:0.0.0:5061 — a truncated IPv4 address', () => {
  const l = one('listen=tls:0.0.0:5061\n');
  assert.equal(l.hostKind, 'invalid');
  assert.equal(l.host, '0.0.0');
  assert.deepEqual(l.hostRange, r(0, 11, 0, 16));
  assert.deepEqual(l.problems.map((p) => [p.code, p.range]), [['kamcfg.bad-listen', r(0, 11, 0, 16)]]);
  assert.equal(messages(l)[0], `'0.0.0' is not an IPv4 address (it has 3 parts, 4 are needed): Kamailio stops with "ip address, interface name or hostname expected". For every address use 0.0.0.0.`);
  assert.equal(l.port, 5061, 'the port is still read');
});

test('other dotted numbers: five parts, a numeric first label, an octet above 255', () => {
  assert.match(messages(one('listen=udp:1.2.3.4.5:5060'))[0]!, /it has 5 parts/);
  assert.match(messages(one('listen=udp:123.example.com:5060'))[0]!, /starts like an IPv4 address.*put it in quotes \("123.example.com"\)/);
  assert.equal(messages(one('listen=udp:10.0.0.256:5060'))[0], `'10.0.0.256' is not a valid IPv4 address (256 > 255): Kamailio stops with "invalid ipv4 address".`);
});

test('listen=tls:::1:5061 — IPv6 with a port needs brackets', () => {
  const l = one('listen=tls:::1:5061\n');
  assert.deepEqual(summary(l), ['tls', '::1', 'invalid', 5061, '5061']);
  assert.deepEqual(l.problems.map((p) => p.range), [r(0, 10, 0, 19)]);
  assert.equal(
    messages(l)[0],
    `An IPv6 address with a port must be written in brackets: Kamailio reads 'tls:::1:5061' as 'tls' followed by the IPv6 address '::' and stops with "ip address, interface name or hostname expected". Write tls:[::1]:5061.`,
  );
});

test('bad ports: not a number, negative, leading zero; above 65535 is truncated', () => {
  const x = one('listen=udp:127.0.0.1:5060x');
  assert.deepEqual(x.problems.map((p) => [p.range, p.message]), [[r(0, 21, 0, 26), `'5060x' is not a port number: Kamailio stops with "ip address, interface name or hostname expected".`]]);
  assert.match(messages(one('listen=udp:127.0.0.1:-5'))[0]!, /'-5' is not a port number/);
  assert.match(messages(one('listen=udp:127.0.0.1:08'))[0]!, /'08' is not a port number/);
  const big = one('listen=udp:127.0.0.1:70000');
  assert.equal(big.port, 70000);
  assert.equal(messages(big)[0], 'Port 70000 is out of range (1–65535): Kamailio accepts it but keeps only the low 16 bits and listens on port 4464.');
});

test('protocol spelling: Tls and ws are no listen protocols', () => {
  assert.match(messages(one('listen=Tls:127.0.0.1:5061'))[0]!, /'Tls' is not a protocol name: Kamailio knows udp, tcp, tls and sctp written all lower-case or all upper-case only/);
  assert.match(messages(one('listen=ws:127.0.0.1:80'))[0]!, /'ws' is not a listen protocol/);
});

test('a reserved word as a host label needs quotes', () => {
  const l = one('listen=tls:tls.example.com:5061');
  assert.deepEqual(l.problems.map((p) => [p.range, p.message]), [
    [r(0, 11, 0, 26), `'tls' is a reserved word in kamailio.cfg, so Kamailio cannot read 'tls.example.com' as a host name and stops with a syntax error; put it in quotes: "tls.example.com".`],
  ]);
  assert.match(messages(one('listen=udp:sip.dns.example.com:5060'))[0]!, /'dns' is a reserved word/);
  assert.deepEqual(one('listen=udp:sip.domain.com:5060').problems, [], 'domain is only a keyword since 5.7: not reported');
});

test('advertise port must be a number; name before virtual', () => {
  assert.match(messages(one('listen=udp:127.0.0.1:5060 advertise 1.2.3.4:*'))[0]!, /The advertised port must be a number/);
  assert.deepEqual(one('listen=udp:127.0.0.1:5060 advertise 1.2.3.4:PUBLIC_PORT').problems, []);
  assert.equal(messages(one('listen=udp:127.0.0.1:5060 virtual name "x"'))[0], 'Kamailio expects name "…" before virtual and stops with a syntax error here.');
});

test('alias and domain lists', () => {
  const cfg = evaluate('alias=tls:sip.example.com:5061 "sip2.example.com"\nalias=udp:(a.example.com, b.example.com):5060\n');
  assert.deepEqual(cfg.aliases.map((a) => [a.proto ?? null, a.host, a.port ?? null, a.hostRange]), [
    ['tls', 'sip.example.com', 5061, r(0, 10, 0, 25)],
    [null, 'sip2.example.com', null, r(0, 31, 0, 49)],
    ['udp', 'a.example.com', 5060, r(1, 11, 1, 24)],
    ['udp', 'b.example.com', 5060, r(1, 26, 1, 39)],
  ]);
});
