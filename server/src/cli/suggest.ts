// "Did you mean …?" for a mistyped command, option or value, as git and cargo answer. The
// options a command knows are the ones its help text documents, so a suggestion can never name
// an option the help does not explain (test/cli/didYouMean.test.ts holds the parser to the help).
import { closestMatch } from '../core/util/suggest';
import { helpFor } from './help';

export const COMMANDS = ['check', 'explain', 'init', 'show', 'fullchain', 'probe', 'lab', 'serve', 'help'] as const;

/** `; did you mean 'x'?` when one candidate is a plausible typo of `word`, else ''. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closestMatch(word, candidates);
  return c !== undefined && c !== word ? `; did you mean '${c}'?` : '';
}

/** The long options the help of `topic` (undefined: the main help) documents, e.g. `--max-warnings`. */
export function documentedOptions(topic: string | undefined): string[] {
  return [...new Set(helpFor(topic).match(/(?<![\w-])--[a-z][a-z0-9-]*/g) ?? [])];
}

/** `unknown option '--frmat'; did you mean '--format'?` for an option of `topic`. */
export function unknownOption(prefix: string, name: string, topic: string | undefined): string {
  return `${prefix}unknown option '${name}'${didYouMean(name, documentedOptions(topic))}`;
}
