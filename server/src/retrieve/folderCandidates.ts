import { sqlAnd, sqlIn } from '../store/sqlFilter';
import type { ScoredChunk, StoredChunk, VectorStore } from '../store/vectorStore';
import type { SymbolIndex } from '../symbols/symbolIndex';
import { stem } from '../text/stem';
import type { Vocabulary } from '../vocab/vocabulary';
import { namedDefinitions } from './namedDefinitions';
import { compilePathFilter } from './pathFilter';
import { queryTerms } from './queryTerms';
import type { RankingWeights } from './rankingWeights';
import type { QueryTerm } from './unitEvidence';

export interface SearchRequest {
  query: string;
  k: number;
  paths: readonly string[];
  languages: readonly string[];
}

/** What one folder's index offers a query, before anything is compared across folders. */
export interface FolderCandidates {
  /** Hits of the full-text search, with raw BM25 scores. */
  text: ScoredChunk[];
  /** Hits of the vector search, with cosine similarities; empty without a query vector. */
  vector: ScoredChunk[];
  /** Chunks that define an identifier the query names (see namedDefinitions.ts). */
  definitions: StoredChunk[];
  /** The query's terms as this folder weighs them: its own words, then their associates. */
  query: QueryTerm[];
  vocabulary: Vocabulary;
}

/** What one folder's search yields: candidates once it has an index, and why vectors were left out when they were. */
export interface FolderSearch {
  /** Absent while the folder's index is still being built. */
  candidates?: FolderCandidates;
  fullTextReason?: string;
}

/** Candidates fetched from each side before fusion; fusion and unit ranking need depth to reorder. */
function candidateDepth(k: number): number {
  return Math.max(50, k * 5);
}

/**
 * Full text and vectors in parallel over one folder's store. The query's terms for unit scoring are
 * its own words and, weighed below them, what this workspace's vocabulary associates with them; the
 * full-text search itself gets the own words only (a boolean query of weighted associates took twice
 * as long, and the store stems words its own way).
 */
export async function folderCandidates(
  store: VectorStore & { vocabulary: Vocabulary; symbols: SymbolIndex },
  request: SearchRequest,
  queryVector: Float32Array | undefined,
  weights: RankingWeights,
): Promise<FolderCandidates> {
  const words = queryTerms(request.query);
  const own = [...new Set(words.map(stem))];
  const { limit, minStrength, weight } = weights.associates;
  const { vocabulary } = store;
  const associates = weight > 0 ? vocabulary.associates(own, limit, minStrength) : [];
  const query: QueryTerm[] = [...own.map((term) => ({ stem: term, weight: 1 })), ...associates.map((a) => ({ stem: a.stem, weight: weight * a.strength }))];
  const pathFilter = compilePathFilter(request.paths);
  const filter = sqlAnd([request.languages.length ? sqlIn('language', request.languages) : undefined, pathFilter?.prefilter]);
  const depth = candidateDepth(request.k);
  // Tokens only: the full-text query parser must never see operators from user input.
  const textQuery = words.map((word) => word.replace(/[^\p{L}\p{N}]+/gu, ' ')).join(' ');
  const [text, vector, defined] = await Promise.all([
    store.textSearch(textQuery, depth, filter),
    queryVector ? store.vectorSearch(queryVector, depth, filter) : Promise.resolve<ScoredChunk[]>([]),
    weights.definition > 0 ? namedDefinitions(store, store.symbols, request.query) : Promise.resolve<StoredChunk[]>([]),
  ]);
  // The searches filtered by language (and a path prefix) in the store; definitions come unfiltered.
  const onPath = (chunk: StoredChunk) => !pathFilter || pathFilter.matches(chunk.path);
  const inLanguage = (chunk: StoredChunk) => request.languages.length === 0 || request.languages.includes(chunk.language);
  const keep = (hits: ScoredChunk[]) => hits.filter((hit) => onPath(hit.chunk));
  return { text: keep(text), vector: keep(vector), definitions: defined.filter((chunk) => onPath(chunk) && inLanguage(chunk)), query, vocabulary };
}
