import type { RecordBatch } from 'apache-arrow';
import type { Chunk, ChunkUnit } from '../chunk/types';

/**
 * What one chunk adds (built by vocab/) to the vocabulary: its distinct stemmed terms, and per unit
 * its comment words and name parts, each list space-separated. One string rather than a hundred
 * small ones per chunk: lexicons cross from worker threads and wait for their commit, and as arrays
 * they were most of the daemon's strings during a cold build.
 */
export interface Lexicon {
  terms: string;
  units: Array<{ words: string; names: string }>;
}

/** One stored chunk: the chunk without its embedding header, plus what search needs. */
export interface ChunkRow extends Omit<Chunk, 'header' | 'units'> {
  /** hash(path, range, text): equal ids are equal rows. */
  id: string;
  /** Code-aware tokens of path, symbol and text, for the full-text index. */
  searchText: string;
  /** hash(embedder id, embedded input): equal hashes have equal vectors, so they are reused. */
  embedHash: string;
  vector: Float32Array;
  /** The chunk's units, encoded by store/unitColumn ('' when the chunk is one unit). */
  units: string;
  /** What the chunk defines and what its units use, encoded by symbols/symbolColumns ('' for none). */
  definitions: string;
  references: string;
  /**
   * What the row adds to the vocabulary, when it was built by this process (often on a worker
   * thread) rather than read back: not stored, it spares the daemon's thread the same work.
   */
  lexicon?: Lexicon;
}

/** A chunk as searches return it, its units decoded. */
export interface StoredChunk extends Omit<ChunkRow, 'vector' | 'searchText' | 'embedHash' | 'units' | 'lexicon' | 'definitions' | 'references'> {
  units: ChunkUnit[];
}

export interface ScoredChunk {
  chunk: StoredChunk;
  /** Raw score of the search that found it: BM25 score or cosine similarity. */
  score: number;
}

export interface MaintainOptions {
  final?: boolean;
  deferCompaction?: boolean;
}

/** The chunks of one folder on disk. The only module that knows it is LanceDB is its implementation. */
export interface VectorStore {
  readonly dimensions: number;
  count(): Promise<number>;
  /** Makes the stored rows of `paths` exactly `rows`, in one commit. */
  replaceFiles(paths: readonly string[], rows: readonly ChunkRow[]): Promise<void>;
  /** Adds rows of paths known to have none stored yet (a cold build): cheaper than replaceFiles. */
  addFiles(rows: readonly ChunkRow[]): Promise<void>;
  deleteFiles(paths: readonly string[]): Promise<void>;
  /**
   * Adds rows that are already columns of this store's schema (copied from another index), in one
   * commit, without converting them row by row: as {@link addFiles}, for paths with none stored.
   */
  addBatches(batches: readonly RecordBatch[]): Promise<void>;
  /** Stored vectors for these embed hashes, to skip re-embedding unchanged content. */
  vectorsByHash(hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  /** The ids of the stored rows of every path that has any. */
  idsByPath(): Promise<Map<string, string[]>>;
  /** Some columns of every stored row, or of the rows of `paths`, in batches. */
  scanRows<K extends keyof ChunkRow>(columns: readonly K[], paths?: readonly string[]): AsyncIterable<Array<Pick<ChunkRow, K>>>;
  /** The table's version: it changes with every commit, compaction included. */
  version(): Promise<number>;
  vectorSearch(vector: Float32Array, limit: number, filter?: string): Promise<ScoredChunk[]>;
  /** BM25 over the full-text column; `query` is plain words, never query syntax. */
  textSearch(query: string, limit: number, filter?: string): Promise<ScoredChunk[]>;
  /**
   * Reads every part of the table once (rows, full-text and vector indices) and checks the vector
   * width; throws when a file is damaged or the table was made for vectors of another size.
   */
  verify(): Promise<void>;
  /**
   * Compacts, folds new rows into the indices, builds the vector index once it pays, and drops
   * versions older than {@link graceMs}. `final`: no reader is left (the store is about to close),
   * so every superseded version goes; nothing is done when nothing changed since the last one.
   * `deferCompaction`: only the full-text index is brought up to date (rebuilt over every row);
   * compaction and the vector index wait for the next call (vector searches scan exactly meanwhile).
   */
  maintain(options?: MaintainOptions): Promise<void>;
  /** How long a version superseded by a commit or compaction stays readable for readers still on it. */
  readonly graceMs: number;
  close(): void;
}
