import type { Embedder } from '../embed/embedder';
import { errorMessage, type Logger } from '../log';
import type { FerretSettings, FolderState, FolderStatus, IndexSummary, SkipReason } from '../shared/protocol';
import { folderCandidates, type FolderSearch, type SearchRequest } from '../retrieve/folderCandidates';
import type { RankingWeights } from '../retrieve/rankingWeights';
import { scanFolder } from '../watch/folderScanner';
import { FolderWatcher, type WatchBatch } from '../watch/folderWatcher';
import { IgnoreRules } from '../watch/ignoreRules';
import { batchChanges } from './batchChanges';
import { FolderSeeding } from './folderSeeding';
import type { IndexChunker } from './indexChunker';
import type { DerivedStore } from './derivedStore';
import { emptyGeneration, openIndex, promote, type Generation, type OpenedIndex } from './generation';
import { IndexPass, type PassCounts } from './indexPass';
import { IndexRecovery } from './indexRecovery';
import { MaintenanceSchedule } from './maintenanceSchedule';
import type { SeedReport, Seeder } from './seeder';
import { classifyStorageError, storageFaultSentence } from './storageFaults';
import { WorkQueue } from './workQueue';

export interface FolderIndexDeps {
  chunker: IndexChunker;
  embedder: Embedder;
  settings: FerretSettings;
  log: Logger;
  /** Called whenever {@link FolderIndex.status} may have changed. */
  onChange: () => void;
  /** Fills the empty index before its first pass from a shared one (`ferret.sharedIndex`). */
  seed?: Seeder;
}

export interface SyncOptions {
  full?: boolean;
  signal?: AbortSignal;
}

/** Everything Ferret knows and does about one workspace folder: its index, its watcher, its searches. */
export class FolderIndex {
  /** 'starting' until the first pass when one is due at start-up, so no client mistakes the gap for quiet. */
  private state: FolderState;
  private progress: { done: number; total: number } | undefined;
  private error: string | undefined;
  /** The failure last logged, so a fault that lasts is logged once. */
  private reportedError: string | undefined;
  private skipped: Partial<Record<SkipReason, number>> = {};
  private watcher: FolderWatcher | undefined;
  private readonly queue = new WorkQueue();
  private revision = 0;
  private readonly maintenance: MaintenanceSchedule;
  private readonly recovery: IndexRecovery;
  private readonly seeding: FolderSeeding;

  private constructor(
    readonly folder: string,
    readonly indexDir: string,
    private rules: IgnoreRules,
    private opened: OpenedIndex,
    private deps: FolderIndexDeps,
  ) {
    this.state = deps.settings.autoIndex ? 'starting' : 'ready';
    this.seeding = new FolderSeeding(folder, deps.seed, deps.log, deps.onChange);
    this.maintenance = new MaintenanceSchedule(() => void this.queue.run(() => this.compact()));
    // A failed resync has already been reported by runSync; recovery plans the next one.
    this.recovery = new IndexRecovery(
      indexDir,
      () => this.sync(),
      (reason) =>
        this.queue.run(async () => {
          this.closeStores();
          this.opened = await openIndex(this.indexDir, this.deps.embedder, reason);
        }),
      (reason) => this.deps.log.warn(`Rebuilding the index of ${this.folder}: ${reason}.`),
    );
  }

  static async open(folder: string, indexDir: string, deps: FolderIndexDeps): Promise<FolderIndex> {
    const rules = await IgnoreRules.load(folder, { exclude: deps.settings.exclude });
    const opened = await openIndex(indexDir, deps.embedder);
    if (opened.rebuiltBecause) deps.log.warn(`Rebuilding the index of ${folder}: ${opened.rebuiltBecause}.`);
    return new FolderIndex(folder, indexDir, rules, opened, deps);
  }

  /** Brings the index up to date with the folder on disk (only what changed, unless `full`). */
  sync(options: SyncOptions = {}): Promise<IndexSummary> {
    return this.queue.run(() => this.runSync(options));
  }

  /**
   * Takes new file rules (`exclude`, `maxFileSize`) while running: reloads the ignore rules,
   * re-opens the watcher with them, then syncs so files newly let in or left out are indexed
   * or dropped. Queued like any pass, so no batch is applied with half-swapped rules.
   */
  reconfigure(settings: FerretSettings): Promise<IndexSummary> {
    return this.queue.run(async () => {
      this.rules = await IgnoreRules.load(this.folder, { exclude: settings.exclude });
      this.deps = { ...this.deps, settings };
      if (this.watcher) {
        await this.watcher.close();
        this.watcher = undefined;
        await this.startWatching();
      }
      return this.runSync({});
    });
  }

