// Core parameters (`name = value` at top level): SER/OpenSER-era TLS names, booleans Kamailio's
// lexer rejects, names it does not know and names that need a newer version.
import type { Deployment } from '../deployment';
import type { CoreParamStatement } from '../kamailio/model';
import type { FixData, TextEditData } from '../types';
import { optionValue } from '../tlscfg/model';
import { lookupTlsModparam } from '../tlscfg/modparams';
import { isTlsModule } from '../kamailio/modules';
import { Reporter, edit, fix, lineStart, wholeLine } from './report';
import { tlsModuleLoad } from './tlsState';
import { tlsPort } from '../sockets';
import { checkCoreParamNames, isBooleanCoreParam } from './coreParamNames';
import { quoted } from '../quote';
import { listingOf } from '../listing';

interface LegacyTlsParam {
  /** Kamailio still lexes the name (then ignores it with a warning), or it is a parse error. */
  lexed: boolean;
  /** The tls.cfg option / tls modparam that does the job today. */
  tlsCfgKey?: string;
  modparam?: string;
  /** The profile role the setting belongs to. */
  role?: 'server' | 'client';
}

/** Reference §3 "Legacy core names" and §8 (OpenSER 1.x core parameters). */
const LEGACY: Record<string, LegacyTlsParam> = {
  tls_method: { lexed: true, tlsCfgKey: 'method', modparam: 'tls_method' },
  tls_verify: { lexed: true, tlsCfgKey: 'verify_certificate', modparam: 'verify_certificate' },
  tls_require_certificate: { lexed: true, tlsCfgKey: 'require_certificate', modparam: 'require_certificate' },
  tls_certificate: { lexed: true, tlsCfgKey: 'certificate', modparam: 'certificate' },
  tls_private_key: { lexed: true, tlsCfgKey: 'private_key', modparam: 'private_key' },
  tls_ca_list: { lexed: true, tlsCfgKey: 'ca_list', modparam: 'ca_list' },
  tls_handshake_timeout: { lexed: true },
  tls_send_timeout: { lexed: true },
  tls_verify_client: { lexed: false, tlsCfgKey: 'verify_certificate', modparam: 'verify_certificate', role: 'server' },
  tls_require_client_certificate: { lexed: false, tlsCfgKey: 'require_certificate', modparam: 'require_certificate', role: 'server' },
  tls_verify_server: { lexed: false, tlsCfgKey: 'verify_certificate', modparam: 'verify_certificate', role: 'client' },
  tls_ciphers_list: { lexed: false, tlsCfgKey: 'cipher_list', modparam: 'cipher_list' },
  tls_client_domain_avp: { lexed: false },
};

/** The only values cfg.lex has tokens for after `tls_method=` (SSLv23 SSLv2 SSLv3 TLSv1). */
const CORE_TLS_METHOD_WORDS = /^(sslv23|SSLv23|SSLV23|sslv2|SSLv2|SSLV2|sslv3|SSLv3|SSLV3|tlsv1|TLSv1|TLSV1)$/;

const BOOL_WORD = /^(yes|no|on|off|true|false|enable|disable|enabled|disabled|y|n)$/i;
const VALID_BOOL = /^(yes|no|on|off|true|false|enable|disable)$/;

export function checkCoreParams(deployment: Deployment, out: Reporter): void {
  const cfg = deployment.kamailio!;
  const reported = new Set<CoreParamStatement>();
  for (const p of cfg.coreParams) {
    if (p.name === 'tls_log' || p.name === 'tlslog') {
      reportTlsLog(deployment, p, out);
      reported.add(p);
      continue;
    }
    const legacy = LEGACY[p.name];
    if (legacy) {
      reportLegacy(deployment, p, legacy, out);
      reported.add(p);
      continue;
    }
    if (isBooleanCoreParam(p.name) && p.value.kind === 'identifier' && BOOL_WORD.test(p.value.text) && !VALID_BOOL.test(p.value.text)) {
      const lower = p.value.text.toLowerCase();
      const replacement = lower.startsWith('y') || lower.startsWith('e') || lower === 'on' || lower === 'true' ? 'yes' : 'no';
      out.add(
        'kamcfg.bad-boolean',
        p.file,
        p.value.range,
        `${quoted(p.value.raw)} is not a kamailio.cfg boolean: Kamailio exits with "boolean value expected". kamailio.cfg booleans are lower case: yes/no, on/off, true/false, enable/disable.`,
        { fixes: [fix(`Replace with ${quoted(replacement)}`, [edit(p.file, p.value.range, replacement)], true)] },
      );
      reported.add(p);
    }
  }
  checkCoreParamNames(deployment, cfg.coreParams.filter((p) => !reported.has(p)), out);
}

function reportLegacy(deployment: Deployment, p: CoreParamStatement, legacy: LegacyTlsParam, out: Reporter): void {
  const parseError = !legacy.lexed || (p.name === 'tls_method' && !CORE_TLS_METHOD_WORDS.test(p.value.raw.trim()));
  const where = legacy.tlsCfgKey ? ` Use ${legacy.tlsCfgKey} in tls.cfg${legacy.modparam ? ` (or modparam("tls", "${legacy.modparam}", …))` : ''}.` : ' It has no effect in any Kamailio version: remove it.';
  const message = parseError
    ? legacy.lexed
      ? `The core parameter ${p.name} only accepts SSLv23/SSLv2/SSLv3/TLSv1 and is never applied: ${quoted(p.value.raw)} makes Kamailio exit with a parse error.${where}`
      : `${p.name} is an OpenSER 1.x core parameter that Kamailio does not know: it exits with "unknown config variable".${where}`
    : `${p.name} is a SER-era core TLS setting: Kamailio ignores it ("tls-in-core support not compiled in").${where}`;
  out.add('kamcfg.obsolete-core-param', p.file, p.nameRange, message, {
    severity: parseError ? 'error' : 'warning',
    fixes: [moveToModernSetting(deployment, p, legacy)],
  });
}

