// Quick fixes straight from the fix data the diagnostics carry: nothing is recomputed.
import {
  CodeActionKind,
  CreateFile,
  TextDocumentEdit,
  TextEdit,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic,
  type Range,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE, fixDataOf, type FixDataForEditor } from './diagnostics';
import { visibleControls } from '../core/util/visible';

export interface EditCapabilities {
  /** The client accepts WorkspaceEdit.documentChanges with create operations. */
  createFiles: boolean;
  /** Client-side commands a code action may run (declared by the client in initializationOptions). */
  commands: readonly string[];
}

/**
 * Fixes that are a client command rather than an edit: a self-signed certificate is fixed by a
 * CA-signed one, which the VS Code client's lab command creates (it asks where).
 */
const COMMAND_FIXES: Record<string, { title: string; command: string }> = {
  'cert.self-signed': { title: 'Generate a lab CA and a CA-signed certificate…', command: 'sipTls.generateLabPki' },
};

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

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return !(before(a.end, b.start) || before(b.end, a.start));
}

/**
 * "Fix all of this kind in the file": the one obvious fix (the preferred one, or the only one) of
 * every diagnostic with this code in the document, when there are at least two. Fixes that
 * create files are left out (each new file deserves its own look), and so is a fix whose edits
 * overlap one already taken.
 */
function fixAllOfKind(code: string, siblings: readonly Diagnostic[]): CodeAction | undefined {
  const chosen: { diagnostic: Diagnostic; fix: FixDataForEditor }[] = [];
  for (const d of siblings) {
    if (d.source !== DIAGNOSTIC_SOURCE || d.code !== code) continue;
    const fixes = fixDataOf(d);
    const fix = fixes.length === 1 ? fixes[0] : fixes.find((f) => f.isPreferred);
    if (!fix || (fix.createFiles && fix.createFiles.length > 0)) continue;
    chosen.push({ diagnostic: d, fix });
  }
  if (chosen.length < 2) return undefined;
  const changes: Record<string, TextEdit[]> = {};
  const taken: { uri: string; range: Range }[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const { diagnostic, fix } of chosen) {
    if (fix.edits.some((e) => taken.some((t) => t.uri === e.uri && overlaps(t.range, e.range)))) continue;
    for (const e of fix.edits) {
      (changes[e.uri] ??= []).push(TextEdit.replace(e.range, e.newText));
      taken.push({ uri: e.uri, range: e.range });
    }
    diagnostics.push(diagnostic);
  }
  if (diagnostics.length < 2) return undefined;
  return { title: `Fix all ${code} in this file (${diagnostics.length})`, kind: CodeActionKind.QuickFix, diagnostics, edit: { changes } };
}

/** `siblings`: every diagnostic published for the document (for "fix all of this kind"). */
export function codeActionsFor(params: CodeActionParams, caps: EditCapabilities, siblings: readonly Diagnostic[] = []): CodeAction[] {
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
      // A title names files and profiles from the repository: shown as plain text, controls visible.
      const action: CodeAction = { title: visibleControls(fix.title), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit };
      if (fix.isPreferred) action.isPreferred = true;
      actions.push(action);
    }
  }
  for (const diagnostic of params.context.diagnostics) {
    const extra = diagnostic.source === DIAGNOSTIC_SOURCE && typeof diagnostic.code === 'string' ? COMMAND_FIXES[diagnostic.code] : undefined;
    if (extra && caps.commands.includes(extra.command)) {
      actions.push({ title: extra.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], command: { title: extra.title, command: extra.command } });
    }
  }
  const codes = new Set(params.context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE && typeof d.code === 'string').map((d) => d.code as string));
  for (const code of codes) {
    const all = fixAllOfKind(code, siblings);
    if (all) actions.push(all);
  }
  return actions;
}
