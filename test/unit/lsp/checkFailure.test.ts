// The language server never publishes nothing because a check threw (issue 11): should the
// checker still fail after its own isolation, every open document gets a project.internal-error
// diagnostic, and the server log has the stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { LanguageSession } from '../../../server/src/lsp/session';
import { MemoryHost } from '../../../server/src/core/memoryHost';
import { pathToUri } from '../../../server/src/lsp/uris';

test('a check that throws publishes an internal-error diagnostic on every open document', async () => {
  for (const count of [1, 2, 5]) {
    const files: Record<string, string> = {};
    for (let i = 0; i < count; i++) files[i % 2 === 0 ? `/w/kamailio${i}.cfg` : `/w/tls${i}.cfg`] = i % 2 === 0 ? 'listen=tls:192.0.2.1:5061\n' : '[server:default]\n';
    const published = new Map<string, Diagnostic[]>();
    const errors: string[] = [];
    const session = new LanguageSession(
      new MemoryHost(files),
      { debounceMs: 0, trusted: false },
      (uri, _version, diagnostics) => published.set(uri, diagnostics),
      { info: () => undefined, warn: () => undefined, error: (m) => errors.push(m) },
    );
    session.checker.check = () => {
      throw new TypeError(`injected failure\n${'x'.repeat(1000)}`);
    };
    for (const [path, text] of Object.entries(files)) session.documentChanged(TextDocument.create(pathToUri(path), path.includes('tls') ? 'kamailio-tls' : 'kamailio', 1, text));
    for (let i = 0; i < 100 && published.size < count; i++) await new Promise((r) => setTimeout(r, 10));
    session.dispose();
    assert.equal(published.size, count, 'every open document is published');
    for (const [uri, diagnostics] of published) {
      assert.equal(diagnostics.length, 1, uri);
      assert.equal(diagnostics[0]!.code, 'project.internal-error');
      assert.match(diagnostics[0]!.message, /injected failure/);
      assert.ok(diagnostics[0]!.message.length < 400, 'bounded');
      assert.doesNotMatch(diagnostics[0]!.message, /\n/);
    }
    assert.ok(errors.some((e) => /injected failure/.test(e) && /\n\s+at /.test(e)), 'the log has the stack');
  }
});
