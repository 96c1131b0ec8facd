/**
 * Size limits for chunks, all derived from the two caps a caller may set. Focused ranges retrieve
 * better than big ones, so only single functions may approach the hard cap; everything assembled
 * from several pieces (runs of statements, merged small units, split classes) aims at a smaller target.
 */

export const DEFAULT_MAX_CHUNK_LINES = 100;
/** About 1,000 tokens of code: fits embedding models with a 2k context, header included. */
export const DEFAULT_MAX_CHUNK_CHARS = 4000;

export interface Limits {
  /** No chunk is larger, unless a single line is (a line is never cut). */
  maxLines: number;
  maxChars: number;
  /** Runs of small pieces stop growing here; a class holding methods is split into members above it. */
  targetLines: number;
  targetChars: number;
  /** A piece this small merges with its neighbours. */
  smallLines: number;
  smallChars: number;
  /** Line windows for files chunked by lines. */
  windowLines: number;
  windowOverlap: number;
}

export function limitsFor(maxChunkLines = DEFAULT_MAX_CHUNK_LINES, maxChunkChars = DEFAULT_MAX_CHUNK_CHARS): Limits {
  const maxLines = Math.max(4, Math.floor(maxChunkLines));
  const maxChars = Math.max(200, Math.floor(maxChunkChars));
  const windowLines = Math.min(60, maxLines);
  return {
    maxLines,
    maxChars,
    targetLines: Math.round(maxLines * 0.4),
    targetChars: Math.round(maxChars * 0.4),
    smallLines: Math.max(2, Math.round(maxLines / 12)),
    smallChars: Math.round(maxChars / 12),
    windowLines,
    windowOverlap: Math.floor(windowLines / 6),
  };
}
