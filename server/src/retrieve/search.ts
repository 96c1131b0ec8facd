/**
 * One search over every folder of the workspace: each folder offers candidates, which are fused
 * into one list on scales that mean the same in every folder, narrowed to the units that answer,
 * and cut to the best k.
 */
import { codeTokens } from '../text/codeTokens';
import { asksAboutTests } from '../text/testCode';
import type { FolderCandidates, SearchRequest } from './folderCandidates';
import type { RankingWeights } from './rankingWeights';
import { fuseCandidates } from './scoreFusion';
import { rankUnits, type RankedHit } from './unitRanking';

export interface FolderOffer {
  folder: string;
  candidates: FolderCandidates;
}

export function rankAcrossFolders(offers: readonly FolderOffer[], request: SearchRequest, weights: RankingWeights): RankedHit[] {
  const tokens = codeTokens(request.query);
  const shape = { tokens: new Set(tokens), aboutTests: asksAboutTests(tokens) };
  const ranked = rankUnits(fuseCandidates(offers, weights), shape, weights);
  return joinOverlaps(ranked)
    .sort((a, b) => b.score - a.score || a.chunk.path.localeCompare(b.chunk.path) || a.chunk.startLine - b.chunk.startLine)
    .slice(0, request.k);
}

/** Merged ranges stay a range a reader can take in. */
const MAX_JOINED_LINES = 200;

/**
 * Joins hits of one file whose ranges overlap (line windows of files without a grammar overlap on
 * purpose) into one, scored as its best part. Hits that only touch stay apart: adjacent units
 * compete on their own evidence.
 */
export function joinOverlaps(hits: readonly RankedHit[]): RankedHit[] {
  const byFile = new Map<string, RankedHit[]>();
  for (const hit of hits) {
    const key = `${hit.folder}\0${hit.chunk.path}`;
    byFile.set(key, [...(byFile.get(key) ?? []), hit]);
  }
  const joined: RankedHit[] = [];
  for (const list of byFile.values()) {
    list.sort((a, b) => a.chunk.startLine - b.chunk.startLine);
    let current = list[0]!;
    for (const next of list.slice(1)) {
      const overlaps = next.chunk.startLine <= current.chunk.endLine;
      const small = Math.max(current.chunk.endLine, next.chunk.endLine) - current.chunk.startLine < MAX_JOINED_LINES;
      if (overlaps && small) current = join(current, next);
      else {
        joined.push(current);
        current = next;
      }
    }
    joined.push(current);
  }
  return joined;
}

function join(a: RankedHit, b: RankedHit): RankedHit {
  const best = a.score >= b.score ? a : b;
  const endLine = Math.max(a.chunk.endLine, b.chunk.endLine);
  const tail = b.chunk.endLine > a.chunk.endLine ? b.chunk.text.split('\n').slice(a.chunk.endLine + 1 - b.chunk.startLine) : [];
  const units = [...a.chunk.units, ...b.chunk.units.filter((unit) => unit.startLine > a.chunk.endLine)];
  return {
    folder: a.folder,
    chunk: { ...best.chunk, startLine: a.chunk.startLine, endLine, text: [a.chunk.text, ...tail].join('\n'), units },
    score: best.score,
  };
}
