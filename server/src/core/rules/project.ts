// The repository and its deployment — `project.*`: the layout sip-tls assumed where nothing
// declared one (core/project/layers.ts, referenceLayout.ts), said once per configuration, at
// the first path it changed.
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { Range } from '../types';
import type { AssumedMapping } from '../settings';
import { profileViews } from '../profiles';
import { isInside } from '../scope';
import { PROJECT_FILE_NAME } from '../project/projectFile';
import type { Reporter } from './report';
import { listingOf } from '../listing';

const FILE_OPTIONS = ['certificate', 'private_key', 'ca_list', 'ca_path', 'crl', 'certificate2', 'private_key2'];

export function checkProject(deployment: Deployment, out: Reporter): void {
  noteEnvironmentDefines(deployment, out);
  noteAssumedLayout(deployment, out);
}

/** #!defenv names without a value here: one information per file (project.template). */
function noteEnvironmentDefines(deployment: Deployment, out: Reporter): void {
  for (const [file, info] of deployment.kamailio?.fileInfo ?? []) {
    const unknown = info.defines.filter((d) => d.fromEnvironment !== undefined && d.range);
    if (unknown.length === 0) continue;
    const vars = [...new Set(unknown.map((d) => d.fromEnvironment!))];
    const names = listingOf(unknown, (d) => (d.fromEnvironment === d.name ? d.name : `${d.name} (from ${d.fromEnvironment})`));
    out.add(
      'project.template',
      file,
      unknown[0]!.range!,
      `#!defenv takes ${names} from the environment Kamailio starts in, so what uses ${unknown.length === 1 ? 'it' : 'them'} is not judged here. To check it, give ${vars.length === 1 ? 'the value' : 'values'}: --var ${vars[0]}=VALUE, or "vars": { "${vars[0]}": "…" } in ${PROJECT_FILE_NAME}.`,
    );
  }
}

function noteAssumedLayout(deployment: Deployment, out: Reporter): void {
  const assumed = deployment.settings.assumedLayout;
  if (assumed.length === 0 || !deployment.kamailio) return;
  const used = new Map<AssumedMapping, { file: string; range: Range }>();
  const note = (value: string, file: string, range: Range): void => {
    const resolved = deployment.resolve(value);
    for (const m of assumed) if (!used.has(m) && isInside(resolved.deployed, m.deployed) && isInside(resolved.local, m.local)) used.set(m, { file, range });
  };
  const config = deployment.tls?.declaredBy;
  if (config && config.value.kind === 'string') note(config.value.text, config.file, config.value.range);
  for (const inc of deployment.kamailio.includes) {
    if (inc.target.startsWith('/') && inc.resolved.some((r) => assumed.some((m) => isInside(r, m.local)))) note(inc.target, inc.file, inc.targetRange);
  }
  for (const view of profileViews(deployment)) {
    for (const option of FILE_OPTIONS) {
      const s = view.get(option);
      if (s && s.value !== '') note(s.value, s.file, s.range);
    }
  }
  if (used.size === 0) return;
  const list = [...used.keys()];
  const anchor = [...used.values()][0]!;
  const root = deployment.settings.scope?.root ?? posix.dirname(deployment.kamailio.mainFile);
  const rel = (p: string): string => posix.relative(root, p) || '.';
  const folder = (p: string): string => (rel(p) === '.' ? 'the top folder of the repository' : `the repository's ${rel(p)}`);
  const said = listingOf(list, (m) => `${m.deployed} is ${folder(m.local)} (${m.source})`, { separator: '; ' });
  const json = list.map((m) => `"${m.deployed}": "${rel(m.local)}"`).join(', ');
  out.add(
    'project.layout-assumed',
    anchor.file,
    anchor.range,
    `No mapping says where this repository is deployed, so sip-tls assumed it: ${said}. Make it explicit in ${PROJECT_FILE_NAME}: "mappings": { ${json} } (sip-tls init writes it).`,
  );
}
