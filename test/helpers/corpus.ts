// Where the corpus of real-world configurations is. It is external test data that sits beside
// the repository (../shared/corpus) on development machines; SIP_TLS_CORPUS names it
// explicitly, and then it must exist. Without either, corpus tests skip with a loud notice.
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export interface CorpusLocation {
  dir: string;
  present: boolean;
  /** The location was given explicitly: absence is a failure, not a skip. */
  required: boolean;
}

export function corpusLocation(): CorpusLocation {
  const explicit = process.env.SIP_TLS_CORPUS;
  const dir = path.resolve(explicit ?? path.join(__dirname, '..', '..', '..', 'shared', 'corpus'));
  return { dir, present: existsSync(path.join(dir, 'MANIFEST.tsv')), required: explicit !== undefined && explicit !== '' };
}
