// "Show certificate report" at the cursor: the certificate, key, CA list or CRL that the path
// value under the cursor names (tls.cfg option or tls modparam), described as the hover does —
// in the context of its profile — as a whole document.
import type { Deployment } from '../deployment';
import type { Position } from '../types';
import { isTlsModule } from '../kamailio/modules';
import { lookupOption } from '../tlscfg/schema';
import { certificateHover, keyHover, type PathHoverKind } from './certificateHover';
import { pathLine } from './hover';
import { locateInKamailioCfg, locateInTlsCfg } from './locate';
import { code, md, type Markdown } from '../util/markdown';

export interface ReportAtResult {
  /** The file the value names (deployed path). */
  path: string;
  markdown: Markdown;
}

const KINDS: Record<string, PathHoverKind> = {
  certificate: 'certificate',
  certificate2: 'certificate',
  private_key: 'key',
  private_key2: 'key',
  ca_list: 'ca-list',
  ca_path: 'directory',
  crl: 'crl',
};

export function reportAt(deployment: Deployment, file: string, pos: Position): ReportAtResult | undefined {
  let value: string | undefined;
  let kind: PathHoverKind | undefined;
  let profile;
  const inTls = locateInTlsCfg(deployment, file, pos);
  if (inTls?.kind === 'value' && inTls.option.name && lookupOption(inTls.option.name)) {
    kind = KINDS[inTls.option.name];
    value = inTls.option.value;
    profile = inTls.profile;
  } else {
    const inKam = locateInKamailioCfg(deployment, file, pos);
    if (inKam?.kind === 'modparam-value' && isTlsModule(inKam.statement.module) && inKam.statement.value.kind === 'string') {
      kind = KINDS[inKam.statement.param];
      value = inKam.statement.value.text;
    }
  }
  if (!kind || value === undefined || value === '') return undefined;
  const resolved = deployment.resolve(value);
  if (resolved.notAFile) return undefined;
  const details = kind === 'key' ? keyHover(deployment, resolved, profile) : certificateHover(deployment, resolved, kind, profile);
  const title = md`# ${resolved.deployed.split('/').pop() ?? resolved.deployed}`;
  const where = profile ? md`Used by ${code(profile.headerText)} in ${code(file)}.` : md`Used by a tls modparam in ${code(file)}.`;
  const body = details.isEmpty ? md`The file cannot be read: see the diagnostics on this value.` : details;
  return { path: resolved.local, markdown: md`${title}\n\n${pathLine(resolved)}\n\n${where}\n\n${body}\n` };
}
