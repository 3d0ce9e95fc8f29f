// SourceReaders for tests: over a Host (MemoryHost in unit tests, NodeHost for the corpus).
import { DEFAULT_MAX_FILE_BYTES, type Host } from '../../../server/src/core/host';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { decodeText } from '../../../server/src/core/text';
import type { SourceReader } from '../../../server/src/core/kamailio';

export function readerOver(host: Host): SourceReader {
  return {
    readText: (p) => {
      const r = host.readFile(p, DEFAULT_MAX_FILE_BYTES);
      return 'bytes' in r ? decodeText(r.bytes) : undefined;
    },
    exists: (p) => !('error' in host.stat(p)),
    listDir: (p) => {
      const r = host.readDir(p);
      return Array.isArray(r) ? r : undefined;
    },
  };
}

export function memoryReader(files: Record<string, string>): SourceReader {
  return readerOver(new MemoryHost(files));
}
