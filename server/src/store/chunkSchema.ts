import { Field, FixedSizeList, Float32, Int32, Schema, Utf8 } from 'apache-arrow';

/**
 * Bump when the stored layout or the meaning of a column changes: a mismatch rebuilds the index.
 * 2: chunk text is stored with likely secrets masked, so an older index still holds them.
 * 3: chunks carry their units (functions, methods, the code between), so results can be the unit that matched.
 * 4: chunks carry the definitions they hold and the names their units use (the symbol graph).
 * 5: text columns are stored zstd-compressed.
 */
export const SCHEMA_VERSION = 5;

/**
 * Code and its token lists compress well; Lance's default encoding left the text columns at about
 * half their raw size, zstd at about 40% (81k chunks of library code: 91 → 71 MB), at no cost
 * a search notices (only result rows are decompressed).
 */
const COMPRESSED = new Map([['lance-encoding:compression', 'zstd']]);

export function chunkSchema(dimensions: number): Schema {
  const text = (name: string) => new Field(name, new Utf8(), false, COMPRESSED);
  const int = (name: string) => new Field(name, new Int32(), false);
  return new Schema([
    text('id'),
    text('path'),
    int('startLine'),
    int('endLine'),
    text('language'),
    text('symbol'),
    text('kind'),
    text('text'),
    text('searchText'),
    text('embedHash'),
    text('units'),
    text('definitions'),
    text('references'),
    new Field('vector', new FixedSizeList(dimensions, new Field('item', new Float32(), true)), false),
  ]);
}

/** The columns a search returns: everything but the bulky ones. */
export const RESULT_COLUMNS = ['id', 'path', 'startLine', 'endLine', 'language', 'symbol', 'kind', 'text', 'units'];
