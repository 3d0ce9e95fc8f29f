// Writes docs/diagnostics.md from the catalog (server/src/core/catalog.ts), the single source
// of every diagnostic code, and schemas/sip-tls.schema.json from core/project/schema.ts. `--check` fails when the file is out of date (run by npm test).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BEHAVIOUR_WORDS, CATALOG } from '../server/src/core/catalog';
import { projectFileSchema } from '../server/src/core/project/schema';
import { peerFileSchema } from '../server/src/core/peers/schema';

const RULE_FILES: Record<string, string> = {
  tlscfg: 'server/src/core/tlscfg/parser.ts (syntax, headers) and server/src/core/rules/tlscfg.ts',
  kamcfg: 'server/src/core/kamailio/ (syntax, listen) and server/src/core/rules/kamcfg.ts, coreParams.ts, coreParamNames.ts',
  path: 'server/src/core/rules/paths.ts',
  tls: 'server/src/core/rules/tlsPolicy.ts',
  cert: 'server/src/core/rules/certificates.ts (names across profiles: certNames.ts) over server/src/core/pki/',
  chain: 'server/src/core/rules/certificates.ts over server/src/core/pki/chain.ts',
  key: 'server/src/core/rules/keys.ts over server/src/core/pki/key.ts',
  ca: 'server/src/core/rules/caList.ts over server/src/core/pki/',
  srtp: 'server/src/core/rules/',
  peer: 'server/src/core/rules/peers.ts (SRTP: rules/peerSrtp.ts) over server/src/core/peers/ (peer data: peers/presets/*.json, which profile talks to which peer: peers/connections.ts)',
};

const KAMAILIO = BEHAVIOUR_WORDS;

export function renderDiagnosticsDoc(): string {
  const lines = [
    '# Diagnostic codes',
    '',
    '<!-- Generated from server/src/core/catalog.ts by scripts/gen-diagnostics-doc.ts — do not edit. -->',
    '',
    'Every finding has a stable code. Override a severity with the setting `sipTls.severity` or the CLI option `--severity CODE=LEVEL` (`error`, `warning`, `information`, `hint`, `off`).',
    'Kamailio behaviour was verified against Kamailio 5.6.3 on OpenSSL 3.0 (Debian 12) and Kamailio 6.0.1 on OpenSSL 3.5 (Debian 13) where the tests say so (test/integration/ORACLE-NOTES.md); "from the source" marks what no binary here can show.',
    'The column *Applies* says on which Kamailio versions and platforms a code applies, when not on all; the platform (`--platform`, `"platform"`, `sipTls.platform`) decides where it says so.',
    '',
  ];
  const families = [...new Set(CATALOG.map((e) => e.code.split('.')[0]!))];
  for (const family of families) {
    lines.push(`## \`${family}.*\``, '', `Rules: ${RULE_FILES[family] ?? 'server/src/core/rules/'}`, '', '| Code | Default | Kamailio | What it means | Applies | Quick fix |', '|---|---|---|---|---|---|');
    for (const e of CATALOG.filter((x) => x.code.startsWith(`${family}.`))) {
      const differs = Object.entries(e.onPlatform ?? {}).map(([p, b]) => `; on ${p}: ${KAMAILIO[b]}`).join('');
      lines.push(`| \`${e.code}\` | ${e.severity} | ${KAMAILIO[e.kamailio]}${differs} | **${e.summary}.** ${e.help.replace(/\|/g, '\\|')} | ${(e.applies ?? 'all').replace(/\|/g, '\\|')} | ${e.hasFix ? 'yes' : '—'} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

/** schemas/sip-tls.schema.json, from core/project/schema.ts (its enums come from the catalog). */
export function renderProjectSchema(): string {
  return JSON.stringify(projectFileSchema(), null, 2) + '\n';
}

const outputs: [string, () => string][] = [
  [join(__dirname, '..', 'docs', 'diagnostics.md'), renderDiagnosticsDoc],
  [join(__dirname, '..', 'schemas', 'sip-tls.schema.json'), renderProjectSchema],
  [join(__dirname, '..', 'schemas', 'sip-tls-peer.schema.json'), () => JSON.stringify(peerFileSchema(), null, 2) + '\n'],
];
if (require.main === module) {
  for (const [target, render] of outputs) {
    const text = render();
    if (process.argv.includes('--check')) {
      if (readFileSync(target, 'utf8') !== text) {
        console.error(`${target} is out of date: run npm run docs`);
        process.exit(1);
      }
    } else {
      writeFileSync(target, text);
    }
  }
}
