// `sip-tls init`: a project file written from what the repository itself says — its main
// configurations, where its folders are deployed (compose volumes, Dockerfile COPY, a tls.cfg
// beside the kamailio.cfg that names it), the TLS variant behind an #!ifdef, the Kamailio
// version of its images, the files it expects at deploy time and the template variables it
// uses — each with a comment saying where it was found.
import * as posix from 'node:path/posix';
import type { Host } from '../host';
import { Checker } from '../check';
import { findConfigFiles } from '../discovery';
import { inactiveTlsStatement } from '../kamailio/tlsIntent';
import type { AssumedMapping } from '../settings';
import type { Deployment } from '../deployment';
import { isInside } from '../scope';
import { DEFAULT_VERSION, KNOWN_VERSIONS } from '../version';
import { PLATFORM_IDS, lookupPlatform, type Platform } from '../platform';
import { ProjectContexts } from './context';
import { layeredSettings } from './layers';
import { readImages, type ImageHint } from './dockerLayout';
import { PROJECT_FILE_NAME } from './projectFile';
import { templateVariables } from './templates';
import { excerpt } from '../quote';
import { listing, listingOf } from '../listing';

export interface ProjectProposal {
  /** The project file, JSON with comments. */
  text: string;
  /** One line per thing found, for the terminal. */
  summary: string[];
}

/** Debian and Ubuntu images and the platform (platform.ts) they are. */
const DISTRIBUTION_PLATFORM: [RegExp, string][] = [
  [/^(docker\.io\/)?(library\/)?debian:(bookworm|12)\b/, 'debian-12'],
  [/^(docker\.io\/)?(library\/)?debian:(trixie|13)\b/, 'debian-13'],
  [/^(docker\.io\/)?(library\/)?debian:(bullseye|11)\b/, 'debian-11'],
  [/^(docker\.io\/)?(library\/)?ubuntu:(22\.04|jammy)\b/, 'ubuntu-22.04'],
  [/^(docker\.io\/)?(library\/)?ubuntu:(24\.04|noble)\b/, 'ubuntu-24.04'],
  [/^(docker\.io\/)?(library\/)?alpine:3\.21\b/, 'alpine-3.21'],
  [/^(docker\.io\/)?(library\/)?alpine:3\.22\b/, 'alpine-3.22'],
  [/^((registry\.access\.redhat\.com|registry\.redhat\.io)\/)?(ubi9|rhel9)(\/ubi)?\b|^(docker\.io\/)?(library\/)?(rockylinux|almalinux):9\b/, 'rhel-9'],
];

/** The Kamailio version an image names (kamailio/kamailio:5.8), or the platform it builds from. */
function versionFromImages(images: ImageHint[]): { version?: string; platform?: Platform; why: string } | undefined {
  for (const hint of images) {
    const m = /(?:^|\/)kamailio[\w.-]*:(\d+\.\d+)/i.exec(hint.image);
    if (m && (KNOWN_VERSIONS as readonly string[]).includes(m[1]!)) return { version: m[1]!, why: `${hint.source} runs ${hint.image}` };
  }
  for (const hint of images) {
    for (const [re, id] of DISTRIBUTION_PLATFORM) {
      const platform = lookupPlatform(id);
      if (re.test(hint.image) && platform) return { platform, why: `${hint.source} builds FROM ${hint.image}: ${platform.name}` };
    }
  }
  return undefined;
}

const q = (s: string): string => JSON.stringify(s);

/** The absolute paths a main configuration names for configuration files (its tls.cfg, includes). */
function namedAbsolutePaths(d: Deployment): string[] {
  const out: string[] = [];
  const config = d.tls?.declaredBy;
  if (config && config.value.kind === 'string' && config.value.text.startsWith('/')) out.push(config.value.text);
  for (const inc of d.kamailio?.includes ?? []) if (inc.target.startsWith('/')) out.push(inc.target);
  return out;
}

