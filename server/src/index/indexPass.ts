import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Chunker } from '../chunk/chunker';
import { languageOf } from '../chunk/languages';
import type { Embedder } from '../embed/embedder';
import type { IndexSummary, SkipReason } from '../protocol';
import type { ChunkRow, VectorStore } from '../store/vectorStore';
import { maskSecrets } from '../text/secretMasker';
import { decodeSource } from '../watch/contentSniffer';
import type { FileStat } from '../watch/folderScanner';
import type { Catalog, CatalogEntry } from './catalog';
import { embedInput, rowOf, sha1, withVectors } from './chunkRows';

/** Files per commit: large enough to amortise a LanceDB commit, small enough that a crash loses little. */
const FILES_PER_COMMIT = 250;
const CHUNKS_PER_COMMIT = 2500;
const EMBED_BATCH = 64;

export interface PassDeps {
  root: string;
  store: VectorStore;
  catalog: Catalog;
  chunker: Chunker;
  embedder: Embedder;
  maxFileSize: number;
  log: (message: string) => void;
}

/** What one pass did: the per-pass part of an {@link IndexSummary}. */
export type PassCounts = Pick<IndexSummary, 'indexedFiles' | 'removedFiles' | 'embeddedChunks' | 'reusedChunks' | 'bytes' | 'skipped' | 'parseFallbacks'>;

interface ReadyFile {
  path: string;
  /**
   * The catalog lists the file, so rows of an older version may be stored; a file it does not
   * list has none (the catalog only lags the table mid-pass, and folderIndex drops such rows
   * before resuming), so its rows are appended without a merge.
   */
  known: boolean;
  entry: CatalogEntry;
  pending: Array<{ row: Omit<ChunkRow, 'vector'>; input: string }>;
}

/**
 * One indexing pass over a set of candidate files and removals: read, decode, chunk,
 * embed what is new, store, and only then record in the catalog. A file whose size and
 * mtime match the catalog is not even read.
 */
export class IndexPass {
  readonly counts: PassCounts = { indexedFiles: 0, removedFiles: 0, embeddedChunks: 0, reusedChunks: 0, bytes: 0, skipped: {}, parseFallbacks: {} };
  private ready: ReadyFile[] = [];
  private readyChunks = 0;
  private removals = new Set<string>();
  private started = false;
  private inflight: Promise<void> = Promise.resolve();

  private readonly cold: boolean;
  private readonly trustStat: boolean;

  /**
   * @param mode.cold the store had no rows when the pass began, so rows can be appended without a merge.
   * @param mode.trustStat a file whose size and mtime match the catalog is taken as unchanged without reading it.
   */
  constructor(
    private readonly deps: PassDeps,
    mode: { cold: boolean; trustStat: boolean },
    private readonly signal?: AbortSignal,
  ) {
    this.cold = mode.cold;
    this.trustStat = mode.trustStat;
  }

