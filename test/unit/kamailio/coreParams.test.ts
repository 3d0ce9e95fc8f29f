import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REJECTED_CORE_PARAMS, SYNTAX_FEATURES, allCoreParamNames, coreParamSpecs, isCustomCfgVarName, lookupCoreParam } from '../../../server/src/core/kamailio/coreParams';
import { KEYWORDS } from '../../../server/src/core/kamailio/tokens';

test('lookup by name and alias, case-sensitive like the lexer', () => {
  assert.equal(lookupCoreParam('enable_tls')!.name, 'enable_tls');
  assert.equal(lookupCoreParam('tls_enable')!.name, 'enable_tls');
  assert.equal(lookupCoreParam('tls_enable')!.type, 'bool');
  assert.equal(lookupCoreParam('Enable_tls'), undefined);
  assert.equal(lookupCoreParam('shm_mem_size')!.name, 'shm');
  assert.equal(lookupCoreParam('rt_ftimer_prio')!.name, 'rt_timer1_prio');
  assert.equal(lookupCoreParam('mpath')!.name, 'loadpath');
  assert.equal(lookupCoreParam('nope'), undefined);
});

test('version gates (5.6.3 rejects these names; exact releases from the reference where known)', () => {
  assert.equal(lookupCoreParam('tls_threads_mode')!.since, '5.7');
  assert.equal(lookupCoreParam('tls_threads_mode')!.sinceIsLowerBound, undefined);
  assert.equal(lookupCoreParam('tls_connection_match_domain')!.since, '6.1');
  assert.equal(lookupCoreParam('socket')!.since, '5.7');
  assert.equal(lookupCoreParam('socket')!.block, true);
  assert.deepEqual([lookupCoreParam('tcp_main_threads')!.since, lookupCoreParam('tcp_main_threads')!.sinceIsLowerBound], ['5.7', true]);
  assert.equal(lookupCoreParam('dns_use_cache')!.since, '5.7', 'an alias can be newer than its name');
  assert.equal(lookupCoreParam('use_dns_cache')!.since, undefined);
  assert.equal(lookupCoreParam('enable_tls')!.since, undefined);
  assert.equal(SYNTAX_FEATURES.advertiseProto.since, '5.8');
  assert.equal(SYNTAX_FEATURES.importFiles.upstream, false);
});

test('legacy TLS core names are marked for the obsolete-core-param rule', () => {
  for (const n of ['tls_method', 'tls_verify', 'tls_require_certificate', 'tls_certificate', 'tls_private_key', 'tls_ca_list', 'tls_handshake_timeout', 'tls_send_timeout']) {
    assert.equal(lookupCoreParam(n)!.legacyTls, 'ignored', n);
  }
  assert.equal(lookupCoreParam('tls_log')!.legacyTls, 'sets-tls-port');
  assert.equal(lookupCoreParam('tlslog')!.legacyTls, 'sets-tls-port');
  assert.equal(lookupCoreParam('tls_max_connections')!.legacyTls, undefined);
  assert.match(REJECTED_CORE_PARAMS.tls_verify_client!.reason, /OpenSER/);
  assert.equal(REJECTED_CORE_PARAMS.dst_blacklist_init!.replacement, 'dst_blocklist_init');
});

test('every core parameter name is a keyword of cfg.lex (so it can never be an ID)', () => {
  for (const name of allCoreParamNames()) {
    if (name.startsWith('kemi.')) continue;
    assert.ok(KEYWORDS.has(name), name);
  }
  assert.ok(coreParamSpecs().length > 200);
});

test('custom cfg variables are dotted names other than kemi.*', () => {
  assert.equal(isCustomCfgVarName('pstn.gw_ip'), true);
  assert.equal(isCustomCfgVarName('kemi.onsend_route_callback'), false);
  assert.equal(isCustomCfgVarName('debug'), false);
});
