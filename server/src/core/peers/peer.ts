// A peer: the other side of a TLS connection — a carrier, Microsoft Teams, browsers — described by
// what it accepts and sends, so that each of our profiles can be judged against it before
// deploying. Peers are data: the built-in ones are JSON files in presets/ (each with its sources
// and the day they were checked), custom ones come from the project file. The JSON schema
// (schema.ts → schemas/sip-tls-peer.schema.json) and `readPeer` below describe the same shape; a
// unit test keeps them equal.

/** TLS versions as peers publish them. */
export type TlsVersion = '1.0' | '1.1' | '1.2' | '1.3';
export const TLS_VERSIONS: readonly TlsVersion[] = ['1.0', '1.1', '1.2', '1.3'];

/** Key types a peer accepts for our certificate. */
export type PeerKeyType = 'rsa' | 'ec';

/** A root certificate, named and pinned by its SHA-256 fingerprint (lower-case hex, no colons). */
export interface PeerRoot {
  name: string;
  sha256: string;
}

export interface PeerSource {
  url: string;
  /** What the page says, in a sentence. */
  says: string;
}

export interface Peer {
  id: string;
  name: string;
  /** Built-in presets: the day the sources were last read. */
  checked?: string;
  sources: PeerSource[];
  /** Which way connections go: the peer connects to our server profiles, we connect to it, or both. */
  connects: 'to-us' | 'from-us' | 'both';
  /** TLS versions the peer negotiates. */
  versions: TlsVersion[];
  /**
   * TLS 1.2 (and older) suites the peer offers or accepts, as OpenSSL names. Empty: any suite
   * OpenSSL enables by default (the peer publishes no restriction).
   */
  suites: string[];
  /** Key types it accepts in our certificate, with the smallest RSA modulus. Empty: any. */
  keyTypes: PeerKeyType[];
  minRsaBits?: number;
  /** Whom it trusts for our certificate: the public roots (a publicly trusted chain), or these. */
  trustsOurCertificateVia: 'public-roots' | { roots: PeerRoot[] };
  /**
   * Roots its own certificates chain to: our ca_list must hold them to verify it. `required`:
   * every one (the peer rotates among them); `any`: one is enough.
   */
  itsRoots?: { roots: PeerRoot[]; required: 'all' | 'any'; expired?: PeerRoot[] };
  /** Host names (with `*.` wildcards) it connects from and we dial: inference and SNI. */
  hosts: string[];
  /** The certificate must carry a DNS name (SAN): the peer ignores CN and does not dial IPs. */
  needsDnsSan?: boolean;
  /**
   * When we connect to it: does it ask for our client certificate, with which EKU.
   * `must-not-require`: when it connects to us, our server must not require its certificate.
   */
  clientCertificate: 'required' | 'requested' | 'none';
  clientCertificateEku?: 'clientAuth';
  /** When it connects to us: it presents a client certificate (mutual TLS). */
  presentsClientCertificate: boolean;
  /** It connects to us without a client certificate: requiring one fails every connection. */
  mustNotBeAskedForCertificate?: boolean;
  /** SRTP SDES crypto suites it accepts; empty: not stated. */
  srtp: string[];
}

export interface PeerProblem {
  /** JSON path of the value, e.g. `versions[1]`. */
  at: string;
  message: string;
}

const ID = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const OPENSSL_SUITE = /^[A-Z0-9][A-Z0-9-]*$/;
const HOST = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const SRTP_SUITE = /^(AES_CM_128_HMAC_SHA1_(80|32)|AES_256_CM_HMAC_SHA1_(80|32)|AES_192_CM_HMAC_SHA1_(80|32)|AEAD_AES_(128|256)_GCM|F8_128_HMAC_SHA1_80)$/;

