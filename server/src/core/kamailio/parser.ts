// One kamailio.cfg file, parsed on its own: tokens, the top-level items in order (preprocessor
// directives, includes, core parameters, module statements, route blocks) and the file's info as
// it stands without any outside define (a standalone evaluation). The result depends only on the
// text, so callers cache it by text; evaluateKamailioConfig combines parses under the
// deployment's defines.
import { LineIndex } from '../text';
import { DEFAULT_VERSION, parseVersion } from '../version';
import type { KamailioFileInfo } from './model';
import { lexKamailio, type LexResult } from './lexer';
import { StatementParser, type StatementItem, type TokenSource } from './statements';
import { evaluateParsedFileAlone } from './evaluate';

export interface ParsedKamailioFile {
  file: string;
  text: string;
  /** The file evaluated alone: no outside defines, includes not followed, default version. */
  info: KamailioFileInfo;
  lines: LineIndex;
  /** The whole file lexed from the start (Kamailio's INITIAL state throughout). */
  lexed: LexResult;
  /** Top-level items in source order, every #!ifdef branch included, no define expanded. */
  items: StatementItem[];
  /** The file lexed from `offset` (memoised): used where a skipped #!ifdef region ends inside what the full lexing read as one string or comment. */
  lexFrom(offset: number): LexResult;
  /** Whether an evaluation needed `lexFrom` (then its tokens are not all from `lexed`). */
  hasRelexed(): boolean;
}

class ParsedFile implements ParsedKamailioFile {
  readonly lines: LineIndex;
  readonly lexed: LexResult;
  private itemsCache: StatementItem[] | undefined;
  private infoCache: KamailioFileInfo | undefined;
  private readonly relexed = new Map<number, LexResult>();

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    this.lines = new LineIndex(text);
    this.lexed = lexKamailio(text, 0, text.length, file);
  }

  get items(): StatementItem[] {
    if (!this.itemsCache) this.itemsCache = parseRawItems(this.lexed);
    return this.itemsCache;
  }

  get info(): KamailioFileInfo {
    if (!this.infoCache) this.infoCache = evaluateParsedFileAlone(this, parseVersion(DEFAULT_VERSION)!);
    return this.infoCache;
  }

  hasRelexed(): boolean {
    return this.relexed.size > 0;
  }

  lexFrom(offset: number): LexResult {
    if (offset <= 0) return this.lexed;
    let r = this.relexed.get(offset);
    if (!r) {
      r = lexKamailio(this.text, offset, this.text.length, this.file);
      this.relexed.set(offset, r);
    }
    return r;
  }
}

export function parseKamailioFile(file: string, text: string): ParsedKamailioFile {
  return new ParsedFile(file, text);
}

/** Raw tokens of one file as a TokenSource (nothing expanded, directives passed through). */
function rawSource(lexed: LexResult): TokenSource {
  const toks = lexed.tokens;
  let i = 0;
  return {
    peek: (k = 0) => toks[i + k],
    next: () => (i < toks.length ? toks[i++] : undefined),
  };
}

function parseRawItems(lexed: LexResult): StatementItem[] {
  const items: StatementItem[] = [];
  new StatementParser(
    rawSource(lexed),
    (item) => items.push(item),
    () => undefined,
  ).run();
  // Directives inside a route body are emitted before the block itself; keep source order.
  return items.sort((a, b) => a.first.start - b.first.start);
}
