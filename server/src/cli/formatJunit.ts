// `--format junit`: JUnit XML, which Jenkins, GitLab (`artifacts: reports: junit:`), Azure
// Pipelines and most CI dashboards read. As eslint's junit formatter does, each checked file is a
// test suite and each finding a test case; a file without findings is one passing case. A
// finding fails its case only at or above the failing level (--fail-on), so the report agrees
// with the exit code; one below it is a passing case that says what it found (system-out).
import type { Finding, Severity } from '../core/types';
import type { FailLevel } from './args';
import { ciPath } from './ciPaths';

const RANK: Record<Severity, number> = { error: 3, warning: 2, information: 1, hint: 0 };

/**
 * XML 1.0 allows only TAB, LF, CR and U+0020–U+D7FF, U+E000–U+FFFD and the astral planes; any
 * other code point (a control character from a hostile file, a lone surrogate) makes the whole
 * report unreadable, so it is written as a visible escape instead.
 */
export function xmlText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
      out += text[i]! + text[i + 1]!;
      i++;
    } else if (c === 0x26) out += '&amp;';
    else if (c === 0x3c) out += '&lt;';
    else if (c === 0x3e) out += '&gt;';
    else if (c === 0x22) out += '&quot;';
    else if (c === 0x27) out += '&apos;';
    // In attributes a raw TAB/LF/CR would be normalised to a space; as references they stay.
    else if (c === 0x09 || c === 0x0a || c === 0x0d) out += `&#${c};`;
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += text[i]!;
  }
  return out;
}

function caseName(f: Finding): string {
  return `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.code}`;
}

export function formatJunit(files: readonly string[], findings: readonly Finding[], cwd: string, failOn: FailLevel): string {
  const byFile = new Map<string, Finding[]>(files.map((f) => [f, []]));
  for (const f of findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  const fails = (f: Finding) => RANK[f.severity] >= RANK[failOn];
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const [file, list] of byFile) {
    const name = xmlText(ciPath(file, cwd));
    const cases = list.length === 0
      ? [`    <testcase classname="${name}" name="no findings"/>`]
      : list.map((f) => {
          const text = xmlText(`${ciPath(f.file, cwd)}:${caseName(f)} ${f.severity}: ${f.message}`);
          const body = fails(f)
            ? `<failure type="${f.severity}" message="${xmlText(f.message)}">${text}</failure>`
            : `<system-out>${text}</system-out>`;
          return `    <testcase classname="${name}" name="${xmlText(caseName(f))}">${body}</testcase>`;
        });
    const failed = list.filter(fails).length;
    tests += cases.length;
    failures += failed;
    suites.push(`  <testsuite name="${name}" package="sip-tls" tests="${cases.length}" failures="${failed}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sip-tls" tests="${tests}" failures="${failures}" errors="0">\n${suites.map((s) => s + '\n').join('')}</testsuites>\n`;
}
