// Large passes prepare files on worker threads (index/filePrepPool.ts): the rows, counts, catalog
// entries and logs must be exactly those of a pass that prepares every file itself, and a worker
// that dies or throws must fail its file with an error naming it, never stall the pass.
// Needs `npm run build` first: the pool runs dist/filePrepWorker.js.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { createIndexChunker } from '../../server/src/index/indexChunker';
import { LocalEmbedder } from '../../server/src/embed/localEmbedder';
import { Catalog } from '../../server/src/index/catalog';
import { prepareFile, type PrepTask } from '../../server/src/index/filePrep';
import { FilePrepPool, WorkerOutOfMemory } from '../../server/src/index/filePrepPool';
import { IndexPass, type PassCounts } from '../../server/src/index/indexPass';
import type { ChunkRow, VectorStore } from '../../server/src/store/vectorStore';
import type { FileStat } from '../../server/src/watch/folderScanner';
import { tempDir } from '../support/tempDir';

const WORKER = join(__dirname, '..', '..', 'dist', 'filePrepWorker.js');
const FAULTY_WORKER = join(__dirname, '..', 'support', 'faultyPrepWorker.cjs');
const FIXTURES = join(__dirname, '..', 'fixtures', 'chunk');
const MAX_FILE_SIZE = 64 * 1024;
const ODD_NAME = "odd/it's a [weird] näme \\ ü.ts";

function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** Every chunk fixture (twelve languages and Markdown) five times over, plus files each outcome of a pass needs. */
function workspace(): string {
  const root = tempDir('ferret-prep-');
  for (let copy = 0; copy < 5; copy++) {
    for (const name of readdirSync(FIXTURES)) {
      mkdirSync(join(root, `copy${copy}`), { recursive: true });
      copyFileSync(join(FIXTURES, name), join(root, `copy${copy}`, name));
    }
  }
  write(root, 'broken/garbage.ts', Array.from({ length: 30 }, (_, i) => `} ) => class ${i} :: @@ { ( " let ;; ]`).join('\n'));
  write(root, ODD_NAME, 'export function oddOne(): number {\n  return 1;\n}\n');
  write(root, 'config/settings.ts', 'export const settings = {\n  password: "hunter2-correct-horse",\n  retries: 3,\n};\n');
  write(root, 'assets/blob.ts', Buffer.from([0x63, 0x6f, 0x00, 0x01, 0x02, 0x6e, 0x73, 0x74]));
  write(root, 'vendor_/bundle.js', `var a=${'1+'.repeat(4000)}1;`);
  write(root, 'notes/empty.txt', '');
  write(root, 'data/huge.ts', `export const big = '${'x'.repeat(MAX_FILE_SIZE)}';\n`);
  return root;
}

/** Candidates as a scan would give them, plus one whose file is gone by the time it is read. */
function candidates(root: string): Map<string, FileStat> {
  const found = new Map<string, FileStat>();
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(join(dir, entry.name), path);
      else found.set(path, { size: statSync(join(dir, entry.name)).size, mtimeMs: statSync(join(dir, entry.name)).mtimeMs });
    }
  };
  walk(root, '');
  found.set('gone/deleted.ts', { size: 10, mtimeMs: 1 });
  return found;
}

/** The part of a store a cold pass uses, recording what it is given. */
class RecordingStore {
  readonly rows: ChunkRow[] = [];
  readonly deleted: string[] = [];
  async addFiles(rows: readonly ChunkRow[]): Promise<void> {
    this.rows.push(...rows);
  }
  async deleteFiles(paths: readonly string[]): Promise<void> {
    this.deleted.push(...paths);
  }
  async replaceFiles(): Promise<void> {
    throw new Error('a cold pass appends');
  }
  async vectorsByHash(): Promise<Map<string, Float32Array>> {
    return new Map();
  }
}

interface PassRecord {
  counts: PassCounts;
  rows: ChunkRow[];
  catalog: Catalog;
  logs: string[];
}

async function coldPass(root: string, files: Map<string, FileStat>, pool: FilePrepPool | undefined): Promise<PassRecord> {
  const logs: string[] = [];
  const store = new RecordingStore();
  const catalog = await Catalog.load(join(tempDir('ferret-prep-catalog-'), 'catalog.json'));
  const chunker = await createIndexChunker((message) => logs.push(message));
  after(() => chunker.dispose());
  const deps = { root, store: store as unknown as VectorStore, catalog, chunker, embedder: new LocalEmbedder(), maxFileSize: MAX_FILE_SIZE, log: (m: string) => logs.push(m), ...(pool ? { pool } : {}) };
  const pass = new IndexPass(deps, { cold: true, trustStat: true });
  const counts = await pass.run(files, ['never/indexed.ts']);
  await pass.finish();
  return { counts, rows: store.rows, catalog, logs };
}

/** Workers with a small heap, so a test can exhaust it in a moment. */
const SMALL_HEAP = { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 32 };

function pool(workerPath: string): FilePrepPool {
  const created = new FilePrepPool(workerPath, 2, SMALL_HEAP);
  after(() => created.close());
  return created;
}

