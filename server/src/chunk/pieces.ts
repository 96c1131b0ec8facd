/**
 * Pieces are chunks before they get text: row ranges with a symbol, a kind and the signatures
 * around them. Every chunker produces pieces; this module makes them cover the file's text
 * exactly once and turns them into chunks.
 */
import type { LineIndex } from './lineIndex';
import type { Chunk, ChunkKind, ChunkUnit } from './types';

/** A range inside a piece that answers for itself: a unit, a member of one, or the code between. 0-based rows. */
export interface UnitSpan {
  start: number;
  end: number;
  symbol: string;
  kind: ChunkKind;
}

export interface Piece {
  /** 0-based rows, inclusive. */
  start: number;
  end: number;
  symbol: string;
  kind: ChunkKind;
  /** Enclosing signatures or headings, outermost first, ending with the piece's own when it has one. */
  context: readonly string[];
  /** The piece's units, when it holds several or a class kept whole; absent: the piece is one unit. */
  units?: UnitSpan[];
}

/** Headers name at most this many enclosing signatures (the innermost ones). */
const HEADER_DEPTH = 3;
const MAX_HEADER = 240;

/**
 * Sorts pieces, removes overlaps and blank edges, and hands lines that no piece holds (closing
 * braces, `end`, `#endif`) to the piece before them, so that every line with text is in exactly one
 * piece. Used for syntax and markdown chunks; line windows overlap on purpose and skip this.
 */
export function coverExactly(pieces: Piece[], index: LineIndex): Piece[] {
  const sorted = [...pieces].sort((a, b) => a.start - b.start || a.end - b.end);
  const result: Piece[] = [];
  for (const piece of sorted) {
    const previous = result[result.length - 1];
    const from = previous && piece.start <= previous.end ? previous.end + 1 : piece.start;
    if (from > piece.end) continue;
    const start = index.firstNonBlank(from, piece.end);
    if (start < 0) continue;
    result.push({ ...piece, start, end: index.lastNonBlank(start, piece.end) });
  }
  if (result.length === 0) return result;
  for (let i = 0; i + 1 < result.length; i++) {
    const last = index.lastNonBlank(result[i].end + 1, result[i + 1].start - 1);
    if (last >= 0) result[i].end = last;
  }
  const leading = index.firstNonBlank(0, result[0].start - 1);
  if (leading >= 0) result[0].start = leading;
  const tail = result[result.length - 1];
  const trailing = index.lastNonBlank(tail.end + 1, index.count - 1);
  if (trailing >= 0) tail.end = trailing;
  return result;
}

/** A range being assembled at one level; `fixed` ones were settled a level down and never merge. */
export interface Draft {
  start: number;
  end: number;
  fixed: boolean;
}

/**
 * Joins each tiny draft to a neighbour when the two together still `fit`: the next one first
 * (imports, class heads and intros lead into what follows), else the previous one.
 */
export function mergeTiny<T extends Draft>(
  drafts: T[],
  isTiny: (draft: T) => boolean,
  fits: (start: number, end: number) => boolean,
  merge: (first: T, second: T) => T,
): void {
  for (let i = 0; i < drafts.length; i++) {
    const draft = drafts[i];
    if (draft.fixed || !isTiny(draft)) continue;
    const next = drafts[i + 1];
    if (next && !next.fixed && fits(draft.start, next.end)) {
      drafts.splice(i, 2, merge(draft, next));
      i--;
      continue;
    }
    const previous = drafts[i - 1];
    if (previous && !previous.fixed && fits(previous.start, draft.end)) {
      drafts.splice(i - 1, 2, merge(previous, draft));
      i -= 2;
    }
  }
}

/** A short context line for the embedder: `src/router.ts > class Router > handle(req, res)`. */
export function headerOf(path: string, context: readonly string[]): string {
  const header = [path, ...context.slice(-HEADER_DEPTH)].join(' > ');
  return header.length > MAX_HEADER ? `${header.slice(0, MAX_HEADER - 1)}…` : header;
}

export function toChunks(pieces: readonly Piece[], index: LineIndex, path: string, language: string): Chunk[] {
  return pieces.map((piece) => ({
    path,
    startLine: piece.start + 1,
    endLine: piece.end + 1,
    language,
    symbol: piece.symbol,
    kind: piece.kind,
    text: index.text(piece.start, piece.end),
    header: headerOf(path, piece.context),
    units: unitsOf(piece, index),
  }));
}

/**
 * A piece's spans made to tile it: clipped to it, overlaps cut, lines between two spans given to the
 * one before (closing braces), leading lines to the first, blank edges trimmed, and neighbours of
 * one symbol joined. A piece without spans is one unit.
 */
function unitsOf(piece: Piece, index: LineIndex): ChunkUnit[] {
  const whole: ChunkUnit[] = [{ startLine: piece.start + 1, endLine: piece.end + 1, symbol: piece.symbol, kind: piece.kind }];
  const spans = (piece.units ?? [])
    .map((span) => ({ ...span, start: Math.max(span.start, piece.start), end: Math.min(span.end, piece.end) }))
    .filter((span) => span.start <= span.end)
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const tiled: UnitSpan[] = [];
  for (const span of spans) {
    const previous = tiled[tiled.length - 1];
    if (previous && span.start <= previous.end) {
      if (span.end <= previous.end) continue;
      span.start = previous.end + 1;
    }
    if (previous && previous.symbol === span.symbol && previous.kind === span.kind) previous.end = span.end;
    else tiled.push({ ...span });
  }
  if (tiled.length <= 1) return whole;
  tiled[0]!.start = piece.start;
  tiled[tiled.length - 1]!.end = piece.end;
  for (let i = 0; i + 1 < tiled.length; i++) tiled[i]!.end = tiled[i + 1]!.start - 1;
  return tiled.map((span) => {
    const end = Math.max(span.start, index.lastNonBlank(span.start, span.end));
    return { startLine: span.start + 1, endLine: end + 1, symbol: span.symbol, kind: span.kind };
  });
}
