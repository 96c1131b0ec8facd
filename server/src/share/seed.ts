/**
 * Seeds an empty local index from a shared one: for every file whose content hash matches the
 * shared catalog, its rows are copied as they are (no parse, no embedding) and a catalog entry
 * with the local stat is written, so the pass that follows sees the file as unchanged. Any
 * trouble with the shared index (absent, made by another embedder, corrupt, slow, unreachable)
 * ends the seeding with one sentence; what was copied by then is complete per file, and the
 * local pass indexes the rest.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Connection } from '@lancedb/lancedb';
import type { RecordBatch } from 'apache-arrow';
import type { Catalog } from '../index/catalog';
import { sha1 } from '../index/chunkRows';
import type { SeedReport } from '../index/seeder';
import { chunkSchema } from '../store/chunkSchema';
import type { DerivedStore } from '../index/derivedStore';
import type { FileStat } from '../watch/folderScanner';
import { decodeSource } from '../watch/contentSniffer';
import { Vocabulary } from '../vocab/vocabulary';
import { chunksTable, filesTable, incompatibility, openIfPresent, readCurrent, VOCABULARY_COLUMN, vocabularyTable, type SharedManifest } from './sharedManifest';
import { connectShared, remoteReason, withTimeout } from './remoteCall';
import type { SharedLocation } from './sharedLocation';

/** Local files read at once while matching. */
const READS_AT_ONCE = 16;
/** Bound on each remote call, and on the wait for each batch of rows. */
const CALL_MS = 20_000;
/**
 * Local rows per commit. Compaction rewrites every row whatever the number of fragments, so larger
 * commits save little; each holds its rows about three times over while LanceDB serializes them
 * (10,000 raised the seeding daemon's peak RSS from 604 to 726 MiB at 768 dimensions).
 */
const ROWS_PER_COMMIT = 5_000;

export interface SeedInput {
  root: string;
  files: ReadonlyMap<string, FileStat>;
  store: DerivedStore;
  catalog: Catalog;
  embedder: { id: string; dimensions: number };
  maxFileSize: number;
  location: SharedLocation;
  signal?: AbortSignal;
}

interface SharedFile {
  hash: string;
  chunkIds: string[];
}

/** A matched file: its shared entry, its local stat, and the ids of its rows yet to arrive. */
interface Match extends SharedFile {
  stat: FileStat;
  missing: Set<string>;
}

/** Failures of the shared side, told apart from local write failures, which must surface as they are. */
class SharedFault extends Error {}

export async function seedFromShared(input: SeedInput): Promise<SeedReport> {
  const { location } = input;
  const copied = { files: 0, chunks: 0 };
  const unused = (why: string): SeedReport => ({ ...copied, sentence: `The shared index at ${location.label} was not used: ${why}; the workspace is indexed locally.` });
  let db: Connection | undefined;
  try {
    db = await fromShared(connectShared(location, CALL_MS), location);
    const manifest = await fromShared(readCurrent(db, CALL_MS), location);
    if (!manifest) return unused('nothing has been published there yet');
    const mismatch = incompatibility(manifest, input.embedder);
    if (mismatch) return unused(mismatch);
    const shared = await fromShared(readFiles(db, manifest), location);
    const matches = await matchLocalFiles(input, shared);
    try {
      await copyRows(db, manifest, matches, input, copied);
    } finally {
      // Every shared row copied: the shared vocabulary is this table's; otherwise it is counted from the rows.
      const whole = copied.chunks === manifest.chunks ? await sharedVocabulary(db, manifest) : undefined;
      await input.store.settleVocabulary(whole);
    }
    const commit = manifest.commit ? ` (commit ${manifest.commit.slice(0, 12)})` : '';
    return { ...copied, sentence: `Seeded ${copied.files} of ${input.files.size} files (${copied.chunks} chunks) from the shared index at ${location.label}${commit}; the rest is indexed locally.` };
  } catch (error) {
    if (!(error instanceof SharedFault)) throw error;
    if (!copied.files) return unused(`it could not be read (${error.message})`);
    return { ...copied, sentence: `Seeded ${copied.files} files from the shared index at ${location.label} before it failed (${error.message}); the rest is indexed locally.` };
  } finally {
    db?.close();
  }
}

async function readFiles(db: Connection, manifest: SharedManifest): Promise<Map<string, SharedFile>> {
  const table = await withTimeout(db.openTable(filesTable(manifest.snapshot)), CALL_MS, 'the shared index');
  try {
    const rows = (await withTimeout(table.query().select(['path', 'hash', 'chunkIds']).toArray(), CALL_MS, 'the shared index')) as Array<{ path: string; hash: string; chunkIds: string }>;
    if (rows.length !== manifest.files) throw new Error(`its catalog lists ${rows.length} files where its manifest says ${manifest.files}`);
    return new Map(rows.map((row) => [row.path, { hash: row.hash, chunkIds: row.chunkIds ? row.chunkIds.split('\n') : [] }]));
  } finally {
    table.close();
  }
}

/** The vocabulary published with the snapshot; undefined when absent or unreadable (it is then counted locally). */
async function sharedVocabulary(db: Connection, manifest: SharedManifest): Promise<Vocabulary | undefined> {
  try {
    const table = await openIfPresent(db, vocabularyTable(manifest.snapshot), CALL_MS);
    if (!table) return undefined;
    try {
      const rows = (await withTimeout(table.query().toArray(), CALL_MS, 'the shared index')) as Array<{ [VOCABULARY_COLUMN]: string }>;
      return rows.length === 1 ? Vocabulary.fromJSON(JSON.parse(rows[0]![VOCABULARY_COLUMN])) : undefined;
    } finally {
      table.close();
    }
  } catch {
    return undefined;
  }
}

