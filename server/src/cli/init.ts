// `sip-tls init [DIR]`: write DIR/.sip-tls.json from what the repository says (core/project/init.ts).
// Never replaces an existing project file without --force; --dry-run prints it instead. The file
// is written through outputFiles.ts (examined first, all or nothing, never through a link).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../core/nodeHost';
import { proposeProjectFile } from '../core/project/init';
import { PROJECT_FILE_NAME } from '../core/project/projectFile';
import type { InitCommandOptions } from './args';
import type { CliEnvironment } from './main';
import { commitOutputs, planObstacle, planOutputs } from './outputFiles';

export function runInit(options: InitCommandOptions, io: CliEnvironment): number {
  const st = fs.statSync(options.dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) {
    io.stderr.write(`sip-tls: init: ${options.dir}: ${st ? 'not a folder' : 'no such folder'}; nothing written\n`);
    return 2;
  }
  const target = path.join(options.dir, PROJECT_FILE_NAME);
  const proposal = proposeProjectFile(new NodeHost(), options.dir);
  if (options.dryRun) {
    io.stdout.write(proposal.text);
    return 0;
  }
  const plan = planOutputs([{ path: target, content: proposal.text, secret: false }], { createFolder: false });
  const obstacle = planObstacle(plan, options.force);
  if (obstacle) {
    const why = obstacle.kind === 'blocked' ? `${obstacle.reason}; nothing written` : `${obstacle.entries} exists; not replaced (use --force to replace it, --dry-run to see the proposal)`;
    io.stderr.write(`sip-tls: init: ${why}\n`);
    return 2;
  }
  commitOutputs(plan, options.force);
  io.stdout.write(`wrote ${target}\n${proposal.summary.map((l) => `  ${l}\n`).join('')}Check it with: sip-tls check ${path.relative(io.cwd, options.dir) || '.'}\n`);
  return 0;
}
