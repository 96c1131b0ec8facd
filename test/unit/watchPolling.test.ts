import assert from 'node:assert/strict';
import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { IgnoreRules } from '../../server/src/watch/ignoreRules';
import { PollingWatch } from '../../server/src/watch/pollingWatch';
import { makeTree, removeTree } from './watchFixture';

test('PollingWatch: a rescan reports edits, additions, deletions and growth past the size cap, and nothing else', { timeout: 60_000 }, async () => {
  const root = await makeTree({ 'a.ts': 'a\n', 'b.ts': 'b\n', 'big.ts': 'small\n', 'keep.ts': 'k\n', 'dir/c.ts': 'c\n', 'node_modules/x.js': 'x\n' });
  const rules = await IgnoreRules.load(root, { exclude: [] });
  const seen = new Map<string, 'changed' | 'removed'>();
  const errors: unknown[] = [];
  let scanned: () => void = () => undefined;
  const polling = new PollingWatch(root, rules, 100, {
    onPath: (path, kind) => seen.set(path, kind),
    onScanned: () => scanned(),
    onInterval: () => undefined,
    onError: (error) => errors.push(error),
  });
  try {
    await polling.start();
    assert.equal(polling.intervalMs, 5_000, 'a small folder is rescanned at the shortest interval');
    assert.deepEqual([...seen], [], 'the first scan is the snapshot, not a change');
    await writeFile(join(root, 'a.ts'), 'a edited\n');
    await writeFile(join(root, 'new.ts'), 'n\n');
    await unlink(join(root, 'b.ts'));
    await rm(join(root, 'dir'), { recursive: true });
    await writeFile(join(root, 'big.ts'), 'x'.repeat(500));
    await writeFile(join(root, 'node_modules/x.js'), 'x edited\n');
    // Ends on the rescan itself; the test's timeout is only the guard.
    while (seen.size < 5) await new Promise<void>((resolve) => (scanned = resolve));
    assert.deepEqual(
      [...seen].sort(),
      [['a.ts', 'changed'], ['b.ts', 'removed'], ['big.ts', 'removed'], ['dir/c.ts', 'removed'], ['new.ts', 'changed']],
    );
    assert.deepEqual(errors, []);
  } finally {
    await polling.stop();
    await removeTree(root);
  }
});
