// Module names as Kamailio matches them.

/**
 * modparam's module argument is an anchored, case-insensitive POSIX ERE (modparam.c), so
 * "tls", "TLS" and "tls|tm" all address the tls module.
 */
export function moduleArgumentMatches(argument: string, module: string): boolean {
  try {
    return new RegExp(`^(?:${argument})$`, 'i').test(module);
  } catch {
    return argument.toLowerCase() === module.toLowerCase();
  }
}

export function isTlsModule(argument: string): boolean {
  return moduleArgumentMatches(argument, 'tls');
}

/** `loadmodule "…/tls.so"` → `tls` (basename without the .so suffix). */
export function moduleNameFromPath(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.endsWith('.so') ? base.slice(0, -3) : base;
}
