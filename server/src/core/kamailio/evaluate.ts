// Placeholder until the kamailio.cfg evaluator lands.
import type { EffectiveConfig } from './model';
import type { EvaluateOptions, SourceReader } from './index';
import { parseKamailioFile } from './parser';

export function evaluateKamailioConfig(mainFile: string, reader: SourceReader, options: EvaluateOptions): EffectiveConfig {
  const text = reader.readText(mainFile) ?? '';
  const parsed = (options.parse ?? parseKamailioFile)(mainFile, text);
  return {
    mainFile,
    files: [mainFile],
    fileInfo: new Map([[mainFile, parsed.info]]),
    coreParams: [],
    listens: [],
    aliases: [],
    modules: [],
    modparams: [],
    includes: [],
    defines: new Map(),
  };
}
