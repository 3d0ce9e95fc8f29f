// `NAME` or `NAME=PROFILE`: a peer paired with a profile, as `check --peer` and the editor's
// sipTls.peers take it (the project file has its own richer form, with names and custom peers).
const DECLARATION = /^([a-z0-9][a-z0-9-]{0,39})(?:=((?:server|client)(?::\S{1,200})?))?$/i;

export const DECLARATION_FORM = 'NAME or NAME=PROFILE (e.g. teams, bandwidth=client:default, whatsapp=server:10.0.0.1:5061)';

export interface PeerPairing {
  peer: string;
  profiles: string[];
}

/** Adds one declaration to `into` (a peer named twice gathers its profiles); false when it is malformed. */
export function addPeerDeclaration(into: PeerPairing[], value: string): boolean {
  const m = DECLARATION.exec(value.trim());
  if (!m) return false;
  const id = m[1]!.toLowerCase();
  const existing = into.find((p) => p.peer === id);
  if (existing) {
    if (m[2]) existing.profiles.push(m[2]);
  } else into.push({ peer: id, profiles: m[2] ? [m[2]] : [] });
  return true;
}
