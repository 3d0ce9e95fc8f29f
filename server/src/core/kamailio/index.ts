// Public surface of the kamailio.cfg layer: a pure per-file parse (cacheable by text) and the
// evaluation of a whole deployment (preprocessor, includes) into an EffectiveConfig.
import type { KamailioVersion } from '../version';
import type { EffectiveConfig } from './model';
import { parseKamailioFile, type ParsedKamailioFile } from './parser';
import { evaluateKamailioConfig as evaluate } from './evaluate';

export type { ParsedKamailioFile };
export { parseKamailioFile };

/** Where the evaluator reads files: open editor documents first, then the disk. */
export interface SourceReader {
  /** Text of a file, undefined when it is missing or cannot be read. */
  readText(path: string): string | undefined;
  /** Whether anything exists at the path. */
  exists(path: string): boolean;
  /** Entry names of a directory (for `import_files` globs), undefined when not a directory. */
  listDir(path: string): string[] | undefined;
}

export interface EvaluateOptions {
  /** `-A NAME` / `-A NAME=VALUE` defines. */
  defines: string[];
  version: KamailioVersion;
  /** Translate a path as Kamailio sees it into a workspace path (user path mappings). */
  mapPath: (deployedPath: string) => string;
  /** Parse function, so that the caller can cache parses by text. */
  parse?: (file: string, text: string) => ParsedKamailioFile;
  /** The deployment's environment, as far as known (template variables): values for #!defenv. */
  environment?: Readonly<Record<string, string>>;
  /** Called every few thousand tokens; may throw to stop the evaluation (checkControl.ts). */
  checkpoint?: () => void;
}

export function evaluateKamailioConfig(mainFile: string, reader: SourceReader, options: EvaluateOptions): EffectiveConfig {
  return evaluate(mainFile, reader, options);
}
