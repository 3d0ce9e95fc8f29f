// Which profile talks to which peer: declared (project file `peers`, `--peer NAME[=PROFILE]`)
// or inferred from the configuration — a peer's host name in a quoted literal of kamailio.cfg
// (a `$du`/`$ru` assignment, `t_relay_to_tls`, a `uac` registration, a dispatcher URI written
// inline), or a destination of dispatcher's list file, means we connect to it: the client
// profile Kamailio picks for it is the one whose server_name or server_id names that host, else
// [client:default]. A peer that also connects to
// us is paired with the server profile only when there is one (with several, the address it
// connects to is not in the configuration: declare it). Loading websocket.so with TLS on means
// browsers connect over WSS.
import type { Deployment } from '../deployment';
import type { Range } from '../types';
import type { ProfileView } from '../profiles';
import { builtInPeers } from './presets';
import { peerHostMatch, type Peer } from './peer';
import { excerpt } from '../quote';
import { activeLines } from './activeLines';

export interface PeerLink {
  peer: Peer;
  view: ProfileView;
  how: 'declared' | 'inferred';
  /** In words: "declared in .sip-tls.json", "sip.pstnhub.microsoft.com in kamailio.cfg:120". */
  why: string;
  /** Names the peer connects to, declared with it (empty: not declared). */
  names: string[];
  /** Where the inference was read (for the information finding). */
  at?: { file: string; range: Range };
}

export interface PeerConnections {
  links: PeerLink[];
  /** Declarations that name no known peer or no profile of this deployment. */
  unresolved: { declaration: string; message: string }[];
}

/** Every peer known to this check: custom ones replace presets of the same id. */
export function knownPeers(deployment: Deployment): Peer[] {
  const custom = deployment.settings.customPeers;
  return [...builtInPeers().filter((p) => !custom.some((c) => c.id === p.id)), ...custom];
}

/** The profile text a selector names: header text without brackets, lower case, no blanks. */
function selectorOf(view: ProfileView): string {
  if (view.profile) return view.profile.headerText.replace(/^\[|\]$/g, '').replace(/\s+/g, '').toLowerCase();
  return `${view.role}:default`;
}

export function matchesSelector(view: ProfileView, selector: string): boolean {
  const s = selector.replace(/^\[|\]$/g, '').replace(/\s+/g, '').toLowerCase();
  if (s === view.role) return true;
  return selectorOf(view) === s;
}

const talksFromUs = (p: Peer) => p.connects !== 'to-us';
const talksToUs = (p: Peer) => p.connects !== 'from-us';

export function peerConnections(deployment: Deployment, views: ProfileView[]): PeerConnections {
  const peers = knownPeers(deployment);
  const links: PeerLink[] = [];
  const unresolved: PeerConnections['unresolved'] = [];
  const add = (link: PeerLink) => {
    if (!links.some((l) => l.peer.id === link.peer.id && l.view === link.view)) links.push(link);
  };
  const declaredIds = new Set<string>();
  for (const d of deployment.settings.peers) {
    const peer = peers.find((p) => p.id === d.peer);
    if (!peer) {
      unresolved.push({ declaration: d.source, message: `${d.source} names the peer "${excerpt(d.peer)}", which is not known (built-in: ${builtInPeers().map((p) => p.id).join(', ')}; custom peers go in the project file's "peers")` });
      continue;
    }
    declaredIds.add(peer.id);
    const targets = d.profiles.length > 0 ? d.profiles.map((sel) => [sel, views.filter((v) => matchesSelector(v, sel))] as const) : [['', defaultsFor(peer, views)] as const];
    for (const [sel, matched] of targets) {
      if (matched.length === 0 && sel !== '') {
        unresolved.push({ declaration: d.source, message: `${d.source} pairs ${peer.name} with the profile "${excerpt(sel)}", which this configuration does not have (profiles: ${views.map(selectorOf).join(', ') || 'none'})` });
      }
      for (const view of matched) add({ peer, view, how: 'declared', why: `declared in ${d.source}`, names: d.names ?? [] });
    }
  }
  const undeclared = peers.filter((p) => !declaredIds.has(p.id));
  for (const hit of [...inferredDestinations(deployment, undeclared), ...dispatcherDestinations(deployment, undeclared)]) {
    const client = clientProfileFor(views, hit.host);
    if (client && talksFromUs(hit.peer)) add({ peer: hit.peer, view: client, how: 'inferred', why: `${hit.host} is a destination in ${hit.where}`, names: [], at: hit.at });
    const servers = views.filter((v) => v.role === 'server');
    if (talksToUs(hit.peer) && servers.length === 1) add({ peer: hit.peer, view: servers[0]!, how: 'inferred', why: `${hit.host} is a destination in ${hit.where}, and ${hit.peer.name} connects back to the only server profile`, names: [], at: hit.at });
  }
  const browsers = peers.find((p) => p.id === 'browsers');
  const ws = deployment.kamailio?.modules.find((m) => m.module === 'websocket');
  if (browsers && ws && !declaredIds.has('browsers')) {
    const servers = views.filter((v) => v.role === 'server');
    if (servers.length === 1) add({ peer: browsers, view: servers[0]!, how: 'inferred', why: `websocket.so is loaded with TLS on (WSS)`, names: [], at: { file: ws.file, range: ws.range } });
  }
  return { links, unresolved };
}

