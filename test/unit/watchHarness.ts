import { after } from 'node:test';
import { FolderWatcher, type WatchBatch, type WatchOptions } from '../../server/src/watch/folderWatcher';
import { IgnoreRules } from '../../server/src/watch/ignoreRules';
import { makeTree, removeTree, writeTree, type Tree } from './watchFixture';

/** Failure guard only: every wait below ends on the awaited batch itself. */
export const GUARD_MS = 15_000;
export const TEST_TIMEOUT = { timeout: 60_000 };

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

export interface Harness {
  root: string;
  rules: IgnoreRules;
  batches: WatchBatch[];
  errors: Error[];
  /** Resolves once the batches so far satisfy `done`. */
  until(label: string, done: (batches: WatchBatch[]) => boolean): Promise<void>;
  write(files: Tree): Promise<void>;
}

export async function watchTree(files: Tree, options: Partial<WatchOptions> = {}): Promise<Harness> {
  const root = await makeTree(files);
  const rules = await IgnoreRules.load(root, { exclude: [] });
  const batches: WatchBatch[] = [];
  const errors: Error[] = [];
  const waiters = new Set<{ done: (batches: WatchBatch[]) => boolean; resolve: () => void }>();
  const watcher = new FolderWatcher(root, rules, {
    maxFileSize: 1 << 20,
    onBatch: (batch) => {
      batches.push(batch);
      for (const waiter of waiters) if (waiter.done(batches)) waiter.resolve();
    },
    onError: (error) => errors.push(error),
    ...options,
  });
  cleanups.push(async () => {
    await watcher.close();
    await removeTree(root);
  });
  await watcher.start();
  return {
    root,
    rules,
    batches,
    errors,
    write: (tree) => writeTree(root, tree),
    until: (label, done) =>
      new Promise((resolve, reject) => {
        if (done(batches)) return resolve();
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`timed out waiting for ${label}; batches so far: ${JSON.stringify(batches)}`));
        }, GUARD_MS);
        const waiter = {
          done,
          resolve: () => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve();
          },
        };
        waiters.add(waiter);
      }),
  };
}

export const mentions = (batches: WatchBatch[], path: string): boolean =>
  batches.some((batch) => batch.changed.includes(path) || batch.removed.includes(path));

/** Each path's last state over all batches. */
export function net(batches: WatchBatch[]): Map<string, 'changed' | 'removed'> {
  const state = new Map<string, 'changed' | 'removed'>();
  for (const batch of batches) {
    for (const path of batch.changed) state.set(path, 'changed');
    for (const path of batch.removed) state.set(path, 'removed');
  }
  return state;
}

