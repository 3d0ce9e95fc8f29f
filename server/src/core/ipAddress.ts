// IP addresses compare as addresses, not as text. Kamailio parses profile headers and listen
// sockets into binary addresses and compares those (ip_addr_cmp in tls_domain.c
// ksr_tls_domain_duplicated and tls_lookup_cfg, tls_init.c tls_check_sockets), so
// `[0:0:0:0:0:0:0:1]` is `[::1]` and `[2001:DB8::1]` is `[2001:db8::1]` (verified on 5.6.3,
// ORACLE-NOTES.md "IPv6 addresses compare as addresses"). Every comparison goes through
// canonicalIp: one text per address, the RFC 5952 form — which is also how Kamailio prints an
// address in its profile names (`TLSs<::1:5061>`, `TLSs<2001:db8::1:5061>`).
import { isIPv6 } from 'node:net';

/** Canonical forms already computed (a fleet's tls.cfg repeats the same few addresses). */
const canonicalIPv6 = new Map<string, string>();
const MAX_CACHED = 1024;

/**
 * The canonical text of an address as written in a profile header, a listen socket or an
 * advertise address, brackets removed: IPv6 in RFC 5952 form (lower case, the longest run of
 * zero groups as `::`), anything else (IPv4, a host name) in lower case.
 */
export function canonicalIp(ip: string): string {
  // Called for every (profile, socket) pair: no regular expression for a plain address.
  const bare = ip.startsWith('[') || ip.endsWith(']') ? ip.replace(/^\[|\]$/g, '') : ip;
  if (!bare.includes(':')) return lowerCase(bare);
  const hit = canonicalIPv6.get(bare);
  if (hit !== undefined) return hit;
  const canonical = canonicalIPv6Text(bare);
  if (canonicalIPv6.size < MAX_CACHED) canonicalIPv6.set(bare, canonical);
  return canonical;
}

function canonicalIPv6Text(bare: string): string {
  if (!isIPv6(bare)) return bare.toLowerCase();
  try {
    // The WHATWG URL parser serialises an IPv6 host in RFC 5952 form.
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    // A zone index (`fe80::1%eth0`) is no URL host: keep the text.
    return bare.toLowerCase();
  }
}

function lowerCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) return text.toLowerCase();
  }
  return text;
}
