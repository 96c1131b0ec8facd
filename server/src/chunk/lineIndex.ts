/**
 * The lines of one file, with O(1) size and blankness queries, and the window splitter every
 * chunker uses when a range is too big. Rows are 0-based here; chunks convert to 1-based.
 * Lines are split on `\n` like tree-sitter rows; a `\r` before it is dropped, so chunk text
 * always uses `\n` line breaks.
 */

export class LineIndex {
  readonly count: number;
  private readonly lines: string[];
  private readonly blank: Uint8Array;
  /** filled[i] = rows among 0..i-1 holding text. */
  private readonly filled: Int32Array;
  /** prefix[i] = characters (newline included) of rows 0..i-1. */
  private readonly prefix: Float64Array;

  constructor(text: string) {
    const lines = text.split('\n');
    this.count = lines.length;
    this.blank = new Uint8Array(lines.length);
    this.prefix = new Float64Array(lines.length + 1);
    this.filled = new Int32Array(lines.length + 1);
    for (let row = 0; row < lines.length; row++) {
      let line = lines[row];
      if (line.endsWith('\r')) line = lines[row] = line.slice(0, -1);
      this.blank[row] = /\S/.test(line) ? 0 : 1;
      this.prefix[row + 1] = this.prefix[row] + line.length + 1;
      this.filled[row + 1] = this.filled[row] + 1 - this.blank[row];
    }
    this.lines = lines;
  }

  line(row: number): string {
    return this.lines[row];
  }

  isBlank(row: number): boolean {
    return this.blank[row] === 1;
  }

  /** Rows in start..end inclusive that hold text. */
  filledRows(start: number, end: number): number {
    return this.filled[end + 1] - this.filled[start];
  }

  /** Characters of rows start..end inclusive, newlines counted. */
  chars(start: number, end: number): number {
    return this.prefix[end + 1] - this.prefix[start];
  }

  /** Rows start..end inclusive joined with `\n`. */
  text(start: number, end: number): string {
    return this.lines.slice(start, end + 1).join('\n');
  }

  /** First row in start..end holding text, or -1. */
  firstNonBlank(start: number, end: number): number {
    for (let row = start; row <= end; row++) if (!this.blank[row]) return row;
    return -1;
  }

  /** Last row in start..end holding text, or -1. */
  lastNonBlank(start: number, end: number): number {
    for (let row = end; row >= start; row--) if (!this.blank[row]) return row;
    return -1;
  }

  /** The furthest end ≤ limit such that start..end fits both caps; at least `start`, since a line is never cut. */
  fitEnd(start: number, limit: number, maxLines: number, maxChars: number): number {
    let high = Math.min(limit, start + maxLines - 1);
    if (this.chars(start, high) <= maxChars) return high;
    let low = start;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.chars(start, mid) <= maxChars) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/**
 * Cuts start..end into consecutive windows within the caps, of balanced sizes, preferring to cut
 * just before one of `boundaries` (rows where a new statement or paragraph starts).
 */
export function splitWindows(
  index: LineIndex,
  start: number,
  end: number,
  boundaries: readonly number[],
  maxLines: number,
  maxChars: number,
): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  let from = start;
  let next = 0;
  while (from <= end) {
    const hardEnd = index.fitEnd(from, end, maxLines, maxChars);
    if (hardEnd === end) {
      windows.push([from, end]);
      break;
    }
    const remaining = end - from + 1;
    const target = Math.min(hardEnd, from + Math.ceil(remaining / Math.ceil(remaining / maxLines)) - 1);
    const minimum = from + Math.max(1, Math.floor((hardEnd - from + 1) / 4));
    while (next < boundaries.length && boundaries[next] <= from) next++;
    let cut = hardEnd;
    let bestDistance = Infinity;
    for (let i = next; i < boundaries.length && boundaries[i] <= hardEnd + 1; i++) {
      const boundary = boundaries[i];
      const distance = Math.abs(boundary - 1 - target);
      if (boundary >= minimum && distance <= bestDistance) {
        bestDistance = distance;
        cut = boundary - 1;
      }
    }
    windows.push([from, cut]);
    from = cut + 1;
  }
  return windows;
}
