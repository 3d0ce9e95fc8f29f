// LSP glob patterns (as in FileSystemWatcher.globPattern): `*` one path segment's characters,
// `**` any number of segments, `?` one character, `{a,b}` alternatives, `[…]` a character class.
// Enough to check which files a server's watcher registration covers.

/** A RegExp matching a relative path (with `/` separators) against an LSP glob pattern. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  let inGroup = false;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*' && glob[i + 1] === '*') {
      i++;
      if (glob[i + 1] === '/') {
        i++;
        re += '(?:.*/)?';
      } else {
        re += '.*';
      }
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '{') {
      inGroup = true;
      re += '(?:';
    } else if (ch === '}' && inGroup) {
      inGroup = false;
      re += ')';
    } else if (ch === ',' && inGroup) re += '|';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) re += '\\[';
      else {
        re += '[' + glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else re += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Whether `relativePath` (with `/` separators) matches the LSP glob pattern. */
export function globMatches(glob: string, relativePath: string): boolean {
  return globToRegExp(glob).test(relativePath);
}
