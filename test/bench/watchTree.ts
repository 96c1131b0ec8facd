/**
 * Hand-run cost of watching a big tree (not a test):
 *   node --import tsx test/bench/watchTree.ts [files=200000] [folders=20000]
 * Generates the tree once under the OS temp dir (small files, 10 a folder by default), starts a
 * FolderWatcher on it and prints the inotify watches it holds (from /proc/self/fdinfo), the time
 * until it is ready, and the time from one edit to its batch.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderWatcher } from '../../server/src/watch/folderWatcher';
import { IgnoreRules } from '../../server/src/watch/ignoreRules';
import { inotifyWatches } from '../support/inotifyWatches';

const files = Number(process.argv[2] ?? 200_000);
const folders = Number(process.argv[3] ?? 20_000);
const root = join(tmpdir(), `ferret-watch-bench-${files}-${folders}`);

function generate(): void {
  if (existsSync(join(root, 'done'))) return;
  // Folders nest two deep, 100 to a parent, as real trees do.
  for (let i = 0; i < files; i++) {
    const folder = i % folders;
    const dir = join(root, `p${Math.floor(folder / 100)}`, `d${folder}`);
    if (i < folders) mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `f${i}.ts`), `export const v${i} = ${i};\n`);
  }
  writeFileSync(join(root, 'done'), '');
}

async function main(): Promise<void> {
  let started = performance.now();
  generate();
  console.log(`tree: ${files} files in ${folders} folders at ${root} (${Math.round(performance.now() - started)} ms to generate or find)`);
  const rules = await IgnoreRules.load(root, { exclude: [] });
  let edited: (() => void) | undefined;
  const watcher = new FolderWatcher(root, rules, {
    maxFileSize: 1 << 20,
    onBatch: (batch) => {
      if (batch.changed.includes('p0/d0/f0.ts')) edited?.();
    },
    onError: (error) => console.log(`error: ${error.message}`),
    onFallback: (sentence) => console.log(`fallback: ${sentence}`),
  });
  started = performance.now();
  await watcher.start();
  console.log(`ready in ${Math.round(performance.now() - started)} ms, ${inotifyWatches()} inotify watches, RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
  const batch = new Promise<void>((resolve) => (edited = resolve));
  started = performance.now();
  writeFileSync(join(root, 'p0/d0/f0.ts'), `export const edited = ${Date.now()};\n`);
  await batch;
  console.log(`edit to batch: ${Math.round(performance.now() - started)} ms`);
  await watcher.close();
}

void main();
