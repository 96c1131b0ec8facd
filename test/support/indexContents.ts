import * as lancedb from '@lancedb/lancedb';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredRowKey {
  id: string;
  path: string;
  startLine: number;
  endLine: number;
  embedHash: string;
  /** The symbol graph's columns: what the row defines and what its units use. */
  definitions: string;
  references: string;
}

/** The given columns of every row of the one live table in a folder index dir, read straight from LanceDB. */
async function readColumns<T>(indexRoot: string, columns: string[]): Promise<T[]> {
  const folders = readdirSync(indexRoot);
  if (folders.length !== 1) throw new Error(`expected one folder index in ${indexRoot}, found ${folders.join(', ')}`);
  const db = await lancedb.connect(join(indexRoot, folders[0]!));
  try {
    const tables = (await db.tableNames()).filter((t) => t.startsWith('chunks_'));
    if (tables.length !== 1) throw new Error(`expected one chunks table, found ${tables.join(', ')}`);
    const table = await db.openTable(tables[0]!);
    const rows = (await table.query().select(columns).toArray()) as T[];
    table.close();
    return rows;
  } finally {
    // Nothing of LanceDB may outlive the read: a test file's process ends only when all is closed.
    db.close();
  }
}

/** Every row of the one live table in a folder index dir, sorted, read straight from LanceDB. */
export async function readIndexRows(indexRoot: string): Promise<StoredRowKey[]> {
  const rows = await readColumns<StoredRowKey>(indexRoot, ['id', 'path', 'startLine', 'endLine', 'embedHash', 'definitions', 'references']);
  return rows
    .map((r) => ({ id: r.id, path: r.path, startLine: r.startLine, endLine: r.endLine, embedHash: r.embedHash, definitions: r.definitions, references: r.references }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.startLine - b.startLine || a.id.localeCompare(b.id));
}

/** Every row's vector by chunk id, as plain numbers, so two indices compare exactly. */
export async function readIndexVectors(indexRoot: string): Promise<Map<string, number[]>> {
  const rows = await readColumns<{ id: string; vector: { toArray(): Float32Array } }>(indexRoot, ['id', 'vector']);
  return new Map(rows.map((r) => [r.id, [...r.vector.toArray()]]));
}

/** The stored text of every row: what search returns (`text`) and what full-text search matches (`searchText`). */
export async function readIndexText(indexRoot: string): Promise<Array<{ path: string; text: string; searchText: string }>> {
  const rows = await readColumns<{ path: string; text: string; searchText: string }>(indexRoot, ['path', 'text', 'searchText']);
  return rows.map((r) => ({ path: r.path, text: r.text, searchText: r.searchText }));
}

/**
 * The vocabulary a stopped daemon saved for the one folder index in a dir, as sorted data, so two
 * vocabularies compare equal whatever order their rows were counted in.
 */
export function readVocabulary(indexRoot: string): unknown {
  const folder = join(indexRoot, readdirSync(indexRoot)[0]!);
  const file = readdirSync(folder).find((name) => name.startsWith('vocabulary_'));
  if (!file) throw new Error(`no saved vocabulary in ${folder}`);
  const { vocabulary } = JSON.parse(readFileSync(join(folder, file), 'utf8')) as { vocabulary: unknown };
  return sortedDeep(vocabulary);
}

function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sortedDeep(item)]));
  return value;
}
