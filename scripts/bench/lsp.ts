// The language server as an editor uses it: dist/server.js over stdio with a real JSON-RPC
// client (the same client the LSP tests use), the fleet folder as workspace, kamailio.cfg and
// tls.cfg open. Measures start → first diagnostics, keystroke → published diagnostics, warm
// hovers on certificate paths, and the server's peak memory.
//
// Debounce: the server waits `debounceMs` (initializationOptions, default 200 ms) after an edit
// before it checks. The benchmark sets it to 0 so that the figures are server compute plus
// transport; an editor user additionally waits the debounce.
import { readFileSync } from 'node:fs';
import { HoverRequest, type Hover } from 'vscode-languageserver-protocol/node';
import { LspTestClient, fileUri } from '../../test/helpers/lspClient';
import type { Fleet } from './fleet';

export const BENCH_DEBOUNCE_MS = 0;

export interface LspFigures {
  /** Spawn → diagnostics published for both open documents, one per fresh server. */
  firstDiagnosticsMs: number[];
  keystrokeKamailioMs: number[];
  keystrokeTlsMs: number[];
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

/** Text with one character typed (odd steps) or deleted again (even steps) at line/column. */
function typed(lines: string[], line: number, column: number, step: number): string {
  const copy = [...lines];
  const l = copy[line]!;
  copy[line] = step % 2 === 1 ? l.slice(0, column) + 'x' + l.slice(column) : l;
  return copy.join('\n');
}

async function keystrokes(client: LspTestClient, path: string, otherPath: string, line: number, column: number, count: number, warmup: number): Promise<number[]> {
  const uri = fileUri(path);
  const otherUri = fileUri(otherPath);
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: number[] = [];
  let version = 1;
  for (let i = 1; i <= count + warmup; i++) {
    version++;
    const text = typed(lines, line, column, i);
    const mark = client.mark();
    const t0 = performance.now();
    await client.change(uri, text, version);
    await client.waitForDiagnostics(uri, { version, timeoutMs: 60_000 });
    const ms = performance.now() - t0;
    // The other open document is re-published by the same check: wait for it so that the next
    // keystroke starts on an idle server.
    await client.waitForDiagnostics(otherUri, { after: mark, timeoutMs: 60_000 });
    if (i > warmup) out.push(ms);
  }
  // Leave the document as it is on disk.
  version++;
  await client.change(uri, lines.join('\n'), version);
  await client.waitForDiagnostics(uri, { version, timeoutMs: 60_000 });
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
    return { firstDiagnosticsMs, keystrokeKamailioMs, keystrokeTlsMs, hoverMs, peakRssMb: peakRssMb(client.process.pid!), diagnostics, hoverSample };
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
