import assert from 'node:assert/strict';
import { appendFile, mkdir, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { GUARD_MS, TEST_TIMEOUT, mentions, net, watchTree } from './watchHarness';

test('FolderWatcher: a single edit produces one batch with that path', TEST_TIMEOUT, async () => {
  const h = await watchTree({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' });
  await h.write({ 'src/a.ts': 'a2\n' });
  await h.until('the edit', (batches) => mentions(batches, 'src/a.ts'));
  // A later write marks the point up to which no other batch may have appeared.
  await h.write({ 'sentinel.ts': 's\n' });
  await h.until('the sentinel', (batches) => mentions(batches, 'sentinel.ts'));
  assert.deepEqual(h.batches, [
    { changed: ['src/a.ts'], removed: [], rulesChanged: false },
    { changed: ['sentinel.ts'], removed: [], rulesChanged: false },
  ]);
  assert.deepEqual(h.errors, []);
});

test('FolderWatcher: a burst of 2,000 new files arrives in a few batches', TEST_TIMEOUT, async (t) => {
  const dirs = Array.from({ length: 20 }, (_, i) => `pkg${i}`);
  const h = await watchTree(Object.fromEntries(dirs.map((dir) => [`${dir}/index.ts`, 'i\n'])));
  const expected = dirs.flatMap((dir) => Array.from({ length: 100 }, (_, i) => `${dir}/file${i}.ts`));
  await Promise.all(expected.map((path) => writeFile(join(h.root, path), `export const x = '${path}';\n`)));
  await h.until('all 2,000 files', (batches) => {
    const seen = new Set(batches.flatMap((batch) => batch.changed));
    return expected.every((path) => seen.has(path));
  });
  t.diagnostic(`2,000 writes → ${h.batches.length} batch(es)`);
  assert.ok(h.batches.length <= 5, `${h.batches.length} batches`);
  assert.deepEqual(h.batches.flatMap((batch) => batch.removed), []);
});

test('FolderWatcher: a continuous stream of events still flushes at the maximum wait', TEST_TIMEOUT, async () => {
  // The quiet period never comes while the loop writes; only the cap can end the loop early.
  const h = await watchTree({ 'a.ts': 'a\n' }, { debounceMs: 500, maxWaitMs: 300 });
  const deadline = Date.now() + GUARD_MS;
  let written = 0;
  while (h.batches.length === 0 && Date.now() < deadline) {
    await writeFile(join(h.root, `stream${written++}.ts`), 'x\n');
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.ok(h.batches.length > 0, `no batch during ${written} writes`);
  assert.ok((h.batches[0]?.changed.length ?? 0) > 0);
});

test('FolderWatcher: delete, rename, folder rename and folder removal', TEST_TIMEOUT, async () => {
  const h = await watchTree({ 'a.ts': 'a\n', 'old.ts': 'o\n', 'dir/x.ts': 'x\n', 'dir/deep/y.ts': 'y\n', 'keep.ts': 'k\n' });
  await unlink(join(h.root, 'a.ts'));
  await h.until('the delete', (batches) => net(batches).get('a.ts') === 'removed');

  await rename(join(h.root, 'old.ts'), join(h.root, 'new.ts'));
  await h.until('the rename', (batches) => net(batches).get('old.ts') === 'removed' && net(batches).get('new.ts') === 'changed');

  // Folders are watched, not files: a folder moved away or deleted is reported as the folder alone.
  await rename(join(h.root, 'dir'), join(h.root, 'moved'));
  await h.until('the folder rename', (batches) => {
    const state = net(batches);
    return state.get('dir') === 'removed' && ['moved/x.ts', 'moved/deep/y.ts'].every((path) => state.get(path) === 'changed');
  });

  await rm(join(h.root, 'moved'), { recursive: true });
  await h.until('the folder removal', (batches) => net(batches).get('moved') === 'removed');
  assert.equal(mentions(h.batches, 'keep.ts'), false);
  assert.deepEqual(h.errors, []);
});

test('FolderWatcher: within one batch the last event decides', TEST_TIMEOUT, async () => {
  // A long quiet period so that both events of each pair land in the same batch.
  const h = await watchTree({ 'x.ts': 'x\n', 'y.ts': 'y\n' }, { debounceMs: 400, maxWaitMs: 5000 });
  await appendFile(join(h.root, 'x.ts'), 'more\n');
  await unlink(join(h.root, 'x.ts'));
  await unlink(join(h.root, 'y.ts'));
  await writeFile(join(h.root, 'y.ts'), 'y again\n');
  await h.until('both files', (batches) => mentions(batches, 'x.ts') && mentions(batches, 'y.ts'));
  const last = net(h.batches);
  assert.equal(last.get('x.ts'), 'removed');
  assert.equal(last.get('y.ts'), 'changed');
  for (const batch of h.batches) {
    assert.ok(!(batch.changed.includes('x.ts') && batch.removed.includes('x.ts')), 'a path is listed once per batch');
    assert.ok(!(batch.changed.includes('y.ts') && batch.removed.includes('y.ts')), 'a path is listed once per batch');
  }
});

test('FolderWatcher: ignored folders, secrets, binaries and links produce no events', TEST_TIMEOUT, async () => {
  const h = await watchTree({
    '.gitignore': 'generated/\n*.log\n',
    'generated/a.ts': 'g\n',
    'node_modules/pkg/index.js': 'n\n',
    'dist/out.js': 'd\n',
    'src/a.ts': 'a\n',
  });
  await h.write({
    'generated/a.ts': 'g2\n',
    'generated/new.ts': 'g\n',
    'node_modules/pkg/index.js': 'n2\n',
    'node_modules/other/index.js': 'n\n',
    'dist/out.js': 'd2\n',
    '.git/HEAD': 'ref\n',
    '.env': 'T=1\n',
    'debug.log': 'l\n',
    'logo.png': 'p',
    'package-lock.json': '{}',
  });
  await symlink('src', join(h.root, 'src-link'));
  await symlink('/etc/hostname', join(h.root, 'outside.ts'));
  await h.write({ 'sentinel.ts': 's\n' });
  await h.until('the sentinel', (batches) => mentions(batches, 'sentinel.ts'));
  assert.deepEqual([...net(h.batches).keys()], ['sentinel.ts']);
});

test('FolderWatcher: a .gitignore change invalidates the rules and watches re-included folders', TEST_TIMEOUT, async () => {
  // Nested, so that no folder already watched is re-listed when the rules file changes.
  const h = await watchTree({ '.gitignore': 'gen/\n', 'deep/er/gen/a.ts': 'a\n', 'src/a.ts': 'a\n' });
  assert.equal(h.rules.check('deep/er/gen/a.ts', false), 'ignored');
  await writeFile(join(h.root, '.gitignore'), '*.tmp\n');
  await h.until('the rules change', (batches) => batches.some((batch) => batch.rulesChanged));
  assert.equal(h.rules.check('deep/er/gen/a.ts', false), undefined);
  assert.equal(h.rules.check('x.tmp', false), 'ignored');
  assert.ok(h.batches.find((batch) => batch.rulesChanged)?.changed.includes('.gitignore'));

  await h.write({ 'deep/er/gen/b.ts': 'b\n' });
  await h.until('a file in the re-included folder', (batches) => mentions(batches, 'deep/er/gen/b.ts'));

  await mkdir(join(h.root, 'sub'));
  await h.write({ 'sub/.ferretignore': 'secret-plans/\n' });
  await h.until('a nested .ferretignore', (batches) => batches.filter((batch) => batch.rulesChanged).length === 2);
  assert.equal(h.rules.check('sub/secret-plans', true), 'ignored');
  assert.deepEqual(h.errors, []);
});

test('FolderWatcher: a file grown past maxFileSize is reported as removed', TEST_TIMEOUT, async () => {
  const h = await watchTree({ 'a.ts': 'a\n' }, { maxFileSize: 100 });
  await h.write({ 'a.ts': 'a'.repeat(500) });
  await h.until('the growth', (batches) => mentions(batches, 'a.ts'));
  assert.equal(net(h.batches).get('a.ts'), 'removed');
  await h.write({ 'a.ts': 'small\n' });
  await h.until('the shrink', (batches) => net(batches).get('a.ts') === 'changed');
});

test('FolderWatcher: an exception in onBatch goes to onError and watching goes on', TEST_TIMEOUT, async () => {
  const seen: string[][] = [];
  const errors: Error[] = [];
  let errorArrived: () => void = () => undefined;
  const h = await watchTree(
    { 'a.ts': 'a\n' },
    {
      onBatch: (batch) => {
        seen.push(batch.changed);
        throw new Error(`consumer failed on ${batch.changed.join()}`);
      },
      onError: (error) => {
        errors.push(error);
        errorArrived();
      },
    },
  );
  for (const path of ['a.ts', 'b.ts']) {
    const arrived = new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`no error for ${path}; batches: ${JSON.stringify(seen)}`)), GUARD_MS);
      errorArrived = () => {
        clearTimeout(guard);
        resolve();
      };
    });
    await h.write({ [path]: 'x\n' });
    await arrived;
  }
  assert.deepEqual(seen, [['a.ts'], ['b.ts']]);
  assert.deepEqual(errors.map((error) => error.message), ['consumer failed on a.ts', 'consumer failed on b.ts']);
});
