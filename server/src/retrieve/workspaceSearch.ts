/**
 * A `ferret/search` over the whole workspace: the query embedded once, every folder asked for its
 * candidates, and the offers ranked together into the result the protocol returns.
 */
import type { Embedder } from '../embed/embedder';
import type { SearchParams, SearchResult } from '../shared/protocol';
import type { FolderSearch, SearchRequest } from './folderCandidates';
import { queryVector } from './queryVector';
import { rankingWeights, type RankingWeights } from './rankingWeights';
import { rankAcrossFolders } from './search';

/** A folder as a search sees it: where it is, and what its index offers for one query. */
export interface SearchableFolder {
  readonly folder: string;
  search(request: SearchRequest, queryVector: Float32Array | undefined, weights: RankingWeights): Promise<FolderSearch>;
}

export async function searchWorkspace(folders: readonly SearchableFolder[], embedder: Embedder, params: Required<SearchParams>, signal: AbortSignal): Promise<SearchResult> {
  const weights = rankingWeights(embedder.id);
  const vector = await queryVector(embedder, params.query, signal);
  const searches = await Promise.all(folders.map((f) => f.search(params, vector.vector, weights)));
  signal.throwIfAborted();
  const offers = folders.flatMap((folder, i) => {
    const candidates = searches[i]!.candidates;
    return candidates ? [{ folder: folder.folder, candidates }] : [];
  });
  const hits = rankAcrossFolders(offers, params, weights);
  const reason = vector.reason ?? searches.find((s) => s.fullTextReason)?.fullTextReason;
  return {
    query: params.query,
    results: hits.map(({ folder, chunk, score }) => ({
      folder,
      path: chunk.path,
      startLine: chunk.startLine,
      endLine: chunk.endLine,
      language: chunk.language,
      symbol: chunk.symbol,
      kind: chunk.kind,
      score: Number(score.toFixed(6)),
      text: chunk.text,
    })),
    mode: reason ? 'fulltext' : 'hybrid',
    ...(reason ? { modeReason: reason } : {}),
  };
}
