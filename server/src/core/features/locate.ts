// What is under the cursor: the element of tls.cfg or kamailio.cfg a position falls on, found
// in the deployment model (every element keeps its exact range).
import type { Deployment } from '../deployment';
import type { Position, Range } from '../types';
import { rangeContains } from '../types';
import type { TlsConfigDocument, TlsOption, TlsProfile } from '../tlscfg/model';
import type { CoreParamStatement, IncludeStatement, ListenSocket, LoadModuleStatement, ModParamStatement, RouteBlock } from '../kamailio/model';

export type TlsCfgTarget =
  | { kind: 'header'; doc: TlsConfigDocument; profile: TlsProfile }
  | { kind: 'key'; doc: TlsConfigDocument; profile: TlsProfile; option: TlsOption }
  | { kind: 'value'; doc: TlsConfigDocument; profile: TlsProfile; option: TlsOption };

export function tlsDocument(deployment: Deployment, file: string): TlsConfigDocument | undefined {
  return deployment.tls?.documents.find((d) => d.file === file);
}

export function locateInTlsCfg(deployment: Deployment, file: string, pos: Position): TlsCfgTarget | undefined {
  const doc = tlsDocument(deployment, file);
  if (!doc) return undefined;
  for (const profile of doc.profiles) {
    if (rangeContains(profile.headerRange, pos)) return { kind: 'header', doc, profile };
    if (pos.line < profile.headerRange.start.line || pos.line > profile.lastLine) continue;
    for (const option of profile.options) {
      if (rangeContains(option.keyRange, pos)) return { kind: 'key', doc, profile, option };
      if (rangeContains(option.valueRange, pos)) return { kind: 'value', doc, profile, option };
    }
  }
  return undefined;
}

/** The profile whose body contains a line (for completion), if any. */
export function profileAtLine(doc: TlsConfigDocument, line: number): TlsProfile | undefined {
  return doc.profiles.find((p) => line > p.headerRange.start.line && line <= p.lastLine) ?? doc.profiles.find((p) => p.headerRange.start.line === line);
}

export type KamailioTarget =
  | { kind: 'modparam-module' | 'modparam-param' | 'modparam-value'; statement: ModParamStatement }
  | { kind: 'listen'; statement: ListenSocket }
  | { kind: 'include'; statement: IncludeStatement }
  | { kind: 'loadmodule'; statement: LoadModuleStatement }
  | { kind: 'core-param-name' | 'core-param-value'; statement: CoreParamStatement }
  | { kind: 'route-name'; route: RouteBlock }
  | { kind: 'route-call'; route: RouteBlock; call: { name: string; range: Range } };

export function locateInKamailioCfg(deployment: Deployment, file: string, pos: Position): KamailioTarget | undefined {
  const cfg = deployment.kamailio;
  if (!cfg) return undefined;
  const here = <T extends { file: string; range: Range }>(s: T) => s.file === file && rangeContains(s.range, pos);
  for (const m of cfg.modparams) {
    if (!here(m)) continue;
    if (rangeContains(m.moduleRange, pos)) return { kind: 'modparam-module', statement: m };
    if (rangeContains(m.paramRange, pos)) return { kind: 'modparam-param', statement: m };
    if (rangeContains(m.value.range, pos)) return { kind: 'modparam-value', statement: m };
  }
  for (const l of cfg.listens) if (here(l)) return { kind: 'listen', statement: l };
  for (const i of cfg.includes) if (i.file === file && rangeContains(i.targetRange, pos)) return { kind: 'include', statement: i };
  for (const m of cfg.modules) if (here(m)) return { kind: 'loadmodule', statement: m };
  for (const p of cfg.coreParams) {
    if (p.file !== file) continue;
    if (rangeContains(p.nameRange, pos)) return { kind: 'core-param-name', statement: p };
    if (rangeContains(p.value.range, pos)) return { kind: 'core-param-value', statement: p };
  }
  const info = cfg.fileInfo.get(file);
  for (const route of info?.routes ?? []) {
    if (route.nameRange && rangeContains(route.nameRange, pos)) return { kind: 'route-name', route };
    if (!rangeContains(route.range, pos)) continue;
    for (const call of route.calls) if (rangeContains(call.range, pos)) return { kind: 'route-call', route, call };
  }
  return undefined;
}
