// kamailio.cfg — `kamcfg.*` (diagnostics.md): syntax problems from the parser, the TLS core
// parameters, module load order and the tls module's parameters.
import { isIPv6 } from 'node:net';
import type { Deployment } from '../deployment';
import type { EffectiveConfig, ModParamStatement } from '../kamailio/model';
import type { FixData, Range, TextEditData } from '../types';
import { lookupMethod, TLS_METHODS, VERIFY_CLIENT_VALUES } from '../tlscfg/schema';
import { DOCUMENTED_BUT_NOT_EXPORTED, TLS_MODPARAMS, lookupTlsModparam } from '../tlscfg/modparams';
import { isTlsEngine, isTlsModule, moduleArgumentMatches, type TlsEngine } from '../kamailio/modules';
import { versionAtLeast, kamailioName } from '../version';
import { closestMatch } from '../util/suggest';
import { Reporter, edit, fix, lineStart, wholeLine } from './report';
import { cfgTruth, isTlsEnabled, tlsEnableSettings, tlsEnablingStatements, tlsModuleLoad } from './tlsState';
import { lastTlsConfigModparam } from '../kamailio/tlsConfigParam';
import { checkCoreParams } from './coreParams';
import { checkVersionAdvisories } from './versionAdvisories';
import { inactiveTlsStatement } from '../kamailio/tlsIntent';
import { PROJECT_FILE_NAME } from '../project/projectFile';
import { excerpt, quoted } from '../quote';
import { listingOf } from '../listing';

export function checkKamailioCfg(deployment: Deployment, out: Reporter): void {
  const cfg = deployment.kamailio;
  if (!cfg) return;
  for (const [file, info] of cfg.fileInfo) for (const p of info.problems) out.addProblem(file, p);
  checkCoreParams(deployment, out);
  checkListens(deployment, cfg, out);
  checkTlsSwitch(deployment, out);
  checkLoadOrder(deployment, cfg, out);
  checkTlsModparams(deployment, out);
  checkVersionAdvisories(deployment, out);
}

function checkListens(deployment: Deployment, cfg: EffectiveConfig, out: Reporter): void {
  for (const l of cfg.listens) {
    for (const p of l.problems) {
      const written = textOfRange(deployment, l.file, p.range);
      const fixed = written !== undefined ? listenAddressFix(written) : undefined;
      out.addProblem(l.file, fixed ? { ...p, fixes: [{ title: `Change to ${fixed}`, isPreferred: true, edits: [{ range: p.range, newText: fixed }] }] } : p);
    }
  }
}

/** The mechanical fixes of a malformed listen address: the truncated wildcard, missing brackets. */
function listenAddressFix(written: string): string | undefined {
  if (/^0(\.0){0,2}$/.test(written)) return '0.0.0.0';
  const m = /^(?:(udp|tcp|tls|sctp|UDP|TCP|TLS|SCTP):)?(.*):(\d+)$/.exec(written);
  if (m && isIPv6(m[2]!)) return `${m[1] ? `${m[1]}:` : ''}[${m[2]}]:${m[3]}`;
  return undefined;
}

function textOfRange(deployment: Deployment, file: string, range: Range): string | undefined {
  if (range.start.line !== range.end.line) return undefined;
  return deployment.lineText(file, range.start.line).slice(range.start.character, range.end.character);
}

/** With TLS off, tls.so's mod_init returns at once (verified on 5.6.3): nothing else is loaded. */
const NOT_LOADED = ' Until then Kamailio reads no tls.cfg and no certificate, so they are checked once TLS is on.';

