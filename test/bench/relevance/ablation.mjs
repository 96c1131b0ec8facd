// What one part of ranking adds: the bench's questions ranked again in process over the index the
// CLI built, with the production ranking and one weight changed (the vocabulary's associates off,
// say). Same code and index as `ferret search`, so the difference is that part's alone.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalEmbedder } from '../../../server/src/embed/localEmbedder.ts';
import { tableName, vocabularyPath } from '../../../server/src/index/indexMeta.ts';
import { folderCandidates } from '../../../server/src/retrieve/folderCandidates.ts';
import { rankingWeights } from '../../../server/src/retrieve/rankingWeights.ts';
import { rankAcrossFolders } from '../../../server/src/retrieve/search.ts';
import { LanceChunkStore } from '../../../server/src/store/lanceChunkStore.ts';
import { DerivedStore } from '../../../server/src/index/derivedStore.ts';

/** Ranking parts that can be switched off, as a change to the local embedder's weights. */
export const ABLATIONS = {
  'no vocabulary': (weights) => ({ ...weights, associates: { ...weights.associates, weight: 0 } }),
  'no unit narrowing': (weights) => ({ ...weights, unitShare: 0, unitInfluence: 0 }),
  'no test demotion': (weights) => ({ ...weights, testFactor: 1 }),
  'no definitions': (weights) => ({ ...weights, definition: 0 }),
};

/** For each ablation, the results of every question: `{ [name]: hits[][] }`, hits as `{ path, startLine, endLine }`. */
export async function ablate(indexRoot, k, questions) {
  const folder = join(indexRoot, readdirSync(indexRoot)[0]);
  const meta = JSON.parse(readFileSync(join(folder, 'meta.json'), 'utf8'));
  const store = await DerivedStore.open(await LanceChunkStore.open(folder, tableName(meta), meta.dimensions), vocabularyPath(folder, meta));
  const embedder = new LocalEmbedder(meta.dimensions);
  const base = rankingWeights(meta.embedderId);
  const results = {};
  try {
    for (const [name, change] of Object.entries(ABLATIONS)) {
      const weights = change(base);
      results[name] = [];
      for (const question of questions) {
        const request = { query: question.query, k, paths: [], languages: [] };
        const candidates = await folderCandidates(store, request, embedder.embedOne(question.query), weights);
        results[name].push(rankAcrossFolders([{ folder, candidates }], request, weights).map(({ chunk }) => chunk));
      }
    }
  } finally {
    store.close();
  }
  return results;
}