/** The value as a tls.cfg value / modparam argument. */
function valueFor(p: CoreParamStatement, type: 'string' | 'int'): string {
  const v = p.value;
  if (type === 'int') {
    if (v.kind === 'bool') return v.text === 'yes' ? '1' : '0';
    if (/^(yes|on|true|enable)$/i.test(v.text)) return '1';
    if (/^(no|off|false|disable)$/i.test(v.text)) return '0';
    return v.text;
  }
  return JSON.stringify(v.text);
}

function moveToModernSetting(deployment: Deployment, p: CoreParamStatement, legacy: LegacyTlsParam): FixData {
  const removal = edit(p.file, wholeLine(p.range.start.line), '');
  const edits: TextEditData[] = [removal];
  let title = `Remove ${p.name}`;
  const docs = deployment.tls?.documents ?? [];
  const role = legacy.role ?? 'server';
  const profile = docs.flatMap((d) => d.profiles.map((pr) => ({ d, pr }))).find(({ pr }) => pr.role === role && pr.target.kind === 'default');
  if (legacy.tlsCfgKey && deployment.tls?.declaredBy && profile) {
    if (!optionValue(profile.pr, legacy.tlsCfgKey)) {
      const value = p.value.kind === 'string' ? JSON.stringify(p.value.text) : p.value.text;
      edits.push(edit(profile.d.file, lineStart(profile.pr.headerRange.start.line + 1), `${legacy.tlsCfgKey} = ${cleanTlsCfgValue(legacy.tlsCfgKey, value)}\n`));
      title = `Move to ${profile.pr.headerText} in tls.cfg as ${legacy.tlsCfgKey}`;
    } else {
      title = `Remove ${p.name} (${profile.pr.headerText} already sets ${legacy.tlsCfgKey})`;
    }
  } else if (legacy.modparam && !deployment.tls?.declaredBy) {
    const load = tlsModuleLoad(deployment);
    const spec = lookupTlsModparam(legacy.modparam);
    if (load && spec) {
      const lastTlsModparam = [...(deployment.kamailio?.modparams ?? [])].reverse().find((m) => isTlsModule(m.module) && m.order > load.order);
      const anchor = lastTlsModparam ?? load;
      edits.push(edit(anchor.file, lineStart(anchor.range.end.line + 1), `modparam("${load.module}", "${legacy.modparam}", ${valueFor(p, spec.type)})\n`));
      title = `Replace with modparam("${load.module}", "${legacy.modparam}", …)`;
    }
  }
  return fix(title, edits, true);
}

function cleanTlsCfgValue(key: string, value: string): string {
  if (key === 'verify_certificate' || key === 'require_certificate') return /^(1|"?yes"?|"?on"?|"?true"?|"?enable"?)$/i.test(value) ? 'yes' : 'no';
  // Unquote simple values: tls.cfg needs quotes only for spaces and special characters.
  // The written text is Kamailio's string syntax, not JSON: strip the quotes of a plain "…" and
  // keep anything else (e.g. adjacent strings "a""b", found by the fuzzer) as it is.
  const unquoted = /^"[^"\\]*"$/.test(value) ? value.slice(1, -1) : value;
  return /^[A-Za-z0-9_=:;.,?\[\]\/@!$%&*()\-+|']+$/.test(unquoted) ? unquoted : JSON.stringify(unquoted);
}

function reportTlsLog(deployment: Deployment, p: CoreParamStatement, out: Reporter): void {
  const port = tlsPort(deployment);
  const cfg = deployment.kamailio!;
  const affected = cfg.listens.filter((l) => l.proto === 'tls' && l.port === undefined);
  const load = tlsModuleLoad(deployment);
  const edits: TextEditData[] = [edit(p.file, wholeLine(p.range.start.line), '')];
  if (load && p.value.kind === 'number') edits.push(edit(load.file, lineStart(load.range.end.line + 1), `modparam("${load.module}", "tls_log", ${p.value.text})\n`));
  out.add(
    'kamcfg.obsolete-core-param',
    p.file,
    p.nameRange,
    `${p.name} does not set the TLS log level: since SER, Kamailio's lexer maps it to tls_port_no, so this sets the TLS port to ${p.value.raw}` +
      (affected.length > 0 ? ` and ${listingOf(affected, (l) => `listen=tls:${l.host}`)} will listen on port ${port}` : '') +
      '. Use modparam("tls", "tls_log", N).',
    {
      // Kamailio starts (on the wrong port): a warning, however surprising the effect.
      severity: 'warning',
      related: affected.map((l) => ({ file: l.file, range: l.range, message: `Listens on port ${port}, not 5061` })),
      fixes: [fix(load ? 'Replace with modparam("tls", "tls_log", …)' : `Remove ${p.name}`, edits, true)],
    },
  );
}
