// The language server as an editor uses it: dist/server.js over stdio with a real JSON-RPC
// client (the same client the LSP tests use), the fleet folder as workspace, kamailio.cfg and
// tls.cfg open. Measures start → first diagnostics, keystroke → published diagnostics, warm
// hovers on certificate paths, and the server's peak memory.
//
// Debounce: the server waits `debounceMs` (initializationOptions, default 200 ms) after an edit
// before it checks. The benchmark sets it to 0 so that the figures are server compute plus
// transport; an editor user additionally waits the debounce.
import { readFileSync } from 'node:fs';
import { HoverRequest, type Hover, type Range } from 'vscode-languageserver-protocol/node';
import { LspTestClient, fileUri } from '../../test/helpers/lspClient';
import type { Fleet } from './fleet';

export const BENCH_DEBOUNCE_MS = 0;

export interface LspFigures {
  /** Spawn → diagnostics published for both open documents, one per fresh server. */
  firstDiagnosticsMs: number[];
  keystrokeKamailioMs: number[];
  keystrokeTlsMs: number[];
  /** Keystrokes in code (no reuse of the previous evaluation or rule run possible). */
  keystrokeKamailioCodeMs: number[];
  keystrokeTlsCodeMs: number[];
  hoverMs: number[];
  /** VmHWM of the server process, MB, after all of the above. */
  peakRssMb: number;
  /** Diagnostics the server published for the fleet (kamailio.cfg + tls.cfg). */
  diagnostics: number;
  /** A sample hover text, to prove the hover is the certificate one. */
  hoverSample: string;
}

async function startServer(fleet: Fleet): Promise<{ client: LspTestClient; ms: number; diagnostics: number }> {
  const t0 = performance.now();
  const { client } = await LspTestClient.start({
    entry: 'server',
    workspaceFolders: [fleet.dir],
    initializationOptions: { debounceMs: BENCH_DEBOUNCE_MS },
  });
  const kamUri = fileUri(fleet.kamailioCfg);
  const tlsUri = fileUri(fleet.tlsCfg);
  await client.open(kamUri, 'kamailio', readFileSync(fleet.kamailioCfg, 'utf8'));
  await client.open(tlsUri, 'kamailio-tls', readFileSync(fleet.tlsCfg, 'utf8'));
  const [k, t] = await Promise.all([
    client.waitForDiagnostics(kamUri, { version: 1, timeoutMs: 60_000 }),
    client.waitForDiagnostics(tlsUri, { version: 1, timeoutMs: 60_000 }),
  ]);
  return { client, ms: performance.now() - t0, diagnostics: k.diagnostics.length + t.diagnostics.length };
}

/** VmHWM (peak resident set) of a process, MB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}

/**
 * One keystroke as an editor sends it with incremental sync: odd steps type 'x' at line/column,
 * even steps delete it again (a range over that one character), so the document alternates
 * between the file on disk and the file with one character more.
 */
function keystroke(line: number, column: number, step: number, char = 'x'): { range: Range; text: string } {
  return step % 2 === 1
    ? { range: { start: { line, character: column }, end: { line, character: column } }, text: char }
    : { range: { start: { line, character: column }, end: { line, character: column + 1 } }, text: '' };
}

/** The last version sent per document URI. */
const versions = new Map<string, number>();

async function keystrokes(client: LspTestClient, path: string, otherPath: string, line: number, column: number, count: number, warmup: number, char = 'x'): Promise<number[]> {
  const uri = fileUri(path);
  const otherUri = fileUri(otherPath);
  const out: number[] = [];
  // Versions go on from the document's last one: a repeated version would match an old publish.
  let version = versions.get(uri) ?? 1;
  // An even number of steps, so that the document ends as it is on disk (the last step deletes).
  const steps = count + warmup + ((count + warmup) % 2);
  for (let i = 1; i <= steps; i++) {
    version++;
    const mark = client.mark();
    const t0 = performance.now();
    await client.edit(uri, version, [keystroke(line, column, i, char)]);
    await client.waitForDiagnostics(uri, { version, timeoutMs: 60_000 });
    const ms = performance.now() - t0;
    // The other open document is re-published by the same check: wait for it so that the next
    // keystroke starts on an idle server.
    await client.waitForDiagnostics(otherUri, { after: mark, timeoutMs: 60_000 });
    if (i > warmup && out.length < count) out.push(ms);
  }
  versions.set(uri, version);
  return out;
}

