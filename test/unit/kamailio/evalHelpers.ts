// Evaluate in-memory deployments for the kamailio.cfg tests.
import { evaluateKamailioConfig } from '../../../server/src/core/kamailio';
import type { EffectiveConfig, KamailioFileInfo } from '../../../server/src/core/kamailio/model';
import { parseVersion } from '../../../server/src/core/version';
import { memoryReader } from './sourceReader';

export const MAIN = '/etc/kamailio/kamailio.cfg';

export interface EvalOptions {
  defines?: string[];
  version?: string;
  mapPath?: (p: string) => string;
}

/** Evaluates `files` (a string is the main file alone). */
export function evaluate(files: Record<string, string> | string, options: EvalOptions = {}, main = MAIN): EffectiveConfig {
  const all = typeof files === 'string' ? { [main]: files } : files;
  return evaluateKamailioConfig(main, memoryReader(all), {
    defines: options.defines ?? [],
    version: parseVersion(options.version ?? '6.1')!,
    mapPath: options.mapPath ?? ((p) => p),
  });
}

export function info(cfg: EffectiveConfig, file = MAIN): KamailioFileInfo {
  const i = cfg.fileInfo.get(file);
  if (!i) throw new Error(`no info for ${file}; files: ${[...cfg.fileInfo.keys()].join(', ')}`);
  return i;
}

/** [line, character, message] of every problem of a file. */
export function problems(cfg: EffectiveConfig, file = MAIN): [number, number, string][] {
  return info(cfg, file).problems.map((p) => [p.range.start.line, p.range.start.character, p.message]);
}
