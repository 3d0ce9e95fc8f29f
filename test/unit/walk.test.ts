// The bounded folder walk (core/walk.ts) on generated link layouts, on the real file system and
// in memory: it ends, enters each real folder once, finds every real configuration once, never
// returns what is outside the root, never opens a FIFO, keeps to its budgets and says when one
// was crossed. Properties: test/helpers/walkProperties.ts; the integration run uses more and
// larger layouts (test/integration/hostile.test.ts).
import assert from 'node:assert/strict';
import { realpathSync, symlinkSync } from 'node:fs';
import { test } from 'node:test';
import { findConfigFiles } from '../../server/src/core/discovery';
import { NodeHost } from '../../server/src/core/nodeHost';
import { describeWalkLimit, walkTree } from '../../server/src/core/walk';
import { buildInMemory, buildOnDisk, generateLayout, type LinkLayout } from '../helpers/linkLayouts';
import { checkLayout } from '../helpers/walkProperties';
import { makeTempDir } from '../helpers/tempDir';

const LAYOUTS = 150;
const DISK_LAYOUTS = 30;

test('generated link layouts in memory: every real folder once, every configuration once, budgets kept and said', () => {
  for (let seed = 1; seed <= LAYOUTS; seed++) {
    const layout = generateLayout(seed, { dotLinks: seed % 7 });
    const { host, root } = buildInMemory(layout);
    checkLayout(layout, host, root, seed);
  }
});

test('generated link layouts on disk (NodeHost, real FIFOs): the same properties', () => {
  for (let seed = 1; seed <= DISK_LAYOUTS; seed++) {
    const layout = generateLayout(10_000 + seed, { dotLinks: seed % 7 });
    const tmp = makeTempDir('sip-tls-walk-');
    try {
      const { root } = buildOnDisk(layout, tmp.path);
      checkLayout(layout, new NodeHost(), root, seed);
    } finally {
      tmp.remove();
    }
  }
});

test('k links to `.` (k up to 6) cost one folder each, not 2^k walks', () => {
  for (let k = 0; k <= 6; k++) {
    const layout: LinkLayout = { description: `${k} links to .`, dirs: ['', 'a', 'a/b'], configs: ['kamailio.cfg', 'a/b/tls.cfg'], links: Array.from({ length: k }, (_, i) => ({ path: `a/l${i}`, target: '.' })), fifos: [] };
    const { host, root } = buildInMemory(layout);
    const walk = walkTree(host, root, { select: () => true });
    assert.equal(walk.directories.length, 3);
    assert.equal(walk.counts.loop, k);
    assert.equal(walk.entries, 3 + k + 1);
  }
});

test('a link into the root is walked when the real tree did not reach its target (depth)', () => {
  const deep = 'a/b/c/d';
  const layout: LinkLayout = { description: 'shortcut', dirs: ['', 'a', 'a/b', 'a/b/c', deep], configs: [`${deep}/kamailio.cfg`], links: [{ path: 'short', target: deep }], fifos: [] };
  const { host, root } = buildInMemory(layout);
  const walk = walkTree(host, root, { budgets: { depth: 2 }, select: () => true });
  assert.deepEqual(walk.files, [`${root}/short/kamailio.cfg`]);
  assert.equal(walk.counts.depth, 1);
  assert.match(describeWalkLimit(walk, root) ?? '', /1 folder more than 2 levels below .* not searched \(first: a\/b\/c\)/);
});

test('a root reached through a link is walked as the folder it names', () => {
  const tmp = makeTempDir('sip-tls-walk-');
  try {
    const layout = generateLayout(77, { dotLinks: 3 });
    const { root } = buildOnDisk(layout, tmp.path);
    const alias = `${tmp.path}/alias`;
    symlinkSync(root, alias);
    const found = findConfigFiles(new NodeHost(), alias);
    for (const f of [...found.kamailio, ...found.tls]) assert.ok(f.startsWith(`${alias}/`), f);
    assert.deepEqual([...found.kamailio, ...found.tls].map((f) => realpathSync(f)).sort(), layout.configs.map((c) => `${root}/${c}`).sort());
  } finally {
    tmp.remove();
  }
});
