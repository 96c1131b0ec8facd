import type { ChunkKind, ChunkUnit } from '../chunk/types';

type Encoded = [startLine: number, endLine: number, symbol: string, kind: ChunkKind];

/**
 * The `units` column: a chunk's units as compact JSON, or '' when the chunk is one unit (most are),
 * so the column costs nothing for them.
 */
export function encodeUnits(units: readonly ChunkUnit[]): string {
  if (units.length <= 1) return '';
  return JSON.stringify(units.map((unit): Encoded => [unit.startLine, unit.endLine, unit.symbol, unit.kind]));
}

/** The units of a stored chunk; a chunk stored as one unit (or with a damaged column) is its own unit. */
export function decodeUnits(encoded: string, chunk: { startLine: number; endLine: number; symbol: string; kind: ChunkKind }): ChunkUnit[] {
  const whole = [{ startLine: chunk.startLine, endLine: chunk.endLine, symbol: chunk.symbol, kind: chunk.kind }];
  if (!encoded) return whole;
  try {
    const parsed = JSON.parse(encoded) as Encoded[];
    return parsed.map(([startLine, endLine, symbol, kind]) => ({ startLine, endLine, symbol, kind }));
  } catch {
    return whole;
  }
}
