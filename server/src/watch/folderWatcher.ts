import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isRulesFile } from './builtinRules';
import { DirectoryWatches, isLimit } from './directoryWatches';
import type { IgnoreRules } from './ignoreRules';
import { inotifyLimits, limitsRaised, type InotifyLimits } from './inotifyLimits';
import { PollingWatch } from './pollingWatch';

export interface WatchBatch {
  /**
   * Paths that may have changed or appeared, present and within maxFileSize when the batch was
   * made; the consumer re-reads them, compares content hashes, and still copes with later changes.
   */
  changed: string[];
  /** Paths that are gone, or are over maxFileSize and so no longer indexable, when the batch was made. */
  removed: string[];
  /** A .gitignore or .ferretignore changed: the rules were invalidated; rescan the folder. */
  rulesChanged: boolean;
  /** Watching stopped at a system limit while running: changes made meanwhile may be unreported; rescan the folder. */
  resync?: true;
}

export interface WatchOptions {
  maxFileSize: number;
  /** Quiet period after the last event before a batch is delivered. */
  debounceMs?: number;
  /** Longest wait from a batch's first event, so a continuous stream still flushes. */
  maxWaitMs?: number;
  onBatch: (batch: WatchBatch) => void;
  onError?: (error: Error) => void;
  /** Watching hit a system limit and changes are found by rescanning: the sentence for status (again when the interval changes). */
  onFallback?: (sentence: string) => void;
  /** Every folder is watched again after a fallback (the limit was raised): the sentence no longer holds. */
  onWatching?: () => void;
}

const DEFAULT_DEBOUNCE_MS = 75;
const DEFAULT_MAX_WAIT_MS = 1000;

/**
 * Watches a folder and delivers debounced batches of '/'-separated relative paths.
 *
 * One inotify watch per folder the rules let in ({@link DirectoryWatches}); ignored folders are
 * pruned. Symbolic links are not followed and not reported. Events only say "look again": what is
 * on disk when the batch is made decides. When a rules file changes, the folders are watched again
 * with the new rules before the batch is delivered, so that folders they re-include are watched by
 * the time the consumer rescans.
 *
 * When a system limit stops a folder from being watched (ENOSPC: `fs.inotify.max_user_watches`
 * spent; EMFILE), every watch is released, for the editor and other tools need them too, and
 * changes are found by rescanning instead ({@link PollingWatch}); {@link fallback} says so.
 */
