// Completion in tls.cfg (option names with their aliases, values allowed by the target version,
// profile headers built from the listen sockets, file paths resolved like Kamailio does, profile
// snippets) and in kamailio.cfg (tls modparam names).
import * as posix from 'node:path/posix';
import type { Deployment } from '../deployment';
import type { Position, Range } from '../types';
import { TLS_METHODS, TLS_OPTIONS, VERIFY_CLIENT_VALUES, lookupOption } from '../tlscfg/schema';
import { TLS_MODPARAMS } from '../tlscfg/modparams';
import { versionAtLeast } from '../version';
import { tlsCapableListens, listenPort } from '../sockets';
import { optionHover } from './hover';
import { profileAtLine, tlsDocument } from './locate';
import { trusted, type Markdown } from '../util/markdown';

export type CompletionKind = 'property' | 'value' | 'snippet' | 'file' | 'folder' | 'keyword' | 'module';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: Markdown;
  /** Text to insert; a snippet (with $1 placeholders) when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  /** The text the item replaces. */
  range: Range;
  sortText?: string;
}

const SERVER_SNIPPET = [
  '[server:${1:default}]',
  'method = TLSv1.2+',
  'certificate = ${2:/etc/kamailio/fullchain.pem}',
  'private_key = ${3:/etc/kamailio/privkey.pem}',
  'verify_certificate = ${4|no,yes|}',
  'require_certificate = ${5|no,yes|}',
  '$0',
].join('\n');

const CLIENT_SNIPPET = [
  '[client:${1:default}]',
  'method = TLSv1.2+',
  'verify_certificate = yes',
  'require_certificate = yes',
  'ca_list = ${2:/etc/ssl/certs/ca-certificates.crt}',
  '$0',
].join('\n');

export function completionsAt(deployment: Deployment | undefined, file: string, text: string, pos: Position, isTlsCfg: boolean): CompletionItem[] {
  const lineText = text.split('\n')[pos.line] ?? '';
  const before = lineText.slice(0, pos.character);
  if (isTlsCfg) return tlsCfgCompletions(deployment, file, before, pos);
  return kamailioCompletions(before, pos);
}

function replaceRange(pos: Position, length: number): Range {
  return { start: { line: pos.line, character: pos.character - length }, end: pos };
}

