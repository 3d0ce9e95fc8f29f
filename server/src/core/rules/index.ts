// Every rule family, run over one deployment. One file per family; the catalog (catalog.ts)
// lists every code with its meaning.
import type { Finding } from '../types';
import type { Deployment } from '../deployment';
import { Reporter } from './report';
import { checkTlsCfg } from './tlscfg';
import { checkKamailioCfg } from './kamcfg';
import { checkPaths } from './paths';
import { checkTlsPolicy } from './tlsPolicy';
import { checkCertificates } from './certificates';
import { checkDeployLayouts } from './deployLayouts';
import { checkProject } from './project';
import { checkWolfssl } from './wolfssl';

export function runRules(deployment: Deployment): Finding[] {
  return runRulesUntil(deployment, () => false).findings;
}

const RULE_FAMILIES: readonly ((deployment: Deployment, out: Reporter) => void)[] = [
  checkKamailioCfg,
  checkTlsCfg,
  checkPaths,
  checkTlsPolicy,
  checkWolfssl,
  checkCertificates,
  checkDeployLayouts,
  checkProject,
];

/**
 * The rule families in order, asking `stop` between two of them: the language server's check
 * stops there when its time budget is spent or a newer check supersedes it (`stop` may throw).
 * `skipped` counts the families that did not run.
 */
export function runRulesUntil(deployment: Deployment, stop: () => boolean): { findings: Finding[]; skipped: number } {
  const out = new Reporter();
  for (let i = 0; i < RULE_FAMILIES.length; i++) {
    if (stop()) return { findings: out.findings, skipped: RULE_FAMILIES.length - i };
    RULE_FAMILIES[i]!(deployment, out);
  }
  return { findings: out.findings, skipped: 0 };
}
