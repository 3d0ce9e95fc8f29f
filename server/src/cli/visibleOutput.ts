// Everything the command line writes passes through here: whatever a command prints — a file
// name, a certificate subject, a quoted token, a peer's SIP status line, an error message — no
// control, bidi override or invisible character reaches the terminal raw (core/util/visible.ts).
// The newlines between lines stay. JSON and SARIF pass unchanged in value: JSON.stringify leaves
// raw only what can occur inside its strings, and the escapes written for it are JSON escapes.
import { visibleControls, visibleLines } from '../core/util/visible';
import type { OutputStream } from './main';

/** The colour sequences formatText writes around text it has already made visible. */
const SGR = /(\u001b\[[0-9;]*m)/;

function keepColour(text: string): string {
  return text
    .split('\n')
    .map((line) => line.split(SGR).map((part, i) => (i % 2 === 1 ? part : visibleControls(part))).join(''))
    .join('\n');
}

/**
 * `stream` with every write made visible. `colour`: keep SGR colour sequences (only for output
 * whose text parts were made visible before the colour was added, as formatText does).
 */
export function visibleStream(stream: OutputStream, options: { colour?: boolean } = {}): OutputStream {
  const wrapped: OutputStream = { write: (text: string) => stream.write(options.colour ? keepColour(text) : visibleLines(text)) };
  if (stream.isTTY !== undefined) wrapped.isTTY = stream.isTTY;
  return wrapped;
}
