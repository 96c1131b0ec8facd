import * as lancedb from '@lancedb/lancedb';
import { DataType, Table as ArrowTable, type RecordBatch, type Schema } from 'apache-arrow';
import { chunkTable } from './chunkBatch';
import { RESULT_COLUMNS, chunkSchema } from './chunkSchema';
import { sqlIn } from './sqlFilter';
import { decodeUnits } from './unitColumn';
import { VECTOR_REFINE_FACTOR, buildVectorIndex } from './vectorIndex';
import type { ChunkRow, MaintainOptions, ScoredChunk, StoredChunk, VectorStore } from './vectorStore';

const FTS_COLUMN = 'searchText';
/**
 * Below this many rows a flat vector scan is fast enough; above it an IVF index pays. A flat scan of
 * 19k rows took 60–115 ms here (bench:relevance, Rust corpus), against 7–11 ms for IVF_FLAT at 74k.
 */
const VECTOR_INDEX_MIN_ROWS = 5_000;
/** IVF partitions searched: 10 of √rows partitions halved the time of 20. */
const VECTOR_PROBES = 10;
/** IN-lists are split so a predicate stays a reasonable size. */
const IN_LIST_SIZE = 500;
/** Old versions are kept this long so a reader in another process is not cut off mid-query. */
const KEEP_OLD_VERSIONS_MS = 30_000;

export interface StoreOptions {
  /** How long superseded table versions survive {@link LanceChunkStore.maintain}. */
  keepOldVersionsMs?: number;
}

/** A row as a query returns it: the stored columns plus the search's own score column. */
type RawRow = Omit<StoredChunk, 'units'> & { units: string; _score?: number; _distance?: number };

/**
 * One cache budget for every table of the process. LanceDB's defaults (6 GB of index cache,
 * 1 GB of metadata cache) let a daemon's memory grow with every commit of a long index; these
 * hold the vector and text indices of ~100k chunks.
 */
let session: lancedb.Session | undefined;
function cacheSession(): lancedb.Session {
  session ??= new lancedb.Session(BigInt(256 * 1024 * 1024), BigInt(64 * 1024 * 1024));
  return session;
}

/** The chunks of one folder in one LanceDB table on disk. */
export class LanceChunkStore implements VectorStore {
  private vectorIndexedRows = 0;
  /** Written or compacted since the last final maintenance: superseded files may be left. */
  private changed = false;
  private readonly schema: Schema;

  private constructor(
    private readonly table: lancedb.Table,
    private readonly dir: string,
    readonly dimensions: number,
    readonly graceMs: number,
  ) {
    this.schema = chunkSchema(dimensions);
  }

  /** Opens the table, creating it (with its full-text index) when absent. */
  static async open(dir: string, tableName: string, dimensions: number, options: StoreOptions = {}): Promise<LanceChunkStore> {
    const db = await lancedb.connect(dir, {}, cacheSession());
    const existing = await db.tableNames();
    const table = existing.includes(tableName)
      ? await db.openTable(tableName)
      : await db.createEmptyTable(tableName, chunkSchema(dimensions));
    const store = new LanceChunkStore(table, dir, dimensions, options.keepOldVersionsMs ?? KEEP_OLD_VERSIONS_MS);
    await store.ensureTextIndex();
    const indices = await table.listIndices();
    const vectorIndex = indices.find((i) => i.columns.includes('vector'));
    if (vectorIndex) store.vectorIndexedRows = (await table.indexStats(vectorIndex.name))?.numIndexedRows ?? 0;
    return store;
  }

  private async ensureTextIndex(): Promise<void> {
    const indices = await this.table.listIndices();
    if (indices.some((i) => i.columns.includes(FTS_COLUMN))) return;
    await this.buildTextIndex();
  }

  /**
   * searchText is already split into code tokens, without the prose words of text/stopWords, which
   * queries leave out too; stemming makes questions in English ("how is parsing done") meet
   * identifiers ("parse"). LanceDB's own English stop words stay off: a second list that differs
   * from Ferret's ("but" is only in it) would make the index disagree with the query.
   */
  private async buildTextIndex(): Promise<void> {
    await this.table.createIndex(FTS_COLUMN, {
      config: lancedb.Index.fts({ baseTokenizer: 'simple', lowercase: true, stem: true, removeStopWords: false, asciiFolding: true, withPosition: false }),
      replace: true,
    });
  }

  private batch(rows: readonly ChunkRow[]) {
    return chunkTable(this.schema, rows, this.dimensions);
  }

  count(): Promise<number> {
    return this.table.countRows();
  }

  async addFiles(rows: readonly ChunkRow[]): Promise<void> {
    if (rows.length === 0) return;
    this.changed = true;
    await this.table.add(this.batch(rows));
  }

  async addBatches(batches: readonly RecordBatch[]): Promise<void> {
    if (!batches.some((batch) => batch.numRows > 0)) return;
    this.changed = true;
    await this.table.add(new ArrowTable([...batches]));
  }

  async replaceFiles(paths: readonly string[], rows: readonly ChunkRow[]): Promise<void> {
    if (paths.length === 0) return;
    this.changed = true;
    await this.table
      .mergeInsert('id')
      .whenMatchedUpdateAll()
      .whenNotMatchedInsertAll()
      .whenNotMatchedBySourceDelete({ where: sqlIn('path', paths) })
      .execute(this.batch(rows));
  }

  async deleteFiles(paths: readonly string[]): Promise<void> {
    if (paths.length) this.changed = true;
    for (const slice of chunked(paths, IN_LIST_SIZE)) await this.table.delete(sqlIn('path', slice));
  }

