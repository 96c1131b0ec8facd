import type { IndexChunker } from './indexChunker';
import type { Embedder } from '../embed/embedder';
import type { IndexSummary, SkipReason } from '../shared/protocol';
import type { VectorStore } from '../store/vectorStore';
import type { FileStat } from '../watch/folderScanner';
import type { Catalog, CatalogEntry } from './catalog';
import { withVectors, type RowsWithVectors } from './chunkRows';
import { prepareFile, type PendingRow, type PrepTask } from './filePrep';
import { sharedPrepPool, WorkerOutOfMemory, type FilePrepPool, type Prepared } from './filePrepPool';
import { InOrder } from './inOrder';

/**
 * Files per commit: enough to amortise a LanceDB commit, few enough that a crash loses little and a
 * commit's Arrow copies on their way to LanceDB stay small (1,000 chunks held about 40 MiB less at
 * the peak of a cold build than 2,500, at the same speed).
 */
const FILES_PER_COMMIT = 100;
const CHUNKS_PER_COMMIT = 1000;
/** Commits cut and not yet stored: one being written, one being embedded. */
const COMMITS_IN_FLIGHT = 2;
/**
 * Passes with fewer files to read prepare them on this thread: starting workers would cost more
 * than it saves, and a save in the editor becomes searchable sooner.
 */
const POOL_MIN_FILES = 64;
/** Files the workers prepare ahead of the one being stored: enough to keep them busy through a commit. */
const POOL_AHEAD = FILES_PER_COMMIT;
/** Each progress report is a notification to every client: a few per second is enough. */
const PROGRESS_INTERVAL_MS = 100;
/**
 * A checkpoint rewrites the whole catalog, so checkpointing every commit costs the square of the
 * files over a cold build. Checkpoints are spaced by at least this, and by ten times what the
 * last one took. Fewer is safe: the catalog on disk may lag the table (crash repair drops rows it
 * does not list), never lead it.
 */
const CHECKPOINT_INTERVAL_MS = 1000;
const CHECKPOINT_COST_FACTOR = 10;

