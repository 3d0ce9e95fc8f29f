// Document links, go to definition, document symbols and folding ranges, all resolved with the
// same rules and path mappings as the checks.
import type { Deployment } from '../deployment';
import type { Position, Range } from '../types';
import { lookupOption } from '../tlscfg/schema';
import { lookupTlsModparam } from '../tlscfg/modparams';
import { isTlsModule } from '../kamailio/modules';
import { locateInKamailioCfg, locateInTlsCfg, tlsDocument } from './locate';
import { profilesForSocket, socketsForProfile } from '../sockets';
import { elideSecretLooking, excerpt } from '../quote';

export interface DocumentLink {
  range: Range;
  /** Absolute path of the target file. */
  target: string;
  tooltip: string;
}

export interface Location {
  file: string;
  range: Range;
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function existing(deployment: Deployment, path: string, kind: 'file' | 'any' = 'file'): boolean {
  const st = deployment.probe.stat(path);
  return !('error' in st) && (kind === 'any' || st.kind === 'file');
}

export function documentLinks(deployment: Deployment, file: string): DocumentLink[] {
  const links: DocumentLink[] = [];
  const doc = tlsDocument(deployment, file);
  for (const profile of doc?.profiles ?? []) {
    for (const option of profile.options) {
      const spec = option.name ? lookupOption(option.name) : undefined;
      if (!spec?.isPath || spec.isPath === 'directory' || option.value === '') continue;
      const resolved = deployment.resolve(option.value);
      if (resolved.notAFile || !existing(deployment, resolved.local)) continue;
      links.push({ range: option.valueRange, target: resolved.local, tooltip: elideSecretLooking(`${resolved.deployed} (${resolved.how})`) });
    }
  }
  const cfg = deployment.kamailio;
  for (const m of cfg?.modparams ?? []) {
    if (m.file !== file || !isTlsModule(m.module) || m.value.kind !== 'string') continue;
    const spec = lookupTlsModparam(m.param);
    if (!spec || !(m.param === 'config' || spec.tlsCfgKey && lookupOption(spec.tlsCfgKey)?.isPath)) continue;
    const resolved = deployment.resolve(m.value.text);
    if (resolved.notAFile || !existing(deployment, resolved.local)) continue;
    links.push({ range: m.value.range, target: resolved.local, tooltip: elideSecretLooking(`${resolved.deployed} (${resolved.how})`) });
  }
  for (const inc of cfg?.includes ?? []) {
    if (inc.file !== file || inc.resolved.length !== 1) continue;
    links.push({ range: inc.targetRange, target: inc.resolved[0]!, tooltip: elideSecretLooking(inc.resolved[0]!) });
  }
  return links;
}

export function definitionAt(deployment: Deployment, file: string, pos: Position): Location[] {
  const tls = locateInTlsCfg(deployment, file, pos);
  if (tls?.kind === 'header') {
    // [server:IP:port] → the listen sockets it serves.
    return socketsForProfile(deployment, tls.profile).map((l) => ({ file: l.file, range: l.range }));
  }
  if (tls?.kind === 'value') {
    const spec = tls.option.name ? lookupOption(tls.option.name) : undefined;
    if (spec?.isPath && spec.isPath !== 'directory') {
      const resolved = deployment.resolve(tls.option.value);
      if (!resolved.notAFile && existing(deployment, resolved.local)) return [{ file: resolved.local, range: FILE_START }];
    }
    return [];
  }
  const k = locateInKamailioCfg(deployment, file, pos);
  if (!k) return [];
  switch (k.kind) {
    case 'route-call': {
      const out: Location[] = [];
      for (const info of deployment.kamailio!.fileInfo.values()) {
        for (const route of info.routes) if (route.kind === 'route' && route.name === k.call.name && route.nameRange) out.push({ file: route.file, range: route.nameRange });
      }
      return out;
    }
    case 'listen': {
      if (k.statement.proto !== 'tls') return [];
      return profilesForSocket(deployment, k.statement).map((s) => ({ file: s.file, range: s.profile.headerRange }));
    }
    case 'modparam-value': {
      if (!isTlsModule(k.statement.module) || k.statement.value.kind !== 'string') return [];
      if (k.statement.param === 'config' && deployment.tls) return deployment.tls.documents.map((d) => ({ file: d.file, range: FILE_START }));
      const resolved = deployment.resolve(k.statement.value.text);
      return existing(deployment, resolved.local) ? [{ file: resolved.local, range: FILE_START }] : [];
    }
    case 'include':
      return k.statement.resolved.map((f) => ({ file: f, range: FILE_START }));
    default:
      return [];
  }
}

export type SymbolKind = 'namespace' | 'property' | 'function' | 'constant' | 'event' | 'module' | 'field';

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  range: Range;
  selectionRange: Range;
  children?: DocumentSymbol[];
}

