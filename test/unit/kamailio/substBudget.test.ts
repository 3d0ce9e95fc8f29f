// #!subst chains that grow, double, backtrack or fail (issue 11): no exception escapes, the real
// error elsewhere in the deployment is still reported, every rule sip-tls cannot apply has a
// finding at its own line, and nothing else is blamed. Generated cases, n = 1..25 rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../helpers';
import { aaChain, chainCase, DEPLOYED_DIR, type ChainCase } from '../../helpers/substChains';
import { readSubstRule } from '../../../server/src/core/kamailio/subst';
import { patternCost } from '../../../server/src/core/kamailio/patternCost';
import type { Finding } from '../../../server/src/core/types';

const SEED = Number(process.env.SUBST_SEED ?? 11);
/** A hang detector, not a performance claim: a case is a few milliseconds. */
const CASE_LIMIT_MS = 10_000;
const PREPROCESSOR_CODES = new Set(['project.check-limit', 'project.internal-error']);

function checkCase(c: ChainCase): Finding[] {
  const files = Object.fromEntries(Object.entries(c.files).map(([k, v]) => [`${DEPLOYED_DIR}/${k}`, v]));
  const started = Date.now();
  const { findings } = run(files, { check: [`${DEPLOYED_DIR}/kamailio.cfg`] });
  const ms = Date.now() - started;
  assert.ok(ms < CASE_LIMIT_MS, `${c.name}: ${ms} ms`);
  return findings;
}

function assertCase(c: ChainCase, findings: Finding[]): void {
  const main = `${DEPLOYED_DIR}/kamailio.cfg`;
  const shown = () => JSON.stringify(findings.map((f) => `${f.code}@${f.file.slice(DEPLOYED_DIR.length + 1)}:${f.range.start.line}`));
  assert.ok(
    findings.some((f) => f.file === `${DEPLOYED_DIR}/${c.real.file}` && c.real.codes.includes(f.code) && f.range.start.line === c.real.line),
    `${c.name}: the real error ${c.real.codes.join('/')} at ${c.real.file}:${c.real.line} is missing: ${shown()}`,
  );
  for (const want of c.failures) {
    assert.ok(
      findings.some((f) => f.file === main && want.codes.includes(f.code) && f.range.start.line === want.line),
      `${c.name}: the ${want.kind} rule at line ${want.line} has no ${want.codes.join('/')} finding there: ${shown()}`,
    );
  }
  for (const f of findings) {
    if (!PREPROCESSOR_CODES.has(f.code)) continue;
    assert.ok(f.file === main && c.directiveLines.includes(f.range.start.line), `${c.name}: ${f.code} is not at a rule's line: ${f.file}:${f.range.start.line} ${f.message}`);
    assert.notEqual(f.code, 'project.internal-error', `${c.name}: ${f.message}`);
    assert.doesNotMatch(f.message, /\n|\s{3}at /, 'no stack trace in a message');
    assert.ok(f.message.length < 600, `${c.name}: a bounded message, got ${f.message.length} characters`);
  }
}

test('17 rules "/a/aa/g": the rule that outgrows its budget is a finding at its line, the missing certificate is still reported', () => {
  for (const real of ['missing-certificate', 'tls-off'] as const) {
    const c = aaChain(17, real);
    const findings = checkCase(c);
    assertCase(c, findings);
    const limits = findings.filter((f) => f.code === 'project.check-limit');
    assert.ok(limits.length > 0, 'the chain crosses a budget');
    assert.match(limits[0]!.message, /stopped applying this #!subst rule at kamailio\.cfg:\d+/);
    assert.match(limits[0]!.message, /checked without it/);
  }
});

test('chains of /a/aa/g of every length from 1 to 25 keep the real error', () => {
  for (let n = 1; n <= 25; n++) {
    const c = aaChain(n, n % 2 === 0 ? 'tls-off' : 'missing-certificate');
    assertCase(c, checkCase(c));
  }
});

test(`generated chains (seed ${SEED}): growing, alternating, nested, back-referencing, doubling, redefining and failing rules`, () => {
  const count = Number(process.env.SUBST_CASES ?? 75);
  for (let i = 0; i < count; i++) {
    const c = chainCase(SEED, i);
    assertCase(c, checkCase(c));
  }
});

test('a pattern V8 cannot compile is an engine failure, never "Kamailio rejects it"', () => {
  for (const n of [40_000, 70_000]) {
    const r = readSubstRule(`/${'a'.repeat(n)}/b/g`);
    assert.ok('engine' in r, `pattern of ${n}: ${JSON.stringify(Object.keys(r))}`);
    assert.match(r.engine, /too large/i);
    assert.ok(r.engine.length < 100, 'the reason, not the pattern');
  }
  for (const bad of ['/(a/b/', '/[a/b/', '/a**/b/', '/a/b/q']) assert.ok('malformed' in readSubstRule(bad), bad);
});

test('pattern cost: counted repetitions are unrolled, unbounded backtracking is recognised', () => {
  assert.equal(patternCost('a{1,1000}b').size, 1001);
  assert.equal(patternCost('(ab){3}').size, 6);
  for (const p of ['(a{1,30}){1,30}b', '(a+){1,30}b', '(a{1,30})*b', '(a*)*\\1b', '((a+)+)\\2x', '(a{2,})+']) assert.ok(patternCost(p).unbounded, p);
  for (const p of ['(a*)*b', '(a|aa)*c', '(a{1,3}){1,3}b', '(a{2}){1,30}b', '(.*)\\1', 'HOST', '[[:digit:]]+', '(a|b){1,1000}c', '\\{a\\}']) assert.equal(patternCost(p).unbounded, undefined, p);
});

test('a define that expands past its budget is a finding at the name, the rest is still checked', () => {
  for (const depth of [12, 16]) {
    const defines = Array.from({ length: depth }, (_, i) => `#!define D${i} ${i === depth - 1 ? 'x' : `D${i + 1} D${i + 1}`}`);
    const text = `${defines.join('\n')}\nrequest_route {\n    D0;\n}\nlisten=tls:192.0.2.1:5061\n`;
    const { findings } = run({ '/etc/sip/kamailio.cfg': text });
    const limit = findings.find((f) => f.code === 'project.check-limit');
    assert.ok(limit, JSON.stringify(findings.map((f) => f.code)));
    assert.equal(limit.range.start.line, depth + 1, 'at the name that expands');
    assert.ok(findings.some((f) => f.code === 'kamcfg.tls-module-missing'), 'the real error');
  }
});
