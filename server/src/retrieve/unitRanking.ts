/**
 * From fused chunks to the ranges a person wants: each chunk narrowed to the unit(s) whose own lines
 * and name carry the query's evidence, then weighed by what it is (a unit named as asked, test code
 * for a question that is not about tests).
 */
import { lastName } from '../chunk/naming';
import type { ChunkUnit } from '../chunk/types';
import type { StoredChunk } from '../store/vectorStore';
import { codeTokens, pathTokens } from '../text/codeTokens';
import { stem } from '../text/stem';
import { isTestCode } from '../text/testCode';
import type { TermStats } from '../vocab/termStats';
import type { RankingWeights } from './rankingWeights';
import type { FusedChunk } from './scoreFusion';
import { countUnits, scoreUnits, type UnitEvidence } from './unitEvidence';

export interface RankedHit {
  folder: string;
  /** The chunk narrowed to the units that answer: their range, symbols and text. */
  chunk: StoredChunk;
  score: number;
}

export interface QueryShape {
  /** The query's code tokens, lower-cased (whole identifiers and their parts). */
  tokens: ReadonlySet<string>;
  /** Whether the question is about tests. */
  aboutTests: boolean;
}

export function rankUnits(fused: readonly FusedChunk[], shape: QueryShape, weights: RankingWeights): RankedHit[] {
  const counted = fused.map((candidate) => countUnits(candidate.chunk.text, candidate.chunk.startLine, candidate.chunk.units));
  const lengths = counted.flat().map((unit) => unit.length);
  const averageLength = lengths.reduce((sum, length) => sum + length, 0) / Math.max(1, lengths.length);
  return fused.map((candidate, i) => {
    const evidence = scoreUnits(counted[i]!, candidate.query, candidate.stats, averageLength, weights.evidence);
    const best = Math.max(0, ...evidence.map((unit) => unit.score));
    const chunk = narrow(candidate.chunk, best > 0 ? keptRun(evidence, best, weights.unitShare) : evidence);
    const own = Math.min(1, best / ((1 + weights.evidence.name) * candidate.ideal));
    const score = candidate.score * (1 - weights.unitInfluence + weights.unitInfluence * own) * nameFactor(chunk, shape, candidate.stats, weights) * testFactor(chunk, shape, weights);
    return { folder: candidate.folder, chunk, score };
  });
}

/**
 * The best unit and the neighbours on either side, for as long as each holds `share` of the best
 * unit's evidence: a method and the helper beside it that shares its words, never a unit two doors
 * away that matched on its own.
 */
function keptRun(evidence: readonly UnitEvidence[], best: number, share: number): UnitEvidence[] {
  const top = evidence.findIndex((unit) => unit.score === best);
  let first = top;
  let last = top;
  while (first > 0 && evidence[first - 1]!.score >= share * best) first--;
  while (last + 1 < evidence.length && evidence[last + 1]!.score >= share * best) last++;
  return evidence.slice(first, last + 1);
}

/** The chunk cut to the span from the first to the last kept unit. */
function narrow(chunk: StoredChunk, kept: readonly UnitEvidence[]): StoredChunk {
  const units = kept.map((unit) => unit.unit);
  if (units.length === chunk.units.length) return chunk;
  const startLine = Math.min(...units.map((unit) => unit.startLine));
  const endLine = Math.max(...units.map((unit) => unit.endLine));
  const inside = chunk.units.filter((unit) => unit.startLine >= startLine && unit.endLine <= endLine);
  const lines = chunk.text.split('\n').slice(startLine - chunk.startLine, endLine - chunk.startLine + 1);
  return { ...chunk, startLine, endLine, text: lines.join('\n'), symbol: symbolOf(inside), kind: inside[0]!.kind, units: inside };
}

const SYMBOLS_IN_LABEL = 4;

/** `A.find, A.total` for the named units of a range; the code between units has no name of its own. */
export function symbolOf(units: readonly ChunkUnit[]): string {
  const names = [...new Set(units.map((unit) => unit.symbol).filter(Boolean))];
  return names.slice(0, SYMBOLS_IN_LABEL).join(', ') + (names.length > SYMBOLS_IN_LABEL ? ', …' : '');
}

/**
 * A question naming `parseConfig` wants the unit called that, not the ten places that call it.
 * Every unit of the hit counts, not only the last name of its label. A name counts by its rarity:
 * a question that says "name" or "value" is not asking for the units called `name` or `value`.
 */
function nameFactor(chunk: StoredChunk, shape: QueryShape, stats: TermStats, weights: RankingWeights): number {
  if (shape.tokens.size === 0) return 1;
  const names = chunk.units.map((unit) => lastName(unit.symbol).toLowerCase()).filter((name) => name.length > 2 && shape.tokens.has(name));
  const maxIdf = Math.log(1 + (stats.documents + 0.5) / 0.5);
  const exact = Math.max(0, ...names.map((name) => stats.idf(stem(name)) / maxIdf));
  const symbolShare = Math.max(0, ...chunk.units.map((unit) => share(codeTokens(unit.symbol), shape.tokens)));
  const fileShare = share(pathTokens(chunk.path.slice(chunk.path.lastIndexOf('/') + 1)), shape.tokens);
  return 1 + weights.exactName * exact + weights.symbolShare * symbolShare + weights.fileShare * fileShare;
}

function testFactor(chunk: StoredChunk, shape: QueryShape, weights: RankingWeights): number {
  if (shape.aboutTests) return 1;
  return chunk.units.every((unit) => isTestCode(chunk.path, unit.symbol)) ? weights.testFactor : 1;
}

/** Fraction of distinct `parts` the query asked for. */
function share(parts: readonly string[], wanted: ReadonlySet<string>): number {
  const distinct = new Set(parts);
  if (distinct.size === 0) return 0;
  let hits = 0;
  for (const part of distinct) if (wanted.has(part)) hits++;
  return hits / distinct.size;
}
