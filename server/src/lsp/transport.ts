// The transport named on the command line (--stdio, --node-ipc, --socket=N, --pipe=NAME), chosen
// here rather than inside vscode-languageserver's createConnection so that the reader can be
// wrapped by the lifecycle gate (lifecycle.ts) before the connection sees a single message.
// The argument forms are the library's (vscode-languageserver/lib/node/main.js _createConnection).
import {
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  createServerPipeTransport,
  createServerSocketTransport,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';

export interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
  /** stdout carries the protocol: nothing else may be written to it. */
  stdio: boolean;
}

type TransportArg = { kind: 'stdio' } | { kind: 'ipc' } | { kind: 'socket'; port: number } | { kind: 'pipe'; name: string };

/** The first transport argument, in the library's forms (`--socket=N` or `--socket N`). */
export function transportArgument(argv: readonly string[]): TransportArg | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--stdio') return { kind: 'stdio' };
    if (arg === '--node-ipc') return { kind: 'ipc' };
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = inline ?? (name === arg ? argv[i + 1] : undefined);
    if (name === '--socket') {
      const port = Number.parseInt(value ?? '', 10);
      return Number.isInteger(port) && port > 0 ? { kind: 'socket', port } : undefined;
    }
    if (name === '--pipe') return value ? { kind: 'pipe', name: value } : undefined;
  }
  return undefined;
}

/** Open the transport named in `argv`; throws when none is named. */
export function openTransport(argv: readonly string[]): Transport {
  const arg = transportArgument(argv);
  switch (arg?.kind) {
    case 'stdio':
      return { reader: new StreamMessageReader(process.stdin), writer: new StreamMessageWriter(process.stdout), stdio: true };
    case 'ipc':
      return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process), stdio: false };
    case 'socket': {
      const [reader, writer] = createServerSocketTransport(arg.port);
      return { reader, writer, stdio: false };
    }
    case 'pipe': {
      const [reader, writer] = createServerPipeTransport(arg.name);
      return { reader, writer, stdio: false };
    }
    default:
      throw new Error("no transport: pass '--stdio', '--node-ipc', '--socket=PORT' or '--pipe=NAME'");
  }
}
