// Validation of SARIF logs against the official SARIF 2.1.0 JSON schema (draft-04), as shipped
// by Microsoft's @microsoft/jest-sarif package, with Ajv and format checks.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';

export const SARIF_SCHEMA_FILE = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

let validator: ValidateFunction | undefined;

function compile(): ValidateFunction {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
  // unicodeRegExp off: the schema's `language` pattern has a stray ']' that only non-unicode
  // regular expressions accept (as JSON Schema draft-04 validators of its time did).
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

/** The schema errors of a SARIF log ([] when valid). */
export function sarifSchemaErrors(log: unknown): ErrorObject[] {
  validator ??= compile();
  return validator(log) ? [] : [...(validator.errors ?? [])];
}
