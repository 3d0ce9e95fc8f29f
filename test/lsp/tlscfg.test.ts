// What an editor receives for a tls.cfg: exact codes, ranges, severities, the source, fix data
// in Diagnostic.data and the quick fixes built from it; edits move and clear diagnostics; closing
// clears them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol';
import { CATALOG } from '../../server/src/core/catalog';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { makeTempDir, lines } from '../helpers/tempDir';
import { rangeOf } from '../helpers/text';

interface FixData {
  title: string;
  isPreferred?: boolean;
  edits: { uri: string; range: Diagnostic['range']; newText: string }[];
}

function fixesOf(d: Diagnostic): FixData[] {
  const data = d.data as { fixes?: FixData[] } | undefined;
  return data?.fixes ?? [];
}

/** Severity settings that silence every code but the given ones (other rules cannot interfere). */
function onlyCodes(...codes: string[]): Record<string, string> {
  return Object.fromEntries(CATALOG.filter((e) => !codes.includes(e.code)).map((e) => [e.code, 'off']));
}

function one(diagnostics: Diagnostic[], code: string): Diagnostic {
  const hits = withCode(diagnostics, code);
  assert.equal(hits.length, 1, `expected one ${code}, got ${JSON.stringify(diagnostics.map((d) => d.code))}`);
  return hits[0]!;
}

