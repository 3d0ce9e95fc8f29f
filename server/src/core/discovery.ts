// Which files are configurations: `kamailio*.cfg`, files whose first line is `#!KAMAILIO`
// (or `#!OPENSER`, `#!SER`, …) and `tls*.cfg`. Never every `*.cfg`.
import * as posix from 'node:path/posix';
import type { Host } from './host';
import { DEFAULT_MAX_FILE_BYTES } from './host';
import { decodeText } from './text';
import { renderedName } from './project/standIns';
import { sniffCryptoMaterial } from './pki/sniff';
import { walkTree, type WalkBudgets, type WalkResult } from './walk';

const MARKER = /^(?:#|\/\/)!(KAMAILIO|OPENSER|SER|MAXCOMPAT|ALL)[ \t\r]*$/;

/** A file's name, or for a template or sample (tls.cfg.j2, template.tls.cfg) the name of what it renders. */
function effectiveName(file: string): string {
  const name = posix.basename(file);
  return renderedName(name) ?? name;
}

export function isTlsConfigName(file: string): boolean {
  return /^tls.*\.cfg$/i.test(effectiveName(file));
}

export function isKamailioConfigName(file: string): boolean {
  return /^kamailio.*\.cfg$/i.test(effectiveName(file));
}

export function firstLineMarker(text: string): string | undefined {
  const nl = text.indexOf('\n');
  const first = nl === -1 ? text : text.slice(0, nl);
  return MARKER.exec(first)?.[1];
}

export type ConfigKind = 'kamailio' | 'tls';

const CLASSIFY_BYTES = 256 * 1024;
const PROFILE_HEADER = /^[ \t]*\[[ \t]*(server|srv|s|client|cli|c)[ \t]*:/im;
const KAMAILIO_STATEMENT = /^[ \t]*(loadmodule|loadmodulex|modparam|modparamx|request_route|route|failure_route|onreply_route|event_route|branch_route|include_file|import_file|(#|!!)!?(KAMAILIO|OPENSER|SER|define|ifdef|ifndef|substdef|trydef)\b|listen[ \t]*=|(enable_tls|children|debug|mpath)[ \t]*=)/m;

/**
 * What a configuration file is. Content wins over the name: `tls_kamailio.cfg` may be a routing
 * script and `kamailio-tls.cfg` a tls.cfg. Profile headers mean tls.cfg, routing statements mean
 * kamailio.cfg; when the content says neither (or both), the editor's language, then the name,
 * decide.
 */
export function classifyConfig(file: string, text: string | undefined, hint?: 'kamailio' | 'kamailio-tls'): ConfigKind {
  if (text !== undefined) {
    if (firstLineMarker(text) !== undefined) return 'kamailio';
    // The first 256 KiB say what a file is. Scanning a multi-megabyte file with these multiline
    // patterns cost ~10× more past ~4 MB (V8 regexp; found by the scaling check) for no gain.
    const head = text.length > CLASSIFY_BYTES ? text.slice(0, CLASSIFY_BYTES) : text;
    const headers = PROFILE_HEADER.test(head);
    const statements = KAMAILIO_STATEMENT.test(head);
    if (headers && !statements) return 'tls';
    if (statements && !headers) return 'kamailio';
  }
  if (hint) return hint === 'kamailio-tls' ? 'tls' : 'kamailio';
  return isTlsConfigName(file) ? 'tls' : 'kamailio';
}

/** What makes a file a main configuration rather than a fragment: modules, the main route, KEMI, includes. */
const MAIN_STATEMENT = /^[ \t]*(?:loadmodulex?\b|request_route[ \t]*\{|route[ \t]*\{|cfgengine\b|(?:#!|!!)?(?:include_file|import_file)\b)/m;

/**
 * A candidate main configuration: named kamailio*.cfg, or marked #!KAMAILIO and holding what a
 * main configuration holds (a marked fragment of routes, imported by nothing, is not one).
 */
export function looksLikeMainKamailioConfig(file: string, text: string | undefined): boolean {
  if (text !== undefined && classifyConfig(file, text) === 'tls') return false;
  if (isKamailioConfigName(file)) return true;
  if (text === undefined || firstLineMarker(text) === undefined) return false;
  return MAIN_STATEMENT.test(text.length > CLASSIFY_BYTES ? text.slice(0, CLASSIFY_BYTES) : text);
}

const OPENSSL_SECTION = /^[ \t]*\[[ \t]*(req|req_distinguished_name|alt_names|v3_req|v3_ca|v3_intermediate_ca|usr_cert|server_cert|ca|CA_default|policy_\w+|dn|ext)[ \t]*\]/m;
const OPENSSL_KEY = /^[ \t]*(distinguished_name|default_bits|default_md|subjectAltName|basicConstraints|keyUsage|extendedKeyUsage|DNS\.\d+|IP\.\d+|prompt)[ \t]*=/m;

/**
 * A file named like a configuration that is something else, said in words: key or certificate
 * material (pki/sniff.ts; never parsed as configuration: its lines are the key) or an OpenSSL
 * configuration such as the `req` file people keep as tls.cfg next to their certificates.
 * `material` is what the caller sniffed from the file's bytes, when it has them.
 */
export function notAConfiguration(text: string, material = sniffCryptoMaterial(text)): string | undefined {
  const head = text.length > CLASSIFY_BYTES ? text.slice(0, CLASSIFY_BYTES) : text;
  if (material) return `it holds ${material.description}, not a configuration`;
  if (!PROFILE_HEADER.test(head) && OPENSSL_SECTION.test(head) && OPENSSL_KEY.test(head)) {
    return 'an OpenSSL configuration (openssl req/ca sections such as [req] and [alt_names]), not a Kamailio tls.cfg';
  }
  return undefined;
}

export interface DiscoveredFiles {
  /** kamailio.cfg files and fragments found by name or marker. */
  kamailio: string[];
  /** Those of them that look like main configurations (looksLikeMainKamailioConfig). */
  mains: string[];
  tls: string[];
  /** The walk: what it left out and whether a budget ended it (walk.ts). */
  walk: WalkResult;
}

/**
 * Search a folder (not into node_modules/.git) for configurations. Bounded (walk.ts): each real
 * folder once, links only inside the folder, and budgets of folders, names, depth, time and
 * candidates, so a huge or hostile workspace cannot stall the server.
 */
export function findConfigFiles(host: Host, root: string, budgets: Partial<WalkBudgets> = {}, clock?: () => number): DiscoveredFiles {
  const out: Omit<DiscoveredFiles, 'walk'> = { kamailio: [], mains: [], tls: [] };
  const walk = walkTree(host, root, {
    budgets,
    ...(clock ? { clock } : {}),
    // A template or sample whose rendered file is beside it: the rendered one is checked.
    select: (name, siblings) => {
      if (!effectiveName(name).endsWith('.cfg')) return false;
      const rendered = renderedName(name);
      return rendered === undefined || !siblings.includes(rendered);
    },
    accept: (p) => {
      const named = isTlsConfigName(p) || isKamailioConfigName(p);
      const r = host.readFile(p, DEFAULT_MAX_FILE_BYTES);
      const text = 'bytes' in r ? decodeText(r.bytes) : undefined;
      if (!named && (text === undefined || firstLineMarker(text) === undefined)) return false;
      if (classifyConfig(p, text) === 'tls') out.tls.push(p);
      else {
        out.kamailio.push(p);
        if (looksLikeMainKamailioConfig(p, text)) out.mains.push(p);
      }
      return true;
    },
  });
  return { ...out, walk };
}
