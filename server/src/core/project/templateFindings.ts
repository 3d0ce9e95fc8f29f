// Findings of a deployment whose files were rendered from templates (templates.ts), brought back
// to the template: a finding that touches a placeholder without a value is dropped (what it
// claims is unknown until rendered), ranges are mapped to the template's own text, a fix that
// would edit substituted text is dropped, and each such file gets one project.template
// information naming the placeholders left unknown.
import type { Finding, FixData } from '../types';
import { catalogEntry } from '../catalog';
import { PROJECT_FILE_NAME } from './projectFile';
import type { RenderingMap } from './templates';
import { listing } from '../listing';

export function fromRendered(findings: Finding[], files: readonly string[], renderingOf: (file: string) => RenderingMap | undefined): Finding[] {
  const maps = new Map<string, RenderingMap>();
  for (const f of new Set(files)) {
    const m = renderingOf(f);
    if (m) maps.set(f, m);
  }
  if (maps.size === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const map = maps.get(f.file);
    if (map?.touchesUnknown(f.range)) continue;
    const mapped: Finding = { ...f, range: map ? map.rangeToOriginal(f.range) : f.range };
    if (f.related) {
      mapped.related = f.related.flatMap((r) => {
        const m = maps.get(r.file);
        if (!m) return [r];
        return m.touchesUnknown(r.range) ? [] : [{ ...r, range: m.rangeToOriginal(r.range) }];
      });
      if (mapped.related.length === 0) delete mapped.related;
    }
    if (f.fixes) {
      const fixes = f.fixes.flatMap((x) => mapFix(x, maps));
      if (fixes.length > 0) mapped.fixes = fixes;
      else delete mapped.fixes;
    }
    out.push(mapped);
  }
  for (const [file, map] of maps) {
    const unknown = map.rendering.unknown;
    if (unknown.length === 0) continue;
    const names = [...new Set(unknown.map((u) => u.name))];
    const variables = names.filter((n) => !/^(if|for|macro|block|with|filter|call|raw|end\w*|else|elif|set|include|import)$/.test(n));
    const blocks = names.length > variables.length;
    const first = unknown[0]!;
    const range = map.rangeToOriginal({ start: positionOf(map.rendering.text, first.start), end: positionOf(map.rendering.text, first.end) });
    const shown = listing(variables, { max: 6 });
    const example = variables[0] ?? 'NAME';
    out.push({
      file,
      range,
      code: 'project.template',
      severity: catalogEntry('project.template').severity,
      message:
        `This file is a template: ${variables.length > 0 ? `${variables.length === 1 ? 'the placeholder' : `${variables.length} placeholders`} ${shown}` : 'template blocks'}${variables.length > 0 && blocks ? ' and template blocks ({% … %})' : ''} ${variables.length + (blocks ? 1 : 0) === 1 ? 'is' : 'are'} filled in at deploy time, so what depends on ${variables.length + (blocks ? 1 : 0) === 1 ? 'it' : 'them'} is not judged here. ` +
        (variables.length > 0 ? `To check the rendered configuration, give values: --var ${example}=VALUE, or "vars": { "${example}": "…" } in ${PROJECT_FILE_NAME}.` : 'Render it and check the result.'),
    });
  }
  return out;
}

function mapFix(fix: FixData, maps: Map<string, RenderingMap>): FixData[] {
  const edits = [];
  for (const e of fix.edits) {
    const m = maps.get(e.file);
    if (!m) {
      edits.push(e);
      continue;
    }
    if (m.touchesSubstitution(e.range)) return [];
    edits.push({ ...e, range: m.rangeToOriginal(e.range) });
  }
  return [{ ...fix, edits }];
}

function positionOf(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}
