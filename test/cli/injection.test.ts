// The bundled `sip-tls` on generated deployments whose every certificate field, file name and
// tls.cfg string is hostile (helpers/injectionCli.ts): `check` text/JSON/SARIF, `show`
// text/Markdown/JSON, `fullchain`, a usage error — no raw control or forged verdict line in the
// terminal, every string exact in JSON and SARIF.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tls from 'node:tls';
import { visibleControls } from '../../server/src/core/util/visible';
import { chainPem, keyPem } from '../fixtures/pki';
import { runCliAsync } from '../helpers/cli';
import { Rng } from '../helpers/fuzz/prng';
import { hostileString } from '../helpers/hostileText';
import { hostileSet, runPki, terminalOutputProblems } from '../helpers/injection';
import { makeTempDir } from '../helpers/tempDir';
import { cliInjectionRun } from '../helpers/injectionCli';

const SEED = Number(process.env.SIP_TLS_INJECTION_SEED ?? 20261214);
const COUNT = Number(process.env.SIP_TLS_INJECTION_CLI_COUNT ?? 3);

test(`command line: ${COUNT} deployments with hostile certificate fields and file names — check, show, fullchain`, { timeout: 180_000 }, () => {
  const { runs, names } = cliInjectionRun(COUNT, SEED);
  assert.ok(runs >= 4 + COUNT * 4, `runs: ${runs}`);
  console.log(`${runs} runs of sip-tls, ${names} hostile file names`);
});

test('probe: a server whose certificate fields, SIP status line and Server header are hostile — text shows them visibly, JSON exactly', { timeout: 60_000 }, async () => {
  const set = hostileSet(runPki(), SEED, 99);
  const rng = Rng.forInput(SEED, 100);
  // What a SIP head can carry (latin1, no CR/LF inside a line): ESC/OSC, C0, DEL, C1 bytes.
  const reason = `OK ${Buffer.from(hostileString(rng, { ascii: true, exclude: /[\r\n]/g }) + '\x9b31m\x85', 'latin1').toString('latin1')}`;
  const serverHeader = `evil\x1b[8m\x08\x08${hostileString(rng, { ascii: true, exclude: /[\r\n]/g })}`;
  const server = tls.createServer({ cert: chainPem(set.leaf, set.intermediate), key: keyPem(set.leaf.privateKey) }, (s) => {
    s.on('error', () => undefined);
    s.on('data', (d: Buffer) => {
      if (d.toString().startsWith('OPTIONS ')) s.write(Buffer.from(`SIP/2.0 200 ${reason}\r\nServer: ${serverHeader}\r\nContent-Length: 0\r\n\r\n`, 'latin1'));
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  const dir = makeTempDir('sip-tls-injection-probe-');
  dir.write({ 'root.pem': set.root.pem });
  try {
    const args = ['probe', `127.0.0.1:${port}`, '--servername', 'sip.example.com', '--ca', 'root.pem', '--options'];
    const text = await runCliAsync(args, { cwd: dir.path });
    assert.equal(text.code, 0, text.stdout + text.stderr);
    assert.deepEqual(terminalOutputProblems('probe text', text.stdout + text.stderr), []);
    assert.ok(text.stdout.includes(visibleControls(`SIP/2.0 200 ${reason}`.trim())), text.stdout);
    for (const subject of set.shown.subjects.slice(0, 4)) assert.ok(text.stdout.includes(visibleControls(subject)), `the subject ${JSON.stringify(subject)} is shown visibly`);
    const json = await runCliAsync([...args, '--format', 'json'], { cwd: dir.path });
    assert.deepEqual(terminalOutputProblems('probe json', json.stdout + json.stderr), []);
    const doc = JSON.parse(json.stdout) as { sip: { statusLine: string; server: string }; chain: { subject: string }[] };
    assert.equal(doc.sip.statusLine, `SIP/2.0 200 ${reason}`.trim(), 'the status line exactly');
    assert.equal(doc.sip.server, serverHeader.trim(), 'the Server header exactly');
    assert.deepEqual(doc.chain.slice(0, 2).map((c) => c.subject), [set.shown.subjects[0], set.shown.subjects[2]]);
  } finally {
    server.close();
    dir.remove();
  }
});