export interface PassDeps {
  root: string;
  store: VectorStore;
  catalog: Catalog;
  chunker: IndexChunker;
  embedder: Embedder;
  maxFileSize: number;
  log: (message: string) => void;
  /** Worker threads for large passes; the process's shared pool when absent (none when running from sources). */
  pool?: FilePrepPool;
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
  pending: PendingRow[];
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
  /**
   * Each commit is embedded, then stored, in order. A commit's vectors are asked for as soon as it
   * is cut, while the one before is still embedded or written: the embedder's own limit on requests
   * in flight serves the older commit's batches first, and the server is never left idle between
   * two commits waiting for the last batches of the first.
   */
  private storing: Promise<void> = Promise.resolve();
  /** Commits cut and not yet stored, oldest first. */
  private commits: Array<Promise<void>> = [];
  /** No catalog checkpoint before this time; a short pass leaves its one write to {@link finish}. */
  private nextCheckpoint = performance.now() + CHECKPOINT_INTERVAL_MS;

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
    const steps = [...candidates].map(([path, stat]) => ({ path, stat, triage: this.triage(path, stat) }));
    const prepared = this.preparer(steps.filter((step) => step.triage === 'read').map((step) => this.taskFor(step.path)));
    let done = 0;
    // Files found to be skipped (binary, too large…) or gone leave the total as well as the done
    // count, so the last report's total is the number of files the index then holds, as "Ready" says.
    let left = 0;
    let reported = -Infinity;
    try {
      for (const { path, stat, triage } of steps) {
        this.signal?.throwIfAborted();
        const kept = triage === 'read' ? this.apply(path, stat, await prepared.next()) : triage === 'unchanged';
        if (triage === 'too-large') this.skip(path, 'too-large');
        if (kept) done++;
        else left++;
        if (done + left === steps.length || performance.now() - reported >= PROGRESS_INTERVAL_MS) {
          reported = performance.now();
          onProgress?.(done, steps.length - left);
        }
        if (this.ready.length >= FILES_PER_COMMIT || this.readyChunks >= CHUNKS_PER_COMMIT) {
          // One commit being stored and the next being embedded while files are prepared.
          while (this.commits.length >= COMMITS_IN_FLIGHT) await this.commits.shift();
          this.cut();
        }
        // Preparing and embedding are synchronous CPU work on this thread: give queued requests (searches, status) a turn.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      this.cut();
      for (const commit of this.commits) await commit;
    } catch (error) {
      // Commits in flight land or fail before the pass does, so no write outlives its pass.
      await Promise.allSettled(this.commits);
      throw error;
    }
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

  /** What the stat alone says of a file: unchanged since the catalog's entry, too large, or to be read. */
  private triage(path: string, stat: FileStat): 'unchanged' | 'too-large' | 'read' {
    const known = this.deps.catalog.get(path);
    if (this.trustStat && known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return 'unchanged';
    return stat.size > this.deps.maxFileSize ? 'too-large' : 'read';
  }

  private taskFor(path: string): PrepTask {
    const { root, catalog, maxFileSize, embedder } = this.deps;
    return { root, path, knownHash: catalog.get(path)?.hash, maxFileSize, embedderId: embedder.id };
  }

  /** Prepares `tasks` in order: on worker threads when there are many, else here one by one. */
  private preparer(tasks: PrepTask[]): InOrder<PrepTask, Prepared> {
    // This thread's chunker logs for itself.
    const here = async (task: PrepTask): Promise<Prepared> => ({ outcome: await prepareFile(task, this.deps.chunker), logs: [] });
    const pool = tasks.length >= POOL_MIN_FILES ? (this.deps.pool ?? sharedPrepPool()) : undefined;
    if (!pool) return new InOrder(tasks, here, 1);
    return new InOrder(tasks, (task) => pool.prepare(task).catch((error: unknown) => (error instanceof WorkerOutOfMemory ? here(task) : Promise.reject(error))), POOL_AHEAD);
  }

  /** Applies a prepared file; false when it does not stay in the index (gone or skipped). */
  private apply(path: string, stat: FileStat, { outcome, logs }: Prepared): boolean {
    for (const line of logs) this.deps.log(line);
    const known = this.deps.catalog.get(path);
    switch (outcome.kind) {
      case 'gone':
        this.remove(path);
        return false;
      case 'skipped':
        if (outcome.message) this.deps.log(outcome.message);
        this.skip(path, outcome.reason);
        return false;
      case 'unchanged':
        if (known) this.deps.catalog.set(path, { ...known, size: stat.size, mtimeMs: stat.mtimeMs });
        return true;
      case 'chunked': {
        const { fallbackReason, pending } = outcome;
        if (fallbackReason) this.counts.parseFallbacks[fallbackReason] = (this.counts.parseFallbacks[fallbackReason] ?? 0) + 1;
        this.counts.bytes += outcome.bytes;
        this.removals.delete(path);
        const entry = { size: stat.size, mtimeMs: stat.mtimeMs, hash: outcome.hash, chunkIds: pending.map((p) => p.row.id) };
        this.ready.push({ path, known: known !== undefined, pending, entry });
        this.readyChunks += pending.length;
        return true;
      }
    }
  }

  /** Starts a commit of what is ready: its vectors now, its write once the commit before is stored. */
  private cut(): void {
    if (this.ready.length === 0 && this.removals.size === 0) return;
    const ready = this.ready;
    const removals = [...this.removals];
    this.ready = [];
    this.readyChunks = 0;
    this.removals.clear();
    const vectors = this.vectorsOf(ready);
    // A failed embedding is reported by the commit that waits for it.
    vectors.catch(() => undefined);
    const commit = this.storing.then(async () => this.store(ready, removals, await vectors));
    this.storing = commit;
    // Awaited in order by run(); until then a failure must not count as unhandled.
    commit.catch(() => undefined);
    this.commits.push(commit);
  }

  private async vectorsOf(ready: readonly ReadyFile[]): Promise<RowsWithVectors> {
    const { store, embedder } = this.deps;
    const pending = ready.flatMap((file) => file.pending);
    const known = this.cold ? new Map<string, Float32Array>() : await store.vectorsByHash(pending.map((p) => p.row.embedHash));
    return withVectors(pending, known, embedder, this.signal);
  }

  /** Stores one commit, then records it in the catalog. */
  private async store(ready: readonly ReadyFile[], removals: readonly string[], { rows, embedded }: RowsWithVectors): Promise<void> {
    const { store, catalog } = this.deps;
    if (!this.started) {
      this.started = true;
      await catalog.beginPass();
    }
    // A merge costs far more than an append; only files with stored rows need one.
    const replaced = this.cold ? [] : ready.filter((f) => f.known).map((f) => f.path);
    const replacedSet = new Set(replaced);
    const appended = rows.filter((row) => !replacedSet.has(row.path));
    if (appended.length) await store.addFiles(appended);
    if (replaced.length) await store.replaceFiles([...replaced, ...removals], rows.filter((row) => replacedSet.has(row.path)));
    else if (removals.length) await store.deleteFiles(removals);
    for (const file of ready) catalog.set(file.path, file.entry);
    for (const path of removals) if (catalog.delete(path)) this.counts.removedFiles++;
    if (performance.now() >= this.nextCheckpoint) {
      const started = performance.now();
      await catalog.checkpoint();
      this.nextCheckpoint = performance.now() + Math.max(CHECKPOINT_INTERVAL_MS, CHECKPOINT_COST_FACTOR * (performance.now() - started));
    }
    this.counts.indexedFiles += ready.length;
    this.counts.embeddedChunks += embedded;
    this.counts.reusedChunks += rows.length - embedded;
  }

  /** Closes the pass in the catalog: the table and the catalog agree again. */
  async finish(): Promise<void> {
    if (this.started) await this.deps.catalog.endPass();
  }
}
