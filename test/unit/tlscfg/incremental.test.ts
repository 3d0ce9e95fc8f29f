// reparseTlsConfig must give exactly what parseTlsConfig gives for the new text, after any edit —
// and keep the previous objects where nothing changed, which is what makes typing cheap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTlsConfig } from '../../../server/src/core/tlscfg/parser';
import { reparseTlsConfig } from '../../../server/src/core/tlscfg/incremental';

const FILE = '/etc/kamailio/tls.cfg';
const TEXT = `# fleet
[server:default]
method = TLSv1.2+
certificate = /etc/kamailio/certs/default.pem
private_key = /etc/kamailio/certs/default.key

[server:10.0.0.1:5061]
# the carrier-facing socket
certificate = "/etc/kamailio/certs/carrier.pem"
private_key = /etc/kamailio/certs/carrier.key
verify_depth = 3
cipher_list = HIGH:!aNULL
[client:any]
server_name = sip.example.com
verify_certificate = yes
[client:default]
verify_certificate = no`;

test('an edit of one value patches that profile only; the others keep their objects', () => {
  const doc = parseTlsConfig(FILE, TEXT);
  const now = TEXT.replace('verify_depth = 3', 'verify_depth = 4');
  const next = reparseTlsConfig(doc, TEXT, now);
  assert.deepEqual(next, parseTlsConfig(FILE, now));
  assert.notEqual(next, doc);
  assert.equal(next.profiles[0], doc.profiles[0]);
  assert.equal(next.profiles[2], doc.profiles[2]);
  assert.notEqual(next.profiles[1], doc.profiles[1]);
  // A comment or a blank line: the same document object.
  assert.equal(reparseTlsConfig(doc, TEXT, TEXT.replace('# the carrier', '# the main carrier')), doc);
  assert.equal(reparseTlsConfig(doc, TEXT, TEXT.replace('\n\n[server:10', '\n  \n[server:10')), doc);
});

test('random edits anywhere: always what a full parse gives', () => {
  const snippets = ['x', ' ', '"', '\\', '#', '=', '[', ']', '[server:any]', 'server:default]', '\n', 'method', ' = TLSv1.3', '-1', 'é', '\t', '\r', 'certificate = a.pem'];
  let seed = 11;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return Math.floor((seed / 2147483648) * n);
  };
  let text = TEXT;
  let doc = parseTlsConfig(FILE, text);
  let patched = 0;
  for (let step = 0; step < 4000; step++) {
    if (step % 8 === 0) {
      text = TEXT;
      doc = parseTlsConfig(FILE, text);
    }
    const at = random(text.length + 1);
    const now = random(3) === 0 ? text.slice(0, at) + text.slice(at + 1 + random(2)) : text.slice(0, at) + snippets[random(snippets.length)]! + text.slice(at);
    const next = reparseTlsConfig(doc, text, now);
    assert.deepEqual(next, parseTlsConfig(FILE, now), `step ${step}: ${JSON.stringify(now.slice(Math.max(0, at - 30), at + 30))}`);
    if (next !== doc && next.profiles.some((p, i) => p === doc.profiles[i])) patched++;
    text = now;
    doc = next;
  }
  assert.ok(patched > 400, `the single-profile path was taken ${patched} times`);
});

test('edits that reach beyond their line or profile give what a full parse gives', () => {
  const withNote = TEXT.replace('# the carrier-facing socket', '# the carrier-facing socket \\');
  const cases: [string, string][] = [
    // A comment ending in a backslash on a profile's last line swallows the next header.
    [TEXT, TEXT.replace('cipher_list = HIGH:!aNULL', 'cipher_list = HIGH:!aNULL # \\')],
    // A header written over a body line starts a profile.
    [TEXT, TEXT.replace('verify_depth = 3', '[server:any]')],
    // Removing the backslash of a comment gives the swallowed line back.
    [withNote, withNote.replace('socket \\', 'socket ')],
    // A quote left open runs into the next lines.
    [TEXT, TEXT.replace('verify_depth = 3', 'verify_depth = "3')],
  ];
  for (const [old, now] of cases) {
    assert.notEqual(old, now);
    assert.deepEqual(reparseTlsConfig(parseTlsConfig(FILE, old), old, now), parseTlsConfig(FILE, now), JSON.stringify(now));
  }
});
