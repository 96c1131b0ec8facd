import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { InFlightLimit } from '../../server/src/inFlightLimit';

/** Resolves once every callback queued so far has run, so waiters that could be admitted are. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InFlightLimit', () => {
  it('admits no more than its size, in arrival order', async () => {
    const limit = new InFlightLimit(2);
    const admitted: number[] = [];
    const releases: Array<() => void> = [];
    const all = Array.from({ length: 6 }, (_, i) =>
      limit.acquire(undefined).then((release) => {
        admitted.push(i);
        releases.push(release);
      }),
    );
    await settle();
    assert.deepEqual(admitted, [0, 1]);
    releases[0]!();
    releases[0]!();
    await settle();
    assert.deepEqual(admitted, [0, 1, 2], 'a second call of the same release frees nothing more');
    for (let i = 1; i < 6; i++) {
      releases[i]!();
      await settle();
    }
    await Promise.all(all);
    assert.deepEqual(admitted, [0, 1, 2, 3, 4, 5]);
  });

  it('rejects the waiters of an aborted signal with its reason and lets the others through', async () => {
    const limit = new InFlightLimit(1, (signal) => new Error(`cancelled: ${String(signal.reason)}`));
    const release = await limit.acquire(undefined);
    const controller = new AbortController();
    const cancelled = [limit.acquire(controller.signal), limit.acquire(controller.signal)];
    const other = limit.acquire(undefined);
    controller.abort('stop');
    for (const wait of cancelled) await assert.rejects(wait, /^Error: cancelled: stop$/);
    release();
    (await other)();
    await assert.rejects(limit.acquire(controller.signal), /cancelled: stop/, 'an already aborted signal is refused at once');
  });

  it('listens to a signal once however many wait on it, and lets go when none does', async () => {
    // Node warns of a leak past ten listeners on one signal: a scan of many folders waits on one.
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const limit = new InFlightLimit(1);
      const controller = new AbortController();
      const first = await limit.acquire(controller.signal);
      const waiting = Array.from({ length: 50 }, () => limit.acquire(controller.signal));
      assert.equal(getEventListeners(controller.signal, 'abort').length, 1);
      first();
      for (const wait of waiting) (await wait)();
      assert.equal(getEventListeners(controller.signal, 'abort').length, 0);
      await settle();
      assert.deepEqual(warnings.map((w) => w.message), []);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
