/**
 * Overlapping line windows, for files without a grammar (YAML, JSON, shell, SQL, prose…) and for
 * code whose parse failed. The overlap keeps a statement cut at a window's end whole in the next one.
 */
import type { Limits } from './limits';
import type { LineIndex } from './lineIndex';
import type { Piece } from './pieces';

export function chunkLines(index: LineIndex, limits: Limits): Piece[] {
  const { windowLines, windowOverlap, maxChars } = limits;
  const lastRow = index.lastNonBlank(0, index.count - 1);
  const pieces: Piece[] = [];
  let from = index.firstNonBlank(0, lastRow);
  while (from >= 0) {
    const end = index.fitEnd(from, lastRow, windowLines, maxChars);
    pieces.push({ start: from, end: index.lastNonBlank(from, end), symbol: '', kind: 'lines', context: [] });
    if (end >= lastRow) break;
    // Windows shortened by long lines overlap less, so a run of long lines is not repeated window after window.
    const overlap = Math.min(windowOverlap, Math.floor((end - from + 1) / 6));
    let next = Math.max(from + 1, end + 1 - overlap);
    if (index.fitEnd(next, lastRow, windowLines, maxChars) <= end) next = end + 1;
    from = index.firstNonBlank(next, lastRow);
  }
  return pieces;
}
