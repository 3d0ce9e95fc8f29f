// Text read from a repository, a certificate or a peer can hold characters that make output
// say something else than what it holds: ESC starts terminal sequences (clear the screen, set the
// window title, OSC 8 hyperlinks), CR rewinds the line so that `Verdict: OK` overwrites a
// verdict, C1 controls (U+0080–U+009F) act as ESC on some terminals, and the bidirectional
// overrides and isolates (U+202A–U+202E, U+2066–U+2069) and zero-width characters reorder or hide
// text ("Trojan Source", CVE-2021-42574). Every human-readable output shows them as escapes.
//
// The escapes are JSON's (`\n`, `\r`, `\t`, `\u001b`; a character outside the BMP as its
// surrogate pair), so that the same function applied to a JSON document changes its bytes and
// never its value: JSON.stringify already escapes C0 controls and leaves only DEL, C1 and the
// format characters raw, and those can only occur inside its strings.

/** Controls (C0, DEL, C1), format characters (bidi, zero width, BOM, tags), line and paragraph separators, lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;
const HAS_INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(ch: string): string {
  const short = SHORT[ch];
  if (short) return short;
  let out = '';
  for (let i = 0; i < ch.length; i++) out += `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/** `text` with every control, format character and separator shown as an escape (`\u001b`, `\r`, `\u202e`). */
export function visibleControls(text: string): string {
  return HAS_INVISIBLE.test(text) ? text.replace(INVISIBLE, escapeOne) : text;
}

/** Lines of output: every line made visible, the newlines between them kept. */
export function visibleLines(text: string): string {
  return HAS_INVISIBLE.test(text) ? text.split('\n').map(visibleControls).join('\n') : text;
}

/** True when the text holds nothing that visibleControls would escape. */
export function isVisible(text: string): boolean {
  return !HAS_INVISIBLE.test(text);
}
