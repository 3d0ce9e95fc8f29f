// The built-in peers: one JSON file each in presets/, with its sources and the day they were
// checked. A unit test validates each against the peer schema and shows every field is used.
import { readPeer, type Peer } from './peer';
import teams from './presets/teams.json';
import twilio from './presets/twilio.json';
import bandwidth from './presets/bandwidth.json';
import whatsapp from './presets/whatsapp.json';
import browsers from './presets/browsers.json';
import modern from './presets/modern.json';

export const PRESET_DATA: readonly unknown[] = [teams, twilio, bandwidth, whatsapp, browsers, modern];

let presets: Peer[] | undefined;
export function builtInPeers(): readonly Peer[] {
  presets ??= PRESET_DATA.map((data) => {
    const { peer, problems } = readPeer(data);
    if (!peer) throw new Error(`built-in peer is invalid: ${problems.map((p) => `${p.at}: ${p.message}`).join('; ')}`);
    return peer;
  });
  return presets;
}

export function builtInPeer(id: string): Peer | undefined {
  return builtInPeers().find((p) => p.id === id);
}