  /** Watches the folder and indexes changes as they happen. */
  async startWatching(): Promise<void> {
    if (this.watcher) return;
    this.watcher = new FolderWatcher(this.folder, this.rules, {
      maxFileSize: this.deps.settings.maxFileSize,
      onBatch: (batch) => {
        // While the disk is full, the resync that follows free space picks these changes up.
        if (this.recovery.waitingForSpace) return;
        void this.queue.run(() => this.applyBatch(batch)).catch((e: unknown) => this.fail(e));
      },
      onError: (error) => this.deps.log.warn(`Watching ${this.folder}: ${error.message}`),
      onFallback: (sentence) => {
        this.deps.log.warn(sentence);
        this.deps.onChange();
      },
      onWatching: () => {
        this.deps.log.info(`Watching ${this.folder} instantly again: the inotify limit was raised.`);
        this.deps.onChange();
      },
    });
    await this.watcher.start();
  }

  async search(request: SearchRequest, queryVector: Float32Array | undefined, weights: RankingWeights): Promise<FolderSearch> {
    const { live, target } = this.opened;
    if (!live) return { fullTextReason: 'the index is still being built' };
    try {
      // Vectors of a generation being rebuilt with another embedder do not match the query's.
      const vector = live === target ? queryVector : undefined;
      const candidates = await folderCandidates(live.store, request, vector, weights);
      return live === target ? { candidates } : { candidates, fullTextReason: `vectors are being recomputed with ${target.meta.embedderId}` };
    } catch (error) {
      if (classifyStorageError(error) !== 'damaged') throw error;
      this.recovery.rebuild(error);
      throw new Error(`The index of ${this.folder} is damaged and is being rebuilt; search again once indexing finishes.`);
    }
  }

  /** The store search reads, with its symbol graph; undefined until the folder has an index to read. */
  liveStore(): DerivedStore | undefined {
    return this.opened.live?.store;
  }

  /** Whether the ignore rules treat this folder-relative path as a secret that must never reach a model. */
  isSecret(relPath: string): boolean {
    return this.rules.check(relPath, false) === 'secret';
  }

  /** Chunks of the live index still waiting for vectors from a new embedder. */
  get pendingVectors(): number {
    const { live, target } = this.opened;
    return live && live !== target ? Math.max(1, live.catalog.chunkCount - target.catalog.chunkCount) : 0;
  }

  /** Work waiting or running, in files (approximate while a pass runs). */
  get pending(): number {
    return this.queue.size + (this.progress ? this.progress.total - this.progress.done : 0);
  }

  status(): FolderStatus {
    const catalog = this.opened.live?.catalog ?? this.opened.target.catalog;
    return {
      folder: this.folder,
      state: this.state,
      files: catalog.size,
      chunks: catalog.chunkCount,
      pending: this.pending,
      revision: this.revision,
      ...(this.progress ? { progress: { ...this.progress } } : {}),
      indexDir: this.indexDir,
      ...(this.error ? { error: this.error } : {}),
      ...(this.seeding.note ? { sharedIndex: this.seeding.note } : {}),
      ...(this.watcher?.fallback ? { watching: this.watcher.fallback } : {}),
      skipped: { ...this.skipped },
    };
  }

  async close(): Promise<void> {
    this.maintenance.dispose();
    this.recovery.dispose();
    await this.watcher?.close();
    await this.queue.idle();
    // This process reads the index no more: files kept for its older versions can go now.
    await this.compact({ final: true });
    await Promise.all([this.opened.live?.store.flush(), this.opened.target.store.flush()]);
    this.closeStores();
  }

