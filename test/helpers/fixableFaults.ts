// Configurations with faults whose findings carry a preferred, text-only fix — the ones
// `check --fix` applies — in random combinations, shared by the CLI tests and the real-Kamailio
// round trip. Each fault says which code it raises, so a test can tell it was fixed.
import type { Rng } from './fuzz/prng';

export interface TlsFault {
  code: string;
  /** Lines for the [server:default] profile (replacing its clean line for `replaces`). */
  lines: string[];
  replaces?: string;
}

/** Every kind, each a fault Kamailio refuses or a line it ignores, with the fix the editor prefers. */
export const TLS_FAULTS: readonly TlsFault[] = [
  { code: 'tlscfg.bad-value', lines: ['method = TLSv12+'], replaces: 'method' },
  { code: 'tlscfg.bad-value', lines: ['require_certificate = nope'], replaces: 'require_certificate' },
  { code: 'tlscfg.bad-value', lines: ['verify_depth = -3'] },
  { code: 'tlscfg.duplicate-option', lines: ['cipher_list = HIGH', 'cipher_list = HIGH:!aNULL'] },
  { code: 'tlscfg.duplicate-option', lines: ['verify_certificate = no'] },
];

function cleanProfile(files: { cert: string; key: string }): string[] {
  return ['method = TLSv1.2+', `certificate = ${files.cert}`, `private_key = ${files.key}`, 'verify_certificate = no', 'require_certificate = no'];
}

export interface FaultyTlsCfg {
  text: string;
  codes: string[];
}

/** A tls.cfg with a random subset of the faults (at least one), in random order, maybe with a BOM or an unclosed second header. */
export function faultyTlsCfg(rng: Rng, files = { cert: 'cert.pem', key: 'key.pem' }): FaultyTlsCfg {
  const chosen = TLS_FAULTS.filter(() => rng.between(0, 1) === 1);
  if (chosen.length === 0) chosen.push(rng.pick(TLS_FAULTS));
  const replaced = new Set(chosen.flatMap((f) => (f.replaces ? [f.replaces] : [])));
  const body = cleanProfile(files).filter((l) => !replaced.has(l.split(' ')[0]!));
  for (const f of chosen) body.splice(rng.between(0, body.length), 0, ...f.lines);
  const codes = chosen.map((f) => f.code);
  let text = ['[server:default]', ...body].join('\n') + '\n';
  if (rng.between(0, 2) === 0) {
    text += '\n[client:default\nverify_certificate = no\n';
    codes.push('tlscfg.bad-header');
  }
  return { text, codes };
}
