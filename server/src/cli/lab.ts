// `sip-tls lab DIR`: write a lab PKI. Never overwrites without --force; private keys are
// created with mode 0600 from the start (not chmod-ed afterwards), so they are never readable
// by others, not even for an instant.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateLabPki } from '../core/pki/lab';
import type { LabCommandOptions } from './args';
import type { CliEnvironment } from './main';

export function runLab(options: LabCommandOptions, io: CliEnvironment): number {
  const files = generateLabPki({
    domains: options.domains,
    ips: options.ips,
    days: options.days,
    keyType: options.keyType,
    ...(options.client ? { client: options.client } : {}),
    now: new Date(),
    deployedDir: options.dir,
  });
  const existing = files.map((f) => path.join(options.dir, f.name)).filter((p) => fs.existsSync(p));
  if (existing.length > 0 && !options.force) {
    io.stderr.write(`sip-tls: lab: refusing to overwrite ${existing.join(', ')} (use --force to replace them)\n`);
    return 2;
  }
  fs.mkdirSync(options.dir, { recursive: true });
  for (const f of files) {
    const target = path.join(options.dir, f.name);
    const mode = f.secret ? 0o600 : 0o644;
    // With --force an existing file keeps its old mode under writeFileSync: remove it first.
    if (options.force) fs.rmSync(target, { force: true });
    fs.writeFileSync(target, f.content, { mode, flag: 'wx' });
    io.stdout.write(`wrote ${target}${f.secret ? ' (private key, mode 0600)' : ''}\n`);
  }
  const d = options.dir;
  io.stdout.write(
    `\nVerify the chain:\n  openssl verify -CAfile ${path.join(d, 'rootCA.crt')} -untrusted ${path.join(d, 'intermediate.crt')} ${path.join(d, 'server.crt')}\n` +
      `Use it: copy the profiles of ${path.join(d, 'tls.cfg.example')} into your tls.cfg.\n`,
  );
  return 0;
}
