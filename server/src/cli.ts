// `sip-tls` command line entry point (dist/cli.js). The contract is cli.md.
import { readFileSync } from 'node:fs';
import { runCli } from './cli/main';
import { startServer } from './lsp/startServer';

// `sip-tls check --format json | head`: when the reader goes away the rest of the output has
// nobody to read it. Stop writing, and leave with the command's own exit code instead of an
// "Unhandled 'error' event" stack trace. Other stream errors stay errors. (`serve` owns stdout:
// the language server's connection ends the process when its client goes.)
const serving = process.argv[2] === 'serve';
for (const stream of serving ? [] : [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

const code = runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  serve: startServer,
  readStdin: () => readFileSync(0),
});
// Let piped output drain instead of exiting at once.
if (typeof code === 'number') process.exitCode = code;
// `probe` settles later; runCli never rejects (failures are exit codes).
else if (code) void code.then((c) => (process.exitCode = c));
