/**
 * `ferret index --publish`: copies one folder's live index to a shared location as a new
 * snapshot (every column of the local table, whatever the local schema holds, and the catalog's
 * hash and chunk ids per file), then points `current` at it. A publish killed midway leaves
 * tables nobody points at; the next publish drops them.
 */
import { randomBytes } from 'node:crypto';
import * as lancedb from '@lancedb/lancedb';
import { Table as ArrowTable, Utf8, vectorFromArray, type RecordBatch } from 'apache-arrow';
import type { Catalog } from '../index/catalog';
import type { Generation } from '../index/generation';
import { tableName } from '../index/indexMeta';
import type { PublishedFolder } from '../shared/protocol';
import { sqlIn } from '../store/sqlFilter';
import type { Vocabulary } from '../vocab/vocabulary';
import { chunksTable, filesTable, isMissingTable, manifestFor, openIfPresent, readCurrent, SNAPSHOTS_TABLE, VOCABULARY_COLUMN, vocabularyTable, writeCurrent } from './sharedManifest';
import { connectShared, remoteReason, withTimeout } from './remoteCall';
import type { SharedLocation } from './sharedLocation';

const CONNECT_MS = 15_000;
/** One write of many rows to a remote store: a few multipart uploads. */
const WRITE_MS = 180_000;
/** Rows per remote commit: few commits, while the rows held in memory stay a few tens of MB at 768 dimensions. */
const ROWS_PER_WRITE = 5_000;

export interface PublishInput {
  folder: string;
  indexDir: string;
  live: Generation;
  location: SharedLocation;
  commit: string | undefined;
  log: (message: string) => void;
}

export async function publishIndex(input: PublishInput): Promise<PublishedFolder> {
  const started = performance.now();
  const { live, location } = input;
  const remote = await connectShared(location, CONNECT_MS).catch((error: unknown) => {
    throw new Error(`Cannot reach the shared index at ${location.label}: ${remoteReason(error, location)}.`);
  });
  const local = await lancedb.connect(input.indexDir);
  const source = await local.openTable(tableName(live.meta));
  try {
    const previous = (await readCurrent(remote, CONNECT_MS).catch(() => undefined))?.snapshot;
    const snapshot = `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
    await recordSnapshot(remote, snapshot);
    const chunks = await copyRows(source, remote, chunksTable(snapshot));
    await writeFiles(remote, filesTable(snapshot), live.catalog);
    await writeVocabulary(remote, vocabularyTable(snapshot), live.store.vocabulary);
    const embedder = { id: live.meta.embedderId, dimensions: live.meta.dimensions };
    const manifest = manifestFor(embedder, { snapshot, files: live.catalog.size, chunks, ...(input.commit ? { commit: input.commit } : {}) });
    await writeCurrent(remote, manifest, WRITE_MS);
    await dropSnapshots(remote, [snapshot, previous], input);
    return { folder: input.folder, location: location.label, files: live.catalog.size, chunks, ...(input.commit ? { commit: input.commit } : {}), durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('Cannot reach')) throw error;
    throw new Error(`Publishing the index of ${input.folder} to ${location.label} failed: ${remoteReason(error, location)}.`);
  } finally {
    source.close();
    local.close();
    remote.close();
  }
}

/** Streams every row of `source` into a new remote table; resolves to the row count. */
async function copyRows(source: lancedb.Table, remote: lancedb.Connection, name: string): Promise<number> {
  let target: lancedb.Table | undefined;
  let batches: RecordBatch[] = [];
  let buffered = 0;
  let total = 0;
  const write = async (): Promise<void> => {
    const data = new ArrowTable(batches);
    target = target ? (await withTimeout(target.add(data), WRITE_MS, 'the shared index'), target) : await withTimeout(remote.createTable(name, data), WRITE_MS, 'the shared index');
    total += buffered;
    batches = [];
    buffered = 0;
  };
  try {
    for await (const batch of source.query()) {
      batches.push(batch);
      buffered += batch.numRows;
      if (buffered >= ROWS_PER_WRITE) await write();
    }
    if (buffered > 0) await write();
    target ??= await withTimeout(remote.createEmptyTable(name, await source.schema()), WRITE_MS, 'the shared index');
    return total;
  } finally {
    target?.close();
  }
}

/** The catalog as a table: per file its content hash and its chunk ids in order. */
async function writeFiles(remote: lancedb.Connection, name: string, catalog: Catalog): Promise<void> {
  const paths = [...catalog.paths()];
  const entries = paths.map((path) => catalog.get(path)!);
  const data = new ArrowTable({
    path: vectorFromArray(paths, new Utf8()),
    hash: vectorFromArray(entries.map((e) => e.hash), new Utf8()),
    chunkIds: vectorFromArray(entries.map((e) => e.chunkIds.join('\n')), new Utf8()),
  });
  (await withTimeout(remote.createTable(name, data), WRITE_MS, 'the shared index')).close();
}

async function writeVocabulary(remote: lancedb.Connection, name: string, vocabulary: Vocabulary): Promise<void> {
  const data = new ArrowTable({ [VOCABULARY_COLUMN]: vectorFromArray([JSON.stringify(vocabulary)], new Utf8()) });
  (await withTimeout(remote.createTable(name, data), WRITE_MS, 'the shared index')).close();
}

/** Records a snapshot before its tables are written, in the log of snapshots begun. */
async function recordSnapshot(remote: lancedb.Connection, snapshot: string): Promise<void> {
  const data = new ArrowTable({ snapshot: vectorFromArray([snapshot], new Utf8()) });
  const log = await openIfPresent(remote, SNAPSHOTS_TABLE, CONNECT_MS);
  if (!log) {
    (await withTimeout(remote.createTable(SNAPSHOTS_TABLE, data), WRITE_MS, 'the shared index')).close();
    return;
  }
  try {
    await withTimeout(log.add(data), WRITE_MS, 'the shared index');
  } finally {
    log.close();
  }
}

/**
 * Drops snapshots other than the new one and the one it replaced: a reader that read `current`
 * just before the switch is still copying from that one. A failure leaves garbage, not damage.
 */
async function dropSnapshots(remote: lancedb.Connection, keep: Array<string | undefined>, input: PublishInput): Promise<void> {
  try {
    const log = await openIfPresent(remote, SNAPSHOTS_TABLE, CONNECT_MS);
    if (!log) return;
    try {
      const begun = (await withTimeout(log.query().toArray(), CONNECT_MS, 'the shared index')) as Array<{ snapshot: string }>;
      const stale = [...new Set(begun.map((row) => row.snapshot))].filter((snapshot) => !keep.includes(snapshot));
      for (const snapshot of stale) {
        for (const name of [chunksTable(snapshot), filesTable(snapshot), vocabularyTable(snapshot)]) {
          await withTimeout(remote.dropTable(name), CONNECT_MS, 'the shared index').catch((error: unknown) => {
            if (!isMissingTable(error) && !/not found/i.test((error as Error).message)) throw error;
          });
        }
      }
      if (stale.length) await withTimeout(log.delete(sqlIn('snapshot', stale)), CONNECT_MS, 'the shared index');
    } finally {
      log.close();
    }
  } catch (error) {
    input.log(`Old snapshots of the shared index at ${input.location.label} were not all removed: ${remoteReason(error, input.location)}.`);
  }
}
