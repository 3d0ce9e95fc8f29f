// The probe's public surface: the CLI (`sip-tls probe`) and the VS Code client (in-process, bundled
// into dist/client.js) use only what is exported here.
import { decide } from './verdict';
import { emptyDraft, runProbe } from './run';
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
        ...emptyDraft({ ...options, host: target, port: 0 }, null),
        error: { phase: 'setup', code: 'BAD_TARGET', message: parsed, explanation: 'Give HOST, HOST:PORT or [IPv6]:PORT.' },
      },
      { host: target, port: 0 },
    );
  }
  return runProbe({ ...options, host: parsed.host, port: parsed.port }, signal);
}