test('tls.cfg mistakes: exact code, range, severity, source and fix data', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    const text = lines(
      'method = TLSv1.2+',
      '[server:default]',
      'method = TLSv1_2',
      'require_certiificate = yes',
    );
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', text);
    const { diagnostics, version } = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(version, 1);
    for (const d of diagnostics) assert.equal(d.source, 'sip-tls');

    const syntax = one(diagnostics, 'tlscfg.syntax');
    assert.deepEqual(syntax.range, rangeOf(text, 0, 'method'));
    assert.equal(syntax.severity, DiagnosticSeverity.Error);
    assert.match(syntax.message, /before the first profile header/);

    const badValue = one(diagnostics, 'tlscfg.bad-value');
    assert.deepEqual(badValue.range, rangeOf(text, 2, 'TLSv1_2'));
    assert.equal(badValue.severity, DiagnosticSeverity.Error);
    assert.deepEqual(fixesOf(badValue), [
      { title: "Replace with 'TLSv1.2'", isPreferred: true, edits: [{ uri, range: rangeOf(text, 2, 'TLSv1_2'), newText: 'TLSv1.2' }] },
    ]);

    const unknown = one(diagnostics, 'tlscfg.unknown-option');
    assert.deepEqual(unknown.range, rangeOf(text, 3, 'require_certiificate'));
    assert.equal(unknown.severity, DiagnosticSeverity.Error);
    assert.match(unknown.message, /Did you mean 'require_certificate'/);
    assert.deepEqual(fixesOf(unknown), [
      {
        title: "Replace with 'require_certificate'",
        isPreferred: true,
        edits: [{ uri, range: rangeOf(text, 3, 'require_certiificate'), newText: 'require_certificate' }],
      },
    ]);

    // The quick fix is built from Diagnostic.data alone.
    const actions = (await client.codeActions(uri, unknown.range, [unknown])) as CodeAction[];
    assert.deepEqual(actions.map((a) => a.title), ["Replace with 'require_certificate'", 'Ignore tlscfg.unknown-option on this line (sip-tls: ignore comment)']);
    assert.equal(actions[0]!.title, "Replace with 'require_certificate'");
    assert.equal(actions[0]!.kind, 'quickfix');
    assert.equal(actions[0]!.isPreferred, true);
    assert.deepEqual(actions[0]!.edit, { changes: { [uri]: [{ range: rangeOf(text, 3, 'require_certiificate'), newText: 'require_certificate' }] } });
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('diagnostics go to the exact URI the client opened, also in fix data', { timeout: 30_000 }, async () => {
  const dir = makeTempDir('sip-tls test ');
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path] });
  try {
    // A valid but unusual spelling of …/tls.cfg: 't' percent-encoded, the space as %20.
    const uri = fileUri(dir.path) + '/%74ls.cfg';
    const text = lines('[server:default]', 'require_certiificate = yes');
    await client.open(uri, 'kamailio-tls', text);
    const { diagnostics } = await client.waitForDiagnostics(uri, { version: 1 });
    assert.equal(fixesOf(one(diagnostics, 'tlscfg.unknown-option'))[0]!.edits[0]!.uri, uri);
    assert.equal(client.publishedFor(fileUri(dir.file('tls.cfg'))).length, 0);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('an edit moves a diagnostic, fixing it publishes an empty list, closing clears', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({
    workspaceFolders: [dir.path],
    settings: { severity: onlyCodes('tlscfg.unknown-option') },
  });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    const v1 = lines('[server:default]', 'require_certiificate = yes');
    await client.open(uri, 'kamailio-tls', v1);
    const first = await client.waitForDiagnostics(uri, { version: 1 });
    assert.deepEqual(first.diagnostics.map((d) => [d.code, d.range]), [['tlscfg.unknown-option', rangeOf(v1, 1, 'require_certiificate')]]);

    const v2 = lines('# TLS profiles', '[server:default]', '  require_certiificate = yes');
    await client.change(uri, v2, 2);
    const second = await client.waitForDiagnostics(uri, { version: 2 });
    assert.deepEqual(second.diagnostics.map((d) => [d.code, d.range]), [['tlscfg.unknown-option', rangeOf(v2, 2, 'require_certiificate')]]);

    await client.change(uri, lines('# TLS profiles', '[server:default]', 'require_certificate = yes'), 3);
    const third = await client.waitForDiagnostics(uri, { version: 3 });
    assert.deepEqual(third.diagnostics, []);

    await client.change(uri, v1, 4);
    assert.equal((await client.waitForDiagnostics(uri, { version: 4 })).diagnostics.length, 1);
    const mark = client.mark();
    await client.close(uri);
    const closed = await client.waitForDiagnostics(uri, { after: mark });
    assert.deepEqual(closed.diagnostics, []);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('rapid edits: only the newest version is published', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({
    workspaceFolders: [dir.path],
    settings: { severity: onlyCodes('tlscfg.unknown-option') },
    initializationOptions: { debounceMs: 300 },
  });
  try {
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', lines('[server:default]', 'bogus_a = 1'));
    for (let v = 2; v <= 6; v++) await client.change(uri, lines('[server:default]', `bogus_${v} = 1`), v);
    const last = await client.waitForDiagnostics(uri, { version: 6 });
    assert.equal(last.diagnostics.length, 1);
    assert.match(last.diagnostics[0]!.message, /bogus_6/);
    // Versions 1-5 were superseded within the debounce window: none of them was published.
    assert.deepEqual(client.publishedFor(uri).map((p) => p.version), [6]);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});

test('incremental edits (keystrokes) are applied to the right place', { timeout: 30_000 }, async () => {
  const dir = makeTempDir();
  const { client } = await LspTestClient.start({ workspaceFolders: [dir.path], settings: { severity: onlyCodes('tlscfg.unknown-option') } });
  try {
    const text = lines('[server:default]', 'method = TLSv1.2+', 'require_certificate = no');
    const uri = fileUri(dir.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', text);
    assert.deepEqual((await client.waitForDiagnostics(uri, { version: 1 })).diagnostics, []);
    // type a stray 'i' inside the option name, one keystroke
    await client.edit(uri, 2, [{ range: { start: { line: 2, character: 17 }, end: { line: 2, character: 17 } }, text: 'i' }]);
    const typo = one((await client.waitForDiagnostics(uri, { version: 2 })).diagnostics, 'tlscfg.unknown-option');
    assert.deepEqual(typo.range, rangeOf(lines('[server:default]', 'method = TLSv1.2+', 'require_certiificate = no'), 2, 'require_certiificate'));
    // delete it again, then insert a line above: the document stays in sync
    await client.edit(uri, 3, [{ range: { start: { line: 2, character: 17 }, end: { line: 2, character: 18 } }, text: '' }]);
    assert.deepEqual((await client.waitForDiagnostics(uri, { version: 3 })).diagnostics, []);
    await client.edit(uri, 4, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'verify_certiificate = no\n' }]);
    const moved = one((await client.waitForDiagnostics(uri, { version: 4 })).diagnostics, 'tlscfg.unknown-option');
    assert.equal(moved.range.start.line, 1);
  } finally {
    await client.shutdown();
    dir.remove();
  }
});
