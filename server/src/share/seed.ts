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
import { DataType, type RecordBatch } from 'apache-arrow';
import type { Catalog } from '../index/catalog';
import { sha1 } from '../index/chunkRows';
import type { SeedReport } from '../index/seeder';
import { chunkSchema } from '../store/chunkSchema';
import type { ChunkRow, VectorStore } from '../store/vectorStore';
import type { FileStat } from '../watch/folderScanner';
import { decodeSource } from '../watch/contentSniffer';
import { chunksTable, filesTable, incompatibility, readCurrent, type SharedManifest } from './sharedManifest';
import { connectShared, remoteReason, withTimeout } from './remoteCall';
import type { SharedLocation } from './sharedLocation';

/** Bound on each remote call, and on the wait for each batch of rows. */
const CALL_MS = 20_000;
/** Local rows per commit, as a cold pass commits. */
const ROWS_PER_COMMIT = 5_000;

export interface SeedInput {
  root: string;
  files: ReadonlyMap<string, FileStat>;
  store: VectorStore;
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

/** A matched file: its shared entry, its local stat, and its rows as they arrive. */
interface Match extends SharedFile {
  stat: FileStat;
  rows: Map<string, ChunkRow>;
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
    await copyRows(db, manifest, matches, input, copied);
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

/** Local files whose content is what the shared index was built from. Reading and hashing is cheap next to chunking. */
async function matchLocalFiles(input: SeedInput, shared: ReadonlyMap<string, SharedFile>): Promise<Map<string, Match>> {
  const matches = new Map<string, Match>();
  for (const [path, stat] of input.files) {
    input.signal?.throwIfAborted();
    const entry = shared.get(path);
    if (!entry || stat.size > input.maxFileSize) continue;
    const bytes = await fs.readFile(join(input.root, path)).catch(() => undefined);
    if (!bytes || bytes.length !== stat.size) continue;
    const decoded = decodeSource(bytes, path);
    if ('text' in decoded && sha1(decoded.text) === entry.hash) matches.set(path, { ...entry, stat, rows: new Map() });
  }
  return matches;
}

/** Streams the shared rows, storing each matched file once all its rows have arrived. */
async function copyRows(db: Connection, manifest: SharedManifest, matches: Map<string, Match>, input: SeedInput, copied: { files: number; chunks: number }): Promise<void> {
  const { store, catalog } = input;
  const fields = chunkSchema(store.dimensions).fields;
  let ready: Array<[string, Match]> = [];
  let readyRows = 0;
  let inflight: Promise<void> = Promise.resolve();
  const commit = async (files: Array<[string, Match]>): Promise<void> => {
    const rows = files.flatMap(([, match]) => [...match.rows.values()]);
    await store.addFiles(rows);
    for (const [path, match] of files) catalog.set(path, { size: match.stat.size, mtimeMs: match.stat.mtimeMs, hash: match.hash, chunkIds: match.chunkIds });
    copied.files += files.length;
    copied.chunks += rows.length;
    await catalog.checkpoint();
  };
  const flush = async (): Promise<void> => {
    const files = ready;
    ready = [];
    readyRows = 0;
    // One commit in flight while the next rows are read: the local write overlaps the remote read.
    await inflight;
    inflight = commit(files);
  };
  const complete = (path: string, match: Match): void => {
    matches.delete(path);
    ready.push([path, match]);
    readyRows += match.rows.size;
  };
  await catalog.beginPass();
  let failure: SharedFault | undefined;
  try {
    // Files without chunks (empty ones) have no rows to wait for.
    for (const [path, match] of matches) if (match.chunkIds.length === 0) complete(path, match);
    const table = await fromShared(db.openTable(chunksTable(manifest.snapshot)), input.location);
    try {
      const remoteFields = new Set((await fromShared(table.schema(), input.location)).fields.map((f) => f.name));
      const absent = fields.map((f) => f.name).filter((name) => !remoteFields.has(name));
      if (absent.length) throw new SharedFault(`its rows lack the columns ${absent.join(', ')}`);
      const batches = table.query().select(fields.map((f) => f.name))[Symbol.asyncIterator]();
      for (;;) {
        input.signal?.throwIfAborted();
        const next = await fromShared(batches.next(), input.location);
        if (next.done) break;
        for (const row of rowsOf(next.value, fields)) {
          const match = matches.get(row.path);
          if (!match || !match.chunkIds.includes(row.id)) continue;
          match.rows.set(row.id, row);
          if (match.rows.size === match.chunkIds.length) complete(row.path, match);
        }
        if (readyRows >= ROWS_PER_COMMIT) await flush();
      }
    } finally {
      table.close();
    }
  } catch (error) {
    if (!(error instanceof SharedFault)) throw error;
    failure = error;
  }
  // What is complete is stored even when the shared side failed midway.
  if (ready.length) await flush();
  await inflight;
  await catalog.endPass();
  if (failure) throw failure;
}

/** A call to the shared store, bounded; any failure of it becomes a {@link SharedFault}. */
function fromShared<T>(work: Promise<T>, location: SharedLocation): Promise<T> {
  return withTimeout(work, CALL_MS, 'the shared index').catch((error: unknown) => {
    throw error instanceof SharedFault ? error : new SharedFault(remoteReason(error, location));
  });
}

/** Rows of a batch as the local schema names them: every column it defines, vectors as Float32Array. */
function rowsOf(batch: RecordBatch, fields: ReturnType<typeof chunkSchema>['fields']): ChunkRow[] {
  const columns = fields.map((field) => ({ name: field.name, vector: DataType.isFixedSizeList(field.type), data: batch.getChild(field.name)! }));
  const rows: ChunkRow[] = [];
  for (let i = 0; i < batch.numRows; i++) {
    const row: Record<string, unknown> = {};
    for (const column of columns) {
      const value: unknown = column.data.get(i);
      row[column.name] = column.vector ? Float32Array.from((value as { toArray(): Float32Array }).toArray()) : value;
    }
    rows.push(row as unknown as ChunkRow);
  }
  return rows;
}