/** Lines that turn TLS on, loading the module and enabling it (reference §3). */
function checkTlsSwitch(deployment: Deployment, out: Reporter): void {
  const cfg = deployment.kamailio!;
  const load = tlsModuleLoad(deployment);
  const enabling = tlsEnablingStatements(deployment);
  const tlsListens = cfg.listens.filter((l) => l.proto === 'tls');
  const settings = tlsEnableSettings(deployment);

  if (deployment.tlsIntent === 'off') {
    noteTlsOff(deployment, out);
    return;
  }

  if (!load) {
    const trigger = enabling[0] ?? tlsListens[0];
    if (!trigger) return;
    const firstLoad = cfg.modules[0];
    const insertAt = firstLoad ? { file: firstLoad.file, line: firstLoad.range.start.line } : { file: trigger.file, line: trigger.range.end.line + 1 };
    const message = enabling[0]
      ? `${enabling[0].name}=${enabling[0].value.raw} but tls.so is never loaded: Kamailio starts with TLS disabled ("tls support enabled, but no tls engine available (forgot to load the tls module?)") and opens no TLS socket.`
      : `listen=tls: but TLS is never enabled (no enable_tls=yes) and tls.so is never loaded: Kamailio silently opens no TLS socket.`;
    const insertion = enabling[0] ? 'loadmodule "tls.so"\n' : 'enable_tls=yes\nloadmodule "tls.so"\n';
    out.add('kamcfg.tls-module-missing', trigger.file, trigger.range, message, {
      fixes: [fix(enabling[0] ? 'Insert loadmodule "tls.so" (as the first module)' : 'Insert enable_tls=yes and loadmodule "tls.so"', [edit(insertAt.file, lineStart(insertAt.line), insertion)], true)],
    });
    return;
  }

  if (enabling.length === 0) {
    const explicitOff = settings.find((s) => cfgTruth(s) !== undefined);
    out.add(
      'kamcfg.tls-not-enabled',
      load.file,
      load.pathRange,
      explicitOff
        ? `TLS is configured (${load.module}.so${tlsListens.length ? ', listen=tls:' : ''}) but ${explicitOff.name}=${explicitOff.value.raw} switches it off: Kamailio opens no TLS socket ("tls support is disabled").${NOT_LOADED}`
        : `TLS is configured (${load.module}.so${tlsListens.length ? ', listen=tls:' : ''}) but enable_tls is never set: Kamailio starts with TLS off and silently opens no TLS socket ("tls support is disabled (set enable_tls=1 in the config to enable it)").${NOT_LOADED}`,
      { fixes: [fix(`Insert enable_tls=yes before loadmodule "${load.module}.so"`, [edit(load.file, lineStart(load.range.start.line), 'enable_tls=yes\n')], true)] },
    );
    return;
  }

  if (!isTlsEnabled(deployment)) {
    const late = enabling[0]!;
    out.add(
      'kamcfg.tls-enable-order',
      late.file,
      late.range,
      `${late.name}=${late.value.raw} comes after loadmodule "${load.module}.so": the ${load.module} module checks enable_tls when it is loaded, so Kamailio starts with TLS disabled ("tls support is disabled").${NOT_LOADED}`,
      {
        related: [{ file: load.file, range: load.range, message: `${load.module}.so is loaded here` }],
        fixes: [moveLine(deployment, late, load, 'above', `Move this line above loadmodule "${load.module}.so"`)],
      },
    );
  }
}

/**
 * TLS off on purpose (kamailio/tlsIntent.ts): Kamailio starts, reads no tls.cfg and loads no
 * certificate, so none is judged. Say once how to check the configuration with TLS on.
 */
function noteTlsOff(deployment: Deployment, out: Reporter): void {
  const cfg = deployment.kamailio!;
  const inactive = inactiveTlsStatement(cfg, (f) => deployment.text(f));
  if (inactive) {
    const how = inactive.define
      ? inactive.negated
        ? `it is inside ${inactive.directive}, and ${inactive.define} is defined`
        : `it is inside ${inactive.directive}, and ${inactive.define} is not defined`
      : 'it is in a region the preprocessor switches off';
    const check =
      inactive.define && !inactive.negated
        ? ` To check the configuration with TLS: --define ${inactive.define}, sipTls.defines, or a variant in ${PROJECT_FILE_NAME}: "variants": { "tls": { "defines": ["${inactive.define}"] } }.`
        : '';
    out.add(
      'kamcfg.tls-off',
      inactive.file,
      inactive.range,
      `TLS is off in this configuration: ${inactive.text} is not used (${how}), so Kamailio loads no tls.cfg and no certificate, and none is checked.${check}`,
    );
    return;
  }
  const load = tlsModuleLoad(deployment);
  if (!load) return;
  out.add(
    'kamcfg.tls-not-enabled',
    load.file,
    load.pathRange,
    `tls.so is loaded but TLS is never enabled: Kamailio starts with TLS off ("tls support is disabled") and reads no tls.cfg and no certificate. Harmless if intended; to use TLS, set enable_tls=yes before this line.`,
    { severity: 'information', fixes: [fix('Insert enable_tls=yes before loadmodule "tls.so"', [edit(load.file, lineStart(load.range.start.line), 'enable_tls=yes\n')], true)] },
  );
}

