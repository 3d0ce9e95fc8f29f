// peer.srtp-suite: the SDES crypto suites an rtpengine offer would carry, against the suites a
// peer we connect to accepts. rtpengine (ng_control_protocol.md, "SDES") offers every suite it
// supports unless told otherwise: `SDES-only-SUITE` keeps only the named ones (and wins over
// SDES-no-), `SDES-no-SUITE` removes one, `SDES-off`/`-no`/`-disable` offers none, `SDES-nonew`
// adds none of its own (what is offered then depends on the caller: not judged). Only calls that
// offer SRTP (RTP/SAVP or RTP/SAVPF among their flags) are judged, with literal flags only.
import type { Deployment } from '../deployment';
import type { Range } from '../types';
import type { PeerLink } from '../peers/connections';
import { activeLines } from '../peers/activeLines';
import { Reporter } from './report';
import { listing } from '../listing';

/** What rtpengine offers by default (crypto.c, every suite it implements). */
export const RTPENGINE_SDES_SUITES = [
  'AEAD_AES_256_GCM', 'AEAD_AES_128_GCM', 'AES_256_CM_HMAC_SHA1_80', 'AES_256_CM_HMAC_SHA1_32',
  'AES_192_CM_HMAC_SHA1_80', 'AES_192_CM_HMAC_SHA1_32', 'AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32',
  'F8_128_HMAC_SHA1_80', 'F8_128_HMAC_SHA1_32', 'NULL_HMAC_SHA1_80', 'NULL_HMAC_SHA1_32',
] as const;

const CALL = /\brtpengine_(offer|manage)\s*\(\s*"([^"\n]{0,4000})"/g;

export interface SdesOffer {
  /** The suites offered, or undefined when the flags leave it to the caller (SDES-nonew). */
  suites: string[] | undefined;
  /** The flag that decided it, for the message. */
  because: string;
}

/** The suites an offer with these flags carries (flags are space-separated; case as rtpengine reads it). */
export function sdesOffer(flags: string): SdesOffer | undefined {
  const words = flags.split(/\s+/).filter(Boolean);
  if (!words.some((w) => /RTP\/SAVPF?$/i.test(w))) return undefined; // no SRTP offered
  if (words.some((w) => /^SDES-nonew$/i.test(w))) return { suites: undefined, because: 'SDES-nonew' };
  const off = words.find((w) => /^SDES-(off|no|disable)$/i.test(w));
  if (off) return { suites: [], because: off };
  const only = words.filter((w) => w.startsWith('SDES-only-')).map((w) => w.slice('SDES-only-'.length));
  if (only.length > 0) return { suites: only, because: words.filter((w) => w.startsWith('SDES-only-')).join(' ') };
  const no = new Set(words.filter((w) => w.startsWith('SDES-no-')).map((w) => w.slice('SDES-no-'.length)));
  return { suites: RTPENGINE_SDES_SUITES.filter((s) => !no.has(s)), because: no.size ? [...no].map((s) => `SDES-no-${s}`).join(' ') : "rtpengine's default" };
}

export function checkPeerSrtp(deployment: Deployment, links: readonly PeerLink[], out: Reporter): void {
  const peers = [...new Map(links.filter((l) => l.view.role === 'client' && l.peer.srtp.length > 0).map((l) => [l.peer.id, l.peer])).values()];
  if (peers.length === 0) return;
  for (const { file, line, text } of activeLines(deployment)) {
    if (!text.includes('rtpengine_')) continue;
    for (const m of text.matchAll(CALL)) {
      const offer = sdesOffer(m[2]!);
      if (!offer?.suites) continue;
      const start = (m.index ?? 0) + m[0].length - m[2]!.length - 2; // the opening quote
      const range: Range = { start: { line, character: start }, end: { line, character: start + m[2]!.length + 2 } };
      for (const peer of peers) {
        if (offer.suites.some((s) => peer.srtp.includes(s))) continue;
        const what = offer.suites.length ? `offers ${listing(offer.suites)} only (${offer.because})` : `offers no SDES suite (${offer.because})`;
        out.add('peer.srtp-suite', file, range, `rtpengine_${m[1]} ${what}, and ${peer.name} accepts ${listing(peer.srtp)}: if this offer goes to ${peer.name}, it answers 488 Not Acceptable Here. Offer one of its suites (e.g. SDES-only-${peer.srtp[0]}).`);
      }
    }
  }
}
