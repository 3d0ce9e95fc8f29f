// The leak property through the real faces: the cases of keyLeakProperty.ts written to disk, the
// bundled CLI (`check` in every --format, `show` in every --format) and the bundled language
// server over stdio (diagnostics, hovers on every line, code actions, symbols, links, its log).
import * as path from 'node:path';
import { DocumentLinkRequest, DocumentSymbolRequest, HoverRequest } from 'vscode-languageserver-protocol/node';
import { decodeText } from '../../server/src/core/text';
import { runCli } from './cli';
import { LspTestClient, fileUri } from './lspClient';
import { makeTempDir } from './tempDir';
import { DIR, type KeyUnderTest, type LeakCase } from './keyLeakProperty';

export const CHECK_FORMATS = ['text', 'json', 'sarif'] as const;
export const SHOW_FORMATS = ['text', 'json', 'markdown'] as const;
/** Cases per CLI run. */
const CLI_BATCH = 40;

interface Written {
  key: KeyUnderTest;
  c: LeakCase;
  folder: string;
  /** The document an editor would have open for the case, with its text. */
  document: { file: string; text: string; language: 'kamailio' | 'kamailio-tls' };
  material: string;
}

function localPath(folder: string, file: string): string {
  return path.join(folder, path.relative(DIR, file));
}

/** What a face showed, where. */
export interface FaceOutput {
  key: KeyUnderTest;
  where: string;
  text: string;
}

/**
 * Run the cases through the CLI and the language server; returns every output with the key it
 * must not contain, and what the server said per opened document (for the mechanism checks).
 */
export async function runThroughFaces(cases: { key: KeyUnderTest; c: LeakCase }[]): Promise<{ outputs: FaceOutput[]; diagnosticCodes: Map<string, string[]> }> {
  const dir = makeTempDir('sip-tls-key-leak-');
  const outputs: FaceOutput[] = [];
  const diagnosticCodes = new Map<string, string[]>();
  try {
    const written: Written[] = cases.map(({ key, c }, i) => {
      const folder = path.join(dir.path, `case${i}`);
      const files: Record<string, string | Uint8Array> = {};
      for (const [file, content] of Object.entries(c.files)) {
        files[path.relative(dir.path, localPath(folder, file))] = typeof content === 'string' ? content.split(DIR).join(folder) : content;
      }
      // On disk for the CLI the open document's text is the file (the editor saved it).
      if (c.overlay) files[path.relative(dir.path, localPath(folder, c.overlay.file))] = c.overlay.text;
      dir.write(files);
      const openFile = c.overlay?.file ?? (c.place === 'pasted-into-tls' ? `${DIR}/tls.cfg` : `${DIR}/kamailio.cfg`);
      const content = c.overlay?.text ?? c.files[openFile]!;
      const text = typeof content === 'string' ? content.split(DIR).join(folder) : decodeText(content);
      return { key, c, folder, document: { file: localPath(folder, openFile), text, language: c.overlay?.language ?? (openFile.endsWith('tls.cfg') ? 'kamailio-tls' : 'kamailio') }, material: localPath(folder, c.materialFile) };
    });

    // The CLI: one run per format and batch of cases (folder searches), with the open documents'
    // files named (a batch keeps the output within what a child's pipe is read into).
    for (let from = 0; from < written.length; from += CLI_BATCH) {
      const batch = written.slice(from, from + CLI_BATCH);
      const args = [...batch.map((w) => w.folder), ...batch.filter((w) => w.c.overlay).map((w) => w.document.file)];
      for (const format of CHECK_FORMATS) {
        const r = runCli(['check', ...args, '--format', format], { cwd: dir.path });
        // Exit 2 with "nothing to check": a named document that is itself key material (its output is scanned all the same).
        const refused = r.code === 2 && /: nothing to check: /.test(r.stderr);
        if (r.code !== 0 && r.code !== 1 && !refused) throw new Error(`check --format ${format}: exit ${r.code}: ${r.stderr.slice(0, 2000)}`);
        for (const key of new Set(batch.map((w) => w.key))) outputs.push({ key, where: `cli check --format ${format} (cases ${from}…)`, text: r.stdout + r.stderr });
      }
    }
    // `show` on each distinct material file.
    const shown = new Set<string>();
    for (const w of written) {
      const id = `${w.key.name} ${w.c.form.name}`;
      if (shown.has(id) || w.c.place !== 'tls-config') continue;
      shown.add(id);
      for (const format of SHOW_FORMATS) {
        const r = runCli(['show', w.material, '--format', format], { cwd: dir.path });
        outputs.push({ key: w.key, where: `cli show --format ${format} ${id}`, text: r.stdout + r.stderr });
      }
    }

    // The language server, one document per case; one server per batch, so that a check does not
    // evaluate hundreds of unrelated deployments.
    for (let from = 0; from < written.length; from += CLI_BATCH) {
      const batch = written.slice(from, from + CLI_BATCH);
      await throughServer(batch, outputs, diagnosticCodes);
    }
    return { outputs, diagnosticCodes };
  } finally {
    dir.remove();
  }
}

async function throughServer(written: Written[], outputs: FaceOutput[], diagnosticCodes: Map<string, string[]>): Promise<void> {
  const { client } = await LspTestClient.start({ workspaceFolders: written.map((w) => w.folder) });
  try {
    for (const w of written) {
      const uri = fileUri(w.document.file);
      await client.open(uri, w.document.language, w.document.text);
      const published = await client.waitForDiagnostics(uri, { version: 1, timeoutMs: 30_000 });
      diagnosticCodes.set(w.c.name, published.diagnostics.map((d) => String(d.code)));
      const add = (where: string, value: unknown) => outputs.push({ key: w.key, where: `${where} ${w.c.name}`, text: JSON.stringify(value) });
      add('diagnostics', published);
      for (const d of published.diagnostics) add(`code actions ${String(d.code)}`, await client.codeActions(uri, d.range, [d]));
      add('symbols', await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }));
      add('links', await client.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } }));
      const lines = w.document.text.split('\n').slice(0, 200);
      for (const [line, text] of lines.entries()) {
        const eq = text.indexOf('=');
        for (const character of new Set([0, Math.floor(text.length / 2), eq < 0 ? 0 : eq + 2])) {
          add(`hover ${line}:${character}`, await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }));
        }
      }
      await client.close(uri);
    }
    const logs = client.logs.join('\n') + client.stderr.join('');
    for (const key of new Set(written.map((w) => w.key))) outputs.push({ key, where: 'server log and stderr', text: logs });
  } finally {
    await client.shutdown();
  }
}
