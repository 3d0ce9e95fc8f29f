// One kamailio.cfg file, parsed on its own: tokens, the top-level items in order (preprocessor
// directives, includes, core parameters, module statements, route blocks) and the file's info as
// it stands without any outside define (a standalone evaluation). The result depends only on the
// text, so callers cache it by text; evaluateKamailioConfig combines parses under the
// deployment's defines.
import { LineIndex } from '../text';
import { DEFAULT_VERSION, parseVersion } from '../version';
import type { KamailioFileInfo } from './model';
import { insideLexeme, lexKamailio, type LexProblem, type LexResult } from './lexer';
import { StatementParser, type StatementItem, type TokenSource } from './statements';
import { evaluateParsedFileAlone } from './evaluate';
import { blankSpans, embeddedSecretSpans, sniffCryptoMaterial, type CryptoMaterial, type SecretSpan } from '../pki/sniff';

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
  /**
   * The file is key or certificate material (pki/sniff.ts), not kamailio.cfg text: it is not
   * lexed at all (no token of a key may reach a message, issue 11); the evaluation reports it
   * where it is included (activeStream.ts).
   */
  readonly cryptoMaterial?: CryptoMaterial;
}

export interface KamailioParseOptions {
  /** What the file is, when the caller sniffed its bytes (a DER file's bytes do not survive decoding). */
  cryptoMaterial?: CryptoMaterial;
}

class ParsedFile implements ParsedKamailioFile {
  readonly lines: LineIndex;
  readonly lexed: LexResult;
  private itemsCache: StatementItem[] | undefined;
  private infoCache: KamailioFileInfo | undefined;
  private readonly relexed = new Map<number, LexResult>();

  /** The text as lexed: key material pasted into it blanked out (embeddedSecretSpans). */
  readonly text: string;

  constructor(
    readonly file: string,
    text: string,
    readonly cryptoMaterial: CryptoMaterial | undefined,
  ) {
    this.lines = new LineIndex(text);
    if (cryptoMaterial) {
      this.text = text;
      this.lexed = lexKamailio('', 0, 0, file);
      return;
    }
    // A key pasted into the file is never lexed, so no token of it reaches a message; where
    // Kamailio would read it as statements it stops with a parse error, said once per key.
    const spans = embeddedSecretSpans(text);
    this.text = spans.length > 0 ? blankSpans(text, spans) : text;
    this.lexed = lexKamailio(this.text, 0, this.text.length, file);
    if (spans.length > 0) addSecretSpanProblems(this.lexed, text, spans);
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
    if (offset <= 0 || this.cryptoMaterial) return this.lexed;
    let r = this.relexed.get(offset);
    if (!r) {
      r = lexKamailio(this.text, offset, this.text.length, this.file);
      this.relexed.set(offset, r);
    }
    return r;
  }
}

/**
 * A span where the blanked text is not inside a comment or a string: Kamailio's grammar would
 * read the key there (cfg.y stops at its first line: "parse error in config file").
 */
function addSecretSpanProblems(lexed: LexResult, text: string, spans: readonly SecretSpan[]): void {
  // `text` is the original: its line starts say where each line of the key begins.
  for (const span of spans) {
    let at: number | undefined;
    for (let o = span.start; o < span.end; ) {
      const nl = text.indexOf('\n', o);
      const lineEnd = nl === -1 || nl > span.end ? span.end : nl;
      const first = o + (text.slice(o, lineEnd).length - text.slice(o, lineEnd).trimStart().length);
      if (first < lineEnd && !insideLexeme(lexed, first)) {
        at = first;
        break;
      }
      o = lineEnd + 1;
    }
    if (at === undefined) continue;
    const lines = span.endLine > span.startLine ? `Lines ${span.startLine + 1}–${span.endLine + 1} hold` : `Line ${span.startLine + 1} holds`;
    const problem: LexProblem = {
      kind: 'embedded-secret',
      start: at,
      end: Math.max(at + 1, text.indexOf('\n', at) === -1 ? text.length : Math.min(text.indexOf('\n', at), span.end)),
      message: `${lines} ${span.description} pasted into the configuration: Kamailio reads it as statements and stops with "parse error in config file". Keep keys in files of their own (private_key in tls.cfg names one).`,
    };
    // The list stays in text order (ActiveStream.complete searches it).
    const i = lexed.problems.findIndex((p) => p.start > problem.start);
    if (i === -1) lexed.problems.push(problem);
    else lexed.problems.splice(i, 0, problem);
  }
}

export function parseKamailioFile(file: string, text: string, options: KamailioParseOptions = {}): ParsedKamailioFile {
  return new ParsedFile(file, text, options.cryptoMaterial ?? sniffCryptoMaterial(text));
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