/** Without a profile named: the default profiles of the directions the peer uses. */
function defaultsFor(peer: Peer, views: ProfileView[]): ProfileView[] {
  return views.filter((v) => (v.role === 'server' ? talksToUs(peer) : talksFromUs(peer)) && (v.target.kind === 'default' || v.source === 'modparam'));
}

/** The client profile Kamailio selects for a connection to `host` (tls_domain.c: server_name, server_id, then default). */
function clientProfileFor(views: ProfileView[], host: string): ProfileView | undefined {
  const clients = views.filter((v) => v.role === 'client');
  const h = host.toLowerCase();
  return (
    clients.find((v) => v.get('server_name')?.value.toLowerCase() === h) ??
    clients.find((v) => v.get('server_id')?.value.toLowerCase() === h) ??
    clients.find((v) => v.target.kind === 'default' || v.source === 'modparam')
  );
}

interface Destination {
  peer: Peer;
  host: string;
  where: string;
  at: { file: string; range: Range };
}

const QUOTED = /"([^"\n]{1,2000})"|'([^'\n]{1,2000})'/g;
const HOST_IN = /(?:^|[^a-z0-9.-])([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+)/gi;

/** Host names of peers in quoted literals of the active kamailio.cfg lines (first hit per peer). */
function inferredDestinations(deployment: Deployment, peers: Peer[]): Destination[] {
  if (!deployment.kamailio || peers.every((p) => p.hosts.length === 0)) return [];
  const found = new Map<string, Destination>();
  for (const { file, line, text: t } of activeLines(deployment)) {
    if (!t.includes('.')) continue;
    for (const q of t.matchAll(QUOTED)) {
      const body = q[1] ?? q[2] ?? '';
      for (const m of body.matchAll(HOST_IN)) {
        const host = m[1]!.toLowerCase();
        for (const peer of peers) {
          if (found.has(peer.id) || !peerHostMatch(peer, host)) continue;
          const col = (q.index ?? 0) + 1 + (m.index ?? 0) + m[0].length - m[1]!.length;
          found.set(peer.id, { peer, host, where: `${file.split('/').pop()}:${line + 1}`, at: { file, range: { start: { line, character: col }, end: { line, character: col + host.length } } } });
        }
      }
    }
  }
  return [...found.values()];
}

const DISPATCHER_LIST_MAX_BYTES = 1 << 20;
/** dispatcher's list_file default (dispatcher module documentation). */
const DISPATCHER_DEFAULT_LIST = '/etc/kamailio/dispatcher.list';

/**
 * Peer hosts among the destinations of dispatcher's list file (`setid sip:host:port;params …`,
 * `#` comments), read as Kamailio resolves the list_file value; the information goes on the
 * modparam (or on loadmodule for the default file). A list kept in a database (db_url) or one
 * that only exists once deployed is not read.
 */
function dispatcherDestinations(deployment: Deployment, peers: Peer[]): Destination[] {
  const cfg = deployment.kamailio;
  if (!cfg || peers.every((p) => p.hosts.length === 0)) return [];
  const load = cfg.modules.find((m) => m.module === 'dispatcher');
  if (!load) return [];
  const params = cfg.modparams.filter((m) => /^dispatcher$/i.test(m.module));
  if (params.some((m) => m.param === 'db_url')) return [];
  const listParam = params.filter((m) => m.param === 'list_file' && m.value.kind === 'string').pop();
  const value = listParam ? listParam.value.text : DISPATCHER_DEFAULT_LIST;
  const at = listParam ? { file: listParam.file, range: listParam.value.range } : { file: load.file, range: load.pathRange };
  const resolved = deployment.resolve(value);
  if (resolved.deployTime || resolved.notAFile) return [];
  const read = deployment.probe.read(resolved.local, DISPATCHER_LIST_MAX_BYTES);
  if (!('bytes' in read)) return [];
  const found = new Map<string, Destination>();
  const lines = new TextDecoder().decode(read.bytes).split('\n');
  for (let line = 0; line < lines.length; line++) {
    const t = lines[line]!.trim();
    if (t === '' || t.startsWith('#')) continue;
    for (const m of t.matchAll(HOST_IN)) {
      const host = m[1]!.toLowerCase();
      for (const peer of peers) {
        if (!found.has(peer.id) && peerHostMatch(peer, host)) found.set(peer.id, { peer, host, where: `the dispatcher list ${value}:${line + 1}`, at });
      }
    }
  }
  return [...found.values()];
}
