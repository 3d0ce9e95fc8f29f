// `# sip-tls: ignore CODE -- reason` comments: exact ranges of the suppressions' own findings, and
// a property test over generated tls.cfg and kamailio.cfg files whose suppressed set must equal
// an independent model's (same line, line above, whole file, wrong code, inside a quoted string
// where Kamailio sees no comment, stacked comments).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commentsOf } from '../../server/src/core/suppressions';
import { Rng } from '../helpers/fuzz/prng';
import { only, r, run } from './helpers';
import { Checker } from '../../server/src/core/check';
import { MemoryHost } from '../../server/src/core/memoryHost';
import { settings } from './helpers';

const TLS = '/etc/kamailio/tls.cfg';

function check(files: Record<string, string>) {
  const host = new MemoryHost(files);
  const checker = new Checker(host);
  const s = settings();
  return checker.check({ files: Object.keys(files), settingsFor: () => s });
}

test('exact ranges: a suppression without a reason, an unknown code with did-you-mean, one that suppresses nothing', () => {
  const text = [
    '[server:default]',
    'method = TLSv1.2+',
    'zzz_one = 1 # sip-tls: ignore tlscfg.unknown-option',
    '# sip-tls: ignore tlscfg.unknwn-option -- typo in the code',
    'zzz_two = 2',
    'verify_certificate = no # sip-tls: ignore tlscfg.bad-value -- nothing here',
  ].join('\n') + '\n';
  const out = check({ [TLS]: text });
  assert.deepEqual(only(out.findings, 'suppression.no-reason').map((f) => f.range), [r(2, 12, 2, 51)]);
  assert.deepEqual(only(out.findings, 'suppression.unknown-code').map((f) => [f.range, f.message.includes("did you mean 'tlscfg.unknown-option'")]), [[r(3, 18, 3, 38), true]]);
  assert.deepEqual(only(out.findings, 'suppression.unused').map((f) => f.range), [r(5, 42, 5, 58)]);
  // zzz_one is suppressed (without a reason it still suppresses); zzz_two is not (the code was mistyped).
  assert.deepEqual(out.suppressed.map((f) => [f.code, f.range.start.line, f.suppression.justification]), [['tlscfg.unknown-option', 2, '']]);
  assert.deepEqual(only(out.findings, 'tlscfg.unknown-option').map((f) => f.range.start.line), [4]);
});

test('comments are found only where Kamailio reads them', () => {
  const kam = commentsOf('#!define X 1\nx = "a # b" # c\n/* # d\n /* # e */ # f */ # g\n// h\n!!define Y\ns = \'# i\' // j\n', 'kamailio');
  assert.deepEqual(kam.map((c) => [c.line, c.text.trim()]), [[1, 'c'], [3, 'g'], [4, 'h'], [6, 'j']]);
  const tls = commentsOf('a = "x # y" # z\n#w\nb = c#v\n', 'tls');
  assert.deepEqual(tls.map((c) => [c.line, c.text.trim()]), [[0, 'z'], [1, 'w'], [2, 'v']]);
});

/** One generated tls.cfg line per slot, and what the model says about it. */
interface Slot {
  lines: string[];
  /** Index in `lines` of the option line raising tlscfg.unknown-option, if any. */
  faultAt?: number;
  suppressed: boolean;
}

function slot(rng: Rng, i: number): Slot {
  const name = `zzz_${i}`;
  const right = 'tlscfg.unknown-option';
  const code = rng.between(0, 4) === 0 ? 'tlscfg.bad-value' : right;
  const reason = rng.between(0, 3) === 0 ? '' : ` -- reason ${i}`;
  switch (rng.between(0, 5)) {
    case 0:
      return { lines: [`verify_depth = ${i + 1}`], suppressed: false };
    case 1:
      return { lines: [`${name} = ${i}`], faultAt: 0, suppressed: false };
    case 2:
      return { lines: [`${name} = ${i} # sip-tls: ignore ${code}${reason}`], faultAt: 0, suppressed: code === right };
    case 3: {
      const stacked = rng.between(0, 2) === 0 ? ['# sip-tls: ignore tlscfg.duplicate-option -- stacked'] : [];
      return { lines: [`  # sip-tls: ignore ${code}${reason}`, ...stacked, `${name} = ${i}`], faultAt: 1 + stacked.length, suppressed: code === right };
    }
    case 4:
      // Inside a quoted value: not a comment for Kamailio, so not a suppression.
      return { lines: [`${name} = "v # sip-tls: ignore ${right} -- quoted"`], faultAt: 0, suppressed: false };
    default:
      // A suppression two lines above its finding is about the blank line between.
      return { lines: [`# sip-tls: ignore ${code}${reason}`, '', `${name} = ${i}`], faultAt: 2, suppressed: false };
  }
}

