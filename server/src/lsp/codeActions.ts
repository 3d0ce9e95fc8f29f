// Quick fixes straight from the fix data the diagnostics carry: nothing is recomputed.
import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  TextEdit,
  type CodeAction,
  type CodeActionParams,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, fixDataOf, type FixDataForEditor } from './diagnostics';

export interface EditCapabilities {
  /** The client accepts WorkspaceEdit.documentChanges with create operations. */
  createFiles: boolean;
}

function workspaceEditFor(fix: FixDataForEditor, caps: EditCapabilities): WorkspaceEdit | undefined {
  if (!fix.createFiles || fix.createFiles.length === 0) {
    const changes: Record<string, TextEdit[]> = {};
    for (const e of fix.edits) (changes[e.uri] ??= []).push(TextEdit.replace(e.range, e.newText));
    return { changes };
  }
  // A fix that writes a new file must never overwrite one: without create support, offer nothing.
  if (!caps.createFiles) return undefined;
  const documentChanges: (CreateFile | TextDocumentEdit)[] = [];
  for (const c of fix.createFiles) {
    documentChanges.push(CreateFile.create(c.uri, { overwrite: false, ignoreIfExists: false }));
    documentChanges.push(
      TextDocumentEdit.create({ uri: c.uri, version: null }, [TextEdit.insert({ line: 0, character: 0 }, c.content)]),
    );
  }
  const byUri = new Map<string, TextEdit[]>();
  for (const e of fix.edits) {
    const list = byUri.get(e.uri) ?? [];
    list.push(TextEdit.replace(e.range, e.newText));
    byUri.set(e.uri, list);
  }
  for (const [uri, edits] of byUri) documentChanges.push(TextDocumentEdit.create({ uri, version: null }, edits));
  return { documentChanges };
}

export function codeActionsFor(params: CodeActionParams, caps: EditCapabilities): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some((kind) => CodeActionKind.QuickFix === kind || CodeActionKind.QuickFix.startsWith(kind + '.'))) {
    return [];
  }
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    for (const fix of fixDataOf(diagnostic)) {
      const edit = workspaceEditFor(fix, caps);
      if (!edit) continue;
      const action: CodeAction = { title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
      if (fix.isPreferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  return actions;
}
