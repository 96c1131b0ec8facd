import { formatProgress } from '../shared/counts';

/** Where the bar draws: a terminal stream (stderr in the CLI). */
export interface BarStream {
  write(text: string): unknown;
  columns?: number;
}

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

/**
 * A one-line progress bar redrawn in place with `\r`: files done/total and the rate. Only for
 * terminals; the caller decides whether the stream is one. Redraws are throttled so a flood of
 * status notifications does not flood the terminal.
 */
export class ProgressBar {
  private readonly started: number;
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly stream: BarStream,
    private readonly label: string,
    private readonly now: () => number = Date.now,
  ) {
    this.started = now();
  }

  /** Files done of total. */
  update(done: number, total: number): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 0;
    const seconds = (this.now() - this.started) / 1000;
    const rate = seconds > 0.5 ? `  ${(done / seconds).toFixed(done / seconds < 10 ? 1 : 0)} files/s` : '';
    this.draw(`${this.label} ${bar(fraction)} ${formatProgress(done, total)} files${rate}`, done >= total);
  }

  /** A percentage without counts, from standard work-done progress. */
  percent(percentage: number, message?: string): void {
    const fraction = Math.max(0, Math.min(1, percentage / 100));
    this.draw(`${this.label} ${bar(fraction)} ${Math.round(percentage)}%${message ? `  ${message}` : ''}`, percentage >= 100);
  }

  /** Erases the bar so the summary starts on a clean line. */
  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(line: string, force: boolean): void {
    const time = this.now();
    if (!force && this.drawn && time - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = time;
    // A pseudo-terminal without a size reports 0 columns.
    const width = (this.stream.columns || 80) - 1;
    this.stream.write(`\r${line.length > width ? line.slice(0, width) : line}\x1b[K`);
    this.drawn = true;
  }
}

function bar(fraction: number): string {
  const full = Math.round(fraction * BAR_WIDTH);
  return `[${'#'.repeat(full)}${'-'.repeat(BAR_WIDTH - full)}]`;
}
