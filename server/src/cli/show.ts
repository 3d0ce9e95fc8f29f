// `sip-tls show FILE`: the certificate/chain/key report of one file (like `openssl x509 -text`,
// but about what a SIP peer will make of it). Exit 0 when nothing is wrong, 1 when the report
// lists problems, 2 when the file cannot be examined.
import { FileProbe } from '../core/fileProbe';
import { NodeHost } from '../core/nodeHost';
import { fileReport, fileReportMarkdown, fileReportText } from '../core/features/fileReport';
import type { ShowCommandOptions } from './fileCommandArgs';
import type { CliEnvironment } from './main';

export function runShow(options: ShowCommandOptions, io: CliEnvironment): number {
  const now = options.now;
  const probe = new FileProbe(new NodeHost(now ? () => new Date(now.getTime()) : undefined));
  const report = fileReport(probe, options.file, { trust: options.ca, expiryDays: options.expiryDays });
  for (const ca of options.ca) {
    const st = probe.stat(ca);
    if ('error' in st || st.kind !== 'file') io.stderr.write(`sip-tls: show: --ca ${ca} cannot be read; it is ignored\n`);
  }
  if (options.format === 'json') io.stdout.write(JSON.stringify({ version: 1, ...report }, null, 2) + '\n');
  else io.stdout.write(options.format === 'markdown' ? fileReportMarkdown(report).value : fileReportText(report));
  if (report.unavailable) return 2;
  return report.problems.length > 0 ? 1 : 0;
}
