// Markdown as an editor shows it: rendered with markdown-it (what VS Code's Markdown preview uses)
// with raw HTML and linkify switched on — the most permissive setting — so that a test sees every
// link, image or HTML tag that text could turn into, and reads the text a person reads.

interface Token {
  type: string;
  tag: string;
  content: string;
  children: Token[] | null;
}

interface MarkdownIt {
  parse(src: string, env: object): Token[];
  render(src: string): string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const createMarkdownIt = require('markdown-it') as (options: object) => MarkdownIt;
const renderer = createMarkdownIt({ html: true, linkify: true });

/** Token types that only text we did not write could produce: a link, an image, raw HTML. */
const FORBIDDEN_TOKENS = new Set(['link_open', 'image', 'html_inline', 'html_block', 'code_block', 'fence']);

function walk(tokens: Token[], visit: (t: Token) => void): void {
  for (const t of tokens) {
    visit(t);
    if (t.children) walk(t.children, visit);
  }
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** The rendered HTML. */
export function renderMarkdown(src: string): string {
  return renderer.render(src);
}

/** The text a reader sees: rendered, tags dropped, entities decoded, blank lines collapsed. */
export function markdownText(src: string): string {
  return renderer
    .render(src)
    .replace(/<\/(p|li|h\d|tr|ul|ol|table|thead|tbody)>|<br ?\/?>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!)
    .replace(/\n{2,}/g, '\n')
    .replace(/^\n/, '');
}

/** What is wrong with Markdown built from hostile text: links, images, HTML, raw controls. Empty when nothing. */
export function markupProblems(src: string): string[] {
  const problems: string[] = [];
  walk(renderer.parse(src, {}), (t) => {
    if (FORBIDDEN_TOKENS.has(t.type)) problems.push(`${t.type} token ${JSON.stringify(t.content.slice(0, 80))}`);
  });
  const html = renderer.render(src);
  for (const tag of html.match(/<(img|a|script|iframe|svg|video|audio|source|object|embed|style|link|meta|input|form)\b[^>]*>/gi) ?? []) problems.push(`rendered ${tag.slice(0, 80)}`);
  const raw = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.exec(src);
  if (raw) problems.push(`raw U+${raw[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${raw.index}`);
  return problems;
}
