// Shared value types of the checking core. They are structurally identical to the LSP types
// (0-based line, UTF-16 character) so that faces can hand them to an editor unchanged, but the
// core does not depend on any LSP library.

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code unit offset within the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A place in another (or the same) file that explains a finding. */
export interface RelatedLocation {
  /** Absolute file system path. */
  file: string;
  range: Range;
  message: string;
}

/** One text replacement. `file` is an absolute path. */
export interface TextEditData {
  file: string;
  range: Range;
  newText: string;
}

/** A file a fix creates. Applying a fix never overwrites: the face must refuse if it exists. */
export interface CreateFileData {
  file: string;
  content: string;
}

/**
 * Everything an editor needs to offer a quick fix without recomputing anything:
 * the code action is built straight from this data.
 */
export interface FixData {
  title: string;
  /** The obvious fix among several (LSP `isPreferred`). */
  isPreferred?: boolean;
  /** Files to create before the edits are applied. */
  createFiles?: CreateFileData[];
  edits: TextEditData[];
}

export interface Finding {
  /** Absolute path of the file the finding is shown in. */
  file: string;
  range: Range;
  code: string;
  severity: Severity;
  message: string;
  related?: RelatedLocation[];
  fixes?: FixData[];
}

export function pos(line: number, character: number): Position {
  return { line, character };
}

export function range(startLine: number, startChar: number, endLine: number, endChar: number): Range {
  return { start: { line: startLine, character: startChar }, end: { line: endLine, character: endChar } };
}

export function comparePositions(a: Position, b: Position): number {
  return a.line === b.line ? a.character - b.character : a.line - b.line;
}

export function rangeContains(outer: Range, p: Position): boolean {
  return comparePositions(outer.start, p) <= 0 && comparePositions(p, outer.end) <= 0;
}

export function compareFindings(a: Finding, b: Finding): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const byPos = comparePositions(a.range.start, b.range.start);
  if (byPos !== 0) return byPos;
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
