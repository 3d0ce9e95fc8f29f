// Where CI systems expect a finding's file: relative to the job's working directory (the
// repository root in GitHub Actions and GitLab CI), with '/' separators on every platform.
import * as path from 'node:path';

export function ciPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return (rel === '' ? path.basename(file) : rel).split(path.sep).join('/');
}
