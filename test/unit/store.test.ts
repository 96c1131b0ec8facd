import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as lancedb from '@lancedb/lancedb';
import { LanceChunkStore } from '../../server/src/store/lanceChunkStore';
import { sqlIn, sqlStartsWith, sqlString } from '../../server/src/store/sqlFilter';
import type { ChunkRow } from '../../server/src/store/vectorStore';
import { tempDir } from '../support/tempDir';

const DIM = 4;
function row(path: string, startLine: number, text: string, vector: number[] = [1, 0, 0, 0]): ChunkRow {
  return {
    id: `${path}:${startLine}:${text}`,
    path,
    startLine,
    endLine: startLine + 1,
    language: 'typescript',
    symbol: '',
    kind: 'function',
    text,
    searchText: text.toLowerCase(),
    embedHash: `h:${text}`,
    units: '',
    definitions: '',
    references: '',
    vector: Float32Array.from(vector),
  };
}
const ODD_PATHS = ["src/it's.ts", 'src/back\\slash.ts', 'src/100%_done.ts', 'src/1000x.ts', 'src/ünï/🦀 crab.ts', 'src/new\nline.ts', 'src/"dq".ts'];

test('odd file names round-trip through every filter', async () => {
  const store = await LanceChunkStore.open(tempDir(), 'chunks', DIM);
  await store.addFiles(ODD_PATHS.map((p, i) => row(p, i + 1, `word${i}`)));
  assert.deepEqual([...(await store.idsByPath()).keys()].sort(), [...ODD_PATHS].sort());
  for (const [i, path] of ODD_PATHS.entries()) {
    await store.replaceFiles([path], [row(path, 50, `replaced${i}`)]);
  }
  assert.equal(await store.count(), ODD_PATHS.length, 'each replace kept exactly one row per file');
  const hits = await store.textSearch('replaced3', 5);
  assert.deepEqual(hits.map((h) => h.chunk.path), ['src/1000x.ts']);
  const prefixed = await store.textSearch('replaced2 replaced3', 5, sqlStartsWith('path', 'src/100%_'));
  assert.deepEqual(prefixed.map((h) => h.chunk.path), ['src/100%_done.ts'], '% and _ are literal in a prefix');
  await store.deleteFiles([ODD_PATHS[0]!, ODD_PATHS[5]!]);
  assert.equal(await store.count(), ODD_PATHS.length - 2);
  assert.ok(!(await store.idsByPath()).has(ODD_PATHS[0]!));
  store.close();
});

test('replaceFiles swaps one file’s chunks and leaves other files alone', async () => {
  const store = await LanceChunkStore.open(tempDir(), 'chunks', DIM);
  await store.addFiles([row('a.ts', 1, 'alpha one'), row('a.ts', 5, 'alpha two'), row('b.ts', 1, 'beta')]);
  await store.replaceFiles(['a.ts'], [row('a.ts', 1, 'alpha one'), row('a.ts', 9, 'alpha three')]);
  const texts = (await store.textSearch('alpha beta one two three', 10)).map((h) => h.chunk.text).sort();
  assert.deepEqual(texts, ['alpha one', 'alpha three', 'beta']);
  await store.replaceFiles(['a.ts'], []);
  assert.deepEqual([...(await store.idsByPath()).keys()], ['b.ts']);
  store.close();
});

test('after a seed the full-text index covers every row at once, and compaction waits for the next maintenance', async () => {
  const dir = tempDir();
  const store = await LanceChunkStore.open(dir, 'chunks', DIM);
  for (const name of ['otter', 'badger', 'marten']) await store.addFiles([row(`${name}.ts`, 1, `${name} den`)]);
  const table = await (await lancedb.connect(dir)).openTable('chunks');
  const fragments = async () => (await table.stats()).fragmentStats.numFragments;
  const unindexed = async () => (await table.indexStats('searchText_idx'))?.numUnindexedRows;
  assert.equal(await unindexed(), 3);
  await store.maintain({ deferCompaction: true });
  await table.checkoutLatest();
  assert.equal(await unindexed(), 0, 'every copied row is in the full-text index');
  assert.equal(await fragments(), 3, 'the fragments are left as written');
  assert.deepEqual((await store.textSearch('otter badger marten', 5)).map((h) => h.chunk.path).sort(), ['badger.ts', 'marten.ts', 'otter.ts']);
  await store.maintain();
  await table.checkoutLatest();
  assert.equal(await fragments(), 1);
  assert.equal(await unindexed(), 0);
  assert.deepEqual((await store.textSearch('badger', 5)).map((h) => h.chunk.path), ['badger.ts']);
  table.close();
  store.close();
});

