// A new file's name beside an existing one, for fixes and commands that create a file
// (server.fullchain.pem, server.ordered.pem). A name is free only when no entry of the folder
// has it: a symbolic link counts even when it dangles — stat() says "not found" for it, and
// writing there would write through the link, wherever it points.
import * as posix from 'node:path/posix';
import type { FileProbe } from './fileProbe';

const MAX_TRIES = 1000;

/** `stem.suffix.pem`, `stem.suffix-2.pem`, … beside `local`, not taken by an entry nor by `taken`. */
export function freeSiblingName(probe: FileProbe, local: string, suffix: string, taken: ReadonlySet<string> = new Set()): string {
  const dir = posix.dirname(local);
  const stem = posix.basename(local).replace(/\.(pem|crt|cer|cert)$/i, '');
  // Listed names include dangling links; the listing is recorded like every read (reuse checks it).
  const listing = probe.host.readDir(dir);
  const entries = new Set(Array.isArray(listing) ? listing : []);
  for (let n = 1; n < MAX_TRIES; n++) {
    const name = `${stem}.${suffix}${n === 1 ? '' : `-${n}`}.pem`;
    const candidate = posix.join(dir, name);
    if (taken.has(candidate) || entries.has(name)) continue;
    const st = probe.stat(candidate);
    if ('error' in st && st.error === 'not-found') return candidate;
  }
  return posix.join(dir, `${stem}.${suffix}-${probe.now().getTime()}.pem`);
}