/** One note in tls.cfg listing the modparams of kamailio.cfg that it overrides. */
function noteIgnoredInTlsCfg(deployment: Deployment, ignored: ModParamStatement[], out: Reporter): void {
  const firstDoc = deployment.tls?.documents.find((d) => d.profiles.length > 0);
  const profile = firstDoc?.profiles.find((p) => p.role === 'server' && p.target.kind === 'default') ?? firstDoc?.profiles[0];
  if (!firstDoc || !profile || ignored.length === 0) return;
  const list = listingOf(ignored, (m) => m.param);
  out.add(
    'kamcfg.modparam-ignored',
    firstDoc.file,
    profile.headerRange,
    `kamailio.cfg also sets tls modparams (${list}) that Kamailio ignores because this file is used: set them in the profiles here.`,
    { severity: 'information', related: ignored.map((m) => ({ file: m.file, range: m.range, message: `Ignored: modparam("tls", "${m.param}", …)` })) },
  );
}

function moveLine(deployment: Deployment, line: Located, target: Located, where: 'above' | 'below', title: string): FixData {
  const text = deployment.lineText(line.file, line.range.start.line);
  const at = where === 'above' ? target.range.start.line : target.range.end.line + 1;
  const insertion: TextEditData = edit(target.file, lineStart(at), text + '\n');
  return fix(title, [insertion, edit(line.file, wholeLine(line.range.start.line), '')], true);
}

interface Located {
  file: string;
  range: Range;
}

/**
 * Modules that link libssl (directly or through libcurl / the database client library). The tls
 * module docs ask to load tls.so before them because with OpenSSL < 1.1 it must install its
 * shared-memory allocator before anyone else touches libssl. With OpenSSL ≥ 1.1 the order is
 * harmless: Kamailio 5.6.3 on Debian 12 starts and serves TLS with db_mysql or db_postgres loaded
 * first (tested). websocket, outbound and crypto link only libcrypto.
 */
const LIBSSL_MODULES = new Set(['db_mysql', 'db_postgres', 'http_client', 'http_async_client', 'auth_identity', 'lost', 'xcap_client', 'utils']);

function checkLoadOrder(deployment: Deployment, cfg: EffectiveConfig, out: Reporter): void {
  const tls = cfg.modules.find((m) => m.module === 'tls');
  if (!tls) return;
  const before = cfg.modules.filter((m) => m.order < tls.order && LIBSSL_MODULES.has(m.module));
  if (before.length === 0) return;
  const first = before[0]!;
  out.add(
    'kamcfg.tls-load-order',
    tls.file,
    tls.pathRange,
    `tls.so is loaded after ${listingOf(before, (m) => m.module)}, which use${before.length === 1 ? 's' : ''} libssl. Harmless with OpenSSL 1.1 and newer, but a build against OpenSSL 1.0 cannot install its memory functions ("Be sure tls module is loaded before any other module using libssl"); the tls module documentation asks to load it first.`,
    {
      related: before.map((m) => ({ file: m.file, range: m.range, message: `${m.module} (links libssl) is loaded here` })),
      fixes: [moveLine(deployment, tls, first, 'above', `Move loadmodule "tls.so" above loadmodule "${excerpt(first.path, 80)}"`)],
    },
  );
}