  async vectorsByHash(hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const found = new Map<string, Float32Array>();
    const unique = [...new Set(hashes)];
    for (let i = 0; i < unique.length; i += IN_LIST_SIZE) {
      const rows = await this.table
        .query()
        .where(sqlIn('embedHash', unique.slice(i, i + IN_LIST_SIZE)))
        .select(['embedHash', 'vector'])
        .toArray();
      for (const row of rows as Array<{ embedHash: string; vector: Iterable<number> }>) {
        found.set(row.embedHash, Float32Array.from(row.vector));
      }
    }
    return found;
  }

  async idsByPath(): Promise<Map<string, string[]>> {
    const rows = (await this.table.query().select(['path', 'id']).toArray()) as Array<{ path: string; id: string }>;
    const byPath = new Map<string, string[]>();
    for (const { path, id } of rows) {
      const ids = byPath.get(path);
      if (ids) ids.push(id);
      else byPath.set(path, [id]);
    }
    return byPath;
  }

  async *scanRows<K extends keyof ChunkRow>(columns: readonly K[], paths?: readonly string[]): AsyncIterable<Array<Pick<ChunkRow, K>>> {
    if (paths && paths.length === 0) return;
    const filters = paths ? chunked(paths, IN_LIST_SIZE).map((slice) => sqlIn('path', slice)) : [undefined];
    for (const filter of filters) {
      const query = this.table.query().select([...columns]);
      for await (const batch of filter ? query.where(filter) : query) {
        const vectors = columns.map((column) => batch.getChild(column as string));
        const rows: Array<Pick<ChunkRow, K>> = [];
        for (let i = 0; i < batch.numRows; i++) {
          rows.push(Object.fromEntries(columns.map((column, c) => [column, vectors[c]!.get(i)])) as Pick<ChunkRow, K>);
        }
        yield rows;
      }
    }
  }

  version(): Promise<number> {
    return this.table.version();
  }

  async vectorSearch(vector: Float32Array, limit: number, filter?: string): Promise<ScoredChunk[]> {
    let query = this.table.query().nearestTo(vector).distanceType('cosine').select(RESULT_COLUMNS).limit(limit);
    if (this.vectorIndexedRows > 0) query = query.nprobes(VECTOR_PROBES).refineFactor(VECTOR_REFINE_FACTOR);
    if (filter) query = query.where(filter);
    const rows = (await query.toArray()) as RawRow[];
    return rows.map((row) => ({ chunk: toChunk(row), score: 1 - (row._distance ?? 1) }));
  }

  async textSearch(text: string, limit: number, filter?: string): Promise<ScoredChunk[]> {
    if (!text.trim()) return [];
    let query = this.table.query().fullTextSearch(text, { columns: [FTS_COLUMN] }).select(RESULT_COLUMNS).limit(limit);
    if (filter) query = query.where(filter);
    const rows = (await query.toArray()) as RawRow[];
    return rows.map((row) => ({ chunk: toChunk(row), score: row._score ?? 0 }));
  }

  async verify(): Promise<void> {
    const vectorField = (await this.table.schema()).fields.find((f) => f.name === 'vector');
    const width = vectorField && DataType.isFixedSizeList(vectorField.type) ? vectorField.type.listSize : undefined;
    if (width !== this.dimensions) throw new Error(`its vectors have ${width ?? 'no'} dimensions where ${this.dimensions} were expected`);
    // A truncated fragment or index file fails as soon as its footer is read; one column is enough.
    await this.table.query().select(['id']).toArray();
    if ((await this.count()) === 0) return;
    await this.table.query().fullTextSearch('ferret', { columns: [FTS_COLUMN] }).select(['id']).limit(1).toArray();
    const probe = new Float32Array(this.dimensions);
    probe[0] = 1;
    await this.table.query().nearestTo(probe).distanceType('cosine').select(['id']).limit(1).toArray();
  }

  async maintain({ final = false, deferCompaction = false }: MaintainOptions = {}): Promise<void> {
    if (final && !this.changed) return;
    if (deferCompaction) {
      // Indexing the rows anew costs about half of a compaction that folds them in (30k rows in
      // seven fragments: 0.8 s against 1.5 s), and a seeded clone waits for it before it is ready.
      this.changed = true;
      await this.buildTextIndex();
      return;
    }
    // Compaction rewrites the rows it merges; the files it replaces stay for readers of older versions until a later call.
    await this.table.optimize({ cleanupOlderThan: new Date(Date.now() - (final ? 0 : this.graceMs)), deleteUnverified: final });
    this.changed = !final;
    const rows = await this.table.countRows();
    // Rebuilding pays when the table has doubled since the index was trained: partitions
    // trained on half the data stop fitting it.
    if (rows >= VECTOR_INDEX_MIN_ROWS && rows >= 2 * this.vectorIndexedRows) {
      await buildVectorIndex(this.table, this.dir, this.table.name, rows);
      this.vectorIndexedRows = rows;
    }
  }

  close(): void {
    this.table.close();
  }
}


function chunked<T>(items: readonly T[], size: number): T[][] {
  const slices: T[][] = [];
  for (let i = 0; i < items.length; i += size) slices.push(items.slice(i, i + size));
  return slices;
}

function toChunk(row: RawRow): StoredChunk {
  const { _score, _distance, units, ...chunk } = row;
  return { ...chunk, units: decodeUnits(units, chunk) };
}
