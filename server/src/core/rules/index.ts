// Every rule family, run over one deployment. One file per family; the catalog (catalog.ts)
// lists every code with its meaning. Each family runs on its own: one that throws becomes one
// `project.internal-error` finding, and every other family still runs and keeps its findings.
import type { Finding, Range } from '../types';
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
import { checkPeers } from './peers';
import { failureSummary, internalErrorFinding } from '../limits';
import { isCheckControl } from '../checkControl';

export interface RuleFamily {
  name: string;
  run: (deployment: Deployment, out: Reporter) => void;
}

const FAMILIES: RuleFamily[] = [
  { name: 'kamailio.cfg', run: checkKamailioCfg },
  { name: 'tls.cfg', run: checkTlsCfg },
  { name: 'paths', run: checkPaths },
  { name: 'TLS policy', run: checkTlsPolicy },
  { name: 'wolfSSL', run: checkWolfssl },
  { name: 'certificates', run: checkCertificates },
  { name: 'deployment layouts', run: checkDeployLayouts },
  { name: 'peers', run: checkPeers },
  { name: 'project', run: checkProject },
];

/**
 * Test seam: adds a rule family after the real ones (a test proves isolation with one that
 * throws) and returns the function that removes it again. Nothing in the product calls it.
 */
export function addRuleFamilyForTests(family: RuleFamily): () => void {
  FAMILIES.push(family);
  return () => {
    const i = FAMILIES.indexOf(family);
    if (i !== -1) FAMILIES.splice(i, 1);
  };
}

export function runRules(deployment: Deployment): Finding[] {
  return runRulesUntil(deployment, () => false).findings;
}

/**
 * The rule families in order, each isolated: a throw becomes one finding where the family was
 * checking and the next family still runs. `stop` is asked between two families: the language
 * server's check stops there when its time budget is spent or a newer check supersedes it
 * (`stop` may throw; that is not a rule's failure and passes through). `skipped` counts the
 * families that did not run.
 */
export function runRulesUntil(deployment: Deployment, stop: () => boolean): { findings: Finding[]; skipped: number } {
  const out = new Reporter();
  const families = [...FAMILIES];
  for (let i = 0; i < families.length; i++) {
    if (stop()) return { findings: out.findings, skipped: families.length - i };
    const family = families[i]!;
    out.checking = undefined;
    try {
      family.run(deployment, out);
    } catch (error) {
      if (isCheckControl(error)) throw error;
      out.findings.push(ruleFailure(deployment, family.name, error, out.checking));
    }
  }
  return { findings: out.findings, skipped: 0 };
}

/** A rule family's failure, where it was checking when a rule said so, else the deployment's first line. */
function ruleFailure(deployment: Deployment, name: string, error: unknown, at: { file: string; range: Range } | undefined): Finding {
  const file = at?.file ?? deployment.mainFile ?? deployment.files()[0] ?? '';
  const message = `sip-tls failed in its ${name} rules (${failureSummary(error)}): what they would have reported from here on is missing; every other rule ran. Please report this message.`;
  return internalErrorFinding(file, message, at?.range);
}
