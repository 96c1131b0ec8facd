import * as lancedb from '@lancedb/lancedb';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { tableName, type IndexMeta } from '../../server/src/index/indexMeta';
import type { SearchResult } from '../../server/src/shared/protocol';
import { chunkSchema } from '../../server/src/store/chunkSchema';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { readIndexRows, type StoredRowKey } from '../support/indexContents';
import { copyWorkspace } from '../support/workspaceCopy';
import { reportFigures } from './faultKit';

const settings = { embedder: 'local' as const, watch: false, autoIndex: true };
const { workspace, indexDir: cleanDir } = copyWorkspace();
let cleanRows: StoredRowKey[];
let files = 0;
const outcomes: Record<string, string> = {};

before(async () => {
  const daemon = await startDaemon([workspace], { ...settings, indexDir: cleanDir });
  files = (await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files > 0)).folders[0]!.files;
  await daemon.stop();
  cleanRows = await readIndexRows(cleanDir);
});

/** The one folder index inside an index root, and every file in it, relative to it. */
function folderOf(indexRoot: string): { dir: string; files: string[] } {
  const dir = join(indexRoot, readdirSync(indexRoot)[0]!);
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile());
  return { dir, files };
}

function truncateHalf(file: string): void {
  truncateSync(file, Math.floor(statSync(file).size / 2));
}

async function searchWorks(daemon: Daemon): Promise<void> {
  const found = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'verify a password against its stored digest', k: 3 });
  assert.equal(found.results[0]?.path, 'src/auth/passwords.ts');
}

/** Starts on a damaged copy of the clean index; the rebuild must be reported once and converge exactly. */
async function expectRebuilt(name: string, damage: (folderDir: string, files: string[]) => void | Promise<void>): Promise<void> {
  const indexDir = `${cleanDir}-${name}`;
  cpSync(cleanDir, indexDir, { recursive: true });
  const folder = folderOf(indexDir);
  await damage(folder.dir, folder.files);
  const daemon = await startDaemon([workspace], { ...settings, indexDir });
  try {
    await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === files && s.health === 'ok');
    await searchWorks(daemon);
    const reports = daemon.logs.filter((line) => /Rebuilding the index of/.test(line));
    assert.equal(reports.length, 1, `reported once:\n${daemon.logs.join('')}`);
    outcomes[name] = reports[0]!.replace(/^.*?Rebuilding the index of \S+: /, '').trim().slice(0, 160);
  } finally {
    await daemon.stop();
  }
  assert.deepEqual(await readIndexRows(indexDir), cleanRows);
}

const damagedFiles: Array<[string, RegExp]> = [
  ['data fragment', /^chunks_.*\/data\/.*\.lance$/],
  ['full-text postings', /^chunks_.*\/_indices\/.*\/part_\d+_invert\.lance$/],
  ['full-text tokens', /^chunks_.*\/_indices\/.*\/part_\d+_tokens\.lance$/],
  ['full-text docs', /^chunks_.*\/_indices\/.*\/part_\d+_docs\.lance$/],
  ['catalog', /^catalog_.*\.json$/],
  ['meta.json', /^meta\.json$/],
];

for (const [name, pattern] of damagedFiles) {
  test(`a truncated ${name} is detected at start, rebuilt deliberately and reported once`, { timeout: 120_000 }, async () => {
    await expectRebuilt(name.replace(/\W+/g, '-'), (dir, all) => {
      const targets = all.filter((f) => pattern.test(f.split('\\').join('/')));
      assert.ok(targets.length > 0, `the index has a ${name} file: ${all.join(', ')}`);
      for (const file of targets) truncateHalf(join(dir, file));
    });
  });
}

test('an index written with an older schema is rebuilt deliberately and reported once', { timeout: 120_000 }, async () => {
  await expectRebuilt('old-schema', (dir) => {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as IndexMeta;
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ ...meta, schemaVersion: 0 }));
  });
});

test("a foreign index whose vectors have another embedder's dimension is rebuilt deliberately and reported once", { timeout: 120_000 }, async () => {
  await expectRebuilt('foreign-dimension', async (dir) => {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as IndexMeta;
    // The table this embedder expects, made by someone else with 768-wide vectors.
    const db = await lancedb.connect(dir);
    await db.dropTable(tableName(meta));
    const table = await db.createEmptyTable(tableName(meta), chunkSchema(768));
    table.close();
    db.close();
  });
});

test('an index damaged while the daemon runs is rebuilt on the first failing search, with one clear error', { timeout: 120_000 }, async () => {
  const indexDir = `${cleanDir}-runtime`;
  cpSync(cleanDir, indexDir, { recursive: true });
  const daemon = await startDaemon([workspace], { ...settings, autoIndex: false, indexDir });
  try {
    await searchWorks(daemon);
    const folder = folderOf(indexDir);
    for (const file of folder.files.filter((f) => /\/data\/.*\.lance$/.test(f.split('\\').join('/')))) truncateHalf(join(folder.dir, file));
    const failed = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'rate limiter token bucket', k: 3 }).then(
      () => undefined,
      (error: Error) => error.message,
    );
    assert.match(failed ?? 'the search succeeded', /is damaged and is being rebuilt; search again once indexing finishes/);
    await daemon.statusWhere((s) => s.quiescent && s.health === 'ok' && s.folders[0]!.files === files);
    await searchWorks(daemon);
    assert.equal(daemon.logs.filter((line) => /Rebuilding the index of/.test(line)).length, 1);
    outcomes['damaged while running'] = 'the failing search answered with one sentence and triggered one rebuild';
  } finally {
    await daemon.stop();
  }
  assert.deepEqual(await readIndexRows(indexDir), cleanRows);
  reportFigures('corrupt-index', { cases: Object.keys(outcomes).length, outcomes });
});