export function proposeProjectFile(host: Host, dir: string): ProjectProposal {
  const contexts = new ProjectContexts(host);
  const found = findConfigFiles(host, dir);
  const checker = new Checker(host);
  checker.workspace.addMainCandidates(found.mains);
  const context = { ...contexts.contextFor(posix.join(dir, PROJECT_FILE_NAME), { checkedFolder: dir }), root: dir, rootReason: 'the repository' };
  delete (context as { project?: unknown }).project;
  const settings = layeredSettings({ ...context, live: false }, {});
  const { deployments } = checker.workspace.deploymentsFor([...found.kamailio, ...found.tls], () => settings, undefined, new Set([...found.kamailio, ...found.tls]));
  const rel = (p: string): string => posix.relative(dir, p) || '.';

  const mains = deployments.filter((d) => d.mainFile !== undefined);
  const summary: string[] = [];
  // A mapping holds for the whole repository: one that main configurations in different folders
  // would each assume differently (a folder of examples, each with its tls.cfg beside it) is
  // left to the per-configuration assumption.
  const candidates = new Map<string, AssumedMapping[]>();
  for (const d of deployments) for (const m of d.settings.assumedLayout) candidates.set(m.deployed, [...(candidates.get(m.deployed) ?? []), m]);
  const mappings = new Map<string, AssumedMapping>();
  const ambiguous: string[] = [];
  for (const [deployed, list] of candidates) {
    // Every main configuration naming a path below it must have assumed the same folder.
    const naming = mains.filter((d) => namedAbsolutePaths(d).some((p) => isInside(p, deployed)));
    const agree = naming.every((d) => d.settings.assumedLayout.some((m) => m.deployed === deployed && m.local === list[0]!.local));
    if (new Set(list.map((m) => m.local)).size === 1 && agree) mappings.set(deployed, list[0]!);
    else ambiguous.push(deployed);
  }
  const tlsDefines = new Map<string, string>();
  for (const d of mains) {
    if (d.tlsIntent !== 'off' || !d.kamailio) continue;
    const inactive = inactiveTlsStatement(d.kamailio, (f) => d.text(f));
    // A define the configuration sets itself cannot also be given with -A ("already defined").
    if (!inactive?.define || inactive.negated || d.kamailio.definedNames.has(inactive.define)) continue;
    tlsDefines.set(inactive.define, `${rel(inactive.file)}:${inactive.range.start.line + 1} (${excerpt(inactive.text, 80)}, inside ${inactive.directive})`);
  }
  // A variant applies to every main configuration: not one whose define another defines itself.
  const selfDefined = [...tlsDefines.keys()].filter((name) => mains.some((d) => d.kamailio?.definedNames.has(name)));
  for (const name of selfDefined) tlsDefines.delete(name);
  if (selfDefined.length > 0) summary.push(`no variant for ${listing(selfDefined)}: some main configurations define it themselves (kamailio -A would say "already defined")`);
  const version = versionFromImages(readImages(host, dir));
  const vars = new Map<string, string>();
  for (const f of [...found.kamailio, ...found.tls]) {
    const r = host.readFile(f, 4 * 1024 * 1024);
    if (!('bytes' in r)) continue;
    for (const v of templateVariables(new TextDecoder().decode(r.bytes), f)) if (!vars.has(v)) vars.set(v, rel(f));
  }

  const lines: string[] = [];
  lines.push(`// sip-tls project file: how this repository is deployed. Written by \`sip-tls init\` from what`);
  lines.push('// the repository says; every entry says where it was found. Edit freely: the CLI and the');
  lines.push('// editor read this file for every configuration below this folder.');
  lines.push('{');
  const entries: string[][] = [];
  if (version?.platform?.kamailio) {
    entries.push([`  // ${version.why}; the platform fixes the Kamailio version and what its OpenSSL negotiates.`, `  "platform": ${q(version.platform.id)}`]);
    summary.push(`platform ${version.platform.id}: ${version.why}`);
  } else if (version?.platform) {
    // The platform packages no Kamailio (RHEL 9, Alpine): it says what OpenSSL does, not which Kamailio runs.
    entries.push([
      `  // ${version.why}; the platform fixes what its OpenSSL negotiates, but packages no Kamailio.`,
      `  "platform": ${q(version.platform.id)}`,
    ]);
    entries.push([`  // The Kamailio version you build or install there (sip-tls defaults to ${DEFAULT_VERSION}).`, `  "kamailioVersion": ${q(DEFAULT_VERSION)}`]);
    summary.push(`platform ${version.platform.id}: ${version.why}; Kamailio version not found in the build files, ${DEFAULT_VERSION} written: change it to what you deploy`);
  } else {
    entries.push([
      `  // The platform you deploy on (${PLATFORM_IDS.join(', ')}): it fixes the Kamailio version and what its OpenSSL negotiates.`,
      `  // "platform": "debian-12",`,
      version ? `  // ${version.why}.` : `  // The Kamailio version you deploy on (Debian 12 ships 5.6, Debian 13 6.0; sip-tls defaults to ${DEFAULT_VERSION}).`,
      `  "kamailioVersion": ${q(version?.version ?? DEFAULT_VERSION)}`,
    ]);
    summary.push(version ? `Kamailio ${version.version}: ${version.why}` : `Kamailio version: not found in the build files; ${DEFAULT_VERSION} written, change it (or set "platform") to what you deploy`);
  }
  if (mains.length > 0) {
    entries.push(['  // The main configurations (kamailio -f …); the others are fragments they include.', `  "mainConfigs": [${mains.map((d) => q(rel(d.mainFile!))).join(', ')}]`]);
    summary.push(`main configurations: ${listingOf(mains, (d) => rel(d.mainFile!))}`);
  }
  if (mappings.size > 0) {
    const body = [...mappings.values()].map((m, i, all) => `    // ${m.source}\n    ${q(m.deployed)}: ${q(rel(m.local))}${i < all.length - 1 ? ',' : ''}`);
    entries.push(['  // Where folders of this repository are deployed (deployed path: repository folder).', `  "mappings": {\n${body.join('\n')}\n  }`]);
    for (const m of mappings.values()) summary.push(`mapping ${m.deployed} → ${rel(m.local)} (${m.source})`);
  } else {
    entries.push(['  // Where folders of this repository are deployed, e.g. { "/etc/kamailio": "etc/kamailio" }: nothing found to infer it from.', '  "mappings": {}']);
  }
  if (ambiguous.length > 0) {
    lines.push(`  // ${ambiguous.join(', ')}: each main configuration has its own files there (assumed per configuration, not mapped here).`);
    summary.push(`not mapped (differs per main configuration): ${listing(ambiguous)}`);
  }
  if (tlsDefines.size > 0) {
    const [define, where] = [...tlsDefines.entries()][0]!;
    entries.push([
      `  // TLS is switched on by ${define} (${where}): check the configuration both ways.`,
      `  "variants": {\n    "default": {},\n    "tls": { "defines": [${[...tlsDefines.keys()].map(q).join(', ')}] }\n  }`,
    ]);
    summary.push(`variants: default, and tls with ${listing([...tlsDefines.keys()])}`);
  }
  if (vars.size > 0) {
    const body = [...vars.entries()].map(([name, file], i, all) => `    // used in ${file}\n    ${q(name)}: ""${i < all.length - 1 ? ',' : ''}`);
    entries.push(['  // Template placeholders: give their values to check what the templates render to (an empty value is not used).', `  "vars": {\n${body.join('\n')}\n  }`]);
    summary.push(`template variables: ${listing([...vars.keys()])}`);
  }
  entries.push(['  // Deployed paths of files that only exist once deployed (secrets, certificates a deploy step writes), e.g. "/etc/kamailio/certs/**".', '  "deployTimePaths": []']);
  entries.push(['  // The SIP domains your server certificates must cover.', '  "sipDomains": []']);
  lines.push(entries.map((e) => e.join('\n')).join(',\n'));
  lines.push('}');
  return { text: lines.join('\n') + '\n', summary };
}
