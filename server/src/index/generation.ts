import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Embedder } from '../embed/embedder';
import { SCHEMA_VERSION } from '../store/chunkSchema';
import { LanceChunkStore } from '../store/lanceChunkStore';
import { DerivedStore } from './derivedStore';
import { Catalog } from './catalog';
import { catalogPath, isStaleGenerationFile, readIndexMeta, tableName, vocabularyPath, writeIndexMeta, type IndexMeta } from './indexMeta';

/** One table of a folder's index with its catalog and vocabulary, made by one embedder. */
export interface Generation {
  meta: IndexMeta;
  /** The table, keeping the vocabulary learned from its rows. */
  store: DerivedStore;
  catalog: Catalog;
}

export interface OpenedIndex {
  /** What search reads. */
  live?: Generation;
  /** What indexing writes; the same object as `live` unless the embedder changed. */
  target: Generation;
  /** Set when the folder held an index that had to be discarded, as one sentence. */
  rebuiltBecause?: string;
}

/**
 * Opens a folder's index for `embedder`. An index of another schema, or one that cannot
 * be read, is removed and rebuilt deliberately; an index of another embedder stays live
 * for full-text search while a new generation is built beside it, so vectors of two
 * embedders never meet in one table. `discardBecause` throws away an index found damaged in use.
 */
export async function openIndex(dir: string, embedder: Embedder, discardBecause?: string): Promise<OpenedIndex> {
  await fs.mkdir(dir, { recursive: true });
  let rebuiltBecause = discardBecause;
  if (!rebuiltBecause) {
    const existing = await openExisting(dir, embedder);
    if (!('unusable' in existing)) return existing;
    rebuiltBecause = existing.unusable;
  }
  if (rebuiltBecause) await clearFolder(dir);
  const meta = nextMeta(1, embedder);
  const target = await openGeneration(dir, meta);
  await writeIndexMeta(dir, meta);
  return rebuiltBecause ? { live: target, target, rebuiltBecause } : { live: target, target };
}

/** The index already in `dir`, or why there is none to use (`unusable` undefined: the folder is new). */
async function openExisting(dir: string, embedder: Embedder): Promise<OpenedIndex | { unusable: string | undefined }> {
  const reading = await readIndexMeta(dir);
  if (reading.kind === 'absent') return { unusable: undefined };
  if (reading.kind === 'unusable') return { unusable: `the index in ${dir} could not be used: ${reading.reason}` };
  try {
    const live = await openGeneration(dir, reading.meta);
    if (reading.meta.embedderId === embedder.id && reading.meta.dimensions === embedder.dimensions) return { live, target: live };
    const target = await openGeneration(dir, nextMeta(reading.meta.generation + 1, embedder));
    return { live, target };
  } catch (error) {
    return { unusable: `the index in ${dir} could not be opened (${(error as Error).message})` };
  }
}

/** Makes `target` the live generation and deletes the one it replaces. */
export async function promote(dir: string, old: Generation | undefined, target: Generation): Promise<void> {
  await writeIndexMeta(dir, target.meta);
  if (old && old !== target) old.store.close();
  for (const name of await fs.readdir(dir)) {
    if (isStaleGenerationFile(name, target.meta)) await fs.rm(join(dir, name), { recursive: true, force: true });
  }
}

/** Deletes every row and catalog entry of `target`, so the next pass builds it from nothing. */
export async function emptyGeneration(target: Generation): Promise<void> {
  const paths = new Set([...target.catalog.paths(), ...(await target.store.idsByPath()).keys()]);
  await target.store.deleteFiles([...paths]);
  target.catalog.clear();
  await target.catalog.endPass();
}

async function openGeneration(dir: string, meta: IndexMeta): Promise<Generation> {
  const table = await LanceChunkStore.open(dir, tableName(meta), meta.dimensions);
  let store: DerivedStore;
  try {
    await table.verify();
    store = await DerivedStore.open(table, vocabularyPath(dir, meta));
  } catch (error) {
    table.close();
    throw error;
  }
  const catalog = await Catalog.load(catalogPath(dir, meta));
  return { meta, store, catalog };
}

function nextMeta(generation: number, embedder: Embedder): IndexMeta {
  return { schemaVersion: SCHEMA_VERSION, generation, embedderId: embedder.id, dimensions: embedder.dimensions };
}

async function clearFolder(dir: string): Promise<void> {
  for (const entry of await fs.readdir(dir)) await fs.rm(join(dir, entry), { recursive: true, force: true });
}
