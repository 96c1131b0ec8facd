import { Float32, RecordBatch, Struct, Table, makeData, vectorFromArray, type FixedSizeList, type Schema } from 'apache-arrow';
import type { ChunkRow } from './vectorStore';

/**
 * Builds an Arrow table from rows column by column, with all vectors in one Float32Array.
 * Handing LanceDB plain objects makes it infer types row by row and copy every vector into
 * a JS array first: several times slower, and a large share of peak memory on a cold index.
 */
export function chunkTable(schema: Schema, rows: readonly ChunkRow[], dimensions: number): Table {
  const vectors = new Float32Array(rows.length * dimensions);
  rows.forEach((row, i) => vectors.set(row.vector, i * dimensions));
  const column = (name: keyof ChunkRow) => {
    const field = schema.fields.find((f) => f.name === name)!;
    return vectorFromArray(rows.map((r) => r[name]), field.type).data[0]!;
  };
  const vectorField = schema.fields.find((f) => f.name === 'vector')!;
  const vectorData = makeData({
    type: vectorField.type as FixedSizeList<Float32>,
    length: rows.length,
    nullCount: 0,
    child: makeData({ type: new Float32(), length: vectors.length, nullCount: 0, data: vectors }),
  });
  const children = schema.fields.map((field) => (field.name === 'vector' ? vectorData : column(field.name as keyof ChunkRow)));
  const data = makeData({ type: new Struct(schema.fields), length: rows.length, nullCount: 0, children });
  return new Table([new RecordBatch(schema, data)]);
}
