#!/usr/bin/env node
// The GitHub Action's step (action.yml): run `sip-tls check` once for a SARIF file (code
// scanning) and once as workflow annotations (the pull request's diff), write a text summary to
// the job summary, and hand the check's exit code to the last step, which fails the job only
// after the SARIF upload. Inputs come as INPUT_* variables, as the composite action passes them.
import { spawnSync } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

function input(name) {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** The check's arguments from the inputs; paths are separated by white space or new lines. */
export function checkArgs() {
  const args = ['check', ...input('paths').split(/\s+/).filter((p) => p !== '')];
  const valued = { 'platform': '--platform', 'kamailio-version': '--kamailio-version', 'fail-on': '--fail-on', 'max-warnings': '--max-warnings' };
  for (const [name, option] of Object.entries(valued)) if (input(name) !== '') args.push(option, input(name));
  return args;
}

function run(args, cwd) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  return r;
}

const cwd = resolve(input('working-directory') || '.');
const sarifFile = resolve(cwd, input('sarif-file') || 'sip-tls.sarif');
const args = checkArgs();

const sarif = run([...args, '--format', 'sarif'], cwd);
writeFileSync(sarifFile, sarif.stdout);
process.stderr.write(sarif.stderr);
const annotations = run([...args, '--format', 'github'], cwd);
process.stdout.write(annotations.stdout);
if (process.env.GITHUB_STEP_SUMMARY) {
  const text = run([...args, '--no-color'], cwd);
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, `### sip-tls\n\n\`\`\`text\n${text.stdout.replace(/```/g, '`\u200b``')}\`\`\`\n`);
}
const code = sarif.status ?? 2;
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `exit-code=${code}\nsarif-file=${sarifFile}\n`);
process.stdout.write(`sip-tls check exited with ${code}\n`);
