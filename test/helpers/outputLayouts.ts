// Generated layouts for the commands that write files (lab, fullchain, init): at the output path
// a dangling link, a link to a file or a folder, a folder, a FIFO, an existing file; at the
// output folder missing, missing with missing parents, a file, a dangling link, a link, read-only;
// with and without --force. `runOutputCase` runs one through the real CLI and asserts that it
// either wrote everything (regular files in place, keys 0600, no link written through, no
// temporary folder left) or exited 2 with one line on stderr and nothing changed on disk.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { CLI_BUNDLE, requireBundles } from './paths';
import { runCli } from './cli';
import { makeTempDir, type TempDir } from './tempDir';
import { Rng } from './fuzz/prng';

const LAB_FILES = ['rootCA.crt', 'intermediate.crt', 'server.crt', 'server.key', 'fullchain.crt', 'tls.cfg.example'];
const SECRETS = new Set(['server.key']);

/** Everything under `root` as lstat sees it (links not followed): type, mode, content digest, link target. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = fs.lstatSync(p);
      const rel = p.slice(root.length + 1);
      if (st.isSymbolicLink()) out[rel] = `link → ${fs.readlinkSync(p)}`;
      else if (st.isDirectory()) {
        out[rel] = `dir ${(st.mode & 0o777).toString(8)}`;
        walk(p);
      } else if (st.isFile()) out[rel] = `file ${(st.mode & 0o777).toString(8)} ${createHash('sha256').update(fs.readFileSync(p)).digest('hex').slice(0, 16)}`;
      else out[rel] = 'special';
    }
  };
  walk(root);
  return out;
}

/** What is at one output path before the run (outside targets live in `outside/`). */
type EntryLayout = 'absent' | 'file' | 'dangling-link' | 'link-to-file' | 'link-to-dir' | 'dir' | 'fifo';
/** What the output folder is before the run. */
type FolderLayout = 'exists' | 'missing' | 'missing-parents' | 'is-file' | 'dangling-link' | 'link-to-dir' | 'read-only';

const ENTRY_LAYOUTS: EntryLayout[] = ['absent', 'file', 'dangling-link', 'link-to-file', 'link-to-dir', 'dir', 'fifo'];
const FOLDER_LAYOUTS: FolderLayout[] = ['exists', 'missing', 'missing-parents', 'is-file', 'dangling-link', 'link-to-dir', 'read-only'];

function makeEntry(t: TempDir, at: string, layout: EntryLayout): void {
  switch (layout) {
    case 'absent':
      return;
    case 'file':
      return void fs.writeFileSync(at, 'an earlier file\n');
    case 'dangling-link':
      return void fs.symlinkSync(t.file('outside/not-there.pem'), at);
    case 'link-to-file':
      fs.writeFileSync(t.file('outside/precious.txt'), 'must stay as it is\n');
      return void fs.symlinkSync(t.file('outside/precious.txt'), at);
    case 'link-to-dir':
      fs.mkdirSync(t.file('outside/folder'), { recursive: true });
      return void fs.symlinkSync(t.file('outside/folder'), at);
    case 'dir':
      return void fs.mkdirSync(at);
    case 'fifo': {
      const r = spawnSync('mkfifo', [at]);
      assert.equal(r.status, 0, 'mkfifo');
      return;
    }
  }
}

/** Build the output folder `out` (under t) as `layout` says; returns the folder to name on the command line. */
function makeFolder(t: TempDir, layout: FolderLayout): string {
  const out = t.file('out');
  switch (layout) {
    case 'exists':
      fs.mkdirSync(out);
      return out;
    case 'missing':
      return out;
    case 'missing-parents':
      return join(out, 'a', 'b');
    case 'is-file':
      fs.writeFileSync(out, 'a file where a folder should be\n');
      return join(out, 'sub');
    case 'dangling-link':
      fs.symlinkSync(t.file('outside/no-folder'), out);
      return out;
    case 'link-to-dir':
      fs.mkdirSync(t.file('outside/real-folder'));
      fs.symlinkSync(t.file('outside/real-folder'), out);
      return out;
    case 'read-only':
      fs.mkdirSync(out, { mode: 0o555 });
      fs.chmodSync(out, 0o555);
      return out;
  }
}

interface Command {
  name: 'lab' | 'fullchain' | 'init';
  /** The outputs' base names. */
  outputs: string[];
  /** Creates a missing output folder itself. */
  createsFolder: boolean;
  args: (folder: string, t: TempDir) => string[];
}

const COMMANDS: Command[] = [
  { name: 'lab', outputs: LAB_FILES, createsFolder: true, args: (folder) => ['lab', folder, '--key', 'ec'] },
  { name: 'fullchain', outputs: ['chain.pem'], createsFolder: false, args: (folder, t) => ['fullchain', t.file('src/server.crt'), '--out', join(folder, 'chain.pem')] },
  { name: 'init', outputs: ['.sip-tls.json'], createsFolder: false, args: (folder) => ['init', folder] },
];

/** A lab PKI to build fullchains from (made once, copied into each case). */
let source: TempDir | undefined;
function pkiSource(): string {
  if (!source) {
    source = makeTempDir('sip-tls-outsrc-');
    const r = runCli(['lab', source.file('pki'), '--key', 'ec'], { cwd: source.path });
    assert.equal(r.code, 0, r.stderr);
  }
  return source.file('pki');
}

