// Which TLS listen socket a server profile serves, and which profiles serve a socket
// (tls_init.c tls_check_sockets; tls_domain.c tls_lookup_cfg; reference §1.7, §1.10).
import type { Deployment } from './deployment';
import type { EffectiveConfig, ListenSocket } from './kamailio/model';
import type { TlsProfile } from './tlscfg/model';
import { optionValue } from './tlscfg/model';
import { canonicalIp } from './ipAddress';

/** tls_port_no, or 5061; `tls_log=N` also sets it (a lexer bug kept since SER, reference §3). */
export function tlsPort(deployment: Deployment): number {
  const cfg = deployment.kamailio;
  if (!cfg) return 5061;
  // Asked for every (profile, socket) pair; a large kamailio.cfg has thousands of core parameters.
  let port = tlsPorts.get(cfg);
  if (port === undefined) {
    port = 5061;
    for (const p of cfg.coreParams) {
      if ((p.name === 'tls_port_no' || p.name === 'tls_log' || p.name === 'tlslog') && p.value.kind === 'number') port = Number(p.value.text);
    }
    tlsPorts.set(cfg, port);
  }
  return port;
}

const tlsPorts = new WeakMap<EffectiveConfig, number>();

/** Sockets that may carry TLS: `tls:` and sockets without a protocol (or `*`). */
export function tlsCapableListens(deployment: Deployment): ListenSocket[] {
  return (deployment.kamailio?.listens ?? []).filter((l) => l.proto === 'tls' || l.proto === undefined || l.proto === 'any');
}

/** The port a TLS socket really listens on (an omitted port is tls_port_no). */
export function listenPort(deployment: Deployment, l: ListenSocket): number {
  return l.port ?? tlsPort(deployment);
}

/**
 * Whether some of the given sockets satisfy an address profile, with one lookup per profile (the
 * listener check pairs every profile of a fleet's tls.cfg with hundreds of sockets). The
 * advertised IP counts too, but always with the socket's real port: the advertised port never
 * matches (verified on 5.6.3, ORACLE-NOTES.md D2). Port 0 in the profile means any port.
 */
export class SocketIndex {
  /** Canonical IP (host or advertised, ipAddress.ts) → the ports of the sockets with it. */
  private readonly ports = new Map<string, number[]>();

  constructor(deployment: Deployment, sockets: readonly ListenSocket[]) {
    for (const l of sockets) {
      const port = listenPort(deployment, l);
      this.add(canonicalIp(l.host), port);
      if (l.advertise) this.add(canonicalIp(l.advertise.host), port);
    }
  }

  private add(ip: string, port: number): void {
    const list = this.ports.get(ip);
    if (list) list.push(port);
    else this.ports.set(ip, [port]);
  }

  /** Whether some socket satisfies the (address) profile. */
  serves(profile: TlsProfile): boolean {
    const t = profile.target;
    if (profile.role !== 'server' || t.kind !== 'address') return false;
    const ports = this.ports.get(canonicalIp(t.ip));
    return ports !== undefined && (t.port === 0 || ports.includes(t.port));
  }
}

export type ServingKind = 'address' | 'address-sni' | 'sni' | 'default';

export interface ServingProfile {
  profile: TlsProfile;
  file: string;
  how: ServingKind;
}

/** The server profiles that can handle connections accepted on a TLS socket, most specific first. */
export function profilesForSocket(deployment: Deployment, l: ListenSocket): ServingProfile[] {
  const out: ServingProfile[] = [];
  const defaults: ServingProfile[] = [];
  const sni: ServingProfile[] = [];
  const socket = new SocketIndex(deployment, [l]);
  for (const doc of deployment.tls?.documents ?? []) {
    for (const profile of doc.profiles) {
      if (profile.role !== 'server') continue;
      const hasName = (optionValue(profile, 'server_name')?.value ?? '') !== '';
      if (profile.target.kind === 'address' && socket.serves(profile)) out.push({ profile, file: doc.file, how: hasName ? 'address-sni' : 'address' });
      else if (profile.target.kind === 'any' && hasName) sni.push({ profile, file: doc.file, how: 'sni' });
      else if (profile.target.kind === 'default') defaults.push({ profile, file: doc.file, how: 'default' });
    }
  }
  // Only the last [server:default] is kept by Kamailio.
  return [...out, ...sni, ...defaults.slice(-1)];
}

/** The TLS sockets an address profile serves. */
export function socketsForProfile(deployment: Deployment, profile: TlsProfile): ListenSocket[] {
  return tlsCapableListens(deployment).filter((l) => new SocketIndex(deployment, [l]).serves(profile));
}