export async function benchServer(fleet: Fleet, o: { starts: number; keystrokes: number; hovers: number }): Promise<LspFigures> {
  const firstDiagnosticsMs: number[] = [];
  for (let i = 0; i < o.starts - 1; i++) {
    const s = await startServer(fleet);
    firstDiagnosticsMs.push(s.ms);
    await s.client.shutdown();
  }
  const { client, ms, diagnostics } = await startServer(fleet);
  firstDiagnosticsMs.push(ms);
  try {
    // kamailio.cfg: type inside the xlog message of a tenant route in the middle of the file.
    const kamLine = readFileSync(fleet.kamailioCfg, 'utf8').split('\n')[fleet.editLineKamailio]!;
    const kamColumn = kamLine.indexOf('outbound') + 'outbound'.length;
    const keystrokeKamailioMs = await keystrokes(client, fleet.kamailioCfg, fleet.tlsCfg, fleet.editLineKamailio, kamColumn, o.keystrokes, 5);
    // tls.cfg: type in the comment above the middle profile's certificate line.
    const keystrokeTlsMs = await keystrokes(client, fleet.tlsCfg, fleet.kamailioCfg, fleet.editLineTls, '# note'.length, o.keystrokes, 5);

    // Typing in code, where no shortcut applies: a blank at the start of the statement after the
    // xlog (every position on the line moves: kamailio.cfg is re-lexed and re-evaluated, the
    // rules re-run), and a character at the end of a certificate path in tls.cfg (the path
    // changes: the profile's findings change back and forth).
    const keystrokeKamailioCodeMs = await keystrokes(client, fleet.kamailioCfg, fleet.tlsCfg, fleet.editLineKamailio + 1, 0, o.keystrokes, 5, ' ');
    const middle = fleet.profiles[Math.floor(fleet.profiles.length / 2)]!;
    const certLine = readFileSync(fleet.tlsCfg, 'utf8').split('\n')[middle.certificateLine]!;
    const keystrokeTlsCodeMs = await keystrokes(client, fleet.tlsCfg, fleet.kamailioCfg, middle.certificateLine, certLine.length, o.keystrokes, 5);

    // Warm hovers: one unmeasured hover, then certificate paths of different profiles in turn.
    const tlsUri = fileUri(fleet.tlsCfg);
    const hoverAt = (i: number): Promise<Hover | null> => {
      const p = fleet.profiles[i % fleet.profiles.length]!;
      return client.connection.sendRequest(HoverRequest.type, {
        textDocument: { uri: tlsUri },
        position: { line: p.certificateLine, character: p.certificateColumn + 3 },
      });
    };
    const first = await hoverAt(0);
    const hoverSample = hoverText(first);
    if (!/certificate|chain|CN|SHA-256/i.test(hoverSample)) throw new Error(`the hover on a certificate path is not a certificate hover: ${hoverSample.slice(0, 200)}`);
    const hoverMs: number[] = [];
    for (let i = 0; i < o.hovers; i++) {
      const t0 = performance.now();
      const h = await hoverAt(i * 7 + 1);
      hoverMs.push(performance.now() - t0);
      if (!h) throw new Error(`no hover on profile ${(i * 7 + 1) % fleet.profiles.length}`);
    }
    return { firstDiagnosticsMs, keystrokeKamailioMs, keystrokeTlsMs, keystrokeKamailioCodeMs, keystrokeTlsCodeMs, hoverMs, peakRssMb: peakRssMb(client.process.pid!), diagnostics, hoverSample };
  } finally {
    await client.shutdown();
  }
}

function hoverText(h: Hover | null): string {
  if (!h) return '';
  const c = h.contents;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((x) => (typeof x === 'string' ? x : x.value)).join('\n');
  return c.value;
}
