import { constants, stat as statCallback, type Dirent, type Stats } from 'node:fs';
import { access, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { SkipReason } from '../shared/protocol';
import { InFlightLimit } from '../inFlightLimit';
import type { IgnoreRules } from './ignoreRules';

export interface FileStat {
  size: number;
  mtimeMs: number;
}

export interface ScanResult {
  /** Indexable files by '/'-separated path relative to the root. */
  files: Map<string, FileStat>;
  /** Files left out, with why. Files under pruned folders (node_modules, ignored folders) are not listed. */
  skipped: Array<{ path: string; reason: SkipReason }>;
}

export interface ScanOptions {
  maxFileSize: number;
  signal?: AbortSignal;
}

/** Enough to keep libuv's file-system threads busy; more only holds memory. */
const MAX_FOLDERS_IN_FLIGHT = 16;

/** A link met during the walk: followed after every real folder has been seen. */
interface PendingLink {
  path: string;
  /** Where the link itself really lives, for judging its own name. */
  realPath: string;
}

/**
 * Lists the indexable files of a folder. Ignored folders are pruned, never descended into.
 *
 * Symbolic links are resolved after the plain walk: one pointing outside the root is recorded as
 * 'outside-workspace' and not followed; one pointing inside is followed only to a folder or file
 * the walk has not seen yet, so content is listed once, under its real path whenever that is
 * reachable, and link loops end. Rules are judged on the real path, so a link cannot smuggle in
 * an ignored folder or a secret.
 */
export async function scanFolder(root: string, rules: IgnoreRules, options: ScanOptions): Promise<ScanResult> {
  return new Scan(root, await realpath(root), rules, options).run();
}

class Scan {
  private readonly files = new Map<string, FileStat>();
  private readonly skipped: Array<{ path: string; reason: SkipReason }> = [];
  /** Real relative paths of the folders walked and the files judged. */
  private readonly seenDirs = new Set<string>();
  private readonly seenFiles = new Set<string>();
  private readonly links: PendingLink[] = [];
  /** Listing every folder at once held a pending stat for every file: 400 MB of heap for 200,000 files. */
  private readonly listings = new InFlightLimit(MAX_FOLDERS_IN_FLIGHT);

  constructor(
    private readonly root: string,
    private readonly realRoot: string,
    private readonly rules: IgnoreRules,
    private readonly options: ScanOptions,
  ) {}

  async run(): Promise<ScanResult> {
    await this.walk('', '');
    // The list grows while links to new folders are walked; each real folder is walked once.
    for (let i = 0; i < this.links.length; i++) {
      const link = this.links[i];
      if (link) await this.follow(link);
    }
    return { files: this.files, skipped: this.skipped };
  }

  /** Walks a folder shown as `path`, which really is `realPath` (they differ below a link). */
  private async walk(path: string, realPath: string): Promise<void> {
    this.options.signal?.throwIfAborted();
    this.seenDirs.add(realPath);
    const release = await this.listings.acquire(this.options.signal);
    let folders: Array<[string, string]>;
    try {
      folders = await this.list(path, realPath);
    } finally {
      release();
    }
    await Promise.all(folders.map(([childPath, childReal]) => this.walk(childPath, childReal)));
  }

  /** Judges the files of one folder; returns the folders in it still to walk. */
  private async list(path: string, realPath: string): Promise<Array<[string, string]>> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.root, path), { withFileTypes: true });
    } catch (error) {
      if (path === '') throw error;
      if (!isVanished(error)) this.skip(path, 'unreadable');
      return [];
    }
    const folders: Array<[string, string]> = [];
    await Promise.all(
      entries.map((entry) => {
        const childPath = path === '' ? entry.name : `${path}/${entry.name}`;
        const childReal = realPath === '' ? entry.name : `${realPath}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!this.seenDirs.has(childReal) && this.rules.check(childReal, true) === undefined) folders.push([childPath, childReal]);
          return undefined;
        }
        if (entry.isFile()) return this.judgeFile(childPath, childReal);
        if (entry.isSymbolicLink()) this.links.push({ path: childPath, realPath: childReal });
        // Sockets, FIFOs and devices are not files: opening a FIFO would block.
        return undefined;
      }),
    );
    return folders;
  }

  private async judgeFile(path: string, realPath: string): Promise<void> {
    this.seenFiles.add(realPath);
    const reason = this.rules.check(realPath, false);
    if (reason !== undefined) return this.skip(path, reason);
    const absolute = join(this.root, path);
    try {
      const stats = await statFile(absolute);
      if (!stats.isFile()) return;
      if (stats.size > this.options.maxFileSize) return this.skip(path, 'too-large');
      // Mode bits settle the common case without a syscall; access() is asked only when they
      // deny someone, and it answers for this process (root reads anything).
      if ((stats.mode & 0o444) !== 0o444) await access(absolute, constants.R_OK);
      this.files.set(path, { size: stats.size, mtimeMs: stats.mtimeMs });
    } catch (error) {
      if (!isVanished(error)) this.skip(path, 'unreadable');
    }
  }

  private async follow(link: PendingLink): Promise<void> {
    this.options.signal?.throwIfAborted();
    const absolute = join(this.root, link.path);
    let target: string;
    let isDirectory: boolean;
    try {
      target = await realpath(absolute);
      isDirectory = (await stat(target)).isDirectory();
    } catch (error) {
      if (!isVanished(error)) this.skip(link.path, 'unreadable');
      return;
    }
    const inside = relative(this.realRoot, target);
    if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
      return this.skip(link.path, 'outside-workspace');
    }
    const realPath = toSlashes(inside);
    const ownReason = this.rules.check(link.realPath, isDirectory);
    if (isDirectory) {
      if (ownReason !== undefined || this.seenDirs.has(realPath)) return;
      if (realPath !== '' && this.rules.check(realPath, true) !== undefined) return;
      return this.walk(link.path, realPath);
    }
    if (ownReason !== undefined) return this.skip(link.path, ownReason);
    if (!this.seenFiles.has(realPath)) return this.judgeFile(link.path, realPath);
  }

  private skip(path: string, reason: SkipReason): void {
    this.skipped.push({ path, reason });
  }
}

/** fs.stat through a callback: about twice as fast as fs.promises.stat, which is most of a scan. */
function statFile(path: string): Promise<Stats> {
  return new Promise((resolve, reject) => {
    statCallback(path, (error, stats) => (error ? reject(error) : resolve(stats)));
  });
}

/** Gone between listing and looking, or a dangling link: such paths are simply not reported. */
function isVanished(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** On Windows `relative` answers with backslashes; elsewhere a backslash is part of a name. */
function toSlashes(path: string): string {
  return process.platform === 'win32' ? path.replaceAll('\\', '/') : path;
}
