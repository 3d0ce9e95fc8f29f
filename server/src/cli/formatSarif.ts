// `--format sarif`: SARIF 2.1.0 for code-scanning services. One run; the rule table is the whole
// diagnostic catalog; locations are relative to the folder checked (uriBaseId SRCROOT).
// Columns are UTF-16 code units, 1-based, end exclusive — exactly the core's LSP ranges + 1.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CATALOG } from '../core/catalog';
import type { Finding, Range, Severity } from '../core/types';
import type { SuppressedFinding } from '../core/suppressions';
import { PRODUCT_INFORMATION_URI, PRODUCT_NAME, PRODUCT_VERSION } from '../lsp/productInfo';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SARIF_BASE_ID = 'SRCROOT';

export type SarifLevel = 'error' | 'warning' | 'note';

interface SarifMessage {
  text: string;
}

interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

interface SarifPhysicalLocation {
  artifactLocation: SarifArtifactLocation;
  region: SarifRegion;
}

interface SarifLocation {
  id?: number;
  physicalLocation: SarifPhysicalLocation;
  message?: SarifMessage;
}

export interface SarifRule {
  id: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
  properties: { kamailio: string; fixable: boolean };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  relatedLocations?: SarifLocation[];
  fixes?: SarifFix[];
  suppressions?: { kind: 'inSource'; justification?: string }[];
}

/** SARIF 2.1.0 §3.55: a quick fix as text replacements, which code-scanning UIs can offer. */
export interface SarifFix {
  description: SarifMessage;
  artifactChanges: { artifactLocation: SarifArtifactLocation; replacements: { deletedRegion: SarifRegion; insertedContent: { text: string } }[] }[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: {
    tool: { driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] } };
    originalUriBaseIds: Record<string, { uri: string; description: SarifMessage }>;
    invocations: { executionSuccessful: boolean }[];
    artifacts: { location: SarifArtifactLocation }[];
    columnKind: 'utf16CodeUnits';
    results: SarifResult[];
  }[];
}

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'error' ? 'error' : severity === 'warning' ? 'warning' : 'note';
}

function artifactLocation(file: string, baseDir: string): SarifArtifactLocation {
  const rel = path.relative(baseDir, file);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SARIF_BASE_ID };
  }
  return { uri: pathToFileURL(file).href };
}

function region(r: Range): SarifRegion {
  return {
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  };
}

/**
 * The fixes that only edit text. A fix that also creates a file (a fullchain, a split key) is left
 * out: SARIF would have to carry the new file's content, and that content can be key material.
 */
function sarifFixes(f: Finding, baseDir: string): SarifFix[] {
  return (f.fixes ?? [])
    .filter((x) => (x.createFiles ?? []).length === 0 && x.edits.length > 0)
    .map((x) => {
      const byFile = new Map<string, SarifFix['artifactChanges'][number]>();
      for (const e of x.edits) {
        let change = byFile.get(e.file);
        if (!change) {
          change = { artifactLocation: artifactLocation(e.file, baseDir), replacements: [] };
          byFile.set(e.file, change);
        }
        change.replacements.push({ deletedRegion: region(e.range), insertedContent: { text: e.newText } });
      }
      return { description: { text: x.title }, artifactChanges: [...byFile.values()] };
    });
}

export function sarifLog(files: string[], findings: Finding[], baseDir: string): SarifLog {
  const rules: SarifRule[] = CATALOG.map((e) => ({
    id: e.code,
    shortDescription: { text: e.summary },
    fullDescription: { text: e.help },
    help: { text: e.help },
    defaultConfiguration: { level: sarifLevel(e.severity) },
    properties: { kamailio: e.kamailio, fixable: e.hasFix },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const indexOf = (f: Finding): number => {
    let i = ruleIndex.get(f.code);
    if (i === undefined) {
      // A code the catalog does not list yet still gets a rule, so the log stays valid.
      i = rules.length;
      rules.push({
        id: f.code,
        shortDescription: { text: f.code },
        fullDescription: { text: f.code },
        help: { text: f.code },
        defaultConfiguration: { level: sarifLevel(f.severity) },
        properties: { kamailio: 'unknown', fixable: false },
      });
      ruleIndex.set(f.code, i);
    }
    return i;
  };

  const results: SarifResult[] = findings.map((f) => {
    const result: SarifResult = {
      ruleId: f.code,
      ruleIndex: indexOf(f),
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [{ physicalLocation: { artifactLocation: artifactLocation(f.file, baseDir), region: region(f.range) } }],
    };
    if (f.related && f.related.length > 0) {
      result.relatedLocations = f.related.map((r, id) => ({
        id,
        physicalLocation: { artifactLocation: artifactLocation(r.file, baseDir), region: region(r.range) },
        message: { text: r.message },
      }));
    }
    const fixes = sarifFixes(f, baseDir);
    if (fixes.length > 0) result.fixes = fixes;
    const suppression = (f as Partial<SuppressedFinding>).suppression;
    if (suppression) result.suppressions = [{ kind: suppression.kind, ...(suppression.justification !== '' ? { justification: suppression.justification } : {}) }];
    return result;
  });

  const baseUri = pathToFileURL(baseDir.endsWith(path.sep) ? baseDir : baseDir + path.sep).href;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: PRODUCT_NAME,
            version: PRODUCT_VERSION,
            semanticVersion: PRODUCT_VERSION,
            informationUri: PRODUCT_INFORMATION_URI,
            rules,
          },
        },
        originalUriBaseIds: { [SARIF_BASE_ID]: { uri: baseUri, description: { text: 'The folder that was checked' } } },
        invocations: [{ executionSuccessful: true }],
        artifacts: files.map((f) => ({ location: artifactLocation(f, baseDir) })),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

export function formatSarif(files: string[], findings: Finding[], baseDir: string): string {
  return JSON.stringify(sarifLog(files, findings, baseDir), null, 2) + '\n';
}
