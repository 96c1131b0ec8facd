/**
 * A VectorStore that keeps what is derived from its rows equal to them: the vocabulary and the
 * symbol graph. Every write counts the new rows in and the rows it replaces or deletes out, after
 * the commit succeeded. The vocabulary is saved beside the table with the table version it
 * describes; on open, a saved vocabulary of another version (the daemon died between a commit and
 * the save) is rebuilt from the rows, so it converges to a clean build's after any crash. The
 * symbol graph is cheap to count, so it is always counted from the rows on open.
 *
 * Rows copied from a shared index ({@link addBatches}) leave the vocabulary unsettled until
 * {@link settleVocabulary}: it adopts the shared index's own when every row was copied, else counts
 * the rows. Nothing is saved meanwhile, so a crash in between rebuilds it on open.
 */
import type { RecordBatch } from 'apache-arrow';
import { readJsonFile, writeFileAtomic } from '../store/atomicFile';
import type { ChunkRow, MaintainOptions, ScoredChunk, VectorStore } from '../store/vectorStore';
import { SYMBOL_COLUMNS, SymbolIndex, type SymbolRow } from '../symbols/symbolIndex';
import { VOCABULARY_COLUMNS, Vocabulary, type VocabularyRow } from '../vocab/vocabulary';

type DerivedRow = VocabularyRow & SymbolRow;
const DERIVED_COLUMNS = [...new Set([...VOCABULARY_COLUMNS, ...SYMBOL_COLUMNS])];

/** Saves wait for this much quiet, so a burst of edits writes the file once. */
const SAVE_DELAY_MS = 2_000;

interface SavedVocabulary {
  version: number;
  vocabulary: unknown;
}

export class DerivedStore implements VectorStore {
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  /** Rows were copied in since the vocabulary was last counted or adopted. */
  private unsettled = false;

  private constructor(
    private readonly inner: VectorStore,
    private readonly file: string,
    private counted: Vocabulary,
    readonly symbols: SymbolIndex,
  ) {}

  get vocabulary(): Vocabulary {
    return this.counted;
  }

  /** Wraps `inner`, loading the vocabulary saved in `file` when it matches the table, else rebuilding it. */
  static async open(inner: VectorStore, file: string): Promise<DerivedStore> {
    const saved = (await readJsonFile(file).catch(() => undefined)) as SavedVocabulary | undefined;
    const version = await inner.version();
    const loaded = saved?.version === version ? Vocabulary.fromJSON(saved.vocabulary) : undefined;
    const store = new DerivedStore(inner, file, loaded ?? new Vocabulary(), new SymbolIndex());
    for await (const rows of inner.scanRows(loaded ? SYMBOL_COLUMNS : DERIVED_COLUMNS)) {
      store.symbols.count(rows, 1);
      if (!loaded) store.vocabulary.count(rows as DerivedRow[], 1);
    }
    if (!loaded) await store.save();
    return store;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  async addFiles(rows: readonly ChunkRow[]): Promise<void> {
    await this.inner.addFiles(rows);
    this.changed([], rows);
  }

  /** Adds copied rows; the symbol graph counts them now, the vocabulary once {@link settleVocabulary} is called. */
  async addBatches(batches: readonly RecordBatch[]): Promise<void> {
    this.unsettled = true;
    await this.inner.addBatches(batches);
    for (const batch of batches) this.symbols.count(symbolRows(batch), 1);
  }

  /**
   * Makes the vocabulary count every stored row again after {@link addBatches}: `shared` is taken as
   * it is when it was counted from exactly the rows stored (a seed that copied every shared row).
   */
  async settleVocabulary(shared?: Vocabulary): Promise<void> {
    if (!this.unsettled) return;
    if (shared) this.counted = shared;
    else {
      this.counted = new Vocabulary();
      for await (const rows of this.inner.scanRows(VOCABULARY_COLUMNS)) this.counted.count(rows, 1);
    }
    this.unsettled = false;
    await this.save();
  }

  async replaceFiles(paths: readonly string[], rows: readonly ChunkRow[]): Promise<void> {
    const old = await this.rowsOf(paths);
    await this.inner.replaceFiles(paths, rows);
    this.changed(old, rows);
  }

  async deleteFiles(paths: readonly string[]): Promise<void> {
    const old = await this.rowsOf(paths);
    await this.inner.deleteFiles(paths);
    this.changed(old, []);
  }

  get graceMs(): number {
    return this.inner.graceMs;
  }

  async maintain(options?: MaintainOptions): Promise<void> {
    await this.inner.maintain(options);
    // Compaction makes a new table version with the same rows: the saved vocabulary must say so.
    this.scheduleSave();
  }

  count(): Promise<number> {
    return this.inner.count();
  }

  vectorsByHash(hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    return this.inner.vectorsByHash(hashes);
  }

  idsByPath(): Promise<Map<string, string[]>> {
    return this.inner.idsByPath();
  }

  scanRows<K extends keyof ChunkRow>(columns: readonly K[], paths?: readonly string[]): AsyncIterable<Array<Pick<ChunkRow, K>>> {
    return this.inner.scanRows(columns, paths);
  }

  version(): Promise<number> {
    return this.inner.version();
  }

  vectorSearch(vector: Float32Array, limit: number, filter?: string): Promise<ScoredChunk[]> {
    return this.inner.vectorSearch(vector, limit, filter);
  }

  textSearch(query: string, limit: number, filter?: string): Promise<ScoredChunk[]> {
    return this.inner.textSearch(query, limit, filter);
  }

  verify(): Promise<void> {
    return this.inner.verify();
  }

  /** Closes the table; a save still pending is lost and the vocabulary rebuilt on the next open (see {@link flush}). */
  close(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.inner.close();
  }

  /** Resolves once the vocabulary on disk matches the table: called before a deliberate close. */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      await this.save();
    }
    await this.saving;
  }

  private async rowsOf(paths: readonly string[]): Promise<DerivedRow[]> {
    const rows: DerivedRow[] = [];
    for await (const batch of this.inner.scanRows(DERIVED_COLUMNS, paths)) rows.push(...batch);
    return rows;
  }

  private changed(removed: readonly DerivedRow[], added: readonly DerivedRow[]): void {
    this.vocabulary.count(removed, -1);
    this.vocabulary.count(added, 1);
    this.symbols.count(removed, -1);
    this.symbols.count(added, 1);
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (this.unsettled) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save().catch(() => undefined);
    }, SAVE_DELAY_MS);
    this.saveTimer.unref();
  }

  private save(): Promise<void> {
    const run = this.saving.then(async () => {
      if (this.unsettled) return;
      const saved: SavedVocabulary = { version: await this.inner.version(), vocabulary: this.vocabulary };
      await writeFileAtomic(this.file, JSON.stringify(saved));
    });
    this.saving = run.catch(() => undefined);
    return run;
  }
}

/** The symbol columns of copied rows, as the symbol graph counts them. */
function symbolRows(batch: RecordBatch): SymbolRow[] {
  const [paths, definitions, references] = SYMBOL_COLUMNS.map((name) => batch.getChild(name)!);
  const rows: SymbolRow[] = [];
  for (let i = 0; i < batch.numRows; i++) rows.push({ path: paths!.get(i) as string, definitions: definitions!.get(i) as string, references: references!.get(i) as string });
  return rows;
}