  private async runSync(options: SyncOptions): Promise<IndexSummary> {
    const started = performance.now();
    try {
      if (options.full) await emptyGeneration(this.opened.target);
      this.setState('scanning');
      const scan = await scanFolder(this.folder, this.rules, { maxFileSize: this.deps.settings.maxFileSize, ...(options.signal ? { signal: options.signal } : {}) });
      const target = this.opened.target;
      const { cold, seeded } = await this.seeding.prepare(target, scan.files, options.signal);
      const removed = new Set([...target.catalog.paths()].filter((p) => !scan.files.has(p)));
      const pass = this.newPass(target, cold, true, options.signal);
      for (const { reason } of scan.skipped) pass.countSkip(reason);
      this.setState('indexing');
      const counts = await pass.run(scan.files, removed, (done, total) => this.setProgress(done, total));
      await pass.finish();
      if (counts.indexedFiles || counts.removedFiles || seeded?.files) this.revision++;
      if (cold || counts.indexedFiles || counts.removedFiles) await this.maintenance.afterPass(target.store, Boolean(seeded?.chunks));
      if (target !== this.opened.live) await this.promote(target);
      this.skipped = counts.skipped;
      this.error = undefined;
      this.reportedError = undefined;
      this.recovery.succeeded();
      return this.summary(counts, seeded, performance.now() - started);
    } catch (error) {
      this.fail(error);
      throw error;
    } finally {
      this.progress = undefined;
      if (this.state !== 'error') this.setState('ready');
    }
  }

  private async applyBatch(batch: WatchBatch): Promise<void> {
    if (batch.rulesChanged || batch.resync) {
      await this.runSync({});
      return;
    }
    const target = this.opened.target;
    const { candidates, removed } = await batchChanges(batch, this.folder, this.rules, target.catalog.paths());
    const cold = (await target.store.count()) === 0;
    // Trust no stat here: a second save within the same millisecond keeps size and mtime.
    const pass = this.newPass(target, cold, false);
    this.setState('indexing');
    const counts = await pass.run(candidates, removed);
    await pass.finish();
    if (counts.indexedFiles || counts.removedFiles) this.revision++;
    this.setState('ready');
    this.maintenance.committed();
  }

  private newPass(target: Generation, cold: boolean, trustStat: boolean, signal?: AbortSignal): IndexPass {
    const deps = { root: this.folder, store: target.store, catalog: target.catalog, chunker: this.deps.chunker, embedder: this.deps.embedder, maxFileSize: this.deps.settings.maxFileSize, log: (m: string) => this.deps.log.info(m) };
    return new IndexPass(deps, { cold, trustStat }, signal);
  }

  /** Compaction is housekeeping: a failure is logged and the next one tries again. */
  private compact(options?: { final?: boolean }): Promise<void> {
    return this.opened.target.store.maintain(options).catch((e: unknown) => this.deps.log.warn(`Compacting the index of ${this.folder}: ${errorMessage(e)}`));
  }

  private async promote(target: Generation): Promise<void> {
    await promote(this.indexDir, this.opened.live, target);
    this.opened = { live: target, target };
  }

  private summary(counts: PassCounts, seeded: SeedReport | undefined, durationMs: number): IndexSummary {
    const catalog = this.opened.target.catalog;
    const seeding = { seededFiles: seeded?.files ?? 0, seededChunks: seeded?.chunks ?? 0 };
    return { folder: this.folder, files: catalog.size, chunks: catalog.chunkCount, ...counts, ...seeding, durationMs: Math.round(durationMs) };
  }

  /** Runs `read` between passes on the live index, once it is the complete index of the current embedder (publishing reads it). */
  readLive<T>(read: (live: Generation) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      const { live, target } = this.opened;
      if (!live || live !== target) throw new Error(`The index of ${this.folder} is still being built for ${target.meta.embedderId}; try again once indexing finishes.`);
      return read(live);
    });
  }

  private setProgress(done: number, total: number): void {
    this.progress = { done, total };
    this.deps.onChange();
  }

  private setState(state: FolderState): void {
    this.state = state;
    this.deps.onChange();
  }

  private fail(error: unknown): void {
    const fault = classifyStorageError(error);
    const message = storageFaultSentence(fault, error, this.indexDir);
    // Queued work and retries while the fault lasts fail the same way: one log line until a pass succeeds.
    if (this.reportedError !== message) this.deps.log.error(`Indexing ${this.folder} failed: ${message}`);
    this.reportedError = message;
    this.error = message;
    this.setState('error');
    if (fault === 'damaged') this.recovery.rebuild(error);
    else this.recovery.after(fault);
  }

  private closeStores(): void {
    this.opened.live?.store.close();
    if (this.opened.target !== this.opened.live) this.opened.target.store.close();
  }
}
