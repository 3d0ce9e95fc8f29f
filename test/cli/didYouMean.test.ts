// "Did you mean …?" for mistyped commands, options and values, through the real CLI: a typo of
// any documented option (one letter dropped, doubled, swapped or changed) is answered with a
// documented option at least as close as the one meant, with exit code 2; and every option the
// help documents is one the parser takes (the help is where suggestions come from).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance } from '../../server/src/core/util/suggest';
import { documentedOptions } from '../../server/src/cli/suggest';
import { UsageError, parseArgs } from '../../server/src/cli/args';
import { runCli } from '../helpers/cli';
import { Rng } from '../helpers/fuzz/prng';
import { foldersRemovedAfter } from './fixtures';

const { empty } = foldersRemovedAfter();
const TOPICS = ['check', 'init', 'show', 'fullchain', 'probe', 'lab', 'serve'];
/** The argument that makes each command reach option parsing without doing anything. */
const LEAD: Record<string, string[]> = { probe: ['sip.example.com'], show: ['x.pem'], fullchain: ['x.pem'], lab: ['out'] };

/** One plausible typo of a long option (never the option itself). */
function typo(option: string, rng: Rng): string {
  const body = option.slice(2);
  for (;;) {
    const i = rng.int(body.length);
    const kind = rng.int(4);
    const t =
      kind === 0 ? body.slice(0, i) + body.slice(i + 1)
      : kind === 1 ? body.slice(0, i) + body[i] + body.slice(i)
      : kind === 2 && i + 1 < body.length ? body.slice(0, i) + body[i + 1] + body[i] + body.slice(i + 2)
      : body.slice(0, i) + rng.pick(['a', 'e', 'x', 'r']) + body.slice(i + 1);
    if (t !== body && t.length >= 3) return `--${t}`;
  }
}

/** The parser's answer to argv (it is pure; the CLI prints this message with exit code 2). */
function usageError(argv: string[]): string | undefined {
  try {
    parseArgs(argv, '/tmp');
    return undefined;
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
}

test('every documented option is one the parser takes', () => {
  for (const topic of TOPICS) {
    for (const option of documentedOptions(topic)) {
      // serve's transports take their value after '=' (--socket=PORT).
      const taken = [option, `${option}=1`].some((o) => !(usageError([topic, ...(LEAD[topic] ?? []), o, 'x']) ?? '').includes(`unknown option '${o}'`));
      assert.ok(taken, `${topic} ${option}`);
    }
  }
});

test('a mistyped option of any command is answered with the closest documented option (parser, many typos)', () => {
  const rng = new Rng(5);
  for (let round = 0; round < 8; round++) {
    for (const topic of TOPICS) {
      for (const option of documentedOptions(topic).filter((o) => o !== '--help')) {
        const wrong = typo(option, rng);
        if (documentedOptions(topic).includes(wrong)) continue;
        const message = usageError([topic, ...(LEAD[topic] ?? []), wrong, 'x']) ?? '';
        const said = /unknown option '([^']+)'; did you mean '([^']+)'\?/.exec(message);
        assert.ok(said, `${topic} ${wrong} (for ${option}): ${message}`);
        assert.ok(documentedOptions(topic).includes(said[2]!), `${said[2]} is documented for ${topic}`);
        assert.ok(editDistance(wrong, said[2]!) <= editDistance(wrong, option), `${wrong}: ${said[2]} is no closer than ${option}`);
      }
    }
  }
});

test('through the CLI: a mistyped option of each command, exit 2 and the suggestion on stderr', () => {
  const rng = new Rng(6);
  const dir = empty();
  for (const topic of TOPICS) {
    const options = documentedOptions(topic).filter((o) => o !== '--help');
    assert.ok(options.length > 0, topic);
    for (const option of [rng.pick(options)]) {
      const wrong = typo(option, rng);
      if (documentedOptions(topic).includes(wrong)) continue;
      const run = runCli([topic, ...(LEAD[topic] ?? []), wrong, 'x'], { cwd: dir.path });
      assert.equal(run.code, 2, `${topic} ${wrong}: ${run.stderr}`);
      const said = /unknown option '([^']+)'; did you mean '([^']+)'\?/.exec(run.stderr);
      assert.ok(said, `${topic} ${wrong} (for ${option}): ${run.stderr}`);
      assert.equal(said[1], wrong);
      assert.ok(documentedOptions(topic).includes(said[2]!), `${said[2]} is documented for ${topic}`);
      assert.ok(editDistance(wrong, said[2]!) <= editDistance(wrong, option), `${wrong}: ${said[2]} is no closer than ${option}`);
    }
  }
});

test('a mistyped command, help topic or value is answered too; something far from everything is not', () => {
  const dir = empty();
  const cases: [string[], string | undefined][] = [
    [['chek'], 'check'],
    [['shwo', 'x.pem'], 'show'],
    [['prob', 'h'], 'probe'],
    [['fulchain', 'x'], 'fullchain'],
    [['--verison'], '--version'],
    [['help', 'chekc'], 'check'],
    [['check', '--format', 'sarf'], 'sarif'],
    [['check', '--format', 'JSON'], 'json'],
    [['check', '--fail-on', 'warnings'], 'warning'],
    [['check', '--severity', 'tlscfg.unknown-optoin=off'], 'tlscfg.unknown-option'],
    [['check', '--platform', 'debian12'], 'debian-12'],
    [['check', '--nogit'], '--no-git'],
    [['check', '--no-colour'], '--no-color'],
    [['frobnicate'], undefined],
    [['check', '--zzzzzzzz'], undefined],
  ];
  for (const [args, suggestion] of cases) {
    const run = runCli(args, { cwd: dir.path });
    assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
    if (suggestion === undefined) assert.doesNotMatch(run.stderr, /did you mean/, args.join(' '));
    else assert.ok(run.stderr.includes(`; did you mean '${suggestion}'?`), `${args.join(' ')}: ${run.stderr}`);
    assert.equal(run.stdout, '');
  }
});
