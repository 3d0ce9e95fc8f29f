// Does this configuration run TLS? tls.so's mod_init returns at once when TLS is off (`tls
// support is disabled`): Kamailio then reads no tls.cfg and loads no certificate (verified on
// 5.6.3 with a `config` naming a missing file: it starts). So no TLS profile is judged unless TLS
// is on — a "refuses to start" about a file Kamailio never opens would be false. What differs is
// what is said: a configuration that leaves TLS off on purpose (the shipped kamailio.cfg without
// WITH_TLS, a test loading every module) gets one information on how to check its TLS variant;
// one that clearly wants TLS but has it off by mistake (enable_tls after the loadmodule, a
// tls.cfg configured and enable_tls forgotten) gets the mistake as its finding.
import type { EffectiveConfig, KamailioFileInfo } from './model';
import type { Range } from '../types';
import { isTlsModule, tlsEngineLoad } from './modules';

export type TlsIntent =
  /** Enabled when tls.so is loaded. */
  | 'on'
  /** Off by a mistake: enable_tls after the loadmodule, or never set while tls.cfg, tls modparams or listen=tls: are there. */
  | 'mistaken'
  /** Off on purpose: nothing but (at most) loadmodule "tls.so", or TLS only in #!ifdef regions that are off. */
  | 'off';

const ENABLE = new Set(['enable_tls', 'tls_enable']);
const DISABLE = new Set(['disable_tls', 'tls_disable']);

function truth(kind: string, text: string): boolean | undefined {
  if (kind === 'bool') return text === 'yes';
  if (kind === 'number') return Number(text) !== 0;
  return undefined;
}

export function tlsIntent(cfg: EffectiveConfig): TlsIntent {
  const load = tlsEngineLoad(cfg.modules);
  let enabledAtLoad = false;
  let enabledAnywhere = false;
  let explicitlyOff = false;
  for (const p of cfg.coreParams) {
    if (!ENABLE.has(p.name) && !DISABLE.has(p.name)) continue;
    const t = truth(p.value.kind, p.value.text);
    if (t === undefined) continue;
    const on = ENABLE.has(p.name) ? t : !t;
    if (on) enabledAnywhere = true;
    else explicitlyOff = true;
    if (load && p.order < load.order) enabledAtLoad = on;
  }
  if (load && enabledAtLoad) return 'on';
  if (enabledAnywhere) return 'mistaken';
  // disable_tls=yes / enable_tls=no written on purpose.
  if (explicitlyOff) return 'off';
  const configured = cfg.listens.some((l) => l.proto === 'tls') || cfg.modparams.some((m) => isTlsModule(m.module));
  return configured ? 'mistaken' : 'off';
}

/** A TLS statement inside a region of kamailio.cfg that the current defines switch off. */
export interface InactiveTls {
  file: string;
  /** The statement's line. */
  range: Range;
  /** What it is: `enable_tls=yes`, `loadmodule "tls.so"`, `listen=tls:…`. */
  text: string;
  /** The #!ifdef / #!ifndef that switches it off, e.g. `#!ifdef WITH_TLS`. */
  directive?: string;
  /** The define that would switch it on (for #!ifdef NAME), or off (#!ifndef NAME). */
  define?: string;
  negated?: boolean;
}

const INACTIVE_TLS = /^[ \t]*(?:(?:enable_tls|tls_enable)[ \t]*=[ \t]*(?:yes|on|true|1|enable)\b|loadmodule(?:x)?[ \t]+"[^"\n]*\btls\.so"|modparam[ \t]*\([ \t]*"tls"|listen[ \t]*=[ \t]*tls:)/gm;

/** The first TLS statement in a switched-off region of any file of the configuration. */
export function inactiveTlsStatement(cfg: EffectiveConfig, text: (file: string) => string | undefined): InactiveTls | undefined {
  for (const file of cfg.files) {
    const info = cfg.fileInfo.get(file);
    const source = text(file);
    if (!info || source === undefined || info.inactiveRanges.length === 0) continue;
    const found = firstInRanges(file, info, source);
    if (found) return found;
  }
  return undefined;
}

function firstInRanges(file: string, info: KamailioFileInfo, source: string): InactiveTls | undefined {
  const lineStarts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lines = (from: number, to: number): string[] => {
    const out: string[] = [];
    for (let l = from; l <= to && l < lineStarts.length; l++) {
      const end = l + 1 < lineStarts.length ? lineStarts[l + 1]! - 1 : source.length;
      out.push(source.slice(lineStarts[l]!, end));
    }
    return out;
  };
  for (const r of info.inactiveRanges) {
    const body = lines(r.start.line, r.end.line);
    for (let i = 0; i < body.length; i++) {
      INACTIVE_TLS.lastIndex = 0;
      const m = INACTIVE_TLS.exec(body[i]!);
      if (!m) continue;
      const line = r.start.line + i;
      const text = body[i]!.trim().replace(/\s*(#|\/\/).*$/, '');
      const found: InactiveTls = { file, range: { start: { line, character: 0 }, end: { line, character: body[i]!.replace(/\r$/, '').length } }, text };
      const directive = enclosingDirective(lines(0, line - 1));
      if (directive) {
        found.directive = directive.text;
        found.define = directive.name;
        found.negated = directive.negated;
      }
      return found;
    }
  }
  return undefined;
}

/** The innermost #!ifdef/#!ifndef still open at the end of `before` (lines of the file). */
function enclosingDirective(before: string[]): { text: string; name: string; negated: boolean } | undefined {
  const stack: { text: string; name: string; negated: boolean }[] = [];
  for (const l of before) {
    const m = /^[ \t]*(?:#!|!!)(ifdef|ifndef|endif|else)\b[ \t]*([A-Za-z_][A-Za-z0-9_]*)?/.exec(l);
    if (!m) continue;
    if (m[1] === 'endif') stack.pop();
    else if (m[1] === 'else') {
      const top = stack[stack.length - 1];
      if (top) stack[stack.length - 1] = { ...top, negated: !top.negated, text: `${top.text} … #!else` };
    } else if (m[2]) stack.push({ text: `#!${m[1]} ${m[2]}`, name: m[2], negated: m[1] === 'ifndef' });
  }
  return stack[stack.length - 1];
}
