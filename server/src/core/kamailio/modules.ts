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

/**
 * The modules that are Kamailio's TLS engine: `tls` (OpenSSL) and `tls_wolfssl` (wolfSSL, since
 * 5.6). Both register the core's TLS hooks (tls_hooks.c register_tls_hooks) and read the same
 * tls.cfg format; the tls_wolfssl docs call them mutually exclusive.
 */
export const TLS_ENGINES = ['tls', 'tls_wolfssl'] as const;
export type TlsEngine = (typeof TLS_ENGINES)[number];

export function isTlsEngine(module: string): module is TlsEngine {
  return (TLS_ENGINES as readonly string[]).includes(module);
}

/** The first TLS engine a configuration loads (tls.so or tls_wolfssl.so). */
export function tlsEngineLoad<T extends { module: string }>(modules: readonly T[]): T | undefined {
  return modules.find((m) => isTlsEngine(m.module));
}

/** A modparam module argument that addresses a TLS engine (`tls`, `tls_wolfssl`, `tls.*`, …). */
export function isTlsModule(argument: string): boolean {
  return TLS_ENGINES.some((engine) => moduleArgumentMatches(argument, engine));
}

/** `loadmodule "…/tls.so"` → `tls` (basename without the .so suffix). */
export function moduleNameFromPath(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.endsWith('.so') ? base.slice(0, -3) : base;
}
