import type { Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { isRulesFile } from './builtinRules';
import type { IgnoreRules } from './ignoreRules';

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
}

export interface WatchOptions {
  maxFileSize: number;
  /** Quiet period after the last event before a batch is delivered. */
  debounceMs?: number;
  /** Longest wait from a batch's first event, so a continuous stream still flushes. */
  maxWaitMs?: number;
  onBatch: (batch: WatchBatch) => void;
  onError?: (error: Error) => void;
}

const DEFAULT_DEBOUNCE_MS = 75;
const DEFAULT_MAX_WAIT_MS = 1000;

/**
 * Watches a folder with chokidar and delivers debounced batches of '/'-separated relative paths.
 *
 * Ignored folders are pruned through chokidar's `ignored` callback (each watched path costs an
 * inotify watch from a per-user budget). Symbolic links are not followed and not reported: the
 * scanner lists what they point to under its real path, and a link to outside must not be read.
 * Since chokidar may drop a quick second change to a file, `changed` only says "look again".
 * When a rules file changes, chokidar is restarted before the batch is delivered, so that folders
 * the new rules re-include are watched by the time the consumer rescans.
 */
export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private realRoot = '';
  private readonly pending = new Map<string, 'changed' | 'removed'>();
  private rulesChanged = false;
  private quietTimer: NodeJS.Timeout | undefined;
  private maxWaitTimer: NodeJS.Timeout | undefined;
  private delivery: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly rules: IgnoreRules,
    private readonly options: WatchOptions,
  ) {}

  /** Resolves when the watcher is ready (initial traversal done). */
  async start(): Promise<void> {
    // chokidar does not follow links here, so a root that is itself a link must be resolved.
    this.realRoot = await realpath(this.root);
    this.watcher = await this.open();
  }

  /** Stops watching; no batch is delivered after this resolves. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimers();
    this.pending.clear();
    await this.delivery;
    await this.watcher?.close();
  }

  private open(): Promise<FSWatcher> {
    const watcher = watch(this.realRoot, {
      ignored: (path: string, stats?: Stats) => this.isIgnored(path, stats),
      ignoreInitial: true,
      followSymlinks: false,
    });
    watcher.on('add', (path: string) => this.record(path, 'changed'));
    watcher.on('change', (path: string) => this.record(path, 'changed'));
    watcher.on('unlink', (path: string) => this.record(path, 'removed'));
    watcher.on('error', (error: unknown) => this.report(error));
    return new Promise((resolve) => watcher.once('ready', () => resolve(watcher)));
  }

  /**
   * chokidar asks once without stats, then again with lstat results. Without stats the type is
   * unknown, so only a path excluded both as a file and as a folder is refused at that point.
   */
  private isIgnored(path: string, stats: Stats | undefined): boolean {
    const rel = this.toRelative(path);
    if (rel === undefined) return true;
    if (rel === '') return false;
    try {
      if (!stats) return this.rules.check(rel, false) !== undefined && this.rules.check(rel, true) !== undefined;
      if (stats.isDirectory()) return this.rules.check(rel, true) !== undefined;
      // Links, sockets, FIFOs and devices are never indexed.
      return !stats.isFile() || this.rules.check(rel, false) !== undefined;
    } catch (error) {
      // Thrown inside chokidar's directory reader, this would be uncaught.
      this.report(error);
      return false;
    }
  }

  private record(path: string, kind: 'changed' | 'removed'): void {
    const rel = this.toRelative(path);
    if (this.closed || rel === undefined || rel === '') return;
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
    const batch: WatchBatch = { changed: [], removed: [], rulesChanged: this.rulesChanged };
    for (const [path, kind] of this.pending) batch[kind].push(path);
    this.pending.clear();
    this.rulesChanged = false;
    // Deliveries are chained so batches arrive in order even while a restart is in progress.
    this.delivery = this.delivery.then(() => this.deliver(batch)).catch((error: unknown) => this.report(error));
  }

  private async deliver(batch: WatchBatch): Promise<void> {
    if (batch.rulesChanged) {
      // Read rules files again once writes have gone quiet: a check made between the first event
      // and now may have cached a half-written file (an editor truncates before it writes).
      for (const path of [...batch.changed, ...batch.removed]) this.rules.invalidate(path);
      await this.restart();
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
   * to 0 bytes and chokidar may drop the change that follows it, and a file deleted and written
   * again can have its unlink reported after the add. What is on disk at delivery decides.
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

  /** A new chokidar instance reads the new rules; the old one watches until the new one is ready. */
  private async restart(): Promise<void> {
    try {
      const next = await this.open();
      if (this.closed) return await next.close();
      const previous = this.watcher;
      this.watcher = next;
      await previous?.close();
    } catch (error) {
      this.report(error);
    }
  }

  private clearTimers(): void {
    clearTimeout(this.quietTimer);
    clearTimeout(this.maxWaitTimer);
    this.quietTimer = undefined;
    this.maxWaitTimer = undefined;
  }

  /** '/'-separated path relative to the root, or undefined for a path outside it. */
  private toRelative(path: string): string | undefined {
    const rel = relative(this.realRoot, path);
    if (rel === '..' || rel.startsWith(`..${sep}`)) return undefined;
    return sep === '/' ? rel : rel.replaceAll(sep, '/');
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