export class FolderWatcher {
  private watches: DirectoryWatches | undefined;
  private polling: PollingWatch | undefined;
  private limit: NodeJS.ErrnoException | undefined;
  /** The inotify budgets when watching fell back to rescanning: watching is tried again once one grows. */
  private limitsAtFallback: InotifyLimits = [];
  private retrying = false;
  private realRoot = '';
  private readonly pending = new Map<string, 'changed' | 'removed'>();
  private rulesChanged = false;
  private resync = false;
  private quietTimer: NodeJS.Timeout | undefined;
  private maxWaitTimer: NodeJS.Timeout | undefined;
  private delivery: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly rules: IgnoreRules,
    private readonly options: WatchOptions,
  ) {}

  /** Resolves when the folder is watched (or, past a system limit, its first snapshot taken). */
  async start(): Promise<void> {
    // Links are not followed below the root, so a root that is itself a link is resolved.
    this.realRoot = await realpath(this.root);
    await this.watchTree();
  }

  /** Stops watching; no batch is delivered after this resolves. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    this.pending.clear();
    await this.delivery;
    this.watches?.stop();
    await this.polling?.stop();
  }

  /** Why changes are found by rescanning rather than seen at once, as one sentence; undefined while watching. */
  get fallback(): string | undefined {
    if (!this.limit || !this.polling) return undefined;
    const [limit, remedy] =
      this.limit.code === 'ENOSPC'
        ? ['the system limit of inotify watches (fs.inotify.max_user_watches)', 'Raise the limit and Ferret watches instantly again from its next rescan.']
        : ['the limit of open files or inotify instances (ulimit -n, fs.inotify.max_user_instances)', 'Raise the limit and restart Ferret to watch instantly.'];
    return `Watching ${this.root} hit ${limit}; changes are found by rescanning every ${Math.round(this.polling.intervalMs / 1000)} s. ${remedy}`;
  }

  /** Watches every folder with the current rules, replacing the previous watches once done. */
  private async watchTree(): Promise<void> {
    if (this.polling) return;
    const next = await this.startWatches();
    // At start-up the consumer scans the folder after this; during a restart it rescans anyway.
    if (!(next instanceof DirectoryWatches)) return this.fallBack(next, false);
    if (this.closed || this.polling) return next.stop();
    // Both watch the same folders until here (the kernel shares a watch per folder), so no event is lost.
    const previous = this.watches;
    this.watches = next;
    previous?.stop();
  }

  /** Watches every folder; a system limit hit on the way is returned, with no watch left behind. */
  private async startWatches(): Promise<DirectoryWatches | NodeJS.ErrnoException> {
    const watches = new DirectoryWatches(this.realRoot, this.rules, {
      onPath: (path, kind) => this.record(path, kind),
      onLimit: (error) => void this.fallBack(error, true).catch((e: unknown) => this.report(e)),
      onError: (error) => this.report(error),
    });
    try {
      await watches.start();
      return watches;
    } catch (error) {
      watches.stop();
      if (!isLimit(error)) throw error;
      return error;
    }
  }

  private async fallBack(error: NodeJS.ErrnoException, running: boolean): Promise<void> {
    if (this.polling || this.closed) return;
    this.limit = error;
    this.watches?.stop();
    this.watches = undefined;
    const polling = new PollingWatch(this.realRoot, this.rules, this.options.maxFileSize, {
      onPath: (path, kind) => this.record(path, kind),
      onScanned: () => {
        this.flush();
        void this.watchAgain().catch((e: unknown) => this.report(e));
      },
      onInterval: () => this.announce(),
      onError: (e) => this.report(e),
    });
    this.polling = polling;
    this.limitsAtFallback = await inotifyLimits();
    await polling.start();
    if (this.closed) return polling.stop();
    this.announce();
    if (running) {
      // What happened in folders that were never watched (the one that hit the limit, say) is in
      // the first snapshot, not in a difference from it.
      this.resync = true;
      this.flush();
    }
  }

  /**
   * After a rescan, watches again if an inotify budget grew since the fallback (the sentence asks
   * the user to raise it). Every folder is watched before rescanning stops, and the consumer
   * rescans once for what changed in between. A budget still too small leaves things as they were.
   */
  private async watchAgain(): Promise<void> {
    if (this.retrying || this.closed || !this.polling || this.limit?.code !== 'ENOSPC') return;
    this.retrying = true;
    try {
      const now = await inotifyLimits();
      if (!limitsRaised(this.limitsAtFallback, now)) return;
      this.limitsAtFallback = now;
      const next = await this.startWatches();
      if (!(next instanceof DirectoryWatches)) return;
      const polling = this.polling;
      if (this.closed || !polling) return next.stop();
      this.watches = next;
      this.polling = undefined;
      this.limit = undefined;
      await polling.stop();
      this.resync = true;
      this.flush();
      this.options.onWatching?.();
    } finally {
      this.retrying = false;
    }
  }

  private announce(): void {
    const sentence = this.fallback;
    if (sentence === undefined || this.closed) return;
    try {
      this.options.onFallback?.(sentence);
    } catch (error) {
      this.report(error);
    }
  }

  private record(rel: string, kind: 'changed' | 'removed'): void {
    if (this.closed) return;
    // Map order follows first sight, but the last event decides: changed then removed is removed.
    this.pending.set(rel, kind);
    if (isRulesFile(rel)) {
      this.rules.invalidate(rel);
      this.rulesChanged = true;
    }
    this.schedule();
  }

  private schedule(): void {
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => this.flush(), this.options.debounceMs ?? DEFAULT_DEBOUNCE_MS);
    this.maxWaitTimer ??= setTimeout(() => this.flush(), this.options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS);
  }

  private flush(): void {
    this.clearTimers();
    if (this.pending.size === 0 && !this.rulesChanged && !this.resync) return;
    const batch: WatchBatch = { changed: [], removed: [], rulesChanged: this.rulesChanged, ...(this.resync ? { resync: true } : {}) };
    for (const [path, kind] of this.pending) batch[kind].push(path);
    this.pending.clear();
    this.rulesChanged = false;
    this.resync = false;
    // Deliveries are chained so batches arrive in order even while a restart is in progress.
    this.delivery = this.delivery.then(() => this.deliver(batch)).catch((error: unknown) => this.report(error));
  }

  private async deliver(batch: WatchBatch): Promise<void> {
    if (batch.rulesChanged) {
      // Read rules files again once writes have gone quiet: a check made between the first event
      // and now may have cached a half-written file (an editor truncates before it writes).
      for (const path of [...batch.changed, ...batch.removed]) this.rules.invalidate(path);
      await this.watchTree().catch((error: unknown) => this.report(error));
      // Paths the new rules exclude would only be read and dropped by the consumer.
      batch.changed = batch.changed.filter((path) => this.rules.check(path, false) === undefined);
    }
    await this.settle(batch);
    if (this.closed) return;
    try {
      this.options.onBatch(batch);
    } catch (error) {
      this.report(error);
    }
  }

  /**
   * Checks every path now rather than trusting events: a write is often seen first as a truncation
   * to 0 bytes, and a file deleted and written again can have its deletion handled after its
   * creation. What is on disk at delivery decides; a folder path is never a file, so is removed.
   */
  private async settle(batch: WatchBatch): Promise<void> {
    const paths = [...batch.changed, ...batch.removed];
    const sizes = await Promise.all(
      paths.map((path) => stat(join(this.realRoot, path)).then((stats) => (stats.isFile() ? stats.size : undefined), () => undefined)),
    );
    batch.changed = [];
    batch.removed = [];
    paths.forEach((path, i) => {
      const size = sizes[i];
      if (size !== undefined && size <= this.options.maxFileSize) batch.changed.push(path);
      else batch.removed.push(path);
    });
  }

  private clearTimers(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.maxWaitTimer);
    this.quietTimer = undefined;
    this.maxWaitTimer = undefined;
  }

  private report(error: unknown): void {
    const onError = this.options.onError;
    if (!onError) return;
    try {
      onError(error instanceof Error ? error : new Error(String(error)));
    } catch {
      // An error handler that throws has nowhere left to report to; the watcher keeps running.
    }
  }
}