function checkTlsModparams(deployment: Deployment, out: Reporter): void {
  const cfg = deployment.kamailio!;
  const version = deployment.settings.kamailioVersion;
  const load = tlsModuleLoad(deployment);
  const engine = load?.module === 'tls_wolfssl' ? 'tls_wolfssl' : 'tls';
  const configParam = lastTlsConfigModparam(cfg.modparams);
  const ignored: ModParamStatement[] = [];
  for (const m of cfg.modparams) {
    if (!isTlsModule(m.module)) continue;
    if (load && !cfg.modules.some((l) => isTlsEngine(l.module) && moduleArgumentMatches(m.module, l.module))) {
      // modparam.c matches the module argument against the names of the loaded modules.
      out.add(
        'kamcfg.modparam-before-loadmodule',
        m.file,
        m.moduleRange,
        `modparam("${m.module}", …) addresses a module that is not loaded — the TLS module here is ${load.module}.so: Kamailio exits with "No module matching <${m.module}> found" and "Can't set module parameter".`,
        { fixes: [fix(`Address ${load.module}`, [edit(m.file, m.moduleRange, load.module)], true)] },
      );
      continue;
    }
    if (!load || m.order < load.order) {
      const module = load?.module ?? 'tls';
      out.add(
        'kamcfg.modparam-before-loadmodule',
        m.file,
        m.moduleRange,
        load
          ? `modparam("${excerpt(m.module)}", …) comes before loadmodule "${module}.so": Kamailio exits with "No module matching <${excerpt(m.module)}> found" and "Can't set module parameter".`
          : `modparam("${excerpt(m.module)}", …) but tls.so is never loaded: Kamailio exits with "No module matching <${excerpt(m.module)}> found" and "Can't set module parameter".`,
        load ? { fixes: [moveLine(deployment, m, load, 'below', `Move this modparam below loadmodule "${module}.so"`)] } : {},
      );
      continue;
    }
    const spec = lookupTlsModparam(m.param, engine);
    if (!spec || (spec.since && !versionAtLeast(version, spec.since))) {
      reportUnknownTlsModparam(m, engine === 'tls_wolfssl' ? undefined : lookupTlsModparam(m.param)?.since, deployment, engine, out);
      continue;
    }
    const valueType = m.value.kind === 'string' ? 'string' : m.value.kind === 'number' || m.value.kind === 'bool' ? 'int' : undefined;
    if (valueType && valueType !== spec.type && !m.extended) {
      const fixedValue = spec.type === 'int' ? m.value.text : JSON.stringify(m.value.text);
      const numeric = spec.type === 'int' && /^-?\d+$/.test(m.value.text);
      out.add(
        'kamcfg.unknown-modparam',
        m.file,
        m.value.range,
        `${m.param} is an ${spec.type === 'int' ? 'integer' : 'string'} parameter but gets ${valueType === 'string' ? 'a quoted string' : 'a number'}: Kamailio exits with "parameter <${m.param}> of type <${valueType === 'string' ? '1:string' : '2:int'}> not found in module <${engine}>".`,
        spec.type === 'string' || numeric ? { fixes: [fix(spec.type === 'int' ? 'Remove the quotes' : 'Quote the value', [edit(m.file, m.value.range, fixedValue)], true)] } : {},
      );
      continue;
    }
    checkModparamValue(m, deployment, out);
    if (configParam && spec.perProfile) {
      out.add(
        'kamcfg.modparam-ignored',
        m.file,
        m.paramRange,
        `modparam("tls", "${m.param}", …) has no effect: modparam("tls", "config", …) is set, so every profile comes from ${configParam.value.text}${spec.tlsCfgKey ? ` — set ${spec.tlsCfgKey} there` : ''}.`,
        { related: [{ file: configParam.file, range: configParam.value.range, message: 'The tls.cfg that replaces it' }] },
      );
      ignored.push(m);
    } else if (!configParam && spec.neverApplied) {
      out.add(
        'kamcfg.modparam-ignored',
        m.file,
        m.paramRange,
        `modparam("tls", "${m.param}", …) has no effect: Kamailio never copies it into the default profiles it builds from modparams. Use a tls.cfg (modparam "config") to set ${spec.tlsCfgKey}.`,
      );
    }
  }
  noteIgnoredInTlsCfg(deployment, ignored, out);
}


