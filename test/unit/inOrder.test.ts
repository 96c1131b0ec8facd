import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InOrder } from '../../server/src/index/inOrder';

test('results come back in item order while at most `ahead` jobs run', async () => {
  let running = 0;
  let peak = 0;
  const ordered = new InOrder(
    [30, 5, 20, 1, 10, 0],
    async (ms: number) => {
      peak = Math.max(peak, ++running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
      return ms;
    },
    3,
  );
  const results: number[] = [];
  for (let i = 0; i < 6; i++) results.push(await ordered.next());
  assert.deepEqual(results, [30, 5, 20, 1, 10, 0]);
  assert.equal(peak, 3);
  assert.throws(() => ordered.next(), /past the last item/);
});

test('ahead = 1 runs one job at a time, and a failure after the one taken is not unhandled', async () => {
  const started: number[] = [];
  const ordered = new InOrder([1, 2, 3], async (n: number) => {
    started.push(n);
    if (n === 2) throw new Error('two failed');
    return n;
  }, 1);
  assert.equal(await ordered.next(), 1);
  assert.deepEqual(started, [1]);
  await assert.rejects(ordered.next(), /two failed/);
  const ahead = new InOrder([1, 2], async (n: number) => {
    if (n === 2) throw new Error('never taken');
    return n;
  }, 2);
  assert.equal(await ahead.next(), 1);
});