test('generated suppressions: the suppressed set equals the model, and nothing else changes', () => {
  for (let seed = 1; seed <= 150; seed++) {
    const rng = new Rng(seed);
    const slots = Array.from({ length: rng.between(1, 8) }, (_, i) => slot(rng, i));
    const wholeFile = rng.between(0, 6) === 0;
    const lines = ['[server:default]', 'method = TLSv1.2+', 'certificate = cert.pem', 'private_key = key.pem'];
    if (wholeFile) lines.unshift('# sip-tls: ignore-file tlscfg.unknown-option -- generated file');
    const expected: number[] = [];
    const faults: number[] = [];
    for (const s of slots) {
      const at = lines.length;
      lines.push(...s.lines);
      if (s.faultAt !== undefined) {
        faults.push(at + s.faultAt);
        if (s.suppressed || wholeFile) expected.push(at + s.faultAt);
      }
    }
    const out = check({ [TLS]: lines.join('\n') + '\n' });
    const got = out.suppressed.filter((f) => f.code === 'tlscfg.unknown-option').map((f) => f.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(got, expected, `seed ${seed}:\n${lines.join('\n')}`);
    const shown = only(out.findings, 'tlscfg.unknown-option').map((f) => f.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(shown, faults.filter((l) => !expected.includes(l)), `seed ${seed}: the others are shown`);
    // The same file without any suppression comment reports exactly the suppressed + shown set.
    const plain = check({ [TLS]: lines.map((l) => (l.includes('"') ? l : l.replace(/\s*# sip-tls:.*$/, ''))).join('\n') + '\n' });
    assert.equal(only(plain.findings, 'tlscfg.unknown-option').length, faults.length, `seed ${seed}`);
  }
});

test('kamailio.cfg: # and // suppressions, never inside a string or a #! directive', () => {
  const cfg = [
    '#!KAMAILIO',
    'tcp_connection_lifetme=3605 # sip-tls: ignore kamcfg.unknown-core-param -- vendor build',
    '// sip-tls: ignore kamcfg.unknown-core-param -- also',
    'tcp_accept_aliaz=1',
    'tcp_max_connectons=9 /* # sip-tls: ignore kamcfg.unknown-core-param -- in a block comment */',
    'request_route { drop; }',
  ].join('\n') + '\n';
  const out = run({ '/etc/kamailio/kamailio.cfg': cfg });
  const checker = out.checker;
  const again = checker.check({ files: ['/etc/kamailio/kamailio.cfg'], settingsFor: () => settings() });
  assert.deepEqual(again.suppressed.map((f) => f.range.start.line), [1, 3]);
  assert.deepEqual(only(again.findings, 'kamcfg.unknown-core-param').map((f) => f.range.start.line), [4]);
});

test('editing the comment updates the result (the checker reads comments from the current text)', () => {
  const host = new MemoryHost({ [TLS]: '[server:default]\nzzz = 1 # sip-tls: ignore tlscfg.unknown-option -- x\n' });
  const checker = new Checker(host);
  const s = settings();
  assert.equal(checker.check({ files: [TLS], settingsFor: () => s }).suppressed.length, 1);
  checker.workspace.setOverlay(TLS, '[server:default]\nzzz = 1 # sip-tls: ignore tlscfg.bad-value -- x\n');
  const after = checker.check({ files: [TLS], settingsFor: () => s });
  assert.equal(after.suppressed.length, 0);
  assert.equal(only(after.findings, 'tlscfg.unknown-option').length, 1);
  assert.equal(only(after.findings, 'suppression.unused').length, 1);
});
