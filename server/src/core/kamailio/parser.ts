// Placeholder until the kamailio.cfg parser lands: no statements, no problems.
import type { KamailioFileInfo } from './model';

export interface ParsedKamailioFile {
  file: string;
  text: string;
  info: KamailioFileInfo;
}

export function parseKamailioFile(file: string, text: string): ParsedKamailioFile {
  return { file, text, info: { file, problems: [], inactiveRanges: [], routes: [], defines: [], includes: [] } };
}
