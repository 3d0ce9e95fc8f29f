// The whole checker over the corpus of real deployments (see corpus.test.ts for the parser's
// view): precision — no syntax error except the real faults — and recall — the TLS mistakes
// real deployments make are named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Checker } from '../../server/src/core/check';
import { NodeHost } from '../../server/src/core/nodeHost';
import { findConfigFiles } from '../../server/src/core/discovery';
import { defaultSettings } from '../../server/src/core/settings';
import type { Finding } from '../../server/src/core/types';
import { corpusLocation } from '../helpers/corpus';
import { EXPECTED_SYNTAX_FAULTS } from './corpusFaults';

const corpus = corpusLocation();

function checkCorpus(): Finding[] {
  const host = new NodeHost(() => new Date('2026-06-01T00:00:00Z'));
  const found = findConfigFiles(host, corpus.dir);
  const checker = new Checker(host);
  checker.workspace.addMainCandidates(found.kamailio);
  const settings = defaultSettings();
  return checker.check({ files: [...found.kamailio, ...found.tls], settingsFor: () => settings }).findings;
}

const rel = (f: Finding) => `${path.relative(corpus.dir, f.file)}:${f.range.start.line + 1}`;

if (!corpus.present) {
  if (corpus.required) test('the configuration corpus is present', () => assert.fail(`no corpus at ${corpus.dir}`));
  else console.warn(`\n*** SKIPPING the corpus findings tests: no corpus at ${corpus.dir} (set SIP_TLS_CORPUS) ***\n`);
} else {
  const findings = checkCorpus();

  test('no syntax error on real deployments except their real faults', () => {
    const syntax = findings.filter((f) => f.code === 'kamcfg.syntax' || f.code === 'tlscfg.syntax' || f.code === 'tlscfg.bad-header');
    const keys = [...new Set(syntax.map((f) => rel(f).replace(/^kamailio\//, '')))].sort();
    // Folder discovery does not pick up every main file of the MANIFEST (sip-router.cfg has no
    // kamailio name or marker), so the faults found are a subset of the known ones.
    const unexpected = keys.filter((k) => !(k in EXPECTED_SYNTAX_FAULTS));
    assert.deepEqual(unexpected, [], syntax.map((f) => `${rel(f)} ${f.message}`).join('\n'));
    assert.ok(keys.length >= 8, `the known faults are still found (${keys.length})`);
  });

  test('TLS 1.0-only methods on WebRTC proxies are named', () => {
    const f = findings.find((x) => x.code === 'tls.protocol-outdated' && rel(x) === 'tls/IgorrG__webrtc-full-proxy/kamailio/tls.cfg:17');
    assert.ok(f, 'method = TLSv1 in the WebRTC proxy');
    assert.match(f.message, /TLS 1\.0 only/);
    const all = findings.filter((x) => x.code === 'tls.protocol-outdated' && /TLS 1\.0 only/.test(x.message));
    assert.ok(all.length >= 8, `only ${all.length} TLS 1.0-only profiles found`);
  });

  test('client profiles that verify without a CA list are named', () => {
    const f = findings.filter((x) => x.code === 'tls.verify-no-ca' && x.file.startsWith(corpus.dir));
    assert.ok(f.some((x) => rel(x) === 'tls/IgorrG__webrtc-full-proxy/kamailio/tls.cfg:35'));
    assert.ok(f.length >= 10, `only ${f.length}`);
  });

  test('listen=tls: with TLS never enabled is named', () => {
    const f = findings.find((x) => x.code === 'kamcfg.tls-module-missing' && rel(x) === 'kamailio/Ntipa__docker-kamailio/kamailio.cfg:201');
    assert.ok(f);
    assert.match(f.message, /TLS is never enabled/);
  });

  test('no finding claims a fatal error that Kamailio -c would have reported where it passed', () => {
    // Files whose kamailio -c verdict was ok must not get kamcfg.syntax / unknown-core-param.
    const okMains = ['kamailio/igorolhovskiy__kamailio-dev-dc/kamailio/kamailio.cfg', 'kamailio/kamailio__kamailio/misc/examples/mixed/kamailio-minimal-proxy.cfg', 'kamailio/webstean__simple-sip-proxy/etc/kamailio/andrew.cfg', 'kamailio/kamailio__kamailio-tests/units/ttlsxx0002/kamailio-ttlsxx0002.cfg'];
    const bad = findings.filter((x) => okMains.some((m) => path.relative(corpus.dir, x.file) === m) && ['kamcfg.syntax', 'kamcfg.unknown-core-param', 'kamcfg.bad-listen', 'kamcfg.bad-boolean'].includes(x.code));
    assert.deepEqual(bad.map((x) => `${rel(x)} ${x.code}`), []);
  });
}
