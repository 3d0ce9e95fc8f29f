// Key or certificate material where Kamailio reads configuration (issue 11): never parsed, one
// finding that says what it is on the place that reads it, nothing else about it, nothing quoted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { run, one, codes, r } from '../helpers';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { Checker } from '../../../server/src/core/check';
import { defaultSettings } from '../../../server/src/core/settings';

const KAM = '/etc/kamailio/kamailio.cfg';
const TLS = '/etc/kamailio/tls.cfg';
const KEY = '/etc/kamailio/server.key';
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const DER = new Uint8Array(privateKey.export({ type: 'sec1', format: 'der' }));
const BODY = PEM.split('\n').filter((l) => l && !l.startsWith('-----'));
const HEAD = '#!KAMAILIO\nenable_tls=yes\nloadmodule "tls.so"\n';

function quotesNothingOf(findings: { message: string }[]): void {
  for (const f of findings) for (const line of BODY) assert.ok(!f.message.includes(line.slice(0, 16)), `${f.message} quotes the key`);
}

test('a key as tls.cfg: one tlscfg.syntax on the modparam value, saying what the file is', () => {
  const { findings } = run({ [KAM]: `${HEAD}modparam("tls", "config", "server.key")\nlisten=tls:127.0.0.1:5061\n`, [KEY]: PEM }, { check: [KAM] });
  assert.deepEqual(codes(findings), ['tlscfg.syntax']);
  const f = one(findings, 'tlscfg.syntax', KAM);
  assert.deepEqual(f.range, r(3, 26, 3, 38));
  assert.equal(f.severity, 'error');
  assert.equal(
    f.message,
    `${KEY} holds a PEM private key (PKCS#8), not a tls.cfg: Kamailio's tls.cfg parser fails on its first line ("server.key:1:…"), the tls module fails to initialise ("Error while initializing module tls") and Kamailio exits. Point modparam("tls", "config", …) at the tls.cfg; a key file is named by private_key in a profile there.`,
  );
  assert.deepEqual(f.related, [{ file: KEY, range: r(0, 0, 0, 0), message: 'The file Kamailio would read as tls.cfg (a PEM private key (PKCS#8))' }]);
});

test('a DER key as tls.cfg is named from its bytes; a certificate as tls.cfg is public but not parsed either', () => {
  const der = run({ [KAM]: `${HEAD}modparam("tls", "config", "server.key")\n`, [KEY]: DER }, { check: [KAM] }).findings;
  assert.match(one(der, 'tlscfg.syntax', KAM).message, /holds a DER EC private key \(SEC1\), not a tls\.cfg/);
  const certPem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2pD\n-----END CERTIFICATE-----\n';
  const cert = run({ [KAM]: `${HEAD}modparam("tls", "config", "server.crt")\n`, '/etc/kamailio/server.crt': certPem }, { check: [KAM] }).findings;
  assert.deepEqual(codes(cert), ['tlscfg.syntax']);
  assert.match(one(cert, 'tlscfg.syntax', KAM).message, /holds a PEM certificate, not a tls\.cfg: .* a certificate is named by certificate or ca_list/);
});

