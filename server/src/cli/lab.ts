// `sip-tls lab DIR`: write a lab PKI. Every output is examined before anything is written and
// the files are written all or nothing (outputFiles.ts); nothing is replaced without --force,
// and never a folder or a device. Private keys are created with mode 0600 from the start (not
// chmod-ed afterwards), so they are never readable by others, not even for an instant.
import * as path from 'node:path';
import { generateLabPki } from '../core/pki/lab';
import type { LabCommandOptions } from './args';
import type { CliEnvironment } from './main';
import { commitOutputs, planObstacle, planOutputs } from './outputFiles';

export function runLab(options: LabCommandOptions, io: CliEnvironment): number {
  const dir = options.dir;
  const files = generateLabPki({
    domains: options.domains,
    ips: options.ips,
    days: options.days,
    keyType: options.keyType,
    ...(options.client ? { client: options.client } : {}),
    now: new Date(),
    deployedDir: options.dir,
  }).map((f) => ({ path: path.join(dir, f.name), content: f.content, secret: f.secret }));
  const plan = planOutputs(files, { createFolder: true });
  const obstacle = planObstacle(plan, options.force);
  if (obstacle) {
    const why = obstacle.kind === 'blocked' ? obstacle.reason : `refusing to overwrite ${obstacle.entries} (use --force to replace them)`;
    io.stderr.write(`sip-tls: lab: ${why}; nothing written\n`);
    return 2;
  }
  commitOutputs(plan, options.force);
  for (const f of files) io.stdout.write(`wrote ${f.path}${f.secret ? ' (private key, mode 0600)' : ''}\n`);
  io.stdout.write(
    `\nVerify the chain:\n  openssl verify -CAfile ${path.join(dir, 'rootCA.crt')} -untrusted ${path.join(dir, 'intermediate.crt')} ${path.join(dir, 'server.crt')}\n` +
      `Use it: copy the profiles of ${path.join(dir, 'tls.cfg.example')} into your tls.cfg.\n`,
  );
  return 0;
}
