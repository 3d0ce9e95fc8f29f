// Run the bundled `sip-tls` as a child process, as a CI job would.
import { spawn, spawnSync } from 'node:child_process';
import { CLI_BUNDLE, requireBundles } from './paths';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; input?: string | Uint8Array }): CliRun {
  requireBundles();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== 'NO_COLOR' && k !== 'FORCE_COLOR') env[k] = v;
  }
  const result = spawnSync(process.execPath, [CLI_BUNDLE, ...args], {
    cwd: options.cwd,
    env: { ...env, ...(options.env ?? {}) },
    encoding: 'utf8',
    timeout: 60_000,
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Quote one argument for a POSIX shell. */
export function shellQuote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * Run the CLI with its stdout on a pseudo-terminal (util-linux `script`), to see what a person
 * sees in a terminal. Returns what the terminal showed.
 */
export function runCliOnTty(args: string[], options: { cwd: string; env?: Record<string, string> }): CliRun {
  requireBundles();
  const command = [process.execPath, CLI_BUNDLE, ...args].map(shellQuote).join(' ');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== 'NO_COLOR' && k !== 'FORCE_COLOR') env[k] = v;
  }
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    cwd: options.cwd,
    env: { ...env, ...(options.env ?? {}) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.error) throw new Error(`cannot run 'script' (Debian package bsdutils/util-linux): ${result.error.message}`);
  return { code: result.status, stdout: result.stdout.replace(/\r\n/g, '\n'), stderr: result.stderr };
}

/**
 * Run the CLI without blocking this process's event loop: needed when the test itself serves the
 * CLI (a TLS or TCP server in the test process), which spawnSync would starve.
 */
export function runCliAsync(args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CliRun & { ms: number }> {
  requireBundles();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && k !== 'NO_COLOR' && k !== 'FORCE_COLOR') env[k] = v;
  }
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BUNDLE, ...args], { cwd: options.cwd, env: { ...env, ...(options.env ?? {}) } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}
