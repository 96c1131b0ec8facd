import { createChunker, type Chunker } from '../chunk/chunker';
import { extractSymbols, type FileSymbols } from '../symbols/extractor';

/** The chunker indexing uses: chunks, and the symbols read from the same parse of each file. */
export type IndexChunker = Chunker<FileSymbols>;

export function createIndexChunker(log: (message: string) => void): Promise<IndexChunker> {
  return createChunker<FileSymbols>({ log, readTree: extractSymbols });
}
