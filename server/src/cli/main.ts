// The command line: parse, run, print, choose the exit code. Output goes through the given
// streams so that the whole command is testable; cli.ts binds it to the process.
import { PRODUCT_NAME, PRODUCT_VERSION } from '../lsp/productInfo';
import { UsageError, parseArgs, type CheckOptions } from './args';
import { formatJson } from './formatJson';
import { formatSarif } from './formatSarif';
import { formatGithub } from './formatGithub';
import { formatGitlab } from './formatGitlab';
import { formatJunit } from './formatJunit';
import { formatText, wantsColor } from './formatText';
import { helpFor } from './help';
import { runCheck, type CheckResult } from './runCheck';
import { runFixes } from './fixLoop';
import { writeFixes } from './fixWriter';
import { unifiedDiff } from './unifiedDiff';
import * as path from 'node:path';
import { runLab } from './lab';
import { runProbeCommand } from './probe';
import { runShow } from './show';
import { runFullchain } from './fullchain';
import { runInit } from './init';
import { runExplain } from './explain';
import { visibleStream } from './visibleOutput';
import { fsErrorLine } from './outputFiles';
import { namesAsTyped } from './typedPaths';
import { sourcesOf } from './checkedSources';
import { decodeText } from '../core/text';

import { EXIT_OK, EXIT_USAGE, checkVerdict } from './exitCode';

export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './exitCode';

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface CliEnvironment {
  stdout: OutputStream;
  stderr: OutputStream;
  cwd: string;
  env: Record<string, string | undefined>;
  /** Runs the language server (`serve`); it keeps the process alive. */
  serve: () => void;
  /** Standard input, whole (`check -`); absent where there is none. */
  readStdin?: () => Uint8Array;
}

/**
 * Run one command. Returns the exit code, or undefined when the process must keep running. Only
 * `probe` (network I/O) answers with a promise; the other commands stay synchronous.
 */
export function runCli(argv: readonly string[], terminal: CliEnvironment): number | Promise<number> | undefined {
  // Every command writes through streams that show controls visibly; only check's colour output
  // (whose text formatText made visible itself) is written with its colour sequences.
  const io: CliEnvironment = { ...terminal, stdout: visibleStream(terminal.stdout), stderr: visibleStream(terminal.stderr) };
  try {
    const command = parseArgs(argv, io.cwd);
    switch (command.kind) {
      case 'help':
        io.stdout.write(helpFor(command.topic));
        return EXIT_OK;
      case 'version':
        io.stdout.write(`${PRODUCT_NAME} ${PRODUCT_VERSION}\n`);
        return EXIT_OK;
      case 'serve':
        io.serve();
        return undefined;
      case 'check':
        return check(command.options, io, terminal.stdout);
      case 'explain':
        return runExplain(command.codes, io);
      case 'init':
        return runInit(command.options, io);
      case 'lab':
        return runLab(command.options, io);
      case 'show':
        return runShow(command.options, io);
      case 'fullchain':
        return runFullchain(command.options, io);
      case 'probe':
        return runProbeCommand(command.options, io).catch((error: unknown) => internalError(error, io));
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`${PRODUCT_NAME}: ${error.message}\n`);
      io.stderr.write(`Run '${PRODUCT_NAME} ${error.topic ? `help ${error.topic}` : '--help'}' for usage.\n`);
      return EXIT_USAGE;
    }
    // A file-system failure is the environment's, not a defect: one line, no stack trace.
    const fsLine = fsErrorLine(error);
    if (fsLine !== undefined) {
      io.stderr.write(`${PRODUCT_NAME}: ${argv[0] ?? ''}: ${fsLine}\n`);
      return EXIT_USAGE;
    }
    return internalError(error, io);
  }
}

