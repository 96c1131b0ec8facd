import { scanFolder, type FileStat } from './folderScanner';
import type { IgnoreRules } from './ignoreRules';

/** Never rescan more often than this, however small the folder. */
const MIN_INTERVAL_MS = 5_000;
/** Rescanning takes at most about a fifth of the time, so a big folder costs a fifth of a core. */
const INTERVAL_PER_SCAN = 5;
/** Intervals are rounded up to this, so the sentence in status does not change with every scan. */
const INTERVAL_STEP_MS = 5_000;

export interface PollingEvents {
  onPath(relPath: string, kind: 'changed' | 'removed'): void;
  /** A rescan finished; what it found has been reported. */
  onScanned(): void;
  /** The interval between rescans changed. */
  onInterval(intervalMs: number): void;
  onError(error: unknown): void;
}

/**
 * Finds changes by rescanning the folder and comparing each file's size and modification time with
 * the previous scan: the fallback when the folder cannot be watched (the inotify limit is spent).
 * The interval grows with the cost of a scan.
 */
export class PollingWatch {
  private snapshot = new Map<string, FileStat>();
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Stops a rescan in progress, so closing does not wait for it. */
  private readonly abort = new AbortController();
  private interval = MIN_INTERVAL_MS;

  constructor(
    private readonly realRoot: string,
    private readonly rules: IgnoreRules,
    private readonly maxFileSize: number,
    private readonly events: PollingEvents,
  ) {}

  /** Time between the end of one rescan and the start of the next. */
  get intervalMs(): number {
    return this.interval;
  }

  /** Takes the first snapshot; resolves once it is taken and the next rescan is planned. */
  async start(): Promise<void> {
    this.scanning = this.rescan(false);
    await this.scanning;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await this.scanning;
  }

  private async rescan(report: boolean): Promise<void> {
    const started = performance.now();
    try {
      const { files } = await scanFolder(this.realRoot, this.rules, { maxFileSize: this.maxFileSize, signal: this.abort.signal });
      if (this.stopped) return;
      if (report) this.compare(files);
      this.snapshot = files;
      if (report) this.events.onScanned();
    } catch (error) {
      // The folder may be gone for a moment (a checkout); the next rescan looks again.
      if (!this.stopped) this.events.onError(error);
    }
    if (this.stopped) return;
    const wanted = roundUp(Math.max(MIN_INTERVAL_MS, INTERVAL_PER_SCAN * (performance.now() - started)));
    // Longer at once when scans get slower, shorter only when they got much faster: the
    // interval, and the sentence in status that names it, do not flap with the machine's load.
    const interval = wanted > this.interval || wanted * 2 < this.interval || !report ? wanted : this.interval;
    if (interval !== this.interval) {
      this.interval = interval;
      // The first interval is told by whoever started this watch, with the reason.
      if (report) this.events.onInterval(interval);
    }
    this.timer = setTimeout(() => {
      this.scanning = this.rescan(true);
    }, interval);
  }

  private compare(files: Map<string, FileStat>): void {
    for (const [path, now] of files) {
      const before = this.snapshot.get(path);
      if (!before || before.size !== now.size || before.mtimeMs !== now.mtimeMs) this.events.onPath(path, 'changed');
    }
    for (const path of this.snapshot.keys()) if (!files.has(path)) this.events.onPath(path, 'removed');
  }
}

function roundUp(ms: number): number {
  return Math.ceil(ms / INTERVAL_STEP_MS) * INTERVAL_STEP_MS;
}
