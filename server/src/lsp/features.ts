// Editor features over LSP: hover, links, definition, symbols, folding, completion. The core
// (core/features) computes them; this file only converts types and URIs.
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  FoldingRangeKind,
  type CompletionItem,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type Hover,
  type Location,
  type Position,
} from 'vscode-languageserver';
import type { Deployment } from '../core/deployment';
import { hoverAt } from '../core/features/hover';
import { definitionAt, documentLinks, documentSymbols, foldingRanges, type DocumentSymbol as CoreSymbol } from '../core/features/navigation';
import { completionsAt, type CompletionKind } from '../core/features/completion';
import type { LanguageSession } from './session';
import { pathToUri } from './uris';

interface Target {
  deployment: Deployment | undefined;
  path: string;
  text: string;
  isTls: boolean;
}

function target(session: LanguageSession, uri: string): Target | undefined {
  const doc = session.documents.get(uri);
  if (!doc) return undefined;
  return { deployment: session.deploymentFor(doc.path), path: doc.path, text: doc.text, isTls: session.isTlsDocument(doc) };
}

export function hover(session: LanguageSession, uri: string, position: Position): Hover | null {
  const t = target(session, uri);
  if (!t?.deployment) return null;
  const h = hoverAt(t.deployment, t.path, position);
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown.value }, range: h.range } : null;
}

export function links(session: LanguageSession, uri: string): DocumentLink[] | null {
  const t = target(session, uri);
  if (!t?.deployment) return null;
  return documentLinks(t.deployment, t.path).map((l) => ({ range: l.range, target: pathToUri(l.target), tooltip: l.tooltip }));
}

export function definition(session: LanguageSession, uri: string, position: Position): Location[] | null {
  const t = target(session, uri);
  if (!t?.deployment) return null;
  return definitionAt(t.deployment, t.path, position).map((l) => ({ uri: session.uriFor(l.file), range: l.range }));
}

const SYMBOL_KIND: Record<CoreSymbol['kind'], SymbolKind> = {
  namespace: SymbolKind.Namespace,
  property: SymbolKind.Property,
  function: SymbolKind.Function,
  constant: SymbolKind.Constant,
  event: SymbolKind.Event,
  module: SymbolKind.Module,
  field: SymbolKind.Field,
};

function toSymbol(s: CoreSymbol): DocumentSymbol {
  return {
    name: s.name,
    ...(s.detail ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: s.range,
    selectionRange: s.selectionRange,
    ...(s.children ? { children: s.children.map(toSymbol) } : {}),
  };
}

export function symbols(session: LanguageSession, uri: string): DocumentSymbol[] | null {
  const t = target(session, uri);
  if (!t?.deployment) return null;
  return documentSymbols(t.deployment, t.path).map(toSymbol);
}

export function folding(session: LanguageSession, uri: string): FoldingRange[] | null {
  const t = target(session, uri);
  if (!t?.deployment) return null;
  return foldingRanges(t.deployment, t.path, t.text).map((f) => ({ startLine: f.startLine, endLine: f.endLine, ...(f.kind === 'region' ? { kind: FoldingRangeKind.Region } : {}) }));
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  snippet: CompletionItemKind.Snippet,
  file: CompletionItemKind.File,
  folder: CompletionItemKind.Folder,
  keyword: CompletionItemKind.Keyword,
  module: CompletionItemKind.Module,
};

export function completion(session: LanguageSession, uri: string, position: Position): CompletionItem[] | null {
  const t = target(session, uri);
  if (!t) return null;
  return completionsAt(t.deployment, t.path, t.text, position, t.isTls).map((c) => ({
    label: c.label,
    kind: COMPLETION_KIND[c.kind],
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation.value } } : {}),
    textEdit: { range: c.range, newText: c.insertText },
    insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    ...(c.sortText ? { sortText: c.sortText } : {}),
  }));
}
