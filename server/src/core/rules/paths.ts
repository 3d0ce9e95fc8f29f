// File references — `path.*`: every certificate, key, CA, CRL and tls.cfg path and every
// include_file, resolved as Kamailio resolves it (reference §1.9) and then through the user's
// path mappings. Only existence and usability here; contents are judged by the PKI rules.
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { Range } from '../types';
import type { ResolvedPath } from '../paths';
import { mapLocalToDeployed } from '../paths';
import { DEFAULT_MAX_FILE_BYTES, describeFileError, type FileError, type FileKind } from '../host';
import { profileViews, tlsLoadStatement, type ProfileSetting, type ProfileView } from '../profiles';
import { crlIsDirectory } from './wolfssl';
import { lookupOption } from '../tlscfg/schema';
import { editDistance } from '../util/suggest';
import { Reporter, edit, fix } from './report';
import { builtInDefaultLoadError, combinedCertificateFix, implicitCertPem, probeFile } from './implicitFiles';
import { PROJECT_FILE_NAME } from '../project/projectFile';
import { PKI_FILE, repositoryShouldHold, repositoryShouldHoldConfig } from './repositoryFiles';
import { listing } from '../listing';

/** The Kamailio log line for a file it cannot load (tls_domain.c; reference §5). */
function kamailioLoadError(option: string, logName: string, path: string): string {
  switch (option) {
    case 'certificate':
      return `${logName}: Unable to load certificate file '${path}'`;
    case 'certificate2':
      return `${logName}: Unable to load certificate2 file '${path}'`;
    case 'private_key':
      return `${logName}: Unable to load private key file '${path}'`;
    case 'private_key2':
      return `${logName}: Unable to load private key2 file '${path}'`;
    case 'ca_list':
      return `${logName}: Unable to load CA list file '${path}' dir ''`;
    case 'ca_path':
      return `${logName}: Unable to load CA list file '' dir '${path}'`;
    case 'crl':
      return `${logName}: Unable to load certificate revocation list '${path}'`;
    default:
      return `Unable to load '${path}'`;
  }
}

const PATH_OPTIONS = ['certificate', 'private_key', 'ca_list', 'ca_path', 'crl', 'certificate2', 'private_key2'];

