import { codeTokens } from '../text/codeTokens';
import { CODE_KEYWORDS, PROSE_WORDS } from '../text/stopWords';
import { embeddingCancelled, type Embedder } from './embedder';

/**
 * Bump when anything below, or a word list it reads, changes the vectors, so indexes built with
 * older vectors are re-embedded. v2: the prose stop words are the one list of text/stopWords.
 */
const ALGORITHM = 'hash-v2';
const DEFAULT_DIMENSIONS = 256;

const WORD_WEIGHT = 1;
// Character n-grams let `parsed` meet `parse` and `auth` meet `authenticate`; they are many per
// token, so each token's n-grams share one budget instead of letting long words dominate.
const NGRAM_BUDGET = 1.2;
const STOPWORD_WEIGHT = 0.15;

// Namespaces keep a word and an n-gram with the same letters (`get` the word, `get` the trigram) apart.
const WORD_SEED = 0x811c9dc5;
const TRIGRAM_SEED = 0x050c5d1f;
const FOURGRAM_SEED = 0x1b873593;
const EMPTY_SEED = 0x27d4eb2d;
// Virtual characters marking the start and end of a token, so prefixes and suffixes are features of their own.
const BEGIN = 1;
const END = 2;

/**
 * Prose and code keywords say little about what a chunk is about. They are kept (a query made only
 * of them still matches something) but weigh little and get no n-grams.
 */
function isStopWord(token: string): boolean {
  return PROSE_WORDS.has(token) || CODE_KEYWORDS.has(token);
}

/** FNV-1a over the code units of `text[start, end)`, with optional virtual begin/end markers, finished with a murmur3 mix. */
function hashRange(seed: number, text: string, start: number, end: number, begin: boolean, finish: boolean): number {
  let h = seed;
  if (begin) h = Math.imul(h ^ BEGIN, 0x01000193);
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  if (finish) h = Math.imul(h ^ END, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The built-in embedder: a lexical-semantic fallback, not a language model. It knows nothing of
 * meaning; it maps a text to a vector of its words so that texts sharing identifiers, sub-words
 * and word pieces land close together. That makes vector search behave like a forgiving keyword
 * search (camelCase parts, plurals, prefixes), which is what Ferret can offer with no model.
 *
 * Features: every code token from {@link codeTokens} (whole identifiers and their camelCase /
 * snake_case / digit parts), weighted 1 + ln(term frequency), plus character 3- and 4-grams of
 * each token with start/end markers. Code keywords and prose stop words weigh little. Features are
 * hashed into a fixed dimension with a sign bit (feature hashing; the sign makes collisions cancel
 * on average instead of piling up) and the vector is L2-normalised. No random seeds: the same text
 * gives the same vector in every process.
 */
export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(dimensions = DEFAULT_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < 8) throw new RangeError(`Local embedder dimension must be an integer ≥ 8, got ${dimensions}.`);
    this.dimensions = dimensions;
    this.id = `local:${ALGORITHM}:${dimensions}`;
  }

  async ready(): Promise<void> {}

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    for (const text of texts) {
      if (signal?.aborted) throw embeddingCancelled();
      vectors.push(this.embedOne(text));
    }
    return vectors;
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    if (signal?.aborted) throw embeddingCancelled();
    return this.embedOne(text);
  }

  /** Synchronous core, for callers that batch on their own. */
  embedOne(text: string): Float32Array {
    const vector = new Float32Array(this.dimensions);
    const counts = new Map<string, number>();
    for (const token of codeTokens(text)) counts.set(token, (counts.get(token) ?? 0) + 1);
    for (const [token, count] of counts) {
      const stop = isStopWord(token);
      const weight = (1 + Math.log(count)) * (stop ? STOPWORD_WEIGHT : WORD_WEIGHT);
      addFeature(vector, hashRange(WORD_SEED, token, 0, token.length, false, false), weight);
      if (!stop && token.length >= 3) addNgrams(vector, token, (1 + Math.log(count)) * NGRAM_BUDGET);
    }
    return normalise(vector);
  }
}

/** Adds the 3- and 4-grams of `^token$`, sharing `budget` among them by their count's square root. */
function addNgrams(vector: Float32Array, token: string, budget: number): void {
  const length = token.length;
  // `^token$` has length + 2 characters: length trigrams and length − 1 four-grams.
  const weight = budget / Math.sqrt(2 * length - 1);
  for (let start = -1; start + 3 <= length + 1; start++) {
    const from = Math.max(start, 0);
    const to = Math.min(start + 3, length);
    addFeature(vector, hashRange(TRIGRAM_SEED, token, from, to, start < 0, start + 3 > length), weight);
  }
  for (let start = -1; start + 4 <= length + 1; start++) {
    const from = Math.max(start, 0);
    const to = Math.min(start + 4, length);
    addFeature(vector, hashRange(FOURGRAM_SEED, token, from, to, start < 0, start + 4 > length), weight);
  }
}

/** Signed feature hashing: one bit picks the sign, the rest the bucket. */
function addFeature(vector: Float32Array, hash: number, weight: number): void {
  vector[(hash >>> 1) % vector.length] += hash & 1 ? weight : -weight;
}

/**
 * Scales to unit length. A text without tokens gets one fixed unit vector, so every vector has
 * norm 1 and cosine and L2 distance rank alike in the store.
 */
function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  if (sum === 0) {
    addFeature(vector, EMPTY_SEED, 1);
    return vector;
  }
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  return vector;
}
