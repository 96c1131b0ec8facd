import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathsUnder } from '../../server/src/watch/removedFolders';
import { inotifyWatches } from '../support/inotifyWatches';
import { TEST_TIMEOUT, net, watchTree } from './watchHarness';
import type { Tree } from './watchFixture';

test('FolderWatcher: a tree costs one inotify watch per folder, none per file', TEST_TIMEOUT, async () => {
  const files: Tree = { 'node_modules/pkg/a.js': 'n\n', 'node_modules/pkg/lib/b.js': 'n\n' };
  for (let dir = 0; dir < 40; dir++) for (let file = 0; file < 50; file++) files[`src/d${dir}/f${file}.ts`] = `export const v${file} = ${dir};\n`;
  const before = inotifyWatches();
  const h = await watchTree(files);
  // The root, src and its 40 folders; node_modules is pruned.
  assert.equal(inotifyWatches() - before, 42);
  await h.write({ 'src/d7/f3.ts': 'export const edited = 1;\n' });
  await h.until('an edit of a file that has no watch of its own', (batches) => net(batches).get('src/d7/f3.ts') === 'changed');
});

test('FolderWatcher: files written into a new folder at once are all reported', TEST_TIMEOUT, async () => {
  const h = await watchTree({ 'keep.ts': 'k\n' });
  const expected: string[] = [];
  // No pause between creating a folder and filling it: most files exist before its watch does.
  for (const dir of ['new', 'new/deeper', 'new/deeper/deepest']) {
    await mkdir(join(h.root, dir));
    for (let file = 0; file < 100; file++) {
      await writeFile(join(h.root, dir, `f${file}.ts`), `${file}\n`);
      expected.push(`${dir}/f${file}.ts`);
    }
  }
  await h.until('every new file', (batches) => expected.every((path) => net(batches).get(path) === 'changed'));
  assert.deepEqual(h.errors, []);
});

test('FolderWatcher: a folder deleted and created again under its name is watched again', TEST_TIMEOUT, async () => {
  const h = await watchTree({ 'lib/old.ts': 'o\n' });
  await rm(join(h.root, 'lib'), { recursive: true });
  await mkdir(join(h.root, 'lib'));
  await writeFile(join(h.root, 'lib/new.ts'), 'n\n');
  await h.until('the new folder', (batches) => net(batches).get('lib/new.ts') === 'changed');
  // Written after the watch on the new folder is in place.
  await writeFile(join(h.root, 'lib/later.ts'), 'l\n');
  await h.until('a file written later', (batches) => net(batches).get('lib/later.ts') === 'changed');
  assert.ok(h.batches.some((batch) => batch.removed.includes('lib')), 'the old folder is reported removed');
  assert.deepEqual(h.errors, []);
});

test('pathsUnder: a removed folder covers the known paths below it, on whole segments', () => {
  const known = ['src/a/x.ts', 'src/a/deep/y.ts', 'src/ab.ts', 'src/a.ts', 'other/src/a/z.ts'];
  assert.deepEqual(pathsUnder(['src/a'], known), ['src/a/x.ts', 'src/a/deep/y.ts']);
  assert.deepEqual(pathsUnder(['src/a.ts'], known), []);
  assert.deepEqual(pathsUnder([], known), []);
});
