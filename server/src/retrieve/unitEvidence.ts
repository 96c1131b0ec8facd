import type { ChunkUnit } from '../chunk/types';
import { codeTokens } from '../text/codeTokens';
import { stem } from '../text/stem';
import type { TermStats } from '../vocab/termStats';

/** A stemmed query term and how much it counts: 1 for the query's own words, less for associates. */
export interface QueryTerm {
  stem: string;
  weight: number;
}

/** How strongly one unit of a chunk answers the query, from its own lines and its own name. */
export interface UnitEvidence {
  unit: ChunkUnit;
  /** idf-weighted BM25 over the unit's text plus its name's share. */
  score: number;
}

export interface EvidenceWeights {
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation, against the average unit of the candidates. */
  b: number;
  /** What a query term in the unit's qualified name (`Cart.applyCoupon`: cart, apply, coupon) adds, as a multiple of its idf. */
  name: number;
}

const stemsOf = (text: string): string[] => codeTokens(text).map(stem);

interface Counted {
  unit: ChunkUnit;
  counts: Map<string, number>;
  length: number;
  names: Set<string>;
}

/** Tokenised units of a chunk, one entry per unit, from the chunk's own text. */
export function countUnits(text: string, startLine: number, units: readonly ChunkUnit[]): Counted[] {
  const lines = text.split('\n');
  return units.map((unit) => {
    const stems = stemsOf(lines.slice(unit.startLine - startLine, unit.endLine - startLine + 1).join('\n'));
    const counts = new Map<string, number>();
    for (const term of stems) counts.set(term, (counts.get(term) ?? 0) + 1);
    return { unit, counts, length: stems.length, names: new Set(stemsOf(unit.symbol)) };
  });
}

/**
 * Scores units on their own evidence, so that of two small methods in one chunk the one whose
 * lines and name hold the query's rarer words wins. `averageLength` is the mean unit length in
 * tokens among the candidates, for length normalisation.
 */
export function scoreUnits(counted: readonly Counted[], query: readonly QueryTerm[], stats: TermStats, averageLength: number, weights: EvidenceWeights): UnitEvidence[] {
  const idf = new Map(query.map((term) => [term.stem, term.weight * stats.idf(term.stem)]));
  return counted.map(({ unit, counts, length, names }) => {
    let score = 0;
    let named = 0;
    const norm = weights.k1 * (1 - weights.b + (weights.b * length) / Math.max(1, averageLength));
    for (const [term, weight] of idf) {
      const tf = counts.get(term) ?? 0;
      if (tf > 0) score += (weight * tf * (weights.k1 + 1)) / (tf + norm);
      if (names.has(term)) named += weight;
    }
    return { unit, score: score + weights.name * named };
  });
}