function runAs(args: string[], cwd: string, nobody: boolean) {
  requireBundles();
  const asNobody = nobody && process.getuid?.() === 0;
  const r = spawnSync(process.execPath, [CLI_BUNDLE, ...args], { cwd, encoding: 'utf8', timeout: 60_000, ...(asNobody ? { uid: 65534, gid: 65534 } : {}) });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface OutputCase {
  command: Command;
  folder: FolderLayout;
  entry: EntryLayout;
  /** The output that gets `entry` (when the folder exists). */
  victim: string;
  force: boolean;
}

/** Whether the case must succeed; otherwise it must refuse with exit 2. */
function expectSuccess(c: OutputCase): boolean {
  if (c.folder === 'is-file' || c.folder === 'dangling-link' || c.folder === 'read-only') return false;
  if (c.folder === 'missing' || c.folder === 'missing-parents') return c.command.createsFolder;
  if (c.entry === 'absent') return true;
  if (c.entry === 'dir' || c.entry === 'fifo') return false;
  return c.force; // file or link: replaced only when confirmed
}

/** Every combination (commands × folder layouts × entry layouts × --force). */
export function allOutputCases(): OutputCase[] {
  const cases: OutputCase[] = [];
  const rng = Rng.forInput(20260511, 8); // which output of a command gets the entry layout
  for (const command of COMMANDS) {
    for (const folder of FOLDER_LAYOUTS) {
      if (command.name === 'init' && folder === 'missing-parents') continue; // same as missing for init
      const entries: EntryLayout[] = folder === 'exists' || folder === 'link-to-dir' ? ENTRY_LAYOUTS : ['absent'];
      for (const entry of entries) {
        for (const force of [false, true]) {
          if (entry === 'absent' && force && folder !== 'exists') continue;
          cases.push({ command, folder, entry, victim: rng.pick(command.outputs), force });
        }
      }
    }
  }
  return cases;
}


/** A seeded sample that still has every command × folder layout and every entry layout × --force. */
export function sampleOutputCases(seed: number, size: number): OutputCase[] {
  const all = allOutputCases();
  const rng = Rng.forInput(seed, 0);
  const chosen = new Set<OutputCase>();
  const cover = (key: (c: OutputCase) => string) => {
    const seen = new Map<string, OutputCase[]>();
    for (const c of all) seen.set(key(c), [...(seen.get(key(c)) ?? []), c]);
    for (const group of seen.values()) if (!group.some((c) => chosen.has(c))) chosen.add(rng.pick(group));
  };
  cover((c) => `${c.command.name} ${c.folder}`);
  cover((c) => `${c.entry} ${c.force}`);
  while (chosen.size < Math.min(size, all.length)) chosen.add(rng.pick(all));
  return all.filter((c) => chosen.has(c));
}

export interface OutputTally {
  written: number;
  refused: number;
}

/** Run every case; returns how many wrote and how many refused. */
export function runOutputCases(cases: OutputCase[]): OutputTally {
  const src = pkiSource();
  let succeeded = 0;
  let refused = 0;
  for (const c of cases) {
    const t = makeTempDir('sip-tls-out-');
    try {
      fs.chmodSync(t.path, 0o755); // the read-only case runs as nobody, who must reach the folder
      fs.mkdirSync(t.file('outside'));
      fs.mkdirSync(t.file('src'));
      for (const n of ['server.crt', 'intermediate.crt', 'rootCA.crt']) fs.copyFileSync(join(src, n), t.file(`src/${n}`));
      const folder = makeFolder(t, c.folder);
      const realFolder = c.folder === 'link-to-dir' ? t.file('outside/real-folder') : folder;
      if (c.folder === 'exists' || c.folder === 'link-to-dir') makeEntry(t, join(realFolder, c.victim), c.entry);
      const before = snapshot(t.path);
      const args = [...c.command.args(folder, t), ...(c.force ? ['--force'] : [])];
      const run = runAs(args, t.path, c.folder === 'read-only');
      const label = `${c.command.name} | folder ${c.folder} | ${c.victim} ${c.entry}${c.force ? ' | --force' : ''}: exit ${run.code}, stderr ${JSON.stringify(run.stderr)}`;
      assert.doesNotMatch(run.stderr, /\n\s+at |internal error|Error:/, `no stack trace: ${label}`);
      const after = snapshot(t.path);
      assert.deepEqual(Object.keys(after).filter((k) => k.includes('.sip-tls-')), [], `no temporary folder left: ${label}`);
      // What a link pointed at is never written through.
      const isDestination = (k: string) => c.folder === 'link-to-dir' && k.startsWith('outside/real-folder');
      for (const k of Object.keys(before).filter((k) => k.startsWith('outside') && !isDestination(k))) assert.equal(after[k], before[k], `${k} untouched: ${label}`);
      assert.equal(after['outside/not-there.pem'], undefined, `a dangling link is not written through: ${label}`);
      if (expectSuccess(c)) {
        assert.ok(run.code === 0, `success expected: ${label}`);
        for (const name of c.command.outputs) {
          const st = fs.lstatSync(join(realFolder, name));
          assert.ok(st.isFile(), `${name} is a regular file: ${label}`);
          assert.equal(st.mode & 0o777, SECRETS.has(name) ? 0o600 : 0o644, `${name} mode: ${label}`);
        }
        succeeded++;
      } else {
        assert.equal(run.code, 2, `exit 2 expected: ${label}`);
        assert.equal(run.stderr.trimEnd().split('\n').length, 1, `one line: ${label}`);
        assert.match(run.stderr, new RegExp(`^sip-tls: ${c.command.name}: `), label);
        assert.equal(run.stdout, '', `nothing said written: ${label}`);
        assert.deepEqual(after, before, `nothing changed: ${label}`);
        refused++;
      }
    } finally {
      try {
        fs.chmodSync(t.file('out'), 0o755);
      } catch {
        // not a folder in this layout
      }
      t.remove();
    }
  }
  source?.remove();
  source = undefined;
  return { written: succeeded, refused };
}
