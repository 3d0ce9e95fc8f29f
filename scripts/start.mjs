// `npm start`: build, create the example deployment's lab certificates if they are missing,
// and check the example deployment — the quickest way to see what sip-tls catches.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

function run(args, options = {}) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', ...options });
  if (r.error) throw r.error;
  return r.status ?? 1;
}

if (run(['esbuild.mjs', '--production']) !== 0) process.exit(1);

const certs = join('examples', 'certs');
if (!existsSync(join(certs, 'server.crt'))) {
  console.log(`Generating the example lab PKI in ${certs}/ …`);
  const rc = run(['dist/cli.js', 'lab', certs, '--domain', 'sip.example.com', '--ip', '127.0.0.1', '--client', 'pbx.example.com'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (rc !== 0) process.exit(rc);
}

console.log('\n$ sip-tls check examples/\n');
const rc = run(['dist/cli.js', 'check', 'examples/']);
// Findings are the point of the example: exit 0 unless the checker itself failed.
process.exit(rc === 2 ? 2 : 0);