/** Names and details of symbols come from the file: bounded, escaped, no key-like run (quote.ts). */
const SYMBOL_TEXT_CHARS = 120;

export function documentSymbols(deployment: Deployment, file: string): DocumentSymbol[] {
  const shown = (s: DocumentSymbol): DocumentSymbol => ({
    ...s,
    name: excerpt(s.name, SYMBOL_TEXT_CHARS),
    ...(s.detail !== undefined ? { detail: excerpt(s.detail, SYMBOL_TEXT_CHARS) } : {}),
    ...(s.children ? { children: s.children.map(shown) } : {}),
  });
  return symbolsOf(deployment, file).map(shown);
}

function symbolsOf(deployment: Deployment, file: string): DocumentSymbol[] {
  const doc = tlsDocument(deployment, file);
  if (doc) {
    return doc.profiles.map((p) => ({
      name: p.headerText,
      detail: `${p.role} profile`,
      kind: 'namespace' as const,
      range: { start: p.headerRange.start, end: { line: p.lastLine, character: 0 } },
      selectionRange: p.headerRange,
      children: p.options.map((o) => ({ name: o.key, detail: o.value, kind: 'property' as const, range: o.keyRange.start.line === o.valueRange.end.line ? { start: o.keyRange.start, end: o.valueRange.end } : o.keyRange, selectionRange: o.keyRange })),
    }));
  }
  const info = deployment.kamailio?.fileInfo.get(file);
  if (!info) return [];
  const symbols: DocumentSymbol[] = [];
  for (const route of info.routes) {
    const name = route.name !== undefined ? `${route.kind}[${route.name}]` : route.kind;
    symbols.push({ name, kind: route.kind === 'event_route' ? 'event' : 'function', range: route.range, selectionRange: route.nameRange ?? route.range });
  }
  for (const d of info.defines) {
    if (!d.range) continue;
    symbols.push({ name: d.name, ...(d.value ? { detail: d.value } : {}), kind: 'constant', range: d.range, selectionRange: d.range });
  }
  for (const l of deployment.kamailio!.listens) {
    if (l.file !== file) continue;
    symbols.push({ name: `listen ${l.proto ? `${l.proto}:` : ''}${l.host}${l.port !== undefined ? `:${l.port}` : ''}`, kind: 'field', range: l.range, selectionRange: l.range });
  }
  for (const m of deployment.kamailio!.modules) {
    if (m.file !== file) continue;
    symbols.push({ name: `loadmodule ${m.module}`, kind: 'module', range: m.range, selectionRange: m.pathRange });
  }
  return symbols.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

export interface FoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'region' | 'comment';
}

/** tls.cfg: each profile from its header to its last non-blank line; kamailio.cfg: route blocks. */
export function foldingRanges(deployment: Deployment, file: string, text: string): FoldingRange[] {
  const doc = tlsDocument(deployment, file);
  const lines = text.split('\n');
  if (doc) {
    return doc.profiles
      .map((p) => {
        let end = Math.min(p.lastLine, lines.length - 1);
        while (end > p.headerRange.start.line && /^\s*(#.*)?\r?$/.test(lines[end] ?? '')) end--;
        return { startLine: p.headerRange.start.line, endLine: end, kind: 'region' as const };
      })
      .filter((f) => f.endLine > f.startLine);
  }
  const info = deployment.kamailio?.fileInfo.get(file);
  return (info?.routes ?? []).filter((r) => r.range.end.line > r.range.start.line).map((r) => ({ startLine: r.range.start.line, endLine: r.range.end.line }));
}
