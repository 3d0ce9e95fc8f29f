// Arguments of the file commands: `show FILE [--ca FILE]… [--format text|json|markdown]
// [--now ISO] [--expiry-days N]` and `fullchain CERT [--ca FILE]… [--out FILE] [--force]`.
import * as path from 'node:path';
import { unknownOption } from './suggest';

export interface ShowCommandOptions {
  file: string;
  ca: string[];
  format: 'text' | 'json' | 'markdown';
  now?: Date;
  expiryDays: number;
}

export interface FullchainCommandOptions {
  file: string;
  ca: string[];
  out?: string;
  force: boolean;
}

type Fail = (message: string) => never;

function valueOf(args: readonly string[], i: number, name: string, fail: Fail): { value: string; next: number } {
  const arg = args[i]!;
  const eq = arg.indexOf('=');
  if (eq !== -1) return { value: arg.slice(eq + 1), next: i };
  const v = args[i + 1];
  if (v === undefined) fail(`${name} needs a value`);
  return { value: v!, next: i + 1 };
}

export function parseShowArgs(args: readonly string[], cwd: string, fail: Fail): ShowCommandOptions | 'help' {
  const options: ShowCommandOptions = { file: '', ca: [], format: 'text', expiryDays: 30 };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (!arg.startsWith('-') || arg === '-') {
      if (options.file !== '') fail(`show takes one FILE (got '${options.file}' and '${arg}')`);
      options.file = path.resolve(cwd, arg);
      continue;
    }
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    const { value, next } = valueOf(args, i, name, fail);
    i = next;
    if (name === '--ca') options.ca.push(path.resolve(cwd, value));
    else if (name === '--format') {
      if (value !== 'text' && value !== 'json' && value !== 'markdown') fail(`--format must be text, json or markdown, not '${value}'`);
      options.format = value as ShowCommandOptions['format'];
    } else if (name === '--now') {
      const d = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : undefined;
      if (!d || Number.isNaN(d.getTime())) fail(`--now needs an ISO-8601 date, not '${value}'`);
      options.now = d!;
    } else if (name === '--expiry-days') {
      if (!/^\d{1,6}$/.test(value)) fail(`--expiry-days needs a whole number of days, not '${value}'`);
      options.expiryDays = Number(value);
    } else fail(unknownOption('', name, 'show'));
  }
  if (options.file === '') fail('show needs a FILE');
  return options;
}

export function parseFullchainArgs(args: readonly string[], cwd: string, fail: Fail): FullchainCommandOptions | 'help' {
  const options: FullchainCommandOptions = { file: '', ca: [], force: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    if (arg === '--force') {
      options.force = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (options.file !== '') fail(`fullchain takes one CERT (got '${options.file}' and '${arg}')`);
      options.file = path.resolve(cwd, arg);
      continue;
    }
    const name = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    const { value, next } = valueOf(args, i, name, fail);
    i = next;
    if (name === '--ca') options.ca.push(path.resolve(cwd, value));
    else if (name === '--out') options.out = path.resolve(cwd, value);
    else fail(unknownOption('', name, 'fullchain'));
  }
  if (options.file === '') fail('fullchain needs a CERT file');
  return options;
}
