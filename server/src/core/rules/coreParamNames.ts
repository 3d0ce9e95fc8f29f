// Core parameter names: unknown to Kamailio ("unknown config variable", fatal) or only known
// from a later release (`kamcfg.version-gated`). The table lives in kamailio/coreParams.ts.
import type { Deployment } from '../deployment';
import type { CoreParamStatement } from '../kamailio/model';
import { REJECTED_CORE_PARAMS, allCoreParamNames, isCustomCfgVarName, lookupCoreParam, SYNTAX_FEATURES } from '../kamailio/coreParams';
import { kamailioName, patchAtLeast, versionAtLeast } from '../version';
import { closestMatch } from '../util/suggest';
import { Reporter, edit, fix } from './report';
import { quoted } from '../quote';

export function isBooleanCoreParam(name: string): boolean {
  return lookupCoreParam(name)?.type === 'bool';
}

export function checkCoreParamNames(deployment: Deployment, params: CoreParamStatement[], out: Reporter): void {
  const version = deployment.settings.kamailioVersion;
  for (const p of params) {
    if (isCustomCfgVarName(p.name)) continue;
    const spec = lookupCoreParam(p.name);
    if (spec) {
      if (spec.since && !versionAtLeast(version, spec.since)) {
        out.add(
          'kamcfg.version-gated',
          p.file,
          p.nameRange,
          `${p.name} needs Kamailio ${spec.sinceRelease ?? spec.since}${spec.sinceIsLowerBound || spec.sinceRelease ? ' or later' : ''}: ${kamailioName(version)} exits with "unknown config variable".`,
        );
      } else if (spec.sinceRelease && patchAtLeast(version, spec.sinceRelease) === false) {
        // A backport inside the branch (tls_threads_mode: 5.7.5): only a known patch level says
        // which side of it the deployment is on (a platform's package, or kamailioVersion x.y.z).
        out.add(
          'kamcfg.version-gated',
          p.file,
          p.nameRange,
          `${p.name} needs Kamailio ${spec.sinceRelease} or later: ${kamailioName(version)} exits with "unknown config variable".`,
        );
      }
      continue;
    }
    const rejected = REJECTED_CORE_PARAMS[p.name];
    const suggestion = rejected?.replacement ?? closestMatch(p.name, allCoreParamNames());
    const reason = rejected ? ` (${rejected.reason})` : '';
    out.add(
      'kamcfg.unknown-core-param',
      p.file,
      p.nameRange,
      `Kamailio has no core parameter ${quoted(p.name)}${reason}: it exits with "unknown config variable".${suggestion ? ` Did you mean ${quoted(suggestion)}?` : ''}`,
      suggestion ? { fixes: [fix(`Replace with ${quoted(suggestion)}`, [edit(p.file, p.nameRange, suggestion)], true)] } : {},
    );
  }
  checkSyntaxFeatures(deployment, out);
}

/** Syntax the parser records for gating: socket blocks, advertise with a protocol. */
function checkSyntaxFeatures(deployment: Deployment, out: Reporter): void {
  const version = deployment.settings.kamailioVersion;
  for (const l of deployment.kamailio?.listens ?? []) {
    if (l.socketBlock && !versionAtLeast(version, SYNTAX_FEATURES.socketBlock.since)) {
      out.add('kamcfg.version-gated', l.file, l.range, `socket = { … } blocks need Kamailio ${SYNTAX_FEATURES.socketBlock.since}: ${kamailioName(version)} exits with a parse error. Use listen= lines.`);
    }
    if (l.advertise?.proto && !versionAtLeast(version, SYNTAX_FEATURES.advertiseProto.since)) {
      out.add('kamcfg.version-gated', l.file, l.advertise.range, `advertise with a protocol (${l.advertise.proto}:…) needs Kamailio ${SYNTAX_FEATURES.advertiseProto.since}: ${kamailioName(version)} exits with a parse error.`);
    }
  }
}
