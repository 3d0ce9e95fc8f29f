// Suppression comments in the editor, through the real bundled server over stdio: a suppressed
// finding is not published, the suppression's own findings are, and the "Ignore CODE on this
// line" action writes a comment that, once applied, suppresses the finding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CodeAction, TextEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { lines, makeTempDir } from '../helpers/tempDir';

function applyInsert(text: string, edit: TextEdit): string {
  const all = text.split('\n');
  all.splice(edit.range.start.line, 0, ...edit.newText.replace(/\n$/, '').split('\n'));
  return all.join('\n');
}

test('editor: suppressed findings are not published; the ignore action suppresses; its comment without a reason warns', { timeout: 60_000 }, async () => {
  const dir = makeTempDir();
  const text = lines('[server:default]', 'method = TLSv1.2+', '    require_certiificate = no', 'verify_certiificate = no # sip-tls: ignore tlscfg.unknown-option -- legacy name kept for a script');
  dir.write({ 'tls.cfg': text });
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', text);
    const first = await client.waitForDiagnostics(uri, { version: 1 });
    const typos = withCode(first.diagnostics, 'tlscfg.unknown-option');
    assert.deepEqual(typos.map((d) => d.range.start.line), [2], 'line 3 is suppressed, line 2 is not');

    const actions = (await client.codeActions(uri, typos[0]!.range, typos)) as CodeAction[];
    const ignore = actions.find((a) => a.title === 'Ignore tlscfg.unknown-option on this line (sip-tls: ignore comment)');
    assert.ok(ignore, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(ignore.isPreferred, undefined, 'never the preferred fix');
    const edit = ignore.edit!.changes![uri]![0]!;
    assert.equal(edit.newText, '    # sip-tls: ignore tlscfg.unknown-option -- why this is fine here\n', 'own line above, same indentation');
    const withComment = applyInsert(text, edit);
    await client.change(uri, withComment, 2);
    const second = await client.waitForDiagnostics(uri, { version: 2 });
    assert.deepEqual(withCode(second.diagnostics, 'tlscfg.unknown-option'), []);

    // Without the reason: still suppressed, and the comment itself is a warning.
    await client.change(uri, withComment.replace(' -- why this is fine here', ''), 3);
    const third = await client.waitForDiagnostics(uri, { version: 3 });
    assert.deepEqual(withCode(third.diagnostics, 'tlscfg.unknown-option'), []);
    assert.deepEqual(withCode(third.diagnostics, 'suppression.no-reason').map((d) => [d.range.start.line, d.severity]), [[2, 2]]);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