  async run(candidates: ReadonlyMap<string, FileStat>, removed: Iterable<string>, onProgress?: (done: number, total: number) => void): Promise<PassCounts> {
    for (const path of removed) this.remove(path);
    let done = 0;
    for (const [path, stat] of candidates) {
      this.signal?.throwIfAborted();
      await this.consider(path, stat);
      onProgress?.(++done, candidates.size);
      if (this.ready.length >= FILES_PER_COMMIT || this.readyChunks >= CHUNKS_PER_COMMIT) {
        // One commit in flight while the next batch is chunked: LanceDB writes on its own threads.
        await this.inflight;
        this.inflight = this.flush();
      }
      // Chunking is synchronous CPU work: give queued requests (searches, status) a turn.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await this.inflight;
    await this.flush();
    return this.counts;
  }

  /** Counts a file that was left out before reaching the pass (scanner or watcher rules). */
  countSkip(reason: SkipReason): void {
    this.counts.skipped[reason] = (this.counts.skipped[reason] ?? 0) + 1;
  }

  private remove(path: string): void {
    if (this.deps.catalog.get(path) !== undefined || !this.cold) this.removals.add(path);
  }

  private skip(path: string, reason: SkipReason): void {
    this.countSkip(reason);
    this.remove(path);
  }

  private async consider(path: string, stat: FileStat): Promise<void> {
    const { catalog } = this.deps;
    const known = catalog.get(path);
    if (this.trustStat && known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return;
    if (stat.size > this.deps.maxFileSize) return this.skip(path, 'too-large');
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(join(this.deps.root, path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Gone between the event and the read: a removal, not an error.
      if (code === 'ENOENT' || code === 'ENOTDIR') return this.remove(path);
      this.deps.log(`Cannot read ${path}: ${(error as Error).message}`);
      return this.skip(path, 'unreadable');
    }
    if (bytes.length > this.deps.maxFileSize) return this.skip(path, 'too-large');
    const decoded = decodeSource(bytes, path);
    if ('skip' in decoded) return this.skip(path, decoded.skip);
    const hash = sha1(decoded.text);
    if (known && known.hash === hash) {
      catalog.set(path, { ...known, size: stat.size, mtimeMs: stat.mtimeMs });
      return;
    }
    // Masked before chunking: stored text, full-text column and embedded input all derive from it.
    const chunked = await this.deps.chunker.chunkFile(path, maskSecrets(decoded.text, languageOf(path)));
    if (chunked.fallbackReason) {
      this.counts.parseFallbacks[chunked.fallbackReason] = (this.counts.parseFallbacks[chunked.fallbackReason] ?? 0) + 1;
    }
    const embedderId = this.deps.embedder.id;
    const pending = chunked.chunks.map((chunk) => ({ row: rowOf(chunk, embedderId), input: embedInput(chunk) }));
    this.counts.bytes += bytes.length;
    this.removals.delete(path);
    this.ready.push({ path, known: known !== undefined, pending, entry: { size: stat.size, mtimeMs: stat.mtimeMs, hash, chunkIds: pending.map((p) => p.row.id) } });
    this.readyChunks += pending.length;
  }

  /** Stores what is ready in one commit, then records it in the catalog. */
  private async flush(): Promise<void> {
    if (this.ready.length === 0 && this.removals.size === 0) return;
    const { store, catalog, embedder } = this.deps;
    const ready = this.ready;
    const removals = [...this.removals];
    this.ready = [];
    this.readyChunks = 0;
    this.removals.clear();
    if (!this.started) {
      this.started = true;
      await catalog.beginPass();
    }
    const pending = ready.flatMap((file) => file.pending);
    const known = this.cold ? new Map<string, Float32Array>() : await store.vectorsByHash(pending.map((p) => p.row.embedHash));
    const { rows, embedded } = await withVectors(pending, known, embedder, EMBED_BATCH, this.signal);
    // A merge costs far more than an append; only files with stored rows need one.
    const replaced = this.cold ? [] : ready.filter((f) => f.known).map((f) => f.path);
    const replacedSet = new Set(replaced);
    const appended = rows.filter((row) => !replacedSet.has(row.path));
    if (appended.length) await store.addFiles(appended);
    if (replaced.length) await store.replaceFiles([...replaced, ...removals], rows.filter((row) => replacedSet.has(row.path)));
    else if (removals.length) await store.deleteFiles(removals);
    for (const file of ready) catalog.set(file.path, file.entry);
    for (const path of removals) if (catalog.delete(path)) this.counts.removedFiles++;
    await catalog.checkpoint();
    this.counts.indexedFiles += ready.length;
    this.counts.embeddedChunks += embedded;
    this.counts.reusedChunks += rows.length - embedded;
  }

  /** Closes the pass in the catalog: the table and the catalog agree again. */
  async finish(): Promise<void> {
    if (this.started) await this.deps.catalog.endPass();
  }
}
