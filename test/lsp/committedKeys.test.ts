// git runs only in a trusted workspace. The server is started with a `git` first on its PATH that
// logs every invocation and then runs the real git: trusted, it asks git once and publishes
// key.committed for the committed key; untrusted (initializationOptions.trusted = false, what the
// VS Code client sends from workspace.isTrusted), it never runs git and says nothing about it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { after, test } from 'node:test';
import { LspTestClient, fileUri, withCode } from '../helpers/lspClient';
import { makeTempDir, type TempDir } from '../helpers/tempDir';
import { certificate, CLEAN_TLS_CFG } from '../cli/fixtures';

const dirs: TempDir[] = [];
after(() => dirs.forEach((d) => d.remove()));

function realGit(): string | undefined {
  try {
    return execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const GIT = realGit();
const skip = GIT ? false : 'git is not installed (Debian package git)';
if (skip && process.env['CI'] === 'true') throw new Error('CI=true: git is needed for test/lsp/committedKeys.test.ts (apt-get install git)');
if (skip) console.warn(`SKIPPED test/lsp/committedKeys.test.ts: ${skip}`);

const KAMAILIO_CFG = '#!KAMAILIO\nenable_tls=yes\nlisten=tls:127.0.0.1:5061\nloadmodule "tls.so"\nmodparam("tls", "config", "tls.cfg")\nrequest_route { drop; }\n';

/** A repository with its key committed, and a logging git wrapper in a folder of its own. */
function setUp(): { repo: TempDir; bin: string; log: string } {
  const repo = makeTempDir('sip-tls-lsp-git-');
  const tools = makeTempDir('sip-tls-lsp-bin-');
  dirs.push(repo, tools);
  const pair = certificate();
  repo.write({ 'kamailio.cfg': KAMAILIO_CFG, 'tls.cfg': CLEAN_TLS_CFG, 'cert.pem': pair.certPem, 'key.pem': pair.keyPem });
  const git = (...args: string[]) => execFileSync(GIT!, ['-c', 'user.name=sip-tls tests', '-c', 'user.email=tests@example.com', ...args], { cwd: repo.path, stdio: 'ignore' });
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'configuration with its key');
  const log = tools.file('git.log');
  const [wrapper] = tools.write({ 'git': `#!/bin/sh\necho "$*" >> '${log}'\nexec '${GIT}' "$@"\n` });
  chmodSync(wrapper!, 0o755);
  return { repo, bin: tools.path, log };
}

async function diagnosticsOf(trusted: boolean): Promise<{ codes: string[]; committed: string[]; gitRuns: string[] }> {
  const { repo, bin, log } = setUp();
  const { client } = await LspTestClient.start({
    workspaceFolders: [repo.path],
    initializationOptions: { trusted, debounceMs: 0 },
    env: { PATH: `${bin}:${process.env['PATH'] ?? ''}` },
  });
  try {
    const uri = fileUri(repo.file('tls.cfg'));
    await client.open(uri, 'kamailio-tls', CLEAN_TLS_CFG);
    const published = await client.waitForDiagnostics(uri, { version: 1 });
    const committed = withCode(published.diagnostics, 'key.committed').map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.message}`);
    return { codes: published.diagnostics.map((d) => String(d.code)), committed, gitRuns: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
  } finally {
    await client.shutdown();
  }
}

test('trusted workspace: git is asked once, and the committed key is a warning on private_key', { skip, timeout: 30_000 }, async () => {
  const { committed, gitRuns } = await diagnosticsOf(true);
  assert.deepEqual(committed, [
    '3:14-3:21 2 [server:default]: private key key.pem is committed to the repository: anyone with read access to the repository can impersonate the server; remove it from git history, rotate the key, and provide it at deploy time (see path.deploy-time / .sip-tls.json mappings).',
  ]);
  assert.deepEqual(gitRuns, ['--no-pager -c core.fsmonitor=false -c core.untrackedCache=false ls-files -z -s'], 'one listing, the repository configuration of fsmonitor overridden');
});

test('untrusted workspace: git never runs, and nothing is said about it', { skip, timeout: 30_000 }, async () => {
  const { codes, committed, gitRuns } = await diagnosticsOf(false);
  assert.deepEqual(gitRuns, [], 'the server ran git in an untrusted workspace');
  assert.deepEqual(committed, []);
  assert.ok(codes.includes('cert.self-signed'), `the files are still read and judged: ${codes.join(', ')}`);
});
