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
  const out = new Reporter();
  checkKamailioCfg(deployment, out);
  checkTlsCfg(deployment, out);
  checkPaths(deployment, out);
  checkTlsPolicy(deployment, out);
  checkWolfssl(deployment, out);
  checkCertificates(deployment, out);
  checkDeployLayouts(deployment, out);
  checkProject(deployment, out);
  return out.findings;
}
