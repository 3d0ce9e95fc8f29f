// The corpus of real configurations (/work/shared/corpus, see its README): every main file is
// evaluated with the default target version and no outside define, and every file is parsed on
// its own. No exception is allowed, and the only kamcfg.syntax problems are the real faults
// listed below — each confirmed with `kamailio -c` of 5.6.3.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { NodeHost } from '../../server/src/core/nodeHost';
import { evaluateKamailioConfig, parseKamailioFile } from '../../server/src/core/kamailio';
import { DEFAULT_VERSION, parseVersion } from '../../server/src/core/version';
import { readerOver } from './kamailio/sourceReader';
import { corpusLocation } from '../helpers/corpus';
import { EXPECTED_SYNTAX_FAULTS } from './corpusFaults';

const location = corpusLocation();
const CORPUS = location.dir;
const present = location.present;

if (!present) {
  const message = `corpus not found at ${CORPUS} (set SIP_TLS_CORPUS to its folder)`;
  if (location.required) {
    test('the configuration corpus is present', () => assert.fail(message));
  } else {
    console.warn(`\n*** SKIPPING the corpus tests: ${message} ***\n`);
  }
}

interface Row {
  path: string;
  role: string;
}

function manifest(): Row[] {
  const lines = readFileSync(path.join(CORPUS, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const header = lines[0]!.split('\t');
  const col = (name: string) => header.indexOf(name);
  return lines.slice(1).map((l) => {
    const f = l.split('\t');
    return { path: f[col('path_in_corpus')]!, role: f[col('role')]! };
  });
}

const EXPECTED = EXPECTED_SYNTAX_FAULTS;

test('every main configuration evaluates; kamcfg.syntax appears only for the known real faults', { skip: !present }, () => {
  const reader = readerOver(new NodeHost());
  const version = parseVersion(DEFAULT_VERSION)!;
  const root = path.join(CORPUS, 'kamailio') + path.sep;
  const found = new Map<string, string>();
  let mains = 0;
  for (const row of manifest()) {
    if (row.role !== 'main') continue;
    mains++;
    const file = path.join(CORPUS, row.path);
    const cfg = evaluateKamailioConfig(file, reader, { defines: [], version, mapPath: (p) => p });
    assert.ok(cfg.files.includes(file), row.path);
    for (const [f, info] of cfg.fileInfo) {
      for (const p of info.problems) {
        assert.equal(p.code, 'kamcfg.syntax');
        found.set(`${f.slice(root.length)}:${p.range.start.line + 1}`, p.message);
      }
    }
  }
  assert.equal(mains, 59);
  assert.deepEqual([...found.keys()].sort(), Object.keys(EXPECTED).sort(), [...found].map(([k, m]) => `${k}: ${m}`).join('\n'));
  assert.match(found.get('webstean__simple-sip-proxy/etc/kamailio/kamailio.cfg:40')!, /^Kamailio ignores '#!endif' followed by text: '#!endif WITH_APIBAN'/);
  assert.match(found.get('john8675309__kamailio-wss/kamailio.cfg:636')!, /the string that starts on line 420 runs across a line break/);
});

test('every corpus file parses on its own (tokens, items, standalone info)', { skip: !present }, () => {
  let files = 0;
  for (const row of manifest()) {
    if (!row.path.startsWith('kamailio/')) continue;
    const file = path.join(CORPUS, row.path);
    const text = readFileSync(file, 'utf8');
    const parsed = parseKamailioFile(file, text);
    assert.ok(parsed.lexed.tokens.length + parsed.lexed.comments.length > 0 || text.trim() === '', row.path);
    assert.ok(Array.isArray(parsed.items));
    assert.equal(parsed.info.file, file);
    files++;
  }
  assert.equal(files, 200);
});
