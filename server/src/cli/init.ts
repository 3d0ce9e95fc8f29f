// `sip-tls init [DIR]`: write DIR/.sip-tls.json from what the repository says (core/project/init.ts).
// Never replaces an existing project file without --force; --dry-run prints it instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../core/nodeHost';
import { proposeProjectFile } from '../core/project/init';
import { PROJECT_FILE_NAME } from '../core/project/projectFile';
import type { InitCommandOptions } from './args';
import type { CliEnvironment } from './main';
import { UsageError } from './args';

export function runInit(options: InitCommandOptions, io: CliEnvironment): number {
  const st = fs.statSync(options.dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new UsageError(`init: ${options.dir}: not a folder`, 'init');
  const target = path.join(options.dir, PROJECT_FILE_NAME);
  const proposal = proposeProjectFile(new NodeHost(), options.dir);
  if (options.dryRun) {
    io.stdout.write(proposal.text);
    return 0;
  }
  if (fs.existsSync(target) && !options.force) {
    io.stderr.write(`sip-tls: init: ${target} exists; not replaced (use --force to replace it, --dry-run to see the proposal)\n`);
    return 2;
  }
  if (options.force) fs.rmSync(target, { force: true });
  fs.writeFileSync(target, proposal.text, { mode: 0o644, flag: 'wx' });
  io.stdout.write(`wrote ${target}\n${proposal.summary.map((l) => `  ${l}\n`).join('')}Check it with: sip-tls check ${path.relative(io.cwd, options.dir) || '.'}\n`);
  return 0;
}
