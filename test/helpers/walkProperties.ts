// The properties every walk of a generated link layout must have (core/walk.ts), shared by the
// unit test (small sizes) and the integration run (large ones).
import assert from 'node:assert/strict';
import * as posix from 'node:path/posix';
import { findConfigFiles } from '../../server/src/core/discovery';
import type { FileError, Host, ReadResult, StatResult } from '../../server/src/core/host';
import { isInside } from '../../server/src/core/scope';
import { describeWalkLimit, type WalkBudgets, type WalkResult } from '../../server/src/core/walk';
import type { LinkLayout } from './linkLayouts';

/** A host that fails the test on any read of something that is not a regular file. */
class GuardedHost implements Host {
  readonly opened: string[] = [];
  constructor(private readonly inner: Host) {}
  stat(path: string): StatResult {
    return this.inner.stat(path);
  }
  readFile(path: string, maxBytes: number): ReadResult {
    const st = this.inner.stat(path);
    if ('error' in st || st.kind !== 'file') this.opened.push(path);
    return this.inner.readFile(path, maxBytes);
  }
  readDir(path: string): string[] | FileError {
    const st = this.inner.stat(path);
    if ('error' in st || st.kind !== 'directory') this.opened.push(path);
    return this.inner.readDir(path);
  }
  realPath(path: string): string | FileError {
    return this.inner.realPath!(path);
  }
  now(): Date {
    return this.inner.now();
  }
  trackedFiles(): undefined {
    return undefined;
  }
}

function realOf(host: Host, p: string): string {
  const r = host.realPath!(p);
  assert.equal(typeof r, 'string', `${p} resolves`);
  return r as string;
}

/** Every property a walk of `layout` must have, whatever the budgets. */
function assertWalk(layout: LinkLayout, host: GuardedHost, root: string, walk: WalkResult, found: string[], budgets: WalkBudgets): void {
  const why = `layout ${layout.description}`;
  const realRoot = realOf(host, root);
  const realDirs = walk.directories.map((d) => realOf(host, d));
  assert.equal(new Set(realDirs).size, realDirs.length, `each real folder entered once: ${walk.directories.join(' ')}; ${why}`);
  for (const d of realDirs) assert.ok(isInside(d, realRoot), `${d} inside the root; ${why}`);
  const realFound = found.map((f) => realOf(host, f));
  assert.equal(new Set(realFound).size, realFound.length, `each configuration once: ${found.join(' ')}; ${why}`);
  for (const f of realFound) assert.ok(isInside(f, realRoot), `${f} inside the root; ${why}`);
  assert.deepEqual(host.opened, [], `nothing but regular files and folders opened; ${why}`);
  assert.ok(walk.directories.length <= budgets.directories, why);
  assert.ok(walk.entries <= budgets.entries, why);
  assert.ok(walk.files.length <= budgets.files, why);
  for (const d of walk.directories) assert.ok(posix.relative(root, d).split('/').filter(Boolean).length <= budgets.depth, why);
  if (!walk.stopped) {
    const expected = layout.configs.map((c) => realOf(host, `${root}/${c}`)).sort();
    assert.deepEqual([...realFound].sort(), expected, `every real configuration found; ${why}`);
  }
}

const FULL: WalkBudgets = { directories: 10_000, entries: 200_000, depth: 12, timeMs: 60_000, files: 5_000 };

/** Budgets below what `layout` needs, one crossed per variant, and a clock that ticks per reading. */
function tightVariants(full: WalkResult, seed: number): { budgets: WalkBudgets; expect: keyof WalkBudgets }[] {
  const below = (n: number): number => seed % n; // 0 … n-1
  const out: { budgets: WalkBudgets; expect: keyof WalkBudgets }[] = [];
  out.push({ budgets: { ...FULL, directories: below(full.directories.length) }, expect: 'directories' });
  if (full.files.length > 0) out.push({ budgets: { ...FULL, files: below(full.files.length) }, expect: 'files' });
  if (full.entries > 0) out.push({ budgets: { ...FULL, entries: below(full.entries) }, expect: 'entries' });
  out.push({ budgets: { ...FULL, timeMs: 0 }, expect: 'timeMs' });
  return out;
}

export function checkLayout(layout: LinkLayout, inner: Host, root: string, seed: number): void {
  const host = new GuardedHost(inner);
  let ticks = 0;
  const clock = (): number => ticks++;
  const full = findConfigFiles(host, root, FULL, clock);
  assertWalk(layout, host, root, full.walk, [...full.kamailio, ...full.tls], FULL);
  assert.equal(full.walk.stopped, undefined, layout.description);
  assert.equal(describeWalkLimit(full.walk, root), undefined, layout.description);
  for (const { budgets, expect } of tightVariants(full.walk, seed)) {
    const cut = findConfigFiles(host, root, budgets, clock);
    assertWalk(layout, host, root, cut.walk, [...cut.kamailio, ...cut.tls], budgets);
    assert.equal(cut.walk.stopped?.budget, expect, `${expect} budget ${budgets[expect]} crossed and said; ${layout.description}`);
    assert.ok(isInside(cut.walk.stopped!.at, root), layout.description);
    assert.match(describeWalkLimit(cut.walk, root) ?? '', /stopped at .* after more than/);
  }
  // Walked from a folder below the root, links up to the root are outside it.
  const sub = layout.dirs.find((d) => d !== '');
  if (sub !== undefined) {
    const below = findConfigFiles(host, `${root}/${sub}`, FULL, clock);
    assertWalk({ ...layout, configs: layout.configs.filter((c) => isInside(c, sub)).map((c) => posix.relative(sub, c)) }, host, `${root}/${sub}`, below.walk, [...below.kamailio, ...below.tls], FULL);
  }
}

