// Is TLS really on? tls.so's mod_register checks enable_tls at the moment the module is loaded
// (reference §3, tested on 5.6.3): an enable_tls placed after loadmodule "tls.so" leaves TLS off.
import type { Deployment } from '../deployment';
import type { CoreParamStatement, EffectiveConfig, LoadModuleStatement } from '../kamailio/model';
import { tlsEngineLoad } from '../kamailio/modules';

const ENABLE = new Set(['enable_tls', 'tls_enable']);
const DISABLE = new Set(['disable_tls', 'tls_disable']);

/** Truth value of a kamailio.cfg boolean: yes/on/true/enable or a non-zero number. */
export function cfgTruth(p: CoreParamStatement): boolean | undefined {
  const v = p.value;
  if (v.kind === 'bool') return v.text === 'yes';
  if (v.kind === 'number') return Number(v.text) !== 0;
  return undefined;
}

/** Statements that turn TLS on (enable_tls=yes, disable_tls=no), in order. */
export function tlsEnablingStatements(deployment: Deployment): CoreParamStatement[] {
  return (deployment.kamailio?.coreParams ?? []).filter((p) => {
    const truth = cfgTruth(p);
    return (ENABLE.has(p.name) && truth === true) || (DISABLE.has(p.name) && truth === false);
  });
}

export function tlsEnableSettings(deployment: Deployment): CoreParamStatement[] {
  return (deployment.kamailio?.coreParams ?? []).filter((p) => ENABLE.has(p.name) || DISABLE.has(p.name));
}

/** The TLS engine's loadmodule: tls.so, or tls_wolfssl.so (kamailio/modules.ts). */
export function tlsModuleLoad(deployment: Deployment): LoadModuleStatement | undefined {
  return tlsEngineLoad(deployment.kamailio?.modules ?? []);
}

/** TLS is on at the moment tls.so is loaded (the last setting before it counts). */
export function isTlsEnabled(deployment: Deployment): boolean {
  return deployment.kamailio !== undefined && tlsEnabledIn(deployment.kamailio);
}

/**
 * The same for an evaluated configuration. When it is off, tls.so's mod_init returns at once:
 * Kamailio reads no tls.cfg and loads no certificate (verified on 5.6.3: a `config` naming a
 * missing file starts fine with TLS off).
 */
export function tlsEnabledIn(cfg: EffectiveConfig): boolean {
  const load = tlsEngineLoad(cfg.modules);
  if (!load) return false;
  let enabled = false;
  for (const p of cfg.coreParams.filter((x) => ENABLE.has(x.name) || DISABLE.has(x.name))) {
    if (p.order > load.order) break;
    const truth = cfgTruth(p);
    if (truth === undefined) continue;
    enabled = ENABLE.has(p.name) ? truth : !truth;
  }
  return enabled;
}
