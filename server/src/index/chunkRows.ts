import { createHash } from 'node:crypto';
import type { Chunk } from '../chunk/types';
import type { Embedder } from '../embed/embedder';
import { encodeUnits } from '../store/unitColumn';
import { encodeDefinitions, encodeReferences } from '../symbols/symbolColumns';
import type { FileSymbols } from '../symbols/types';
import type { ChunkRow } from '../store/vectorStore';
import { codeTokens, pathTokens } from '../text/codeTokens';
import { PROSE_WORDS } from '../text/stopWords';
import { lexiconOf, stemmedTerms } from '../vocab/vocabulary';

/** Embedding models have bounded input; beyond this the tail adds little and costs a lot. */
const MAX_EMBED_CHARS = 6000;

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** What the embedder sees for a chunk: where it is and what encloses it, then the code. */
export function embedInput(chunk: Chunk): string {
  const text = `${chunk.header}\n${chunk.text}`;
  return text.length > MAX_EMBED_CHARS ? text.slice(0, MAX_EMBED_CHARS) : text;
}

/**
 * The tokens of a chunk: path segments, the symbol twice (a name match is worth more than a
 * mention), and every identifier of the text whole and split.
 */
function searchTokens(chunk: Chunk): string[] {
  const symbol = codeTokens(chunk.symbol);
  return [...pathTokens(chunk.path), ...symbol, ...symbol, ...codeTokens(chunk.text)];
}

/**
 * A file's symbols shared out over its chunks (in line order): each definition and each unit's
 * references go to the chunk where they start, so every one is stored exactly once.
 */
export function symbolsByChunk(chunks: readonly Chunk[], symbols: FileSymbols | undefined): FileSymbols[] {
  const shares = chunks.map((): FileSymbols => ({ definitions: [], references: [] }));
  if (!symbols || shares.length === 0) return shares;
  const owner = (line: number): FileSymbols => {
    let at = 0;
    while (at + 1 < chunks.length && chunks[at + 1]!.startLine <= line) at++;
    return shares[at]!;
  };
  for (const definition of symbols.definitions) owner(definition.startLine).definitions.push(definition);
  for (const reference of symbols.references) owner(reference.startLine).references.push(reference);
  return shares;
}

/** A stored row for a chunk, without its vector yet; `symbols` is the chunk's share of its file's. */
export function rowOf(chunk: Chunk, embedderId: string, symbols: FileSymbols = { definitions: [], references: [] }): Omit<ChunkRow, 'vector'> {
  // The full-text document leaves out the prose words that queries leave out (retrieve/queryTerms.ts);
  // the lexicon counts the same tokens, so it equals the one recounted from the stored row after a crash.
  const tokens = searchTokens(chunk).filter((token) => !PROSE_WORDS.has(token));
  const units = encodeUnits(chunk.units);
  const row = {
    id: sha1(`${chunk.path}\0${chunk.startLine}\0${chunk.endLine}\0${chunk.text}`).slice(0, 24),
    path: chunk.path,
    startLine: chunk.startLine,
    endLine: chunk.endLine,
    language: chunk.language,
    symbol: chunk.symbol,
    kind: chunk.kind,
    text: chunk.text,
    searchText: tokens.join(' '),
    embedHash: sha1(`${embedderId}\0${embedInput(chunk)}`).slice(0, 24),
    units,
    definitions: encodeDefinitions(symbols.definitions),
    references: encodeReferences(symbols.references),
  };
  return { ...row, lexicon: lexiconOf(row, stemmedTerms(tokens)) };
}

/** Rows ready to store, and how many of their vectors were computed rather than reused. */
export interface RowsWithVectors {
  rows: ChunkRow[];
  embedded: number;
}

/**
 * Rows whose vectors are taken from `known` by embed hash or computed, each distinct input once,
 * in one call: the embedder batches and paces its own requests.
 */
export async function withVectors(
  pending: ReadonlyArray<{ row: Omit<ChunkRow, 'vector'>; input: string }>,
  known: Map<string, Float32Array>,
  embedder: Embedder,
  signal?: AbortSignal,
): Promise<RowsWithVectors> {
  const toEmbed = new Map<string, string>();
  for (const { row, input } of pending) {
    if (!known.has(row.embedHash)) toEmbed.set(row.embedHash, input);
  }
  const hashes = [...toEmbed.keys()];
  if (hashes.length) {
    const vectors = await embedder.embed(hashes.map((h) => toEmbed.get(h)!), signal);
    hashes.forEach((hash, j) => known.set(hash, vectors[j]!));
  }
  return { rows: pending.map(({ row }) => ({ ...row, vector: known.get(row.embedHash)! })), embedded: hashes.length };
}
