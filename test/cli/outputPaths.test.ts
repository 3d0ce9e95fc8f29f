// Every command that writes files (lab, fullchain, init) against a seeded sample of generated
// output layouts (test/helpers/outputLayouts.ts; the integration run takes all of them): each run
// writes everything or exits 2 with one line and nothing changed, never a stack trace.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { makeTempDir } from '../helpers/tempDir';
import { allOutputCases, runOutputCases, sampleOutputCases } from '../helpers/outputLayouts';

const SAMPLE = sampleOutputCases(Number(process.env.OUTPUT_SEED ?? 20260511), 24);

test(`${SAMPLE.length} of ${allOutputCases().length} generated output layouts × lab, fullchain, init: all written, or exit 2 in one line and nothing changed`, { timeout: 180_000 }, () => {
  const tally = runOutputCases(SAMPLE);
  assert.ok(tally.written >= 5 && tally.refused >= 10, `both outcomes in the sample: ${tally.written} written, ${tally.refused} refused`);
});

test('fullchain without --out passes over a name a dangling link holds, and writes through no link', () => {
  const t = makeTempDir('sip-tls-out-');
  try {
    assert.equal(runCli(['lab', t.file('pki'), '--key', 'ec'], { cwd: t.path }).code, 0);
    fs.symlinkSync(t.file('elsewhere.pem'), t.file('pki/server.fullchain.pem'));
    const run = runCli(['fullchain', t.file('pki/server.crt')], { cwd: t.path });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^wrote .*\/pki\/server\.fullchain-2\.pem:/);
    assert.equal(fs.existsSync(t.file('elsewhere.pem')), false, 'the link target was not created');
    assert.equal(fs.readlinkSync(t.file('pki/server.fullchain.pem')), t.file('elsewhere.pem'), 'the link is left alone');
  } finally {
    t.remove();
  }
});
