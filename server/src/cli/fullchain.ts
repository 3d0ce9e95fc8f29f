// `sip-tls fullchain CERT`: write the leaf and its intermediates, leaf first, to a new file
// (CERT's stem + .fullchain.pem, or --out). Never overwrites without --force.
import * as fs from 'node:fs';
import { FileProbe } from '../core/fileProbe';
import { NodeHost } from '../core/nodeHost';
import { buildFullchain } from '../core/features/fullchain';
import type { FullchainCommandOptions } from './fileCommandArgs';
import type { CliEnvironment } from './main';

export function runFullchain(options: FullchainCommandOptions, io: CliEnvironment): number {
  const probe = new FileProbe(new NodeHost());
  const result = buildFullchain(probe, options.file, options.ca);
  if (!result.ok) {
    io.stderr.write(`sip-tls: fullchain: ${options.file}: ${result.reason}\n`);
    return 2;
  }
  const target = options.out ?? result.suggestedPath;
  if (fs.existsSync(target) && !options.force) {
    io.stderr.write(`sip-tls: fullchain: refusing to overwrite ${target} (use --force to replace it, or --out for another name)\n`);
    return 2;
  }
  if (options.force) fs.rmSync(target, { force: true });
  fs.writeFileSync(target, result.content, { mode: 0o644, flag: 'wx' });
  io.stdout.write(`wrote ${target}:\n`);
  result.certificates.forEach((c, i) => io.stdout.write(`  ${i + 1}. ${c.subject} (${c.origin})\n`));
  if (!result.complete) {
    io.stdout.write(`warning: ${result.note ?? 'the chain is incomplete'}; pass the issuing CA's certificate with --ca\n`);
    return 1;
  }
  io.stdout.write(`Point certificate = at it in tls.cfg (the root stays out: peers must already trust it).\n`);
  return 0;
}
