// The command-line half of the injection property runs (helpers/injection.ts): `check` in text,
// JSON and SARIF over generated hostile deployments and a folder of hostile file names, `show` in
// its three formats and `fullchain` on every hostile certificate file, a usage error quoting a
// hostile argument. Text never carries a raw control and never a forged verdict line; JSON and
// SARIF keep every string exactly. Used by test/cli (a few seconds) and test/integration.
import assert from 'node:assert/strict';
import { visibleControls } from '../../server/src/core/util/visible';
import { displayPath } from '../../server/src/cli/formatText';
import { runCli } from './cli';
import { Rng } from './fuzz/prng';
import { hostileString, rawInvisible } from './hostileText';
import { hostileSet, markdownOutputProblems, runPki, setFiles, terminalOutputProblems } from './injection';
import { makeTempDir } from './tempDir';

interface JsonReport {
  files: string[];
  diagnostics: { file: string; range: { start: { line: number; character: number } }; severity: string; code: string; message: string }[];
}

/** A main configuration with one error and one warning, so that its (hostile) name is printed. */
const NAMED_CFG = '#!KAMAILIO\nloadmodule "tls.so"\nlisten=tls:0.0.0:5061\n';

export function cliInjectionRun(count: number, seed: number): { runs: number; names: number } {
  const pki = runPki();
  const sets = Array.from({ length: count }, (_, i) => hostileSet(pki, seed, i));
  const dir = makeTempDir('sip-tls-injection-cli-');
  const problems: string[] = [];
  let runs = 0;
  const cli = (args: string[]) => {
    runs++;
    return runCli(args, { cwd: dir.path });
  };
  try {
    for (const set of sets) dir.write(setFiles(set));
    // Hostile file names, newlines and CR included: found by name (kamailio*.cfg) or by the #!KAMAILIO line.
    const rng = Rng.forInput(seed, 1_000_000);
    const names = Array.from({ length: Math.max(4, count) }, (_, i) => {
      const part = Array.from(hostileString(rng, { exclude: /[/\0]/g, maxPieces: 2 })).slice(0, 60).join('');
      return i % 2 === 0 ? `names/kamailio-${i}-${part.replace(/[\n\r\u2028\u2029]/g, '_')}.cfg` : `names/${i}-${part}.cfg`;
    });
    dir.write(Object.fromEntries(names.map((n) => [n, NAMED_CFG])));
    const namedPaths = names.map((n) => dir.file(n));

    // check: text, JSON, SARIF.
    const json = cli(['check', '.', '--format', 'json']);
    assert.ok(json.code === 0 || json.code === 1, `check json: exit ${json.code}: ${json.stderr}`);
    problems.push(...terminalOutputProblems('check json', json.stdout + json.stderr));
    const report = JSON.parse(json.stdout) as JsonReport;
    for (const p of namedPaths) if (!report.files.includes(p)) problems.push(`check json: ${JSON.stringify(p)} is not among the files checked exactly`);
    const text = cli(['check', '.']);
    assert.equal(text.code, json.code, 'the same exit code in every format');
    problems.push(...terminalOutputProblems('check text', text.stdout + text.stderr));
    const textLines = new Set(text.stdout.split('\n'));
    for (const d of report.diagnostics) {
      const line = `${visibleControls(displayPath(d.file, dir.path))}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${visibleControls(d.message.replace(/\s*\r?\n\s*/g, ' '))}`;
      if (!textLines.has(line)) problems.push(`check text: no line ${JSON.stringify(line.slice(0, 200))}`);
    }
    const sarif = cli(['check', '.', '--format', 'sarif']);
    assert.equal(sarif.code, json.code);
    problems.push(...terminalOutputProblems('check sarif', sarif.stdout + sarif.stderr));
    const results = (JSON.parse(sarif.stdout) as { runs: { results: { message: { text: string } }[] }[] }).runs[0]!.results;
    assert.deepEqual(results.map((r) => r.message.text).sort(), report.diagnostics.map((d) => d.message).sort(), 'SARIF messages are the JSON messages, exactly');

    // show and fullchain on every hostile certificate file.
    for (const [i, set] of sets.entries()) {
      const cert = `${set.folder}/${set.certFile}`;
      const ca = `${set.folder}/${set.caFile}`;
      const shownText = cli(['show', cert, '--ca', ca]);
      assert.ok(shownText.code === 0 || shownText.code === 1, `set ${i} show: exit ${shownText.code}: ${shownText.stderr}`);
      problems.push(...terminalOutputProblems(`set ${i} show text`, shownText.stdout + shownText.stderr, 1));
      if (!shownText.stdout.startsWith(`${visibleControls(dir.file(cert))}: `)) problems.push(`set ${i} show text: the first line does not start with the visible path`);
      const shownMd = cli(['show', cert, '--ca', ca, '--format', 'markdown']);
      problems.push(...terminalOutputProblems(`set ${i} show markdown`, shownMd.stdout + shownMd.stderr));
      problems.push(...markdownOutputProblems(`set ${i} show markdown`, shownMd.stdout, [...set.shown.subjects.slice(0, 4), ...set.shown.names]));
      const shownJson = cli(['show', cert, '--ca', ca, '--format', 'json']);
      problems.push(...terminalOutputProblems(`set ${i} show json`, shownJson.stdout + shownJson.stderr));
      const parsed = JSON.parse(shownJson.stdout) as { path: string; certificates: { subject: string; issuer: string; names: string[] }[] };
      assert.equal(parsed.path, dir.file(cert), `set ${i}: JSON path exact`);
      assert.deepEqual(parsed.certificates.map((c) => [c.subject, c.issuer]), [set.shown.subjects.slice(0, 2), set.shown.subjects.slice(2, 4)], `set ${i}: JSON subjects exact`);
      assert.deepEqual(parsed.certificates[0]!.names, set.shown.names, `set ${i}: JSON names exact`);
      const full = cli(['fullchain', cert, '--ca', ca, '--out', `fullchain-${i}.pem`]);
      problems.push(...terminalOutputProblems(`set ${i} fullchain`, full.stdout + full.stderr));
    }

    // A usage error quotes the argument it refuses.
    const usage = cli(['show', `${sets[0]!.folder}/${sets[0]!.certFile}`, '--format', '\x1b[2J\rVerdict: OK\u202e']);
    assert.equal(usage.code, 2);
    problems.push(...terminalOutputProblems('usage error', usage.stdout + usage.stderr, 0));
    if (!usage.stderr.includes("not '\\u001b[2J\\rVerdict: OK\\u202e'")) problems.push(`usage error: the argument is not shown visibly: ${JSON.stringify(usage.stderr)}`);
    const raw = rawInvisible(names.join(''));
    assert.ok(raw, 'the file names do hold raw controls');
    assert.deepEqual(problems, []);
    return { runs, names: names.length };
  } finally {
    dir.remove();
  }
}
