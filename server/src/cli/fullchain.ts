// `sip-tls fullchain CERT`: write the leaf and its intermediates, leaf first, to a new file
// (CERT's stem + .fullchain.pem, or --out). The output is examined before it is written and
// written all or nothing (outputFiles.ts); it never replaces an entry without --force (a dangling
// symbolic link is an entry, and is never written through), nor a folder or a device.
import { FileProbe } from '../core/fileProbe';
import { NodeHost } from '../core/nodeHost';
import { buildFullchain } from '../core/features/fullchain';
import type { FullchainCommandOptions } from './fileCommandArgs';
import type { CliEnvironment } from './main';
import { commitOutputs, planObstacle, planOutputs } from './outputFiles';

export function runFullchain(options: FullchainCommandOptions, io: CliEnvironment): number {
  const probe = new FileProbe(new NodeHost());
  const result = buildFullchain(probe, options.file, options.ca);
  if (!result.ok) {
    io.stderr.write(`sip-tls: fullchain: ${options.file}: ${result.reason}\n`);
    return 2;
  }
  const target = options.out ?? result.suggestedPath;
  const plan = planOutputs([{ path: target, content: result.content, secret: false }], { createFolder: false });
  const obstacle = planObstacle(plan, options.force);
  if (obstacle) {
    const why = obstacle.kind === 'blocked' ? `${obstacle.reason}; nothing written` : `refusing to overwrite ${obstacle.entries} (use --force to replace it, or --out for another name)`;
    io.stderr.write(`sip-tls: fullchain: ${why}\n`);
    return 2;
  }
  commitOutputs(plan, options.force);
  io.stdout.write(`wrote ${target}:\n`);
  result.certificates.forEach((c, i) => io.stdout.write(`  ${i + 1}. ${c.subject} (${c.origin})\n`));
  if (!result.complete) {
    io.stdout.write(`warning: ${result.note ?? 'the chain is incomplete'}; pass the issuing CA's certificate with --ca\n`);
    return 1;
  }
  io.stdout.write(`Point certificate = at it in tls.cfg (the root stays out: peers must already trust it).\n`);
  return 0;
}
