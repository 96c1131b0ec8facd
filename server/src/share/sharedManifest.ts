/**
 * The layout of a shared index. One LanceDB database holds, per publish, a table of chunk rows
 * (`chunks_<id>`) and one of file entries (`files_<id>`), plus the table `current`, whose single
 * row names the complete snapshot and how it was made. A publish writes its snapshot tables
 * first and overwrites `current` last, in one commit: a reader that reads `current` first sees
 * the previous complete snapshot or the new one, never half of one.
 */
import type { Connection, Table } from '@lancedb/lancedb';
import { Table as ArrowTable, Utf8, vectorFromArray } from 'apache-arrow';
import { CHUNKER_VERSION } from '../chunk/chunker';
import type { Embedder } from '../embed/embedder';
import { SCHEMA_VERSION } from '../store/chunkSchema';
import { withTimeout } from './remoteCall';

export const CURRENT_TABLE = 'current';
/** Every snapshot a publish began, written before its tables, so one killed midway is still found and dropped. */
export const SNAPSHOTS_TABLE = 'snapshots';
export const MANIFEST_COLUMN = 'manifest';
const FORMAT = 1;

export interface SharedManifest {
  format: number;
  /** Suffix of the snapshot's tables. */
  snapshot: string;
  schemaVersion: number;
  chunkerVersion: number;
  embedderId: string;
  dimensions: number;
  /** The commit the workspace was at, when it is a git checkout. */
  commit?: string;
  files: number;
  chunks: number;
  publishedAt: string;
}

export function chunksTable(snapshot: string): string {
  return `chunks_${snapshot}`;
}

export function filesTable(snapshot: string): string {
  return `files_${snapshot}`;
}

/** The snapshot's vocabulary (one row, {@link VOCABULARY_COLUMN}: its JSON), so a clone that copies every row need not count it. */
export function vocabularyTable(snapshot: string): string {
  return `vocabulary_${snapshot}`;
}
export const VOCABULARY_COLUMN = 'vocabulary';

export function manifestFor(embedder: Pick<Embedder, 'id' | 'dimensions'>, fields: Pick<SharedManifest, 'snapshot' | 'commit' | 'files' | 'chunks'>): SharedManifest {
  return {
    format: FORMAT,
    schemaVersion: SCHEMA_VERSION,
    chunkerVersion: CHUNKER_VERSION,
    embedderId: embedder.id,
    dimensions: embedder.dimensions,
    ...fields,
    publishedAt: new Date().toISOString(),
  };
}

/** Parses the row of `current`; throws one sentence when it is not a manifest this version reads. */
export function parseManifest(text: unknown): SharedManifest {
  let raw: Partial<SharedManifest>;
  try {
    raw = JSON.parse(String(text)) as Partial<SharedManifest>;
  } catch {
    throw new Error('its manifest is not valid JSON');
  }
  const numbers = [raw.format, raw.schemaVersion, raw.chunkerVersion, raw.dimensions, raw.files, raw.chunks];
  if (numbers.some((n) => typeof n !== 'number') || typeof raw.snapshot !== 'string' || typeof raw.embedderId !== 'string') {
    throw new Error('its manifest is not in the expected format');
  }
  if (raw.format !== FORMAT) throw new Error(`its manifest has format ${raw.format}, which this version of Ferret does not read`);
  return raw as SharedManifest;
}

/** Why vectors and chunks of the shared index cannot stand in for this daemon's, or undefined when they can. */
export function incompatibility(manifest: SharedManifest, embedder: Pick<Embedder, 'id' | 'dimensions'>): string | undefined {
  if (manifest.embedderId !== embedder.id || manifest.dimensions !== embedder.dimensions) {
    return `it was built with the embedder ${manifest.embedderId} (${manifest.dimensions} dimensions) and this daemon uses ${embedder.id} (${embedder.dimensions})`;
  }
  if (manifest.schemaVersion !== SCHEMA_VERSION) return `it was written with index schema ${manifest.schemaVersion} and this version uses ${SCHEMA_VERSION}`;
  if (manifest.chunkerVersion !== CHUNKER_VERSION) return `it was chunked by chunker version ${manifest.chunkerVersion} and this version uses ${CHUNKER_VERSION}`;
  return undefined;
}

/** A table that does not exist, told apart from a store that cannot be read (LanceDB says "was not found"). */
export function isMissingTable(error: unknown): boolean {
  return error instanceof Error && /^Table '[^']*' was not found/.test(error.message);
}

/** Opens a table, or undefined when it does not exist. Listing tables is not used: on some S3 servers it lists none. */
export async function openIfPresent(db: Connection, name: string, ms: number): Promise<Table | undefined> {
  try {
    return await withTimeout(db.openTable(name), ms, 'the shared index');
  } catch (error) {
    if (isMissingTable(error)) return undefined;
    throw error;
  }
}

/** The manifest `current` holds, or undefined when nothing was published there yet. */
export async function readCurrent(db: Connection, ms: number): Promise<SharedManifest | undefined> {
  const table = await openIfPresent(db, CURRENT_TABLE, ms);
  if (!table) return undefined;
  try {
    const rows = (await withTimeout(table.query().toArray(), ms, 'the shared index')) as Array<Record<string, unknown>>;
    if (rows.length !== 1) throw new Error(`its manifest table holds ${rows.length} rows instead of one`);
    return parseManifest(rows[0]![MANIFEST_COLUMN]);
  } finally {
    table.close();
  }
}

/** Points `current` at a snapshot whose tables are complete: one commit, the publish's last write. */
export async function writeCurrent(db: Connection, manifest: SharedManifest, ms: number): Promise<void> {
  const data = new ArrowTable({ [MANIFEST_COLUMN]: vectorFromArray([JSON.stringify(manifest)], new Utf8()) });
  const table = await openIfPresent(db, CURRENT_TABLE, ms);
  if (!table) {
    (await withTimeout(db.createTable(CURRENT_TABLE, data), ms, 'the shared index')).close();
    return;
  }
  try {
    await withTimeout(table.add(data, { mode: 'overwrite' }), ms, 'the shared index');
  } finally {
    table.close();
  }
}
