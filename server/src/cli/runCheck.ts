// `sip-tls check`: turn the PATH arguments into a check request for the core and run it once.
import * as path from 'node:path';
import { Checker } from '../core/check';
import { findConfigFiles } from '../core/discovery';
import { NodeHost } from '../core/nodeHost';
import { defaultSettings, type CheckSettings } from '../core/settings';
import type { Finding } from '../core/types';
import { parseVersion } from '../core/version';
import { UsageError, type CheckOptions } from './args';

export interface CheckResult {
  /** Every file that took part, absolute. */
  files: string[];
  findings: Finding[];
  /** The folder SARIF locations are relative to: the one folder checked, else the current directory. */
  baseDir: string;
}

export function settingsFromOptions(options: CheckOptions): CheckSettings {
  const settings = defaultSettings();
  if (options.kamailioVersion) settings.kamailioVersion = parseVersion(options.kamailioVersion)!;
  if (options.expiryDays !== undefined) settings.expiryDays = options.expiryDays;
  if (options.workdir !== undefined) settings.workdir = options.workdir;
  settings.trustAnchors = [...options.trust];
  settings.pathMappings = options.maps.map((m) => ({ deployed: m.deployed, local: m.local }));
  settings.defines = [...options.defines];
  settings.severity = { ...options.severity };
  return settings;
}

export function runCheck(options: CheckOptions, cwd: string): CheckResult {
  const now = options.now;
  const host = new NodeHost(now ? () => new Date(now.getTime()) : undefined);
  const checker = new Checker(host);
  const settings = settingsFromOptions(options);

  for (const anchor of options.trust) {
    const st = host.stat(anchor);
    if ('error' in st || st.kind !== 'file') throw new UsageError(`check: --trust ${anchor}: not a readable file`, 'check');
  }

  const requested = new Set<string>();
  const folders: string[] = [];
  for (const p of options.paths) {
    const st = host.stat(p);
    if ('error' in st) throw new UsageError(`check: ${path.relative(cwd, p) || p}: no such file or directory`, 'check');
    if (st.kind === 'directory') {
      folders.push(p);
      const found = findConfigFiles(host, p);
      checker.workspace.addMainCandidates(found.kamailio);
      for (const f of [...found.kamailio, ...found.tls]) requested.add(f);
    } else if (st.kind === 'file') {
      requested.add(p);
    } else {
      throw new UsageError(`check: ${p}: not a regular file or folder`, 'check');
    }
  }

  const output = checker.check({ files: [...requested], settingsFor: () => settings });
  const single = options.paths.length === 1 ? options.paths[0] : undefined;
  const baseDir = single !== undefined && folders.includes(single) ? single : cwd;
  return { files: output.files, findings: output.findings, baseDir };
}
