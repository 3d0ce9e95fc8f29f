// `sip-tls probe HOST[:PORT]`: one live TLS handshake (and optionally a SIP OPTIONS) to a SIP
// server. The only command that opens a network connection, and only to the host on its command
// line. Exit codes: 0 all good, 1 the server (or the network) fails the probe, 2 bad usage or a
// local problem (an unreadable --ca/--cert/--key, a cipher list OpenSSL refuses).
import { PRODUCT_NAME, PRODUCT_VERSION } from '../lsp/productInfo';
import { formatProbeText, runProbe } from '../core/probe';
import type { ProbeCommandOptions } from './args';
import type { CliEnvironment } from './main';

export async function runProbeCommand(options: ProbeCommandOptions, io: CliEnvironment): Promise<number> {
  const { format, peer, ...probe } = options;
  const report = await runProbe({ ...probe, userAgent: `${PRODUCT_NAME}/${PRODUCT_VERSION}` });
  if (peer && format === 'text' && report.error?.phase !== 'setup') io.stdout.write(peer.notes.map((n) => `${n}\n`).join(''));
  const setup = report.error?.phase === 'setup';
  // A local problem is bad usage: a message on stderr; JSON consumers still get their document.
  if (format === 'json') io.stdout.write(JSON.stringify(peer ? { ...report, peer } : report, null, 2) + '\n');
  else if (!setup) io.stdout.write(formatProbeText(report));
  if (setup) {
    io.stderr.write(`${PRODUCT_NAME}: probe: ${report.error!.message}\n`);
    return 2;
  }
  return report.ok ? 0 : 1;
}
