// A file named on the command line that is plainly no Kamailio configuration: checking it as
// kamailio.cfg answers nonsense (package.json gave 40 "Unbalanced braces" errors, README.md
// "include_file must be in double quotes"). What it is, said in words, so that the check can
// refuse it like any usage error. Key and certificate material and OpenSSL configurations are
// recognised by the core (discovery.ts notAConfiguration), which never parses them at all.
import * as path from 'node:path';

const MARKDOWN = new Set(['.md', '.markdown', '.mdown', '.mkd']);
const YAML = new Set(['.yml', '.yaml']);

/**
 * What `file` is instead of a configuration, or undefined when it may be one. A name ending in
 * .cfg is always taken for a configuration: Kamailio would read it whatever it holds, and the
 * check says what Kamailio then does.
 */
export function otherKindOfFile(file: string, text: string): string | undefined {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.cfg') return undefined;
  if (MARKDOWN.has(ext)) return 'Markdown text, not a configuration';
  if (YAML.has(ext)) return 'a YAML document, not a configuration';
  if (ext === '.json' || looksLikeJson(text)) return 'a JSON document, not a configuration';
  return undefined;
}

function looksLikeJson(text: string): boolean {
  const head = text.trimStart();
  if (!head.startsWith('{') && !head.startsWith('[')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