function tlsCfgCompletions(deployment: Deployment | undefined, file: string, before: string, pos: Position): CompletionItem[] {
  const version = deployment?.settings.kamailioVersion ?? { major: 6, minor: 1 };
  if (/^\s*\[[^\]]*$/.test(before)) return headerCompletions(deployment, before, pos);

  const value = /^\s*([A-Za-z_0-9]+)\s*=\s*("?)([^#]*)$/.exec(before);
  if (value) {
    const spec = lookupOption(value[1]!);
    const typed = value[3]!;
    if (!spec) return [];
    const range = replaceRange(pos, typed.length);
    const values = (list: readonly string[], detail: string, docs?: (v: string) => string | undefined): CompletionItem[] =>
      list.map((v, i) => ({ label: v, kind: 'value' as const, detail, insertText: v, range, sortText: String(i).padStart(3, '0'), ...(docs?.(v) ? { documentation: trusted(docs(v)!) } : {}) }));
    switch (spec.type) {
      case 'method':
        return values(
          TLS_METHODS.filter((m) => !m.unusable && (!m.since || versionAtLeast(version, m.since))).map((m) => m.name).sort((a, b) => (a === 'TLSv1.2+' ? -1 : b === 'TLSv1.2+' ? 1 : 0)),
          'method',
          (v) => (v === 'TLSv1' ? 'TLS 1.0 **only**' : v === 'TLSv1.2+' ? 'TLS 1.2 and newer (recommended)' : undefined),
        );
      case 'bool':
        return values(['yes', 'no'], 'boolean');
      case 'verify_client':
        return values(VERIFY_CLIENT_VALUES, 'verify_client');
      case 'server_name_mode':
        return values(['0', '1', '2'], 'server_name_mode', (v) => ({ '0': 'exact match', '1': 'name and subdomains', '2': 'subdomains only' })[v]);
      case 'path':
        return deployment ? pathCompletions(deployment, typed, range, spec.isPath === 'directory') : [];
      default:
        return [];
    }
  }

  if (/^\s*[A-Za-z_0-9]*$/.test(before)) {
    const typed = /[A-Za-z_0-9]*$/.exec(before)![0];
    const range = replaceRange(pos, typed.length);
    const doc = deployment ? tlsDocument(deployment, file) : undefined;
    const profile = doc ? profileAtLine(doc, pos.line) : undefined;
    const present = new Set(profile?.options.map((o) => o.name));
    const items: CompletionItem[] = [];
    for (const spec of TLS_OPTIONS) {
      if (spec.since && !versionAtLeast(version, spec.since)) continue;
      for (const key of [spec.name, ...spec.aliases]) {
        items.push({
          label: key,
          kind: 'property',
          detail: key === spec.name ? `tls.cfg option (${spec.type})` : `alias of ${spec.name}`,
          documentation: optionHover(spec, key, profile?.role),
          insertText: `${key} = `,
          range,
          // Options already set in this profile sort last; aliases after canonical names.
          sortText: `${present.has(spec.name) ? '2' : '1'}${key === spec.name ? '0' : '1'}${key}`,
        });
      }
    }
    if (typed === '' || /^[\s]*$/.test(before)) {
      items.push({ label: 'server profile', kind: 'snippet', detail: '[server:…] with certificate and key', insertText: SERVER_SNIPPET, snippet: true, range, sortText: '0a' });
      items.push({ label: 'client profile', kind: 'snippet', detail: '[client:…] that verifies servers', insertText: CLIENT_SNIPPET, snippet: true, range, sortText: '0b' });
    }
    return items;
  }
  return [];
}

function headerCompletions(deployment: Deployment | undefined, before: string, pos: Position): CompletionItem[] {
  const open = before.lastIndexOf('[');
  const range: Range = { start: { line: pos.line, character: open }, end: pos };
  const headers = ['[server:default]', '[client:default]', '[server:any]', '[client:any]'];
  if (deployment?.kamailio) {
    for (const l of tlsCapableListens(deployment)) {
      if (l.proto !== 'tls' || (l.hostKind !== 'ipv4' && l.hostKind !== 'ipv6')) continue;
      const host = l.hostKind === 'ipv6' ? `[${l.host}]` : l.host;
      headers.push(`[server:${host}:${listenPort(deployment, l)}]`);
    }
  }
  return [...new Set(headers)].map((h, i) => ({
    label: h,
    kind: 'keyword' as const,
    detail: h.includes('default') ? 'default profile' : h.includes('any') ? 'SNI profile (needs server_name)' : 'profile for this TLS listen socket',
    insertText: h,
    range,
    sortText: String(i).padStart(3, '0'),
  }));
}

const CERT_LIKE = /\.(pem|crt|cer|key|der|p12|pfx|cfg|crl)$/i;

/** Files under the folder the typed value resolves to (Kamailio's rules and the mappings). */
function pathCompletions(deployment: Deployment, typed: string, range: Range, dirsOnly: boolean): CompletionItem[] {
  const slash = typed.lastIndexOf('/');
  const dirPart = slash === -1 ? '' : typed.slice(0, slash + 1);
  const resolved = deployment.resolve(dirPart === '' ? '.' : dirPart.replace(/\/$/, '') || '/');
  const base = dirPart === '' ? deployment.resolve('x').local.replace(/\/x$/, '') : resolved.local;
  const names = deployment.probe.host.readDir(base);
  if (!Array.isArray(names)) return [];
  const out: CompletionItem[] = [];
  for (const name of names.slice(0, 500)) {
    if (name.startsWith('.') && !typed.slice(slash + 1).startsWith('.')) continue;
    const st = deployment.probe.host.stat(posix.join(base, name));
    if ('error' in st) continue;
    const isDir = st.kind === 'directory';
    if (!isDir && (dirsOnly || !CERT_LIKE.test(name))) continue;
    const text = `${dirPart}${name}${isDir ? '/' : ''}`;
    out.push({ label: name + (isDir ? '/' : ''), kind: isDir ? 'folder' : 'file', detail: posix.join(base, name), insertText: text, range, sortText: `${isDir ? '1' : '0'}${name}` });
  }
  return out;
}

function kamailioCompletions(before: string, pos: Position): CompletionItem[] {
  const m = /modparamx?\s*\(\s*"tls"\s*,\s*"([A-Za-z_0-9]*)$/.exec(before);
  if (!m) return [];
  const range = replaceRange(pos, m[1]!.length);
  return TLS_MODPARAMS.map((p) => ({
    label: p.name,
    kind: 'property' as const,
    detail: `tls modparam (${p.type})`,
    documentation: trusted(p.doc),
    insertText: p.name,
    range,
    sortText: `${p.perProfile ? '1' : '0'}${p.name}`,
  }));
}
