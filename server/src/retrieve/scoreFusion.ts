import type { StoredChunk } from '../store/vectorStore';
import type { FolderCandidates } from './folderCandidates';
import type { RankingWeights } from './rankingWeights';
import type { QueryTerm } from './unitEvidence';
import type { TermStats } from '../vocab/termStats';

/** A chunk with its fused score, and the folder context its units are scored in. */
export interface FusedChunk {
  folder: string;
  chunk: StoredChunk;
  /** 0..1 for the text and vector parts; comparable across folders and lists. */
  score: number;
  /** The best score a full-text hit of this query could reach in this folder. */
  ideal: number;
  query: readonly QueryTerm[];
  stats: TermStats;
}

/**
 * The BM25 score a chunk would get by holding every query term once in a document of average
 * length: each term gives idf · (k1 + 1) / (1 + k1) at tf 1, so idf. Raw scores divided by it fall
 * near 0..1 whatever the folder, the query's length or how many hits the list has.
 */
export function idealScore(query: readonly QueryTerm[], stats: TermStats): number {
  return query.filter((term) => term.weight === 1).reduce((sum, term) => sum + stats.idf(term.stem), 0);
}

/**
 * Fuses the candidates of every folder into one list, each side scaled by a measure that does not
 * depend on the list: BM25 by the query's ideal score in the folder, cosine above the embedder's
 * noise floor. Min-max scaling per list, as before, lifted a folder's best hit near 1 even when
 * nothing in it was relevant, and a list of one hit to exactly 1.
 */
export function fuseCandidates(sets: ReadonlyArray<{ folder: string; candidates: FolderCandidates }>, weights: RankingWeights): FusedChunk[] {
  const fused = new Map<string, FusedChunk>();
  for (const { folder, candidates } of sets) {
    const stats = candidates.vocabulary.terms;
    const ideal = idealScore(candidates.query, stats) || 1;
    const entry = (chunk: StoredChunk): FusedChunk => {
      const key = `${folder}\0${chunk.id}`;
      let found = fused.get(key);
      if (!found) fused.set(key, (found = { folder, chunk, score: 0, ideal, query: candidates.query, stats }));
      return found;
    };
    for (const hit of candidates.text) entry(hit.chunk).score += weights.text * Math.min(1, hit.score / ideal);
    const span = 1 - weights.vectorFloor;
    for (const hit of candidates.vector) entry(hit.chunk).score += weights.vector * Math.max(0, (hit.score - weights.vectorFloor) / span);
    for (const chunk of candidates.definitions) entry(chunk).score += weights.definition;
  }
  return [...fused.values()];
}
