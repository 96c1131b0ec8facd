// Entry of dist/vectorIndexWorker.js: trains one table's vector index and exits, so the
// memory training takes is returned to the system (see vectorIndex.ts).
import * as lancedb from '@lancedb/lancedb';
import { vectorIndexConfig } from './vectorIndex';

async function main(dir: string, tableName: string, rows: number): Promise<void> {
  const db = await lancedb.connect(dir);
  const table = await db.openTable(tableName);
  await table.createIndex('vector', { config: vectorIndexConfig(rows), replace: true });
  table.close();
}

const [dir, tableName, rows] = process.argv.slice(2);
main(dir!, tableName!, Number(rows)).then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