/**
 * Local files whose content is what the shared index was built from. Reading and hashing is cheap
 * next to chunking; a few reads at a time keep the disk busy while the thread hashes.
 */
async function matchLocalFiles(input: SeedInput, shared: ReadonlyMap<string, SharedFile>): Promise<Map<string, Match>> {
  const found = new Map<string, Match>();
  const candidates = [...input.files].filter(([path, stat]) => shared.has(path) && stat.size <= input.maxFileSize);
  const match = async ([path, stat]: [string, FileStat]): Promise<void> => {
    const entry = shared.get(path)!;
    const bytes = await fs.readFile(join(input.root, path)).catch(() => undefined);
    if (!bytes || bytes.length !== stat.size) return;
    const decoded = decodeSource(bytes, path);
    if ('text' in decoded && sha1(decoded.text) === entry.hash) found.set(path, { ...entry, stat, missing: new Set(entry.chunkIds) });
  };
  for (let i = 0; i < candidates.length; i += READS_AT_ONCE) {
    input.signal?.throwIfAborted();
    await Promise.all(candidates.slice(i, i + READS_AT_ONCE).map(match));
  }
  // In the order of the scan, as the catalog lists files after a local build.
  return new Map(candidates.filter(([path]) => found.has(path)).map(([path]) => [path, found.get(path)!]));
}

/**
 * Streams the shared rows into the local table as Arrow batches, never as row objects: the rows of
 * matched files are sliced out of each batch as they come. A file's catalog entry is written once
 * all its rows are committed, so a crash leaves rows the next pass drops (crashRepair.ts), never a
 * file half-stored under a catalog entry.
 */
async function copyRows(db: Connection, manifest: SharedManifest, matches: Map<string, Match>, input: SeedInput, copied: { files: number; chunks: number }): Promise<void> {
  const { store, catalog } = input;
  const names = chunkSchema(store.dimensions).fields.map((f) => f.name);
  let pending: RecordBatch[] = [];
  let pendingRows = 0;
  /** Files whose last row is pending or committed, waiting for their catalog entry. */
  let completed: Array<[string, Match]> = [];
  /** Files with some rows pending or committed but not all: their rows go if the copy stops. */
  const partial = new Set<string>();
  let inflight: Promise<void> = Promise.resolve();
  const commit = async (batches: RecordBatch[], files: Array<[string, Match]>): Promise<void> => {
    await store.addBatches(batches);
    for (const [path, match] of files) catalog.set(path, { size: match.stat.size, mtimeMs: match.stat.mtimeMs, hash: match.hash, chunkIds: match.chunkIds });
    copied.files += files.length;
    copied.chunks += files.reduce((sum, [, match]) => sum + match.chunkIds.length, 0);
    await catalog.checkpoint();
  };
  const flush = async (): Promise<void> => {
    const [batches, files] = [pending, completed];
    [pending, pendingRows, completed] = [[], 0, []];
    // One commit in flight while the next rows are read: the local write overlaps the remote read.
    await inflight;
    inflight = commit(batches, files);
  };
  const complete = (path: string, match: Match): void => {
    matches.delete(path);
    partial.delete(path);
    completed.push([path, match]);
  };
  await catalog.beginPass();
  let failure: SharedFault | undefined;
  try {
    // Files without chunks (empty ones) have no rows to wait for.
    for (const [path, match] of matches) if (match.missing.size === 0) complete(path, match);
    const table = await fromShared(db.openTable(chunksTable(manifest.snapshot)), input.location);
    try {
      const remoteFields = new Set((await fromShared(table.schema(), input.location)).fields.map((f) => f.name));
      const absent = names.filter((name) => !remoteFields.has(name));
      if (absent.length) throw new SharedFault(`its rows lack the columns ${absent.join(', ')}`);
      const batches = table.query().select(names)[Symbol.asyncIterator]();
      for (;;) {
        input.signal?.throwIfAborted();
        const next = await fromShared(batches.next(), input.location);
        if (next.done) break;
        const kept = keptRuns(next.value, (path, id) => {
          const match = matches.get(path);
          if (!match?.missing.delete(id)) return false;
          if (match.missing.size === 0) complete(path, match);
          else partial.add(path);
          return true;
        });
        for (const [from, to] of kept) pending.push(next.value.slice(from, to));
        pendingRows += kept.reduce((sum, [from, to]) => sum + to - from, 0);
        if (pendingRows >= ROWS_PER_COMMIT) await flush();
      }
    } finally {
      table.close();
    }
  } catch (error) {
    if (!(error instanceof SharedFault)) throw error;
    failure = error;
  }
  // What is complete is stored even when the shared side failed midway; the rest of a file cut off goes.
  await flush();
  await inflight;
  if (partial.size) await store.deleteFiles([...partial]);
  await catalog.endPass();
  if (failure) throw failure;
}

/** The ranges [from, to) of rows of `batch` that `keep` keeps, called once per row in order. */
function keptRuns(batch: RecordBatch, keep: (path: string, id: string) => boolean): Array<[number, number]> {
  const paths = batch.getChild('path')!;
  const ids = batch.getChild('id')!;
  const runs: Array<[number, number]> = [];
  for (let i = 0; i < batch.numRows; i++) {
    if (!keep(paths.get(i) as string, ids.get(i) as string)) continue;
    const last = runs.at(-1);
    if (last && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1]);
  }
  return runs;
}

/** A call to the shared store, bounded; any failure of it becomes a {@link SharedFault}. */
function fromShared<T>(work: Promise<T>, location: SharedLocation): Promise<T> {
  return withTimeout(work, CALL_MS, 'the shared index').catch((error: unknown) => {
    throw error instanceof SharedFault ? error : new SharedFault(remoteReason(error, location));
  });
}