function reportUnknownTlsModparam(m: ModParamStatement, since: string | undefined, deployment: Deployment, engine: TlsEngine, out: Reporter): void {
  const version = deployment.settings.kamailioVersion;
  const type = m.value.kind === 'string' ? '1:string' : '2:int';
  const base = `Kamailio exits with "parameter <${m.param}> of type <${type}> not found in module <${engine}>"`;
  if (engine === 'tls_wolfssl' && lookupTlsModparam(m.param)) {
    out.add('kamcfg.unknown-modparam', m.file, m.paramRange, `${m.param} is a parameter of the tls module that tls_wolfssl does not export (tls_wolfssl_mod.c): ${base}.`);
    return;
  }
  if (since) {
    out.add('kamcfg.unknown-modparam', m.file, m.paramRange, `The tls parameter ${m.param} needs Kamailio ${since}; ${base.replace('Kamailio', `${kamailioName(version)}`)}.`);
    return;
  }
  if (DOCUMENTED_BUT_NOT_EXPORTED.includes(m.param)) {
    out.add('kamcfg.unknown-modparam', m.file, m.paramRange, `${m.param} is documented as a tls parameter but the module does not export it: ${base}. Set it in a tls.cfg profile instead.`);
    return;
  }
  // paramRange is the name inside its quotes (evaluate.ts contentRange): the quotes stay.
  const suggestion = closestMatch(m.param, TLS_MODPARAMS.filter((p) => (!p.since || versionAtLeast(version, p.since)) && !(engine === 'tls_wolfssl' && p.notInWolfssl)).map((p) => p.name));
  out.add('kamcfg.unknown-modparam', m.file, m.paramRange, `The tls module has no parameter ${quoted(m.param)}: ${base}.${suggestion ? ` Did you mean ${quoted(suggestion)}?` : ''}`, suggestion
    ? { fixes: [fix(`Replace with ${quoted(suggestion)}`, [edit(m.file, m.paramRange, suggestion)], true)] }
    : {});
}

function checkModparamValue(m: ModParamStatement, deployment: Deployment, out: Reporter): void {
  const version = deployment.settings.kamailioVersion;
  if (m.value.kind !== 'string') return;
  const v = m.value.text;
  if (m.param === 'tls_method') {
    const method = lookupMethod(v);
    if (!method || (method.since && !versionAtLeast(version, method.since))) {
      const allowed = TLS_METHODS.filter((x) => !x.unusable && (!x.since || versionAtLeast(version, x.since))).map((x) => x.name);
      const suggestion = method ? 'TLSv1.2+' : closestMatch(v.replace(/_/g, '.'), allowed, 2);
      out.add(
        'kamcfg.bad-modparam-value',
        m.file,
        m.value.range,
        method
          ? `tls_method "${excerpt(v)}" needs Kamailio ${method.since}: ${kamailioName(version)} exits with "Invalid tls_method parameter value".`
          : `tls_method "${excerpt(v)}" is not a method Kamailio knows: it exits with "Invalid tls_method parameter value". Valid: ${allowed.join(', ')}.`,
        suggestion ? { fixes: [fix(`Replace with "${suggestion}"`, [edit(m.file, m.value.range, `"${suggestion}"`)], true)] } : {},
      );
    }
  } else if (m.param === 'verify_client' && !VERIFY_CLIENT_VALUES.includes(v.toLowerCase() as (typeof VERIFY_CLIENT_VALUES)[number])) {
    const suggestion = closestMatch(v, VERIFY_CLIENT_VALUES, 3);
    out.add(
      'kamcfg.bad-modparam-value',
      m.file,
      m.value.range,
      `verify_client "${v}" is not off, on, optional or optional_no_ca: Kamailio exits with the misleading "Invalid tls_method parameter value".`,
      suggestion ? { fixes: [fix(`Replace with "${suggestion}"`, [edit(m.file, m.value.range, `"${suggestion}"`)], true)] } : {},
    );
  }
}

