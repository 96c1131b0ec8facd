/**
 * Every weight and boost of ranking, in one place, per embedder. The `local` figures were chosen on
 * the tuning half of `npm run bench:relevance` (four languages, range-level scoring) and are
 * reported on its held-out half in docs/retrieval.md. No semantic embedding model can run on the
 * machines the bench ran on, so `ollama` and `openai` share the same lexical weights with a larger
 * vector share, a guess that is stated as such and not yet measured.
 */
import type { EvidenceWeights } from './unitEvidence';

export interface RankingWeights {
  /** Share of the normalised BM25 score in a chunk's fused score. */
  text: number;
  /** Share of the normalised vector similarity. */
  vector: number;
  /** Cosine similarity at or below which a vector hit adds nothing (the embedder's noise floor). */
  vectorFloor: number;
  /** Units whose own evidence reaches this share of the best unit's stay in a narrowed hit. */
  unitShare: number;
  /** How much the best unit's own evidence (0..1) moves a chunk's score: 0 not at all, 1 entirely. */
  unitInfluence: number;
  evidence: EvidenceWeights;
  /** Multipliers added to 1 when a hit's unit is named exactly as a query word, shares its name parts, or its file does. */
  exactName: number;
  symbolShare: number;
  fileShare: number;
  /** Added to the fused score of a chunk that defines an identifier the question names. */
  definition: number;
  /** Multiplier for test code when the question is not about tests. */
  testFactor: number;
  /** Vocabulary: associates per query word, their least strength, and their weight below the query's own terms. */
  associates: { limit: number; minStrength: number; weight: number };
}

const LOCAL: RankingWeights = {
  text: 0.7,
  vector: 0.3,
  vectorFloor: 0.1,
  unitShare: 0.5,
  unitInfluence: 0.5,
  evidence: { k1: 1.2, b: 0.75, name: 1 },
  exactName: 0.5,
  symbolShare: 0.35,
  fileShare: 0.2,
  testFactor: 0.6,
  definition: 0.3,
  associates: { limit: 3, minStrength: 0.3, weight: 0.5 },
};

/** Semantic embedders: their vectors carry meaning the lexical side lacks, so they weigh more. Not measured here. */
const SEMANTIC: RankingWeights = { ...LOCAL, text: 0.5, vector: 0.5, vectorFloor: 0.3 };

export type EmbedderFamily = 'local' | 'ollama' | 'openai';

export function embedderFamily(embedderId: string): EmbedderFamily {
  if (embedderId.startsWith('ollama')) return 'ollama';
  if (embedderId.startsWith('openai')) return 'openai';
  return 'local';
}

export const RANKING_WEIGHTS: Readonly<Record<EmbedderFamily, RankingWeights>> = { local: LOCAL, ollama: SEMANTIC, openai: SEMANTIC };

export function rankingWeights(embedderId: string): RankingWeights {
  return RANKING_WEIGHTS[embedderFamily(embedderId)];
}