test('a pooled pass stores exactly the rows, counts and catalog entries of a pass on one thread', async () => {
  const root = workspace();
  const files = candidates(root);
  assert.ok(files.size > 64, 'enough files for the pass to use its pool');
  const single = await coldPass(root, files, undefined);
  const pooled = await coldPass(root, files, pool(WORKER));

  assert.ok(single.rows.length > 100);
  assert.deepEqual(pooled.rows, single.rows);
  assert.deepEqual(pooled.counts, single.counts);
  assert.deepEqual(pooled.logs.sort(), single.logs.sort());
  for (const path of files.keys()) assert.deepEqual(pooled.catalog.get(path), single.catalog.get(path), path);

  // The cases the workspace was built for, so the comparison above covers each of them.
  assert.deepEqual(single.counts.skipped, { binary: 1, minified: 1, 'too-large': 1 });
  assert.deepEqual(single.counts.parseFallbacks, { 'mostly syntax errors': 1 });
  assert.ok(single.rows.some((row) => row.path === ODD_NAME && row.symbol === 'oddOne'));
  assert.ok(single.rows.some((row) => row.path === 'config/settings.ts' && row.text.includes('[masked]') && !row.text.includes('hunter2')));
  assert.equal(single.catalog.get('gone/deleted.ts'), undefined);
  assert.deepEqual(single.catalog.get('notes/empty.txt')?.chunkIds, []);
  assert.equal(new Set(single.rows.map((row) => row.language)).size >= 12, true);
});

test('a worker prepares a file exactly as this thread does, logs included', async () => {
  const root = workspace();
  const workers = pool(WORKER);
  const logs: string[] = [];
  const chunker = await createIndexChunker((message) => logs.push(message));
  after(() => chunker.dispose());
  for (const path of ['copy0/shapes.rs', 'broken/garbage.ts', ODD_NAME, 'gone/deleted.ts', 'data/huge.ts']) {
    const task: PrepTask = { root, path, knownHash: undefined, maxFileSize: MAX_FILE_SIZE, embedderId: 'local:test' };
    logs.length = 0;
    const here = await prepareFile(task, chunker);
    assert.deepEqual(await workers.prepare(task), { outcome: here, logs }, path);
  }
  const unchanged = await prepareFile({ root, path: 'copy0/cache.go', knownHash: undefined, maxFileSize: MAX_FILE_SIZE, embedderId: 'local:test' }, chunker);
  assert.equal(unchanged.kind, 'chunked');
  const knownHash = unchanged.kind === 'chunked' ? unchanged.hash : undefined;
  const again = await workers.prepare({ root, path: 'copy0/cache.go', knownHash, maxFileSize: MAX_FILE_SIZE, embedderId: 'local:test' });
  assert.deepEqual(again.outcome, { kind: 'unchanged' });
});

test('a worker that dies, throws or reports an error fails that file by name; the pool carries on', async () => {
  const workers = pool(FAULTY_WORKER);
  const task = (path: string): PrepTask => ({ root: '/nowhere', path, knownHash: undefined, maxFileSize: MAX_FILE_SIZE, embedderId: 'local:test' });
  const settled = await Promise.allSettled(['a.ts', 'b/exits.ts', 'c.ts', 'd.ts', 'e/throws.ts', 'f.ts', 'g/fails.ts', 'h.ts'].map((path) => workers.prepare(task(path))));
  const outcome = (i: number) => settled[i]!;
  for (const i of [0, 2, 3, 5, 7]) assert.equal(outcome(i).status, 'fulfilled', `file ${i} is prepared by a worker that did not fail`);
  const reason = (i: number) => {
    const result = outcome(i);
    assert.equal(result.status, 'rejected');
    return (result as PromiseRejectedResult).reason as Error;
  };
  assert.match(reason(1).message, /^Preparing b\/exits\.ts for the index failed: its worker thread stopped \(exit code 7\)\.$/);
  assert.match(reason(4).message, /^Preparing e\/throws\.ts for the index failed: its worker thread stopped \(uncaught in the worker\)\.$/);
  assert.equal(reason(6).message, 'Preparing g/fails.ts for the index failed: the chunker broke');
  assert.deepEqual((await workers.prepare(task('after.ts'))).outcome, { kind: 'skipped', reason: 'binary' });
});

test('a pass whose worker dies on a file fails with that file named, without hanging', async () => {
  const root = tempDir('ferret-prep-crash-');
  const files = new Map<string, FileStat>();
  for (let i = 0; i < 80; i++) files.set(i === 41 ? 'src/exits.ts' : `src/file${i}.ts`, { size: 10, mtimeMs: 1 });
  await assert.rejects(coldPass(root, files, pool(FAULTY_WORKER)), /Preparing src\/exits\.ts for the index failed: its worker thread stopped \(exit code 7\)/);
});

test('a file that exhausts a worker\'s heap fails alone, and the pass prepares it on its own thread', async () => {
  const workers = pool(FAULTY_WORKER);
  const task = (path: string): PrepTask => ({ root: '/nowhere', path, knownHash: undefined, maxFileSize: MAX_FILE_SIZE, embedderId: 'local:test' });
  const [hungry, next] = await Promise.allSettled([workers.prepare(task('src/hungry.ts')), workers.prepare(task('src/next.ts'))]);
  assert.equal(hungry.status, 'rejected');
  assert.ok((hungry as PromiseRejectedResult).reason instanceof WorkerOutOfMemory);
  assert.match((hungry as PromiseRejectedResult).reason.message, /^Preparing src\/hungry\.ts for the index failed: its worker thread stopped \(.*memory.*\)\.$/);
  assert.deepEqual(next.status === 'fulfilled' && next.value.outcome, { kind: 'skipped', reason: 'binary' });

  const root = tempDir('ferret-prep-oom-');
  write(root, 'src/hungry.ts', 'export function hungry(): number {\n  return 1;\n}\n');
  const files = new Map<string, FileStat>();
  for (let i = 0; i < 80; i++) files.set(i === 41 ? 'src/hungry.ts' : `src/file${i}.ts`, { size: 10, mtimeMs: 1 });
  const { rows, counts } = await coldPass(root, files, pool(FAULTY_WORKER));
  assert.deepEqual(rows.map((row) => [row.path, row.symbol]), [['src/hungry.ts', 'hungry']]);
  assert.equal(counts.skipped.binary, 79);
});
