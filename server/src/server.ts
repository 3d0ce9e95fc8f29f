// Language server entry point (dist/server.js): `node dist/server.js --stdio` or, from the
// VS Code client, --node-ipc. `sip-tls serve --stdio` runs the same server.
import { startServer } from './lsp/startServer';

try {
  startServer();
} catch (error) {
  process.stderr.write(`sip-tls language server: ${error instanceof Error ? error.message : String(error)}\n`);
  process.stderr.write('usage: node server.js --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n');
  process.exit(2);
}
