/**
 * Answers "where is X defined" and "who uses X" over one folder's index: definitions from the
 * in-memory graph, references read from the rows of the files the graph says use the name.
 */
import type { VectorStore } from '../store/vectorStore';
import { decodeReferences } from './symbolColumns';
import { splitQualified, type LocatedDefinition, type SymbolIndex } from './symbolIndex';
import type { SymbolReference } from './types';

export interface LocatedReference extends SymbolReference {
  path: string;
}

/** Rows are read a few hundred files at a time, so a name used everywhere costs bounded memory per read. */
const PATHS_PER_READ = 200;

export function findDefinitions(index: SymbolIndex, query: string, limit: number): LocatedDefinition[] {
  return index.definitions(query).slice(0, limit);
}

/**
 * The units that use the query's name (for `Cart.total`, the units that use `total`: a use rarely
 * says which container it means), in path and line order, at most `limit`.
 */
export async function findReferences(store: Pick<VectorStore, 'scanRows'>, index: SymbolIndex, query: string, limit: number): Promise<LocatedReference[]> {
  const { name } = splitQualified(query);
  const paths = index.pathsReferencing(name);
  const found: LocatedReference[] = [];
  for (let at = 0; at < paths.length && found.length < limit; at += PATHS_PER_READ) {
    const batchPaths = paths.slice(at, at + PATHS_PER_READ);
    const batch: LocatedReference[] = [];
    for await (const rows of store.scanRows(['path', 'references'], batchPaths)) {
      for (const row of rows) {
        for (const reference of decodeReferences(row.references)) {
          if (reference.name === name) batch.push({ ...reference, path: row.path });
        }
      }
    }
    batch.sort((a, b) => a.path.localeCompare(b.path) || a.startLine - b.startLine);
    found.push(...batch);
  }
  return found.slice(0, limit);
}
