// `sip-tls check <repo>` with no flags on each repository of the corpus of public deployments,
// as a new user runs it: no finding is about a file outside the repository (the machine running
// the check has /etc/kamailio/tls.cfg, Debian's sample, whenever Kamailio is installed here),
// and the repository put back together (corpus/kamailio + corpus/tls) keeps it so.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli';
import { corpusLocation } from '../helpers/corpus';

const corpus = corpusLocation();

interface Report {
  files: string[];
  diagnostics: { file: string; code: string; severity: string; message: string }[];
}

function check(dir: string): Report {
  const r = runCli(['check', dir, '--format', 'json'], { cwd: dir });
  assert.ok(r.code === 0 || r.code === 1, `${dir}: exit ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

const inside = (file: string, dir: string) => file === dir || file.startsWith(dir + path.sep);

if (!corpus.present) {
  if (corpus.required) test('the configuration corpus is present', () => assert.fail(`no corpus at ${corpus.dir}`));
  else console.warn(`\n*** SKIPPING the corpus repository runs: no corpus at ${corpus.dir} (set SIP_TLS_CORPUS) ***\n`);
} else {
  const repos = readdirSync(path.join(corpus.dir, 'kamailio')).sort();

  test('each corpus repository as found: nothing outside it is reported or checked', { timeout: 300_000 }, () => {
    assert.ok(repos.length >= 30);
    for (const repo of repos) {
      const dir = path.join(corpus.dir, 'kamailio', repo);
      const report = check(dir);
      assert.deepEqual(report.diagnostics.filter((d) => !inside(d.file, dir)).map((d) => `${d.file} ${d.code}`), [], repo);
      assert.deepEqual(report.files.filter((f) => !inside(f, dir)), [], repo);
    }
  });

  test('each corpus repository put back together: nothing outside it, and no file missing that it holds', { timeout: 300_000 }, () => {
    const work = mkdtempSync(path.join(tmpdir(), 'sip-tls-corpus-'));
    try {
      for (const repo of repos) {
        const dir = path.join(work, repo);
        for (const part of ['kamailio', 'tls']) {
          const src = path.join(corpus.dir, part, repo);
          if (existsSync(src)) cpSync(src, dir, { recursive: true });
        }
        const report = check(dir);
        assert.deepEqual(report.diagnostics.filter((d) => !inside(d.file, dir)).map((d) => `${d.file} ${d.code}`), [], repo);
        // A tls.cfg the repository holds is never said to be missing.
        const missingTls = report.diagnostics.filter((d) => d.code === 'path.not-found' && /the tls\.cfg/.test(d.message));
        assert.deepEqual(missingTls.map((d) => d.message), [], repo);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
}
