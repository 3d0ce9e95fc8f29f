import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpression, expressionIsTrue, type DefineLookup } from '../../../server/src/core/kamailio/expression';
import { applySubstRules, parseSubstRule, splitSubst } from '../../../server/src/core/kamailio/subst';
import { nextSkipEvent, parseCommandLineDefine } from '../../../server/src/core/kamailio/preprocessor';

const defs: Record<string, string | null> = { KAMAILIO_VERSION: '6001000', WITH_TLS: null, NAME: '"kam"' };
const lookup: DefineLookup = (n) => (n in defs ? (defs[n] === null ? { defined: true } : { defined: true, value: defs[n]! }) : { defined: false });

test('#!ifexp expressions: defines as values, numbers vs strings, precedence', () => {
  assert.equal(expressionIsTrue('KAMAILIO_VERSION >= 5007000', lookup), true);
  assert.equal(expressionIsTrue('KAMAILIO_VERSION < 6000000', lookup), false);
  assert.equal(expressionIsTrue('WITH_TLS && !MISSING', lookup), true);
  assert.equal(expressionIsTrue('NAME == "kam"', lookup), true);
  assert.equal(expressionIsTrue('MISSING != ""', lookup), true, 'an undefined name is 0');
  assert.equal(evaluateExpression('1 + 2 * 3', lookup), 7);
  assert.equal(evaluateExpression('(1 + 2) * 3', lookup), 9);
  assert.equal(evaluateExpression('1 +', lookup), undefined);
  assert.equal(expressionIsTrue('f(x)', lookup), false, 'what cannot be evaluated counts as false');
});

test('#!subst rules: separators, escaped separators, flags, back-references, $def()', () => {
  assert.deepEqual(splitSubst('/a\\/b/c/g'), { pattern: 'a/b', replacement: 'c', flags: 'g' });
  assert.equal(splitSubst('/a/b'), undefined);
  const rules = [parseSubstRule('/(ab)+/x\\1/g')!, parseSubstRule('!HOST!sip.example.com!')!, parseSubstRule('/[[:digit:]]+/N/')!];
  assert.equal(applySubstRules(rules, 'abab-ab HOST HOST 12 34', () => undefined), 'xab-xab sip.example.com HOST N 34');
  const i = parseSubstRule('/host/$def(H)/i')!;
  assert.equal(applySubstRules([i], 'HOST', (n) => (n === 'H' ? '10.0.0.1' : undefined)), '10.0.0.1');
  assert.equal(parseSubstRule('/a/b/q'), undefined, 'unknown flag');
});

test('the IFDEF_SKIP scan finds directives anywhere, even in comments, and notes ignored ones', () => {
  const text = 'x /* #!ifdef A\n*/ "#!else\n" #!endif x\n#!endif';
  const e1 = nextSkipEvent(text, 0, true)!;
  assert.deepEqual([e1.kind, e1.id?.text, e1.start, e1.end], ['ifdef', 'A', 5, 15]);
  const e2 = nextSkipEvent(text, e1.end, true)!;
  assert.deepEqual([e2.kind, e2.start, e2.end], ['else', 19, 26]);
  const e3 = nextSkipEvent(text, e2.end, true)!;
  assert.equal(e3.kind, 'ignored');
  const e4 = nextSkipEvent(text, e3.end, true)!;
  assert.equal(e4.kind, 'ignored');
  assert.match(e4.message!, /at the very end of the file/);
  assert.equal(nextSkipEvent('#!ifexp 1\n', 0, false), undefined, '#!ifexp is unknown before 5.7');
});

test('-A NAME and -A NAME=VALUE', () => {
  assert.deepEqual(parseCommandLineDefine('WITH_TLS'), { name: 'WITH_TLS' });
  assert.deepEqual(parseCommandLineDefine('IP=10.0.0.1'), { name: 'IP', value: '10.0.0.1' });
  assert.equal(parseCommandLineDefine('1BAD'), undefined);
});
