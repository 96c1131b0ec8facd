/**
 * Answers "where is X defined" and "who uses X" over the workspace's folders: definitions from
 * each folder's in-memory graph, references read from the rows of the files the graph says use
 * the name.
 */
import type { Definition, DefinitionsResult, Reference, ReferencesResult, SymbolParams } from '../shared/protocol';
import type { VectorStore } from '../store/vectorStore';
import { decodeReferences } from './symbolColumns';
import { splitQualified, type SymbolIndex } from './symbolIndex';

/** One folder's graph and the rows behind it; absent while the folder's first index is built. */
export interface SymbolSource {
  folder: string;
  store?: Pick<VectorStore, 'scanRows'> & { symbols: SymbolIndex };
}

/** Rows are read a few hundred files at a time, so a name used everywhere costs bounded memory per read. */
const PATHS_PER_READ = 200;

const incomplete = (sources: readonly SymbolSource[]) =>
  sources.some((source) => !source.store) ? { incompleteReason: 'the index is still being built, so some files are not searched yet' } : {};

export function findDefinitions(sources: readonly SymbolSource[], params: Required<SymbolParams>): DefinitionsResult {
  const { container } = splitQualified(params.name);
  const all: Definition[] = sources.flatMap(({ folder, store }) => (store?.symbols.definitions(params.name) ?? []).map((d) => ({ folder, ...d })));
  // Exact first across folders too; within a group, each folder's order (path, line) is kept.
  const exact = (d: Definition) => d.container === container;
  const definitions = [...all.filter(exact), ...all.filter((d) => !exact(d))].slice(0, params.limit);
  return { name: params.name, definitions, ...incomplete(sources) };
}

/**
 * The units that use the query's name (for `Cart.total`, the units that use `total`: a use rarely
 * says which container it means), in folder, path and line order, at most `limit`.
 */
export async function findReferences(sources: readonly SymbolSource[], params: Required<SymbolParams>): Promise<ReferencesResult> {
  const { name } = splitQualified(params.name);
  const references: Reference[] = [];
  let truncated = false;
  for (const { folder, store } of sources) {
    if (!store) continue;
    const paths = store.symbols.pathsReferencing(name);
    for (let at = 0; at < paths.length && !truncated; at += PATHS_PER_READ) {
      const batch: Reference[] = [];
      for await (const rows of store.scanRows(['path', 'references'], paths.slice(at, at + PATHS_PER_READ))) {
        for (const row of rows) {
          for (const { name: used, startLine, endLine, symbol } of decodeReferences(row.references)) {
            if (used === name) batch.push({ folder, path: row.path, startLine, endLine, symbol });
          }
        }
      }
      batch.sort((a, b) => a.path.localeCompare(b.path) || a.startLine - b.startLine);
      references.push(...batch);
      truncated = references.length > params.limit;
    }
  }
  return { name: params.name, references: references.slice(0, params.limit), truncated, ...incomplete(sources) };
}
