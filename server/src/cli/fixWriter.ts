// Writing what `check --fix` changed. A file is replaced only when it still holds the text the
// fixes were computed on (an editor or a deploy script may have written it meanwhile), only when
// the user may write it (a read-only file stays read-only: a rename would bypass its mode), and
// atomically: a temporary file in the same folder, with the file's mode, renamed over it.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface WriteFailure {
  file: string;
  reason: string;
}

function writeOne(file: string, original: string, fixed: string): string | undefined {
  let current: string;
  try {
    current = fs.readFileSync(file, 'utf8');
    fs.accessSync(file, fs.constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'not writable' : `cannot be read (${code ?? 'error'})`;
  }
  if (current !== original) return 'changed on disk while it was checked; run sip-tls check --fix again';
  const mode = fs.statSync(file).mode & 0o7777;
  // A file nobody may write was made read-only on purpose; root could write it, --fix does not.
  if ((mode & 0o222) === 0) return 'not writable (read-only)';
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.sip-tls-${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, fixed, { mode, flag: 'wx' });
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    return `cannot be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  return undefined;
}

/** Write every changed file; the ones that could not be written, with why. */
export function writeFixes(changed: ReadonlyMap<string, { original: string; fixed: string }>): WriteFailure[] {
  const failures: WriteFailure[] = [];
  for (const [file, { original, fixed }] of changed) {
    const reason = writeOne(file, original, fixed);
    if (reason !== undefined) failures.push({ file, reason });
  }
  return failures;
}
