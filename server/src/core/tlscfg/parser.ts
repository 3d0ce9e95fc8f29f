// Placeholder until the tls.cfg parser lands.
import type { TlsConfigDocument } from './model';

export function parseTlsConfig(file: string, text: string): TlsConfigDocument {
  return { file, profiles: [], orphanOptions: [], problems: [], lineCount: text.split('\n').length };
}