export function checkPaths(deployment: Deployment, out: Reporter): void {
  const deployTime = new DeployTimePaths();
  const crlFolder = crlIsDirectory(deployment);
  // In modparam mode the server and client default profiles share one setting: one root cause,
  // one finding (Kamailio stops at the first of them anyway).
  const checked = new Set<ProfileSetting>();
  // Files the configuration already names are never the typo of another one (a missing
  // server.key is not server.pem, the certificate).
  const named = new Set<string>();
  for (const view of profileViews(deployment)) for (const name of PATH_OPTIONS) {
    const s = view.get(name);
    if (s && s.value !== '') named.add(deployment.resolve(s.value).local);
  }
  for (const view of profileViews(deployment)) {
    for (const name of PATH_OPTIONS) {
      const s = view.get(name);
      if (!s || s.value === '') continue; // "" = explicitly load nothing (reference §1.4)
      if (checked.has(s)) continue;
      checked.add(s);
      const expect = lookupOption(name)?.isPath === 'directory' || (name === 'crl' && crlFolder) ? 'directory' : 'file';
      // A missing ca_path directory does not stop Kamailio (OpenSSL looks it up only when
      // verifying; verified on 5.6.3): peers then fail verification instead.
      const silent = name === 'ca_path';
      checkReference(deployment, s.file, s.range, s.value, expect, `${view.logName} ${name}`, silent ? undefined : kamailioLoadError(name, view.logName, deployment.resolve(s.value).deployed), out, deployTime, 'pki', named);
    }
    checkImplicitDefaults(deployment, view, out, deployTime);
  }
  const declared = deployment.tls?.declaredBy;
  if (declared && declared.value.kind === 'string' && deployment.tls?.standInFor) {
    noteStandIn(deployment.tls.standInFor, deployment.tls.documents[0]!.file, declared.file, declared.value.range, out);
  } else if (declared && declared.value.kind === 'string') {
    const resolved = deployment.resolve(declared.value.text);
    checkReference(deployment, declared.file, declared.value.range, declared.value.text, 'file-or-directory', 'the tls.cfg', `cannot stat config file ${resolved.deployed}`, out, deployTime, 'config', named);
  }
  for (const inc of deployment.kamailio?.includes ?? []) {
    if (inc.standInFor && inc.resolved[0]) noteStandIn(inc.standInFor, inc.resolved[0], inc.file, inc.targetRange, out);
    if (inc.directive !== 'include_file' || inc.resolved.length > 0) continue;
    if (/\$(\(|def\(|env\()/.test(inc.target)) {
      // A name only Kamailio's start-up can compute (a transformation or $def() left by #!substdef).
      deployTime.add(inc.file, inc.targetRange, `"${inc.target}" (computed at start-up)`, 'absent');
      continue;
    }
    if (inc.triedPaths.length > 0 && inc.triedPaths.every((p) => isOutside(deployment, p))) {
      deployTime.add(inc.file, inc.targetRange, inc.triedPaths[0]!);
      continue;
    }
    if (inc.triedPaths.length > 0 && !inc.triedPaths.some((p) => repositoryShouldHoldConfig(deployment, p))) {
      deployTime.add(inc.file, inc.targetRange, inc.target, 'absent');
      continue;
    }
    const tried = inc.triedPaths.length > 0 ? ` (looked for ${inc.triedPaths.join(', ')})` : '';
    out.add(
      'path.not-found',
      inc.file,
      inc.targetRange,
      `include_file "${inc.target}" does not exist${tried}: Kamailio exits with "cannot open included file: ${inc.target}". Use import_file for a file that may be absent.`,
    );
  }
  deployTime.report(deployment, out);
}

/** A configuration file checked through its template or sample (project/standIns.ts). */
function noteStandIn(missing: string, standIn: string, file: string, range: Range, out: Reporter): void {
  out.add(
    'project.template',
    file,
    range,
    `${posix.basename(missing)} is not in the repository, but ${posix.basename(standIn)} is: the deployed file is made from it, so it was checked in its place (${standIn}). What the deploy step changes is not seen here.`,
    { related: [{ file: standIn, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: `checked in place of ${posix.basename(missing)}` }] },
  );
}

function isOutside(deployment: Deployment, local: string): boolean {
  const st = deployment.probe.stat(local);
  return 'error' in st && st.error === 'outside-scope';
}

/**
 * Files a repository check does not judge because the deployment provides them: outside the
 * repository with no mapping (scope.ts), under a deploy-time path, or absent from the repository
 * while nothing in it says they should be there (rules/paths.ts: repositoryShouldHold). One
 * information per file says which, and how to make them checkable.
 */
class DeployTimePaths {
  private readonly byFile = new Map<string, { range: Range; deployed: string; why: 'outside' | 'absent' }[]>();

  add(file: string, range: Range, deployed: string, why: 'outside' | 'absent' = 'outside'): void {
    let list = this.byFile.get(file);
    if (!list) this.byFile.set(file, (list = []));
    if (!list.some((x) => x.deployed === deployed && x.range.start.line === range.start.line && x.range.start.character === range.start.character)) list.push({ range, deployed, why });
  }

  report(deployment: Deployment, out: Reporter): void {
    const scope = deployment.settings.scope;
    if (!scope) return;
    for (const [file, refs] of this.byFile) {
      const outside = [...new Set(refs.filter((r) => r.why === 'outside').map((r) => r.deployed))];
      const absent = [...new Set(refs.filter((r) => r.why === 'absent').map((r) => r.deployed))];
      const parts: string[] = [];
      if (outside.length > 0) parts.push(`${list(outside)} ${outside.length === 1 ? 'is' : 'are'} outside ${scope.rootReason} (${scope.root}) and no path mapping covers ${outside.length === 1 ? 'it' : 'them'}`);
      if (absent.length > 0) parts.push(`${list(absent)} ${absent.length === 1 ? 'is' : 'are'} not in the repository, and nothing there says ${absent.length === 1 ? 'it' : 'they'} should be (no certificate or key beside ${absent.length === 1 ? 'it' : 'them'}; a key is rarely committed)`);
      const folder = posix.dirname(outside[0] ?? absent[0]!);
      const how =
        outside.length > 0
          ? `To check ${outside.length === 1 ? 'it' : 'them'}, map the deployed folder to a folder of the repository, e.g. "mappings": { "${folder}": "./${posix.basename(folder) || 'files'}" } in ${PROJECT_FILE_NAME} (or --map ${folder}=DIR), or run sip-tls on the server (--live).`
          : `Kamailio needs ${absent.length === 1 ? 'it' : 'them'} where the configuration is deployed; to check ${absent.length === 1 ? 'it' : 'them'} here, put ${absent.length === 1 ? 'it' : 'them'} (a test certificate: sip-tls lab) in the repository or run sip-tls on the server (--live).`;
      out.add('path.deploy-time', file, refs[0]!.range, `Provided at deploy time, so not checked: ${parts.join('; ')}. ${how}`, {
        related: refs.slice(1).map((r) => ({ file, range: r.range, message: `also provided at deploy time: ${r.deployed}` })),
      });
    }
  }
}

function list(paths: string[]): string {
  return listing(paths, { max: 4 });
}

type Expect = 'file' | 'directory' | 'file-or-directory';

function checkReference(
  deployment: Deployment,
  file: string,
  range: Range,
  value: string,
  expect: Expect,
  what: string,
  /** Kamailio's start-up error, or undefined when Kamailio starts anyway (the check then fails later). */
  kamailioSays: string | undefined,
  out: Reporter,
  deployTime: DeployTimePaths,
  holds: 'pki' | 'config',
  /** Files the profiles name: never suggested as the typo of another. */
  named: ReadonlySet<string>,
): void {
  const consequence = kamailioSays
    ? `Kamailio will refuse to start ("${kamailioSays}")`
    : 'Kamailio starts, but every certificate verification that needs it fails';
  const severity = kamailioSays ? undefined : ('warning' as const);
  const resolved = deployment.resolve(value);
  if (resolved.notAFile) return; // /uri:… or /engine:… names a key in a provider or engine
  if (resolved.kind === 'workdir-relative' && !workdirConfigured(deployment)) {
    const rewritten = configRelativeRewrite(deployment, value);
    out.add(
      'path.workdir-relative',
      file,
      range,
      `'${value}' starts with '.', so Kamailio opens it relative to its working directory ${deployment.resolutionBase().workdir} (${resolved.deployed}), not the configuration folder: daemonize changes to workdir before the tls module loads its files.`,
      rewritten ? { fixes: [fix(`Make it relative to the folder of kamailio.cfg: ${rewritten}`, [edit(file, range, sameQuotes(deployment, file, range, rewritten))], true)] } : {},
    );
  }
  const st = deployment.probe.stat(resolved.local);
  const how = describeResolution(resolved);
  if ('error' in st) {
    if (st.error === 'outside-scope') {
      deployTime.add(file, range, resolved.deployed);
      return;
    }
    if (st.error === 'not-found') {
      const suggestion = nearestExisting(deployment, file, resolved, value, holds, named);
      const expected = holds === 'pki' ? repositoryShouldHold(deployment, resolved) : repositoryShouldHoldConfig(deployment, resolved.local);
      if (!suggestion && !expected) {
        deployTime.add(file, range, resolved.local === resolved.deployed ? `'${value}'` : resolved.deployed, 'absent');
        return;
      }
      out.add(
        'path.not-found',
        file,
        range,
        `${what}: ${how} does not exist: ${consequence}.${suggestion?.hint ?? ''}`,
        { ...(severity ? { severity } : {}), ...(suggestion ? { fixes: [fix(`Use ${suggestion.value}`, [edit(file, range, sameQuotes(deployment, file, range, suggestion.value))], true)] } : {}) },
      );
    } else {
      out.add('path.unreadable', file, range, `${what}: ${how} cannot be read (${describeStatError(st)}): ${consequence}.`, severity ? { severity } : {});
    }
    return;
  }
  const wantsDir = expect === 'directory';
  const okKind = expect === 'file-or-directory' ? st.kind === 'file' || st.kind === 'directory' : st.kind === (wantsDir ? 'directory' : 'file');
  if (!okKind) {
    const kind = describeKind(st.kind);
    out.add('path.unreadable', file, range, `${what}: ${how} is ${kind}, not ${wantsDir ? 'a directory' : 'a regular file'}: ${consequence}.`, severity ? { severity } : {});
    return;
  }
  if (!st.readable) {
    out.add('path.unreadable', file, range, `${what}: ${how} is not readable (permission denied): ${consequence}. Kamailio usually runs as user kamailio; check owner and mode.`, severity ? { severity } : {});
    return;
  }
  if (st.kind === 'file' && st.size > DEFAULT_MAX_FILE_BYTES) {
    out.add(
      'path.unreadable',
      file,
      range,
      `${what}: ${how} is ${st.size} bytes (${mebibytes(st.size)}), more than the ${mebibytes(DEFAULT_MAX_FILE_BYTES)} sip-tls reads from a configuration or certificate file, so its contents were not checked: certificate, key and CA files are a few KB to a few MB. Check that the option names the right file.`,
    );
  }
}

function mebibytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

/** What a file that is not a regular file is, in the words of `ls -l` users. */
function describeKind(kind: FileKind): string {
  switch (kind) {
    case 'file':
      return 'a regular file';
    case 'directory':
      return 'a directory';
    case 'fifo':
      return 'a FIFO (named pipe)';
    case 'character-device':
      return 'a character device';
    case 'block-device':
      return 'a block device';
    case 'socket':
      return 'a Unix socket';
    default:
      return 'a special file';
  }
}

/** The reason a stat failed, with the errno name so that it can be searched for. */
function describeStatError(err: FileError): string {
  switch (err.error) {
    case 'permission-denied':
      return 'permission denied on the file or a folder above it, EACCES';
    case 'symlink-loop':
      return 'a symlink loop: too many levels of symbolic links, ELOOP';
    case 'name-too-long':
      return 'the path or one of its names is longer than the system allows, ENAMETOOLONG';
    default:
      return `${describeFileError(err)}`;
  }
}

function describeResolution(r: ResolvedPath): string {
  const mapped = r.local !== r.deployed ? ` (workspace: ${r.local})` : '';
  if (r.kind === 'absolute') return `${r.deployed}${mapped}`;
  return `'${r.value}' resolves to ${r.deployed} ${r.how}${mapped}, which`;
}

function workdirConfigured(deployment: Deployment): boolean {
  return deployment.resolutionBase().workdir !== '/';
}

/** './certs/x.pem' → 'certs/x.pem'; '../x.pem' → the absolute deployed path. */
function configRelativeRewrite(deployment: Deployment, value: string): string | undefined {
  const base = deployment.resolutionBase().deployedConfigDir;
  const normalized = posix.normalize(value);
  if (normalized.startsWith('..')) return posix.join(base, normalized);
  if (normalized === '.' || normalized === '') return undefined;
  return normalized;
}

interface Suggestion {
  value: string;
  hint: string;
}

/**
 * The usual mistakes: a path written relative to tls.cfg's folder (Kamailio uses the main
 * kamailio.cfg's folder), or a small typo in the file name.
 */
function nearestExisting(deployment: Deployment, file: string, resolved: ResolvedPath, value: string, holds: 'pki' | 'config', named: ReadonlySet<string>): Suggestion | undefined {
  if (resolved.kind === 'config-relative') {
    const besideReferrer = posix.join(posix.dirname(file), value);
    if (besideReferrer !== resolved.local && probeFile(deployment, { ...resolved, local: besideReferrer }).usable) {
      const deployed = mapLocalToDeployed(besideReferrer, deployment.settings.pathMappings);
      return {
        value: deployed,
        hint: ` It exists relative to ${posix.basename(file)}'s folder, but Kamailio resolves relative paths against the folder of the main kamailio.cfg.`,
      };
    }
  }
  const dir = posix.dirname(resolved.local);
  const names = deployment.probe.host.readDir(dir);
  if (!Array.isArray(names)) return undefined;
  const base = posix.basename(resolved.local);
  let best: string | undefined;
  let bestDistance = Infinity;
  // Only a file of the same kind: a missing kamailio.key is not a typo of kamailio.cfg.
  const sameKind = (n: string): boolean => (holds === 'pki' ? PKI_FILE.test(n) || !n.includes('.') : /\.cfg$/i.test(n) || !n.includes('.'));
  for (const n of names) {
    if (!sameKind(n) || named.has(posix.join(dir, n))) continue;
    const d = editDistance(base.toLowerCase(), n.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = n;
    }
  }
  if (!best || bestDistance > Math.max(1, Math.floor(base.length / 4))) return undefined;
  const replaced = value.slice(0, value.length - base.length) + best;
  if (!value.endsWith(base)) return undefined;
  return { value: replaced, hint: ` Did you mean ${best}?` };
}

/**
 * Options a server profile omits fall back to the built-in cert.pem beside kamailio.cfg.
 * For address/any profiles this is reported by tlscfg.no-inherit, for a missing default
 * profile by tlscfg.missing-default; here: an explicit [server:default] without
 * certificate/private_key, and modparam mode without the certificate/private_key modparams.
 */
function checkImplicitDefaults(deployment: Deployment, view: ProfileView, out: Reporter, deployTime: DeployTimePaths): void {
  if (view.role !== 'server' || view.target.kind !== 'default' || view.broken) return;
  const missing = ['certificate', 'private_key'].filter((n) => !view.get(n));
  if (missing.length === 0) return;
  const state = implicitCertPem(deployment);
  if (state.usable) return;
  if (state.deployTime) {
    deployTime.add(view.file, view.anchor, `${state.path.deployed} (the built-in default certificate and key, cert.pem beside kamailio.cfg, which ${view.label} loads)`, 'absent');
    return;
  }
  const load = tlsLoadStatement(deployment);
  if (view.source === 'modparam' && !load) return;
  const combined = combinedCertificateFix(deployment, view.file, view.get('certificate'), missing);
  out.add(
    'path.not-found',
    view.file,
    view.anchor,
    `${view.label} sets no ${missing.join(' or ')}, so Kamailio loads its built-in default cert.pem beside kamailio.cfg (${state.path.deployed}), and ${state.reason}: Kamailio will refuse to start ("${builtInDefaultLoadError(view.logName, missing, state.path.deployed)}").${combined?.hint ?? ''}`,
    combined?.fix ? { fixes: [combined.fix] } : {},
  );
}


/**
 * A replacement for a value written in quotes (a modparam string, a quoted tls.cfg value) keeps
 * them: the range of such a value includes the quotes, and an unquoted path in a modparam is a
 * syntax error for Kamailio (verified: "parse error … syntax error" on 5.6.3).
 */
function sameQuotes(deployment: Deployment, file: string, range: Range, text: string): string {
  const first = deployment.lineText(file, range.start.line)[range.start.character];
  return first === '"' || first === "'" ? `${first}${text}${first}` : text;
}
