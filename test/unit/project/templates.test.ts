// Templates: placeholders of the usual engines, rendered with the values given, masked otherwise;
// findings that depend on an unknown placeholder are dropped and ranges map back to the template.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findPlaceholders, renderTemplate, RenderingMap } from '../../../server/src/core/project/templates';
import { checkRepository } from './helpers';
import { codes, one, only } from '../helpers';

test('every placeholder syntax, in both languages where it applies', () => {
  const names = (text: string, lang: 'kamailio' | 'tls') => findPlaceholders(text, lang).map((p) => p.name);
  assert.deepEqual(names('a ${DOMAIN} b ${PORT:-5061} {{ ip }} {{- kamailio.domain | lower -}} %HOST% @PREFIX@ __TLS_CFG__', 'kamailio'), ['DOMAIN', 'PORT', 'ip', 'kamailio.domain', 'HOST', 'PREFIX', 'TLS_CFG']);
  // In kamailio.cfg `$var` is a pseudo-variable; tls.cfg has no `$` syntax of its own.
  assert.deepEqual(names('$ru $var(x) $DOMAIN', 'kamailio'), []);
  assert.deepEqual(names('certificate = /etc/ssl/$DOMAIN/cert.pem', 'tls'), ['DOMAIN']);
  // A name the configuration defines itself is no placeholder.
  assert.deepEqual(names('#!define __MODE__ 1\nx = __MODE__', 'kamailio'), []);
  // Jinja blocks span their content.
  const block = findPlaceholders('a\n{% if tls %}\nenable_tls=yes\n{% endif %}\nb', 'kamailio');
  assert.equal(block.length, 1);
  assert.equal(block[0]!.block, true);
  assert.equal('a\n{% if tls %}\nenable_tls=yes\n{% endif %}\nb'.slice(block[0]!.start, block[0]!.end), '{% if tls %}\nenable_tls=yes\n{% endif %}');
});

test('rendering: values and fallbacks are used, unknown placeholders keep their length, positions map back', () => {
  const text = 'listen=tls:${IP}:${PORT:-5061} name "{{ name }}"\nnext line';
  const r = renderTemplate(text, 'kamailio', { IP: '192.0.2.1' })!;
  assert.equal(r.text, 'listen=tls:192.0.2.1:5061 name "__________"\nnext line');
  assert.deepEqual(r.unknown.map((u) => u.name), ['name']);
  const map = new RenderingMap(r);
  // "5061" (rendered 21–25) is the ${PORT:-5061} of the template (17–30); after both, offsets shift by -4 + 9.
  assert.deepEqual(map.rangeToOriginal({ start: { line: 0, character: 21 }, end: { line: 0, character: 25 } }), { start: { line: 0, character: 17 }, end: { line: 0, character: 30 } });
  assert.deepEqual(map.toOriginal({ line: 0, character: 26 }, 'start'), { line: 0, character: 31 });
  assert.deepEqual(map.toOriginal({ line: 1, character: 3 }, 'start'), { line: 1, character: 3 });
  assert.ok(map.touchesUnknown({ start: { line: 0, character: 32 }, end: { line: 0, character: 36 } }));
  assert.ok(!map.touchesUnknown({ start: { line: 0, character: 0 }, end: { line: 0, character: 6 } }));
  assert.equal(renderTemplate('no placeholders here', 'kamailio', {}), undefined);
  assert.equal(renderTemplate('x = ${A}', 'tls', { A: 'two\nlines' })!.text, 'x = ____', 'a value with a line break is not used');
});

const KAM = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:{{ public_ip }}:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route { drop; }\n';
const TLS = '[server:{{ public_ip }}:5061]\nmethod = TLSv1.2+\ncertificate = /etc/ssl/${DOMAIN}/fullchain.pem\nprivate_key = /etc/ssl/${DOMAIN}/privkey.pem\n[server:default]\nmethod = ${METHOD}\ncertificate = /etc/ssl/a.pem\nprivate_key = /etc/ssl/a.key\n';

test('a template is not a syntax, listen or path error: one information per file names the variables', () => {
  const out = checkRepository({ '/repo/kamailio.cfg': KAM, '/repo/tls.cfg': TLS }, '/repo');
  assert.deepEqual(codes(out.findings).filter((c) => !['path.deploy-time', 'project.template', 'kamcfg.tls-load-order'].includes(c)), [], JSON.stringify(out.findings.map((f) => f.message)));
  const notes = only(out.findings, 'project.template');
  assert.deepEqual(notes.map((f) => f.file).sort(), ['/repo/kamailio.cfg', '/repo/tls.cfg']);
  assert.match(notes.find((f) => f.file === '/repo/tls.cfg')!.message, /3 placeholders public_ip, DOMAIN, METHOD are filled in at deploy time.*--var public_ip=VALUE/);
  assert.deepEqual(notes.find((f) => f.file === '/repo/kamailio.cfg')!.range, { start: { line: 2, character: 11 }, end: { line: 2, character: 26 } });
});

test('with values, the rendered configuration is checked for real, ranges on the template', () => {
  const out = checkRepository({ '/repo/kamailio.cfg': KAM, '/repo/tls.cfg': TLS }, '/repo', { layer: { vars: { public_ip: '192.0.2.1', DOMAIN: 'sip.example.com', METHOD: 'TLSv1' } } });
  const outdated = one(out.findings, 'tls.protocol-outdated');
  // "method = ${METHOD}": the finding sits on the placeholder of the template.
  assert.deepEqual(outdated.range, { start: { line: 5, character: 9 }, end: { line: 5, character: 18 } });
  assert.equal(outdated.fixes, undefined, 'a fix would edit substituted text: dropped');
  assert.match(one(out.findings, 'path.deploy-time').message, /\/etc\/ssl\/sip\.example\.com\/fullchain\.pem/);
  assert.equal(only(out.findings, 'project.template').length, 0);
  // A wrong value shows: no listener for the profile.
  const wrong = checkRepository({ '/repo/kamailio.cfg': KAM.replace('{{ public_ip }}', '192.0.2.9'), '/repo/tls.cfg': TLS }, '/repo', { layer: { vars: { public_ip: '192.0.2.1', DOMAIN: 'x', METHOD: 'TLSv1.2+' } } });
  assert.equal(one(wrong.findings, 'tlscfg.profile-no-listener', '/repo/tls.cfg').range.start.line, 0);
});

test('#!defenv values come from the variables; without them the listen is not judged', () => {
  const kam = '#!KAMAILIO\n#!defenv PUBLIC_IP=KAMAILIO_IP\nenable_tls=yes\nlisten=tls:PUBLIC_IP:5061\nloadmodule "tls.so"\nrequest_route { drop; }\n';
  const unknown = checkRepository({ '/repo/kamailio.cfg': kam }, '/repo');
  assert.equal(only(unknown.findings, 'kamcfg.bad-listen').length, 0);
  assert.match(one(unknown.findings, 'project.template').message, /#!defenv takes PUBLIC_IP \(from KAMAILIO_IP\) from the environment.*--var KAMAILIO_IP=VALUE/);
  const given = checkRepository({ '/repo/kamailio.cfg': kam }, '/repo', { layer: { vars: { KAMAILIO_IP: '0.0.0' } } });
  assert.equal(only(given.findings, 'kamcfg.bad-listen').length, 1, 'the value given is checked');
  assert.equal(only(given.findings, 'project.template').length, 0);
});
