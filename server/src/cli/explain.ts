// `sip-tls explain CODE…` and `sip-tls explain` (every code): what Kamailio does with the input
// behind a code, an example that triggers it, the fix, and the versions and platforms it applies
// to — all from the catalog (core/catalog.ts), the same text as docs/diagnostics.md and the hovers.
import { BEHAVIOUR_WORDS, CATALOG, catalogEntry, type CatalogEntry } from '../core/catalog';
import { KNOWN_VERSIONS } from '../core/version';
import { PRODUCT_NAME } from '../lsp/productInfo';
import type { CliEnvironment } from './main';

const WIDTH = 100;

export function runExplain(codes: readonly string[], io: CliEnvironment): number {
  io.stdout.write(codes.length === 0 ? listAll() : codes.map((c) => explain(catalogEntry(c))).join('\n'));
  return 0;
}

function listAll(): string {
  const width = Math.max(...CATALOG.map((e) => e.code.length));
  const severity = Math.max(...CATALOG.map((e) => e.severity.length));
  const lines = CATALOG.map((e) => `${e.code.padEnd(width)}  ${e.severity.padEnd(severity)}  ${e.summary}`);
  return `${lines.join('\n')}\n\n${CATALOG.length} codes. ${PRODUCT_NAME} explain CODE says what Kamailio does, an example and the fix.\n`;
}

export function explain(e: CatalogEntry): string {
  const out = [`${e.code}: ${e.summary}`, ''];
  out.push(`Default severity: ${e.severity} (--severity CODE=LEVEL or "severity" in .sip-tls.json changes it)`);
  out.push(`Kamailio ${BEHAVIOUR_WORDS[e.kamailio]}.`);
  for (const [platform, behaviour] of Object.entries(e.onPlatform ?? {})) out.push(`  On ${platform}: Kamailio ${BEHAVIOUR_WORDS[behaviour]}.`);
  out.push('', 'What happens and how to fix it:', ...wrap(e.help, '  '));
  out.push('', e.hasFix ? 'A quick fix is offered in the editor (VS Code, or any LSP editor with sip-tls serve).' : 'No mechanical fix: the change needs a decision.');
  out.push('');
  if (e.example) {
    const options = e.example.options && e.example.options.length > 0 ? ` ${e.example.options.join(' ')}` : '';
    out.push(`Example (${e.example.file}; ${PRODUCT_NAME} check ${e.example.file}${options} reports ${e.code}):`);
    for (const line of e.example.text.replace(/\n$/, '').split('\n')) out.push(`  ${line}`);
  } else {
    out.push('Example: none recorded in the catalog for this code.');
  }
  out.push('', `Applies to: ${e.applies ?? `every Kamailio version ${PRODUCT_NAME} knows (${KNOWN_VERSIONS[0]} to ${KNOWN_VERSIONS.at(-1)}) and every platform`}`);
  return out.join('\n') + '\n';
}

/** Words wrapped at WIDTH columns, each line indented. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}
