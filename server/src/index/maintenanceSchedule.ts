/**
 * When a folder's index is compacted between passes: after a burst of small commits (saves), or
 * once the grace period of superseded versions has passed, and always after a quiet spell, so
 * compaction never delays a save becoming searchable.
 */
import type { VectorStore } from '../store/vectorStore';

/** Writes this many commits before compaction is worth its pause. */
const COMMITS_BEFORE_MAINTENANCE = 20;
/** Compaction waits for this much quiet, so it never delays a save becoming searchable. */
const MAINTENANCE_IDLE_MS = 5_000;

export class MaintenanceSchedule {
  private commits = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `maintain` queues the compaction itself; it is called once per quiet spell at most. */
  constructor(private readonly maintain: () => void) {}

  /** Counts one small commit; enough of them schedule a compaction. */
  committed(): void {
    if (++this.commits >= COMMITS_BEFORE_MAINTENANCE) this.schedule();
  }

  /**
   * Compacts now, after a pass that wrote much; what it replaced goes in a second compaction after
   * the grace period. After a seed only the full-text index is built before the folder is ready:
   * the copied rows are searchable at once (vector searches scan them exactly meanwhile), and
   * compaction and training the vector index were most of the time a seeded clone spent before it
   * was ready; they follow in the next quiet spell.
   */
  async afterPass(store: VectorStore, seeded: boolean): Promise<void> {
    await store.maintain({ deferCompaction: seeded });
    this.schedule(seeded ? MAINTENANCE_IDLE_MS : store.graceMs);
  }

  /** Compacts after `delayMs` (never less than the quiet spell); a later call moves it later. */
  schedule(delayMs = MAINTENANCE_IDLE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.commits = 0;
      this.maintain();
    }, Math.max(delayMs, MAINTENANCE_IDLE_MS));
    this.timer.unref();
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