test('a key among the files of a config folder: the finding names the file, the other file is still checked', () => {
  const { findings } = run(
    {
      [KAM]: `${HEAD}modparam("tls", "config", "tls.d")\n`,
      '/etc/kamailio/tls.d/10.cfg': '[server:default]\nmethod = TLSv1.2+\nbogus = 1\n',
      '/etc/kamailio/tls.d/20.cfg': PEM,
    },
    { check: [KAM] },
  );
  const f = one(findings, 'tlscfg.syntax', KAM);
  assert.deepEqual(f.range, r(3, 26, 3, 33));
  assert.match(f.message, /^\/etc\/kamailio\/tls\.d\/20\.cfg \(in the folder \/etc\/kamailio\/tls\.d\) holds a PEM private key \(PKCS#8\), not a tls\.cfg: .* Remove the file from the folder\.$/);
  assert.equal(one(findings, 'tlscfg.unknown-option', '/etc/kamailio/tls.d/10.cfg').range.start.line, 2);
  // Kamailio stops at the key: no verdict on what the configuration as a whole lacks.
  assert.ok(!codes(findings).includes('tlscfg.config-directory'));
});

test('include_file and import_file of a key: one kamcfg.syntax on the file name; the key is not a fragment', () => {
  for (const directive of ['include_file', 'import_file']) {
    const { findings } = run({ [KAM]: `${HEAD}${directive} "server.key"\n`, [KEY]: PEM }, { check: [KAM] });
    const f = one(findings, 'kamcfg.syntax', KAM);
    assert.deepEqual(f.range, r(3, directive.length + 2, 3, directive.length + 12));
    assert.equal(f.message, `${KEY} holds a PEM private key (PKCS#8), not kamailio.cfg text: ${directive} makes Kamailio parse it, and it stops with "parse error in config file …/server.key" and does not start.`);
    assert.ok(findings.every((x) => x.file === KAM), 'nothing is reported inside the key');
    quotesNothingOf(findings);
  }
});

test('a main configuration that is a key: one kamcfg.syntax at its start', () => {
  const { findings } = run({ [KAM]: PEM }, { check: [KAM] });
  const f = one(findings, 'kamcfg.syntax', KAM);
  assert.deepEqual(f.range, r(0, 0, 0, 0));
  assert.equal(f.message, 'This file holds a PEM private key (PKCS#8), not a kamailio.cfg: Kamailio stops with "parse error in config file …/kamailio.cfg" and does not start.');
});

test('a tls.cfg open in the editor that holds a key is not checked, and says why', () => {
  const host = new MemoryHost({ [TLS]: '' });
  const checker = new Checker(host);
  checker.setOverlay(TLS, PEM);
  const s = defaultSettings();
  const out = checker.check({ files: [TLS], settingsFor: () => s, languageOf: () => 'kamailio-tls' });
  assert.deepEqual(
    out.findings.map((f) => [f.code, f.range, f.message]),
    [['project.not-checked', r(0, 0, 0, 0), 'Not checked: it holds a PEM private key (PKCS#8), not a configuration.']],
  );
});

test('a key pasted into tls.cfg: one tlscfg.syntax on its first line, nothing of it quoted, the profile not judged', () => {
  const tls = `[server:default]\nmethod = TLSv1.2+\nprivate_key = ${PEM}certificate = /etc/kamailio/server.crt\n`;
  const { findings } = run({ [KAM]: `${HEAD}modparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\n`, [TLS]: tls, '/etc/kamailio/server.crt': 'x' }, { check: [KAM] });
  const syntax = findings.filter((f) => f.code === 'tlscfg.syntax');
  assert.equal(syntax.length, 1, JSON.stringify(findings.map((f) => f.message)));
  const lines = PEM.trimEnd().split('\n').length;
  assert.deepEqual(syntax[0]!.range, r(2, 14, 2, 41));
  assert.equal(syntax[0]!.message, `Lines 3–${2 + lines} hold a PEM private key (PKCS#8) pasted into the tls.cfg: Kamailio's tls.cfg parser cannot read it and exits. Put the key in a file of its own and name that file with private_key.`);
  quotesNothingOf(findings);
});

test('a key pasted into kamailio.cfg: kamcfg.syntax where Kamailio reads it, nothing inside a block comment', () => {
  const pasted = run({ [KAM]: `${HEAD}# the key:\n${PEM}request_route { drop; }\n` }, { check: [KAM] }).findings;
  const f = one(pasted, 'kamcfg.syntax', KAM);
  assert.deepEqual(f.range, r(4, 0, 4, 27));
  assert.match(f.message, /^Lines 5–\d+ hold a PEM private key \(PKCS#8\) pasted into the configuration: Kamailio reads it as statements and stops with "parse error in config file"/);
  quotesNothingOf(pasted);
  // A commented-out BEGIN line does not comment out the lines after it (Kamailio 5.6.3 stops there).
  const commented = run({ [KAM]: `${HEAD}# ${PEM}request_route { drop; }\n` }, { check: [KAM] }).findings;
  assert.deepEqual(one(commented, 'kamcfg.syntax', KAM).range, r(4, 0, 4, BODY[0]!.length));
  const inComment = run({ [KAM]: `${HEAD}/*\n${PEM}*/\nrequest_route { drop; }\n` }, { check: [KAM] }).findings;
  assert.deepEqual(codes(inComment).filter((c) => c === 'kamcfg.syntax'), []);
});

test('a key file named by private_key is still a key: the PKI rules read it, not the parsers', () => {
  const tls = `[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/kamailio/server.key\nprivate_key = /etc/kamailio/server.key\n`;
  const { findings } = run({ [KAM]: `${HEAD}modparam("tls", "config", "tls.cfg")\nlisten=tls:127.0.0.1:5061\n`, [TLS]: tls, [KEY]: PEM }, { check: [KAM] });
  assert.ok(codes(findings).includes('cert.unreadable'), codes(findings).join());
  assert.ok(!codes(findings).includes('tlscfg.syntax'));
  quotesNothingOf(findings);
});
