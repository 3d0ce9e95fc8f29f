// "Ignore CODE on this line": a code action that writes the suppression comment
// (core/suppressions.ts) alone on the line above the finding, with its indentation, so Kamailio
// reads it as a comment in both languages. The reason is left for the user to write: a
// suppression without one is itself a warning.
import { CodeActionKind, TextEdit, type CodeAction, type CodeActionParams } from 'vscode-languageserver';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { isKnownCode } from '../core/catalog';

export const REASON_PLACEHOLDER = 'why this is fine here';

export function ignoreActionsFor(params: CodeActionParams, lineText: (line: number) => string | undefined): CodeAction[] {
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    const code = diagnostic.code;
    // The code comes back from the client: only a catalog code is written into the document.
    if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof code !== 'string' || !isKnownCode(code) || code.startsWith('suppression.')) continue;
    const line = diagnostic.range.start.line;
    if (seen.has(`${code}\0${line}`)) continue;
    seen.add(`${code}\0${line}`);
    const text = lineText(line);
    if (text === undefined) continue;
    const indent = /^[ \t]*/.exec(text)![0];
    actions.push({
      title: `Ignore ${code} on this line (sip-tls: ignore comment)`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [params.textDocument.uri]: [TextEdit.insert({ line, character: 0 }, `${indent}# sip-tls: ignore ${code} -- ${REASON_PLACEHOLDER}\n`)] } },
    });
  }
  return actions;
}
