// `sip-tls` command line entry point (dist/cli.js). The contract is cli.md.
import { runCli } from './cli/main';
import { startServer } from './lsp/startServer';

const code = runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  serve: startServer,
});
// Let piped output drain instead of exiting at once.
if (typeof code === 'number') process.exitCode = code;
// `probe` settles later; runCli never rejects (failures are exit codes).
else if (code) void code.then((c) => (process.exitCode = c));
