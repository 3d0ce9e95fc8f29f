// `probe HOST --peer NAME`: connect as that peer would — its TLS versions, its TLS 1.2 suites
// (its TLS 1.3 suites are OpenSSL's defaults, which every preset accepts), the public roots it
// trusts. Options given explicitly win over the peer's. What the probe cannot play is said: it
// has none of the peer's client certificates, and a peer that pins roots needs them as --ca.
import { builtInPeer, builtInPeers } from '../core/peers/presets';
import type { Peer } from '../core/peers/peer';
import type { TlsVersionName } from '../core/probe';

const TLS13_SUITES = 'TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256';

export interface PeerProbeSettings {
  minVersion?: TlsVersionName;
  maxVersion?: TlsVersionName;
  ciphers?: string;
  /** In words, for the report: how the peer connects, and what the probe cannot do as it. */
  notes: string[];
}

export function lookupProbePeer(id: string): Peer | string {
  return builtInPeer(id.toLowerCase()) ?? `--peer needs a built-in peer (${builtInPeers().map((p) => p.id).join(', ')}), not '${id}'`;
}

/** What a probe sets to connect as `peer`; a string: the peer cannot be played (usage error). */
export function probeAs(peer: Peer, explicit: { caFile?: string; certFile?: string }): PeerProbeSettings | string {
  if (peer.connects === 'from-us') return `${peer.name} does not connect to us; a probe plays the side that connects`;
  const versions = peer.versions.filter((v) => v === '1.2' || v === '1.3');
  if (versions.length === 0) return `${peer.name} negotiates TLS ${peer.versions.join('/')} only, which a probe (TLS 1.2 and 1.3) cannot offer`;
  const name = (v: string) => `TLSv${v}` as TlsVersionName;
  const notes = [`as ${peer.name} connects (checked ${peer.checked ?? 'by you'}): TLS ${versions.join(' and ')}${peer.suites.length ? `, TLS 1.2 suites ${peer.suites.join(':')}` : ''}`];
  if (peer.trustsOurCertificateVia !== 'public-roots' && !explicit.caFile) return `${peer.name} trusts only the roots it pins; give them with --ca`;
  if (peer.presentsClientCertificate && !explicit.certFile) notes.push(`${peer.name} also presents a client certificate, which this probe does not have: give --cert/--key to test mutual TLS`);
  const ciphers = peer.suites.length ? [peer.suites.join(':'), ...(versions.includes('1.3') ? [TLS13_SUITES] : [])].join(':') : undefined;
  return { minVersion: name(versions[0]!), maxVersion: name(versions[versions.length - 1]!), ...(ciphers ? { ciphers } : {}), notes };
}
