// One failing step never hides the rest (issue 11): a rule family that throws becomes one
// project.internal-error finding naming it, every other family still runs and keeps its
// findings; a directive or a deployment sip-tls fails on is a finding on it, and the other
// deployments are checked. Failures are injected through the real rule registry and host.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addRuleFamilyForTests } from '../../../server/src/core/rules';
import { Checker } from '../../../server/src/core/check';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import type { ReadResult } from '../../../server/src/core/host';
import type { Finding } from '../../../server/src/core/types';
import { run, settings } from '../helpers';
import { Rng } from '../../helpers/fuzz/prng';

const FILES = {
  '/etc/sip/kamailio.cfg': 'enable_tls=yes\nloadmodule "tls.so"\nmodparam("tls", "config", "/etc/sip/tls.cfg")\nlisten=tls:192.0.2.1:5061\nenable_tls=Yes\n',
  '/etc/sip/tls.cfg': '[server:default]\nmethod = TLSv1.2+\ncertificate = /etc/sip/missing.pem\nprivate_key = /etc/sip/missing.key\n',
};

/** What the real rules report on FILES, by code and line. */
function signature(findings: Finding[]): string[] {
  return findings.filter((f) => f.code !== 'project.internal-error').map((f) => `${f.file}:${f.range.start.line}:${f.code}`);
}

/** Errors a rule may throw, some with hostile messages: long, multi-line, control characters, not an Error. */
function thrown(rng: Rng): unknown {
  switch (rng.int(5)) {
    case 0:
      return new TypeError(`Cannot read properties of undefined (reading '${'x'.repeat(rng.between(1, 5000))}')`);
    case 1:
      return new RangeError('Maximum call stack size exceeded');
    case 2:
      return new Error(`line one\n\x1b[2Jline two\u202e${'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ'.repeat(3)}`);
    case 3:
      return 'a string, not an Error';
    default:
      return Object.assign(new SyntaxError('Invalid regular expression: /a/: Regular expression too large'), { stack: 'SyntaxError\n    at secret.ts:1:1' });
  }
}

test('a rule family that throws is one finding naming it; every other rule still reports', () => {
  const baseline = signature(run(FILES).findings);
  assert.ok(baseline.some((s) => s.endsWith('path.not-found')) && baseline.some((s) => s.endsWith('kamcfg.bad-boolean')), JSON.stringify(baseline));
  for (let i = 0; i < 40; i++) {
    const rng = Rng.forInput(7, i);
    const error = thrown(rng);
    const name = `injected family ${i}`;
    const marks = rng.int(2) === 0;
    const remove = addRuleFamilyForTests({
      name,
      run: (_d, out) => {
        out.add('kamcfg.syntax', '/etc/sip/kamailio.cfg', { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } }, `reported by ${name} before it failed`);
        if (marks) out.at('/etc/sip/tls.cfg', { start: { line: 2, character: 0 }, end: { line: 2, character: 11 } });
        throw error;
      },
    });
    let findings: Finding[];
    try {
      findings = run(FILES).findings;
    } finally {
      remove();
    }
    const failures = findings.filter((f) => f.code === 'project.internal-error');
    assert.equal(failures.length, 1, JSON.stringify(failures));
    const f = failures[0]!;
    assert.match(f.message, new RegExp(`failed in its ${name} rules`));
    assert.equal(f.file, marks ? '/etc/sip/tls.cfg' : '/etc/sip/kamailio.cfg');
    assert.equal(f.range.start.line, marks ? 2 : 0);
    assert.ok(f.message.length < 500, `bounded: ${f.message.length}`);
    assert.doesNotMatch(f.message, /[\n\x1b\u202e]|\s+at |secret\.ts|MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw/);
    // What the real rules found, and what the failing one reported before it threw, are kept.
    for (const s of baseline) assert.ok(signature(findings).includes(s), `${s} kept`);
    assert.ok(findings.some((x) => x.message === `reported by ${name} before it failed`));
  }
  assert.deepEqual(signature(run(FILES).findings), baseline, 'the seam removes the family again');
});

/** A host whose reads of some files throw, as a broken disk or a bug in a reader would. */
class ThrowingHost extends MemoryHost {
  constructor(
    files: Record<string, string>,
    private readonly failing: ReadonlySet<string>,
  ) {
    super(files);
  }

  override readFile(path: string, maxBytes: number): ReadResult {
    if (this.failing.has(path)) throw new Error(`injected read failure of ${path}`);
    return super.readFile(path, maxBytes);
  }
}

function check(files: Record<string, string>, failing: string[], request: string[]): Finding[] {
  const checker = new Checker(new ThrowingHost(files, new Set(failing)));
  const s = settings();
  return checker.check({ files: request, settingsFor: () => s }).findings;
}

test('a main configuration that cannot be read is a finding on it; the other deployment keeps its findings', () => {
  const files = { '/a/kamailio.cfg': 'listen=tls:192.0.2.1:5061\n', '/b/kamailio.cfg': 'listen=tls:192.0.2.2:5061\n' };
  for (const [broken, fine] of [['/a/kamailio.cfg', '/b/kamailio.cfg'], ['/b/kamailio.cfg', '/a/kamailio.cfg']] as const) {
    const findings = check(files, [broken], Object.keys(files));
    const failure = findings.find((f) => f.code === 'project.internal-error');
    assert.ok(failure && failure.file === broken && failure.range.start.line === 0, JSON.stringify(findings));
    assert.match(failure.message, /injected read failure/);
    assert.ok(findings.some((f) => f.file === fine && f.code === 'kamcfg.tls-module-missing'), 'the other deployment is checked');
  }
});

test('an include that fails to read is a finding at its line; the statements after it are still checked', () => {
  for (const at of [0, 1, 3]) {
    const lines = ['#!define X 1', 'listen=tls:192.0.2.1:5061', 'enable_tls=Yes', 'route {', '}'];
    lines.splice(at, 0, 'include_file "broken.cfg"');
    const files = { '/a/kamailio.cfg': `${lines.join('\n')}\n`, '/a/broken.cfg': 'x=1\n' };
    const findings = check(files, ['/a/broken.cfg'], ['/a/kamailio.cfg']);
    const failure = findings.find((f) => f.code === 'project.internal-error');
    assert.ok(failure && failure.range.start.line === at, JSON.stringify(findings.map((f) => `${f.code}@${f.range.start.line}`)));
    assert.ok(findings.some((f) => f.code === 'kamcfg.tls-module-missing'));
    assert.ok(findings.some((f) => f.code === 'kamcfg.bad-boolean' && f.range.start.line === lines.indexOf('enable_tls=Yes')));
  }
});