test('rows added after the text index was built are found at once, and the table reopens from disk', async () => {
  const dir = tempDir();
  const store = await LanceChunkStore.open(dir, 'chunks', DIM);
  await store.addFiles([row('a.ts', 1, 'zebra crossing')]);
  await store.maintain();
  await store.addFiles([row('b.ts', 1, 'giraffe neck', [0, 1, 0, 0])]);
  assert.deepEqual((await store.textSearch('giraffe', 3)).map((h) => h.chunk.path), ['b.ts']);
  const nearest = await store.vectorSearch(Float32Array.from([0, 1, 0, 0]), 1);
  assert.equal(nearest[0]?.chunk.path, 'b.ts');
  assert.ok(nearest[0]!.score > 0.99, 'cosine similarity of identical vectors is 1');
  store.close();
  const reopened = await LanceChunkStore.open(dir, 'chunks', DIM);
  assert.equal(await reopened.count(), 2);
  const vectors = await reopened.vectorsByHash(['h:giraffe neck', 'h:missing']);
  assert.deepEqual([...vectors.keys()], ['h:giraffe neck']);
  assert.deepEqual([...vectors.get('h:giraffe neck')!], [0, 1, 0, 0]);
  reopened.close();
});

test('sql helpers quote for SQL and nothing else', () => {
  assert.equal(sqlString("it's"), "'it''s'");
  assert.equal(sqlString('a\\b'), "'a\\b'");
  assert.equal(sqlIn('path', []), 'false');
  assert.equal(sqlIn('path', ["a'", 'b']), "path IN ('a''', 'b')");
});

test('maintenance drops superseded versions, so many small commits do not grow the folder without bound', async () => {
  const dir = tempDir();
  const store = await LanceChunkStore.open(dir, 'chunks', DIM, { keepOldVersionsMs: 0 });
  const files = () => readdirSync(join(dir, 'chunks.lance', 'data')).length;
  for (let i = 0; i < 40; i++) await store.replaceFiles(['a.ts'], [row('a.ts', 1, `edit ${i}`)]);
  const before = files();
  await store.maintain();
  const after = files();
  assert.ok(before >= 40, `each commit wrote a data file (${before})`);
  assert.ok(after <= 3, `compaction and cleanup leave a few data files (${after})`);
  assert.deepEqual((await store.textSearch('edit 39', 5)).map((h) => h.chunk.text), ['edit 39']);
  store.close();
});

test('past the vector-index threshold, searches still rank by exact cosine similarity', async () => {
  const dims = 128;
  let seed = 7;
  const random = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) | 0;
    return seed / 2 ** 31;
  };
  const unit = (values: number[]) => {
    const norm = Math.hypot(...values);
    return values.map((v) => v / norm);
  };
  const rows = Array.from({ length: 6000 }, (_, i) => ({ ...row(`f${i}.ts`, 1, `text ${i}`), vector: Float32Array.from(unit(Array.from({ length: dims }, random))) }));
  const store = await LanceChunkStore.open(tempDir(), 'chunks', dims);
  await store.addFiles(rows);
  await store.maintain();
  const cosine = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * b[i]!, 0);
  for (const probe of [rows[0]!, rows[1234]!, rows[5999]!]) {
    const hits = await store.vectorSearch(probe.vector, 5);
    assert.equal(hits[0]?.chunk.path, probe.path, 'a stored vector finds its own row first');
    for (const hit of hits) {
      const stored = rows[Number(hit.chunk.path.slice(1, -3))]!;
      assert.ok(Math.abs(hit.score - cosine(probe.vector, stored.vector)) < 1e-4, `score ${hit.score} is the exact similarity`);
    }
  }
  store.close();
});

test('what compaction replaced stays for readers of older versions, and goes when the store closes', async () => {
  const dir = tempDir();
  const store = await LanceChunkStore.open(dir, 'chunks', DIM, { keepOldVersionsMs: 60_000 });
  const files = () => readdirSync(join(dir, 'chunks.lance', 'data')).length;
  for (let i = 0; i < 10; i++) await store.addFiles([row(`f${i}.ts`, 1, `word${i}`)]);
  const reader = await LanceChunkStore.open(dir, 'chunks', DIM);
  await store.maintain();
  assert.ok(files() > 10, `the appended files are kept within the grace period (${files()})`);
  assert.equal((await reader.textSearch('word3', 5))[0]?.chunk.path, 'f3.ts', 'a reader opened before compaction still reads');
  reader.close();
  await store.maintain({ final: true });
  assert.equal(files(), 1, 'one compacted file is left');
  assert.equal(await store.count(), 10);
  store.close();
});