/** Every key a peer object accepts (the schema's properties; a unit test compares them). */
export const PEER_KEYS = [
  'id', 'name', 'checked', 'sources', 'connects', 'versions', 'suites', 'keyTypes', 'minRsaBits',
  'trustsOurCertificateVia', 'itsRoots', 'hosts', 'needsDnsSan', 'clientCertificate',
  'clientCertificateEku', 'presentsClientCertificate', 'mustNotBeAskedForCertificate', 'srtp',
] as const;

/**
 * Reads a peer from parsed JSON, strictly: every problem is listed (a custom peer is untrusted
 * repository content), and nothing is read that the schema does not allow.
 */
export function readPeer(value: unknown): { peer?: Peer; problems: PeerProblem[] } {
  const problems: PeerProblem[] = [];
  const bad = (at: string, message: string) => void problems.push({ at, message });
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problems: [{ at: '', message: 'a peer is a JSON object' }] };
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(PEER_KEYS as readonly string[]).includes(k)) bad(k, `unknown key (known: ${PEER_KEYS.join(', ')})`);
  const str = (k: string, re?: RegExp): string | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    // Counted in code points, as JSON Schema's maxLength (and ajv) count them.
    if (typeof v !== 'string' || v === '' || [...v].length > 200 || (re && !re.test(v))) return void bad(k, re ? `must match ${re.source}` : 'must be a non-empty string of at most 200 characters');
    return v;
  };
  const list = (k: string, re: RegExp, max = 200, unique = false): string[] => {
    const v = o[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.length > max) return bad(k, `must be an array of at most ${max} strings`), [];
    if (unique && new Set(v).size !== v.length) return bad(k, 'must not list a value twice'), [];
    const out: string[] = [];
    v.forEach((x, i) => (typeof x === 'string' && re.test(x) ? out.push(x) : bad(`${k}[${i}]`, `must match ${re.source}`)));
    return out;
  };
  const bool = (k: string): boolean | undefined => {
    const v = o[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') return void bad(k, 'must be true or false');
    return v;
  };
  const roots = (k: string, v: unknown): PeerRoot[] => {
    if (!Array.isArray(v) || v.length === 0 || v.length > 100) return bad(k, 'must be a non-empty array of { name, sha256 }'), [];
    const out: PeerRoot[] = [];
    v.forEach((r, i) => {
      const rr = r as Record<string, unknown> | null;
      if (typeof rr !== 'object' || rr === null || typeof rr['name'] !== 'string' || rr['name'] === '' || typeof rr['sha256'] !== 'string' || !SHA256.test(rr['sha256']) || Object.keys(rr).some((x) => x !== 'name' && x !== 'sha256')) {
        bad(`${k}[${i}]`, 'must be { "name": "…", "sha256": "64 lower-case hex digits" }');
      } else out.push({ name: rr['name'], sha256: rr['sha256'] });
    });
    return out;
  };

  const id = str('id', ID);
  const name = str('name');
  const checked = str('checked', /^\d{4}-\d{2}-\d{2}$/);
  const sources: PeerSource[] = [];
  if (o['sources'] !== undefined) {
    if (!Array.isArray(o['sources'])) bad('sources', 'must be an array of { url, says }');
    else
      o['sources'].forEach((s, i) => {
        const ss = s as Record<string, unknown> | null;
        if (typeof ss !== 'object' || ss === null || typeof ss['url'] !== 'string' || !/^https:\/\/\S+$/.test(ss['url']) || typeof ss['says'] !== 'string' || Object.keys(ss).some((x) => x !== 'url' && x !== 'says')) bad(`sources[${i}]`, 'must be { "url": "https://…", "says": "…" }');
        else sources.push({ url: ss['url'], says: ss['says'] });
      });
  }
  const connects = o['connects'] === undefined ? 'both' : o['connects'];
  if (connects !== 'to-us' && connects !== 'from-us' && connects !== 'both') bad('connects', 'must be "to-us", "from-us" or "both"');
  const versions = list('versions', /^1\.[0-3]$/, 4, true) as TlsVersion[];
  if (o['versions'] === undefined) bad('versions', 'is required: the TLS versions the peer negotiates, e.g. ["1.2", "1.3"]');
  else if (versions.length === 0 && problems.every((p) => !p.at.startsWith('versions'))) bad('versions', 'must name at least one version');
  const suites = list('suites', OPENSSL_SUITE);
  const keyTypes = list('keyTypes', /^(rsa|ec)$/, 2, true) as PeerKeyType[];
  let minRsaBits: number | undefined;
  if (o['minRsaBits'] !== undefined) {
    const v = o['minRsaBits'];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1024 || v > 16384) bad('minRsaBits', 'must be an integer from 1024 to 16384');
    else minRsaBits = v;
  }
  let trusts: Peer['trustsOurCertificateVia'] = 'public-roots';
  const t = o['trustsOurCertificateVia'];
  if (t !== undefined && t !== 'public-roots') {
    if (typeof t === 'object' && t !== null && !Array.isArray(t) && Object.keys(t).every((x) => x === 'roots')) trusts = { roots: roots('trustsOurCertificateVia.roots', (t as Record<string, unknown>)['roots']) };
    else bad('trustsOurCertificateVia', 'must be "public-roots" or { "roots": [...] }');
  }
  let itsRoots: Peer['itsRoots'];
  const ir = o['itsRoots'];
  if (ir !== undefined) {
    const r = ir as Record<string, unknown> | null;
    if (typeof r !== 'object' || r === null || Array.isArray(r) || Object.keys(r).some((x) => !['roots', 'required', 'expired'].includes(x)) || (r['required'] !== 'all' && r['required'] !== 'any')) bad('itsRoots', 'must be { "roots": [...], "required": "all" | "any", "expired"?: [...] }');
    else itsRoots = { roots: roots('itsRoots.roots', r['roots']), required: r['required'] as 'all' | 'any', ...(r['expired'] !== undefined ? { expired: roots('itsRoots.expired', r['expired']) } : {}) };
  }
  const hosts = list('hosts', HOST);
  const needsDnsSan = bool('needsDnsSan');
  const cc = o['clientCertificate'] === undefined ? 'none' : o['clientCertificate'];
  if (cc !== 'required' && cc !== 'requested' && cc !== 'none') bad('clientCertificate', 'must be "required", "requested" or "none"');
  const eku = o['clientCertificateEku'];
  if (eku !== undefined && eku !== 'clientAuth') bad('clientCertificateEku', 'must be "clientAuth"');
  const presents = bool('presentsClientCertificate') ?? false;
  const mustNot = bool('mustNotBeAskedForCertificate');
  const srtp = list('srtp', SRTP_SUITE, 12);
  if (!id) bad('id', 'is required: lower-case letters, digits and -');
  if (problems.length > 0 || !id) return { problems };
  return {
    peer: {
      id,
      name: name ?? id,
      ...(checked ? { checked } : {}),
      sources,
      connects: connects as Peer['connects'],
      versions,
      suites,
      keyTypes,
      ...(minRsaBits ? { minRsaBits } : {}),
      trustsOurCertificateVia: trusts,
      ...(itsRoots ? { itsRoots } : {}),
      hosts,
      ...(needsDnsSan !== undefined ? { needsDnsSan } : {}),
      clientCertificate: cc as Peer['clientCertificate'],
      ...(eku ? { clientCertificateEku: 'clientAuth' as const } : {}),
      presentsClientCertificate: presents,
      ...(mustNot !== undefined ? { mustNotBeAskedForCertificate: mustNot } : {}),
      srtp,
    },
    problems,
  };
}

/** Does `host` match a peer's host pattern (`*.` covers one or more labels: inference, not RFC 6125). */
export function hostMatches(pattern: string, host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  if (pattern.startsWith('*.')) return h.endsWith(pattern.slice(1)) && h.length > pattern.length - 1;
  return h === pattern;
}

export function peerHostMatch(peer: Peer, host: string): string | undefined {
  return peer.hosts.find((p) => hostMatches(p, host));
}
