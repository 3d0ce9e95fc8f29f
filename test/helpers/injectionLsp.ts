// The language-server half of the injection property runs (helpers/injection.ts): one server
// over stdio, every hover position, the certificate reports, the code actions and the log of
// generated hostile deployments. Used by test/lsp (a few seconds) and test/integration (larger).
import assert from 'node:assert/strict';
import { HoverRequest, MarkupContent } from 'vscode-languageserver-protocol/node';
import { LspTestClient, fileUri } from './lspClient';
import { makeTempDir } from './tempDir';
import { hostileSet, hoverPositions, markdownOutputProblems, runPki, setFiles, terminalOutputProblems, KAMAILIO_CFG } from './injection';
import { rawInvisible } from './hostileText';

export async function lspInjectionRun(count: number, seed: number): Promise<{ hovers: number; reports: number; actions: number }> {
  const pki = runPki();
  const sets = Array.from({ length: count }, (_, i) => hostileSet(pki, seed, i));
  const dir = makeTempDir('sip-tls-injection-');
  for (const set of sets) dir.write(setFiles(set));
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  const problems: string[] = [];
  const tally = { hovers: 0, reports: 0, actions: 0 };
  try {
    const c = client.connection;
    for (const [i, set] of sets.entries()) {
      const kamUri = fileUri(dir.file(`${set.folder}/kamailio.cfg`));
      const tlsUri = fileUri(dir.file(`${set.folder}/tls.cfg`));
      await client.open(kamUri, 'kamailio', KAMAILIO_CFG);
      await client.open(tlsUri, 'kamailio-tls', set.tls);
      const published = await client.waitForDiagnostics(tlsUri, { version: 1, timeoutMs: 30_000 });
      const lines = set.tls.split('\n');
      for (const pos of hoverPositions(set.tls)) {
        const hover = await c.sendRequest(HoverRequest.type, { textDocument: { uri: tlsUri }, position: pos });
        if (!hover) continue;
        assert.ok(MarkupContent.is(hover.contents) && hover.contents.kind === 'markdown', 'hovers are Markdown');
        tally.hovers++;
        const line = lines[pos.line]!;
        const show = line.startsWith('certificate') ? [...set.shown.subjects.slice(0, 4), ...set.shown.names, set.certFile] : line.startsWith('[server:any]') ? [set.serverName] : line.startsWith('ca_list') ? [set.shown.subjects[4]!] : [];
        problems.push(...markdownOutputProblems(`set ${i} hover ${pos.line}:${pos.character}`, hover.contents.value, show));
        const at = (await c.sendRequest('sipTls/reportAt', { textDocument: { uri: tlsUri }, position: pos })) as { markdown: string } | null;
        if (at) {
          tally.reports++;
          problems.push(...markdownOutputProblems(`set ${i} reportAt ${pos.line}`, at.markdown, show));
        }
      }
      // Hovers in kamailio.cfg: the listen socket (profiles serving it) and the tls.cfg path.
      for (const pos of [{ line: 2, character: 12 }, { line: 4, character: 30 }]) {
        const hover = await c.sendRequest(HoverRequest.type, { textDocument: { uri: kamUri }, position: pos });
        if (hover && MarkupContent.is(hover.contents)) problems.push(...markdownOutputProblems(`set ${i} kamailio.cfg hover ${pos.line}`, hover.contents.value));
      }
      for (const file of [set.certFile, set.caFile, set.keyFile]) {
        const report = (await c.sendRequest('sipTls/fileReport', { uri: fileUri(dir.file(`${set.folder}/${file}`)) })) as { markdown: string } | null;
        assert.ok(report, `set ${i}: a report for ${JSON.stringify(file)}`);
        tally.reports++;
        problems.push(...markdownOutputProblems(`set ${i} fileReport ${JSON.stringify(file)}`, report.markdown, file === set.certFile ? [...set.shown.subjects.slice(0, 4), ...set.shown.names] : []));
      }
      for (const d of published.diagnostics) {
        const actions = (await client.codeActions(tlsUri, d.range, [d])) ?? [];
        for (const a of actions) {
          tally.actions++;
          const raw = rawInvisible(a.title, false);
          if (raw) problems.push(`set ${i} code action title: raw ${raw}`);
        }
      }
    }
    problems.push(...terminalOutputProblems('window/logMessage', client.logs.join('\n')));
  } finally {
    await client.shutdown();
    dir.remove();
  }
  assert.deepEqual(problems, []);
  return tally;
}

