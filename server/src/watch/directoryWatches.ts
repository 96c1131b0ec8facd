import { watch, type Dirent, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { IgnoreRules } from './ignoreRules';

export interface DirectoryEvents {
  /**
   * A path that may have changed, appeared or gone. A folder that is gone or was replaced is
   * reported as the folder alone: the consumer drops everything it knew below it.
   */
  onPath(relPath: string, kind: 'changed' | 'removed'): void;
  /** A new folder could not be watched because a system limit was hit; the caller stops this watcher. */
  onLimit(error: NodeJS.ErrnoException): void;
  onError(error: unknown): void;
}

/**
 * One inotify watch per folder the rules let in, none per file: a folder's watch already reports
 * every creation, change, deletion and move of its children, so a 200,000-file tree in 20,000
 * folders costs 20,000 of the per-user `fs.inotify.max_user_watches` instead of 220,000.
 *
 * Events are handled one at a time, in arrival order, each by looking at the disk: a new folder is
 * watched first and then listed, so files written into it before its watch existed are reported
 * too. Links are never followed or reported (the scanner lists what they point to under its real
 * path, and a link to outside must not be read).
 */
export class DirectoryWatches {
  private readonly dirs = new Map<string, FSWatcher>();
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly realRoot: string,
    private readonly rules: IgnoreRules,
    private readonly events: DirectoryEvents,
  ) {}

  /** Folders watched now; each holds one inotify watch. */
  get size(): number {
    return this.dirs.size;
  }

  /** Watches the whole tree; rejects with the error of the first folder that could not be watched. */
  start(): Promise<void> {
    return this.add('', false);
  }

  /** Releases every watch; no event is reported after this. */
  stop(): void {
    this.stopped = true;
    for (const handle of this.dirs.values()) handle.close();
    this.dirs.clear();
  }

  /** Watches `rel` and the folders below it; with `report`, every file found is reported as changed. */
  private async add(rel: string, report: boolean): Promise<void> {
    if (this.stopped) return;
    const absolute = join(this.realRoot, rel);
    let entries: Dirent[];
    try {
      // Watch before listing: whatever is created after the listing is then an event.
      this.watch(rel, absolute);
      entries = await readdir(absolute, { withFileTypes: true });
    } catch (error) {
      if (rel === '' || isLimit(error)) throw error;
      // Gone (or unreadable) meanwhile: its parent's watch reports what happened to it.
      this.forget(rel);
      return;
    }
    await Promise.all(
      entries.map((entry) => {
        const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) return this.rules.check(child, true) === undefined ? this.add(child, report) : undefined;
        if (report && entry.isFile() && this.rules.check(child, false) === undefined) this.events.onPath(child, 'changed');
        return undefined;
      }),
    );
  }

  private watch(rel: string, absolute: string): void {
    if (this.stopped) return;
    const handle = watch(absolute, { persistent: true }, (type, name) => {
      if (typeof name !== 'string' || this.stopped) return;
      this.queue = this.queue.then(() => this.handle(rel, handle, type, name)).catch((error: unknown) => this.fail(error));
    });
    // Linux reports nothing here for a folder deleted under its watch; other systems may.
    handle.on('error', (error) => {
      if (!isGone(error)) this.events.onError(error);
    });
    this.dirs.get(rel)?.close();
    this.dirs.set(rel, handle);
  }

  /** Looks at what an event in folder `dir` names and reports or watches accordingly. */
  private async handle(dir: string, handle: FSWatcher, type: string, name: string): Promise<void> {
    // A handle closed since (its folder removed or replaced) reports under a stale path.
    if (this.stopped || this.dirs.get(dir) !== handle) return;
    const rel = dir === '' ? name : `${dir}/${name}`;
    const stats = await lstat(join(this.realRoot, rel)).catch(() => undefined);
    if (!stats) {
      // A folder's own deletion arrives as an event naming itself; its parent reports it properly.
      if (name === basename(join(this.realRoot, dir)) && !(await exists(join(this.realRoot, dir)))) return;
      const ignored = this.rules.check(rel, false) !== undefined && this.rules.check(rel, true) !== undefined;
      if (this.dirs.has(rel)) this.forget(rel);
      if (!ignored) this.events.onPath(rel, 'removed');
      return;
    }
    if (stats.isDirectory()) {
      // 'change' is an attribute of the folder; 'rename' of a watched one means it was replaced
      // (deleted or moved away, then another put there: inode numbers are reused at once).
      if (this.rules.check(rel, true) !== undefined || (type === 'change' && this.dirs.has(rel))) return;
      if (this.dirs.has(rel)) {
        this.forget(rel);
        this.events.onPath(rel, 'removed');
      }
      await this.add(rel, true);
      return;
    }
    if (this.dirs.has(rel)) {
      // A folder replaced by a file of the same name.
      this.forget(rel);
      this.events.onPath(rel, 'removed');
    }
    if (stats.isFile() && this.rules.check(rel, false) === undefined) this.events.onPath(rel, 'changed');
  }

  /** Stops watching `rel` and every folder below it. */
  private forget(rel: string): void {
    const prefix = `${rel}/`;
    for (const [dir, handle] of this.dirs) {
      if (dir === rel || dir.startsWith(prefix)) {
        handle.close();
        this.dirs.delete(dir);
      }
    }
  }

  private fail(error: unknown): void {
    if (this.stopped) return;
    if (isLimit(error)) this.events.onLimit(error);
    else this.events.onError(error);
  }
}

/** The per-user inotify watch budget (ENOSPC) or the open-file / inotify-instance limit (EMFILE) is spent. */
export function isLimit(error: unknown): error is NodeJS.ErrnoException {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOSPC' || code === 'EMFILE';
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'EPERM';
}

function exists(path: string): Promise<boolean> {
  return lstat(path).then(() => true, () => false);
}