function internalError(error: unknown, io: CliEnvironment): number {
  io.stderr.write(`${PRODUCT_NAME}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return EXIT_USAGE;
}

/**
 * `--fix`: write the fixed files, then report what remains; `--fix-dry-run`: the same report, with
 * the diff of what --fix would write first (on stdout in text format; on stderr beside a JSON,
 * SARIF, annotation or XML report, which must stay readable by its tools). Null: a file could
 * not be written (said on stderr; exit code 2). `texts`: the fixed texts the report's source lines
 * come from (a dry run leaves the disk as it was).
 */
function fixThenCheck(options: CheckOptions, io: CliEnvironment, stdin: { file: string; text: string } | undefined, rawStdout: OutputStream): { result: CheckResult; texts: Map<string, string> } | null {
  const run = runFixes(options, io.cwd, stdin);
  for (const line of run.refused) io.stderr.write(`${PRODUCT_NAME}: ${line}\n`);
  const shown = (file: string) => (path.relative(io.cwd, file) || file).split(path.sep).join('/');
  if (options.fix === 'dry-run') {
    const diff = [...run.changed].sort(([a], [b]) => (a < b ? -1 : 1)).map(([file, c]) => unifiedDiff(shown(file), c.original, c.fixed)).join('');
    // Into a pipe the diff goes byte for byte, so `git apply` takes a fix that removes a BOM or a
    // control character; on a terminal it is shown with controls made visible like all file text.
    (options.format !== 'text' ? io.stderr : rawStdout.isTTY ? io.stdout : rawStdout).write(diff);
    io.stderr.write(`${PRODUCT_NAME}: --fix would fix ${run.fixed} problem(s) in ${run.changed.size} file(s); nothing was written\n`);
    // What remains is reported as it would be after --fix.
    return { result: run.result, texts: new Map([...run.changed].map(([f, c]) => [f, c.fixed])) };
  }
  const failures = writeFixes(run.changed);
  for (const f of failures) io.stderr.write(`${PRODUCT_NAME}: check --fix: ${shown(f.file)}: ${f.reason}\n`);
  if (failures.length > 0) return null;
  io.stderr.write(`${PRODUCT_NAME}: fixed ${run.fixed} problem(s) in ${run.changed.size} file(s)\n`);
  return { result: run.result, texts: new Map() };
}

function check(options: CheckOptions, io: CliEnvironment, terminalStdout: OutputStream): number {
  // `check -`: the buffer an editor integration pipes in, checked as the file it names.
  const stdin = options.stdinFile !== undefined ? { file: options.stdinFile, text: decodeText(io.readStdin?.() ?? new Uint8Array()) } : undefined;
  const fixedRun = options.fix === undefined ? undefined : fixThenCheck(options, io, stdin, terminalStdout);
  if (fixedRun === null) return EXIT_USAGE;
  const result = fixedRun?.result ?? runCheck(options, io.cwd, stdin);
  for (const limit of result.searchLimits) io.stderr.write(`${PRODUCT_NAME}: ${limit}\n`);
  // --quiet lists errors only, in every format; the exit code still counts every finding (eslint).
  const listed = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  // What was named on the command line and not checked is a finding on it (project.not-checked);
  // what a folder search found and skipped is listed in the JSON report and counted in the text summary.
  switch (options.format) {
    case 'json':
      io.stdout.write(formatJson(result.files, listed, result.skipped, result.suppressed));
      break;
    case 'sarif':
      // Suppressed findings are results with `suppressions` (SARIF §3.27.23): code scanning shows them as dismissed.
      io.stdout.write(formatSarif(result.files, [...listed, ...result.suppressed], result.baseDir));
      break;
    case 'github':
      io.stdout.write(formatGithub(listed, io.cwd));
      break;
    case 'gitlab':
      io.stdout.write(formatGitlab(listed, io.cwd));
      break;
    case 'junit':
      io.stdout.write(formatJunit(result.files, listed, io.cwd, options.failOn));
      break;
    case 'text': {
      const color = wantsColor(io.stdout.isTTY, io.env, options.color);
      const style = { color, quiet: options.quiet, source: sourcesOf(result.files, stdin, fixedRun?.texts), name: namesAsTyped(options.paths, options.typedPaths, io.cwd), suppressed: result.suppressed.length };
      visibleStream(terminalStdout, { colour: color }).write(formatText(result.files, result.findings, io.cwd, style, result.skipped.filter((s) => !s.explicit)));
      break;
    }
  }
  // Nothing to check is said last, after the report, where a person and a CI log look first.
  for (const n of result.nothingToCheck) io.stderr.write(`${PRODUCT_NAME}: check: ${n.typed}: nothing to check: ${n.what}\n`);
  if (result.nothingToCheck.length > 0) {
    io.stderr.write(`${PRODUCT_NAME}: check: exit code 2: name kamailio.cfg or tls.cfg files, or folders that hold them\n`);
    return EXIT_USAGE;
  }
  // A step sip-tls failed on is a finding like any other, so the report stays complete and valid;
  // the exit code still says the check did not fully run (2: internal failure, cli.md).
  const failures = result.findings.filter((f) => f.code === 'project.internal-error').length;
  if (failures > 0) {
    io.stderr.write(`${PRODUCT_NAME}: internal error in ${failures} place(s), reported as project.internal-error; everything else was checked\n`);
    return EXIT_USAGE;
  }
  const verdict = checkVerdict(result.findings, options.failOn, options.maxWarnings);
  if (verdict.reason !== undefined) io.stderr.write(`${PRODUCT_NAME}: check: ${verdict.reason}\n`);
  return verdict.code;
}

