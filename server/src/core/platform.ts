// The platform a configuration is deployed on: which Kamailio it packages and, what decides the
// TLS verdicts, which OpenSSL and system policy. OpenSSL 3 refuses TLS 1.0 and 1.1 at its default
// security level (their handshake signatures use SHA-1/MD5, allowed only at @SECLEVEL=0), and
// Debian's OpenSSL 1.1.1 had `MinProtocol = TLSv1.2` in its system openssl.cnf already: on every
// platform listed a range such as TLSv1+ negotiates TLS 1.2+ only, while TLSv1 (TLS 1.0 alone)
// completes no handshake. (Verified here on Debian 12: Kamailio 5.6.3, OpenSSL 3.0.)
import type { KamailioVersion } from './version';
import { parseVersion } from './version';

export interface Platform {
  id: string;
  /** For messages: "Debian 12 (Kamailio 5.6.3, OpenSSL 3.0)". */
  name: string;
  /** The Kamailio the platform packages, when it packages one. */
  kamailio?: KamailioVersion;
  openssl: string;
  /** TLS 1.0/1.1 can be negotiated at the default security level and system policy. */
  legacyTls: boolean;
  /**
   * What Kamailio's certificate loading does with an MD5/SHA-1-signed certificate in the file:
   * OpenSSL 3.0 refuses it ("ca md too weak", Kamailio exits); OpenSSL 3.5 loads it, and every
   * peer at the default security level then rejects it ("CA signature digest algorithm too
   * weak"). Verified on Kamailio 5.6.3/OpenSSL 3.0 and 6.0.1/OpenSSL 3.5 (ORACLE-NOTES.md);
   * undefined where no oracle has shown it.
   */
  weakSignatureAtLoad?: 'refused' | 'loaded';
  /** Where the versions come from. */
  source: string;
}

const P = (
  id: string,
  name: string,
  kamailio: string | undefined,
  openssl: string,
  legacyTls: boolean,
  source: string,
  extra: Partial<Pick<Platform, 'weakSignatureAtLoad'>> = {},
): Platform => ({
  id,
  name,
  ...(kamailio ? { kamailio: parseVersion(kamailio)! } : {}),
  openssl,
  legacyTls,
  source,
  ...extra,
});

// OpenSSL 3.0.x: what Debian 12 runs (measured) and Ubuntu 22.04/24.04 ship (same 3.0 branch).
const OPENSSL_3_0 = { weakSignatureAtLoad: 'refused' } as const;

/** When no platform is given: what holds on every current distribution. */
export const DEFAULT_PLATFORM: Platform = P('openssl-3', 'OpenSSL 3 at its default security level (every current Debian, Ubuntu, RHEL and Alpine release)', undefined, '3', false, 'OpenSSL 3.0 release notes: SSL 3, TLS 1.0, TLS 1.1 no longer work at the default security level 1');

export const PLATFORMS: readonly Platform[] = [
  P('debian-11', 'Debian 11 (Kamailio 5.4.4, OpenSSL 1.1.1 with MinProtocol TLSv1.2)', '5.4.4', '1.1.1', false, 'packages.debian.org/bullseye: kamailio 5.4.4-1; Debian openssl.cnf system_default MinProtocol = TLSv1.2'),
  P('debian-12', 'Debian 12 (Kamailio 5.6.3, OpenSSL 3.0)', '5.6.3', '3.0', false, 'packages.debian.org/bookworm: kamailio 5.6.3-2; verified on this project\'s oracle machines', OPENSSL_3_0),
  P('debian-13', 'Debian 13 (Kamailio 6.0.1, OpenSSL 3.5)', '6.0.1', '3.5', false, 'packages.debian.org/trixie: kamailio 6.0.1; verified in this project\'s Debian 13 chroot oracle', { weakSignatureAtLoad: 'loaded' }),
  P('ubuntu-22.04', 'Ubuntu 22.04 (Kamailio 5.5.4, OpenSSL 3.0)', '5.5.4', '3.0', false, 'packages.ubuntu.com/jammy: kamailio 5.5.4-1', OPENSSL_3_0),
  P('ubuntu-24.04', 'Ubuntu 24.04 (Kamailio 5.7.4, OpenSSL 3.0)', '5.7.4', '3.0', false, 'packages.ubuntu.com/noble: kamailio 5.7.4-1build7', OPENSSL_3_0),
  // No packaged Kamailio to fix the version by (EPEL and Alpine's community repository follow
  // upstream releases): give kamailioVersion with these. Not proven by an oracle here.
  P('rhel-9', 'RHEL 9 and rebuilds (OpenSSL 3.0-3.2 with the DEFAULT crypto policy: TLS 1.2 minimum, no SHA-1 signatures)', undefined, '3.0', false, 'RHEL 9 security hardening guide: crypto-policies DEFAULT; openssl 3.0.7, 3.2.2 from 9.5'),
  P('alpine-3.21', 'Alpine 3.21 (OpenSSL 3.3)', undefined, '3.3', false, 'pkgs.alpinelinux.org v3.21: openssl 3.3'),
  P('alpine-3.22', 'Alpine 3.22 (OpenSSL 3.5)', undefined, '3.5', false, 'pkgs.alpinelinux.org v3.22: openssl 3.5', { weakSignatureAtLoad: 'loaded' }),
  P('openssl-1.1', 'OpenSSL 1.1 without a system TLS policy (CentOS/RHEL 7, builds from source)', undefined, '1.1', true, 'OpenSSL 1.1.1: TLS 1.0 and 1.1 allowed at security level 1'),
];

export const PLATFORM_IDS = PLATFORMS.map((p) => p.id);

export function lookupPlatform(id: string): Platform | undefined {
  return PLATFORMS.find((p) => p.id === id.trim().toLowerCase());
}
