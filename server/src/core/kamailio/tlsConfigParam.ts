// modparam("tls", "config", …): which tls.cfg a configuration loads.
import type { ModParamStatement } from './model';
import { isTlsModule } from './modules';

/** The tls `config` modparam that counts: a later call replaces an earlier one. */
export function lastTlsConfigModparam(modparams: ModParamStatement[]): ModParamStatement | undefined {
  let last: ModParamStatement | undefined;
  for (const m of modparams) if (isTlsModule(m.module) && m.param === 'config') last = m;
  return last;
}
