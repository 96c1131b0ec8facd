import * as lancedb from '@lancedb/lancedb';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredRowKey {
  id: string;
  path: string;
  startLine: number;
  endLine: number;
  embedHash: string;
}

/** Every row of the one live table in a folder index dir, sorted, read straight from LanceDB. */
export async function readIndexRows(indexRoot: string): Promise<StoredRowKey[]> {
  const folders = readdirSync(indexRoot);
  if (folders.length !== 1) throw new Error(`expected one folder index in ${indexRoot}, found ${folders.join(', ')}`);
  const db = await lancedb.connect(join(indexRoot, folders[0]!));
  const tables = (await db.tableNames()).filter((t) => t.startsWith('chunks_'));
  if (tables.length !== 1) throw new Error(`expected one chunks table, found ${tables.join(', ')}`);
  const table = await db.openTable(tables[0]!);
  const rows = (await table.query().select(['id', 'path', 'startLine', 'endLine', 'embedHash']).toArray()) as StoredRowKey[];
  table.close();
  return rows
    .map((r) => ({ id: r.id, path: r.path, startLine: r.startLine, endLine: r.endLine, embedHash: r.embedHash }))
    .sort((a, b) => a.path.localeCompare(b.path) || a.startLine - b.startLine || a.id.localeCompare(b.id));
}
