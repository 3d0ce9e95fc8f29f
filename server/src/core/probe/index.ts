// The probe's public surface: the CLI (`sip-tls probe`) and the VS Code client (in-process, bundled
// into dist/client.js) use only what is exported here.
import { decide } from './verdict';
import { runProbe } from './run';
import { parseProbeTarget } from './target';
import type { ProbeOptions, ProbeReport } from './types';

export { runProbe } from './run';
export { parseProbeTarget, hostPort, type ProbeTarget } from './target';
export { formatProbeMarkdown, formatProbeText } from './format';
export { DEFAULT_PORT, DEFAULT_TIMEOUT_MS, type ProbeOptions, type ProbeReport, type ProbeError, type ProbePhase, type TlsVersionName } from './types';

/**
 * For the editor: probe `HOST[:PORT]` as typed by a person. A target that cannot be parsed gives a
 * report with a `setup` error rather than an exception, like every other failure.
 */
export async function probeTarget(target: string, options: Omit<ProbeOptions, 'host' | 'port'> = {}, signal?: AbortSignal): Promise<ProbeReport> {
  const parsed = parseProbeTarget(target);
  if (typeof parsed === 'string') {
    return decide(
      {
        version: 1,
        target: { host: target, port: 0, address: null, servername: null, trust: options.caFile ?? 'public roots' },
        error: { phase: 'setup', code: 'BAD_TARGET', message: parsed, explanation: 'Give HOST, HOST:PORT or [IPv6]:PORT.' },
        tls: null,
        chain: [],
        chainSource: null,
        trustAnchor: null,
        verification: null,
        hostname: null,
        clientCertificate: { requested: null, offered: Boolean(options.certFile && options.keyFile), acceptableCas: [], refusal: null },
        sip: null,
        timings: { dnsMs: null, connectMs: null, handshakeMs: null, sipMs: null, totalMs: 0 },
      },
      { host: target, port: 0 },
    );
  }
  return runProbe({ ...options, host: parsed.host, port: parsed.port }, signal);
}
