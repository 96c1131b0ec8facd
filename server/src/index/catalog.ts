import { readJsonFile, writeFileAtomic } from '../store/atomicFile';

/** What the index knows of one file. */
export interface CatalogEntry {
  size: number;
  mtimeMs: number;
  /** Content hash of the decoded text. */
  hash: string;
  chunkIds: string[];
}

interface CatalogFile {
  version: 1;
  /** True while a pass may have stored rows this catalog does not list yet (see {@link Catalog.beginPass}). */
  dirty: boolean;
  files: Record<string, CatalogEntry>;
}

/**
 * The file catalog of one index generation: per path, the size, mtime and hash that were
 * indexed and the ids of the stored chunks. An entry is written only after its rows are
 * stored, so after a crash the catalog lags the table, never leads it.
 */
export class Catalog {
  private dirtyOnDisk = false;
  /** Kept as entries change: status asks for it on every progress tick. */
  private chunks = 0;

  private constructor(
    private readonly file: string,
    private readonly files: Map<string, CatalogEntry>,
    /** Set when the last run ended mid-pass: the table may hold rows of files not listed here. */
    readonly interrupted: boolean,
  ) {
    for (const entry of files.values()) this.chunks += entry.chunkIds.length;
  }

  /** Loads the catalog; throws when the file exists but is not a catalog. */
  static async load(file: string): Promise<Catalog> {
    const raw = await readJsonFile(file);
    if (raw === undefined) return new Catalog(file, new Map(), false);
    if (!isCatalogFile(raw)) throw new Error(`The index catalog ${file} is not in a format this version of Ferret understands.`);
    return new Catalog(file, new Map(Object.entries(raw.files)), raw.dirty);
  }

  get size(): number {
    return this.files.size;
  }

  get chunkCount(): number {
    return this.chunks;
  }

  get(path: string): CatalogEntry | undefined {
    return this.files.get(path);
  }

  paths(): IterableIterator<string> {
    return this.files.keys();
  }

  set(path: string, entry: CatalogEntry): void {
    this.chunks += entry.chunkIds.length - (this.files.get(path)?.chunkIds.length ?? 0);
    this.files.set(path, entry);
  }

  delete(path: string): boolean {
    this.chunks -= this.files.get(path)?.chunkIds.length ?? 0;
    return this.files.delete(path);
  }

  clear(): void {
    this.files.clear();
    this.chunks = 0;
  }

  /** Marks on disk that rows may be stored ahead of the catalog, before the first write of a pass. */
  async beginPass(): Promise<void> {
    if (this.dirtyOnDisk) return;
    this.dirtyOnDisk = true;
    await this.write(true);
  }

  /** Persists entries added so far; the pass is still open. */
  async checkpoint(): Promise<void> {
    await this.write(this.dirtyOnDisk);
  }

  /** Persists and records that the table and the catalog agree. */
  async endPass(): Promise<void> {
    this.dirtyOnDisk = false;
    await this.write(false);
  }

  private write(dirty: boolean): Promise<void> {
    const content: CatalogFile = { version: 1, dirty, files: Object.fromEntries(this.files) };
    return writeFileAtomic(this.file, JSON.stringify(content));
  }
}

function isCatalogFile(value: unknown): value is CatalogFile {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<CatalogFile>;
  return candidate.version === 1 && typeof candidate.dirty === 'boolean' && typeof candidate.files === 'object' && candidate.files !== null;
}
