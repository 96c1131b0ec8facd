// The vocabulary learned from the index: exact counts in and out, the words it associates, the
// abbreviations it finds, and the store decorator that keeps it equal to the stored rows.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { encodeUnits } from '../../server/src/store/unitColumn';
import { LanceChunkStore } from '../../server/src/store/lanceChunkStore';
import type { ChunkRow } from '../../server/src/store/vectorStore';
import { Vocabulary, type VocabularyRow } from '../../server/src/vocab/vocabulary';
import { DerivedStore } from '../../server/src/index/derivedStore';
import { tempDir } from '../support/tempDir';
import { join } from 'node:path';

/** A stored chunk of one function whose comment says `comment`. */
function row(path: string, symbol: string, comment: string, startLine = 1): ChunkRow {
  const text = `// ${comment}\nfunction ${symbol}() {\n  return ${symbol}Value;\n}`;
  return {
    id: `${path}:${startLine}:${symbol}`,
    path,
    startLine,
    endLine: startLine + 3,
    language: 'typescript',
    symbol,
    kind: 'function',
    text,
    searchText: `${symbol} ${comment} ${symbol}value return function`.toLowerCase(),
    embedHash: `h:${path}:${symbol}`,
    units: encodeUnits([]),
    definitions: '',
    references: '',
    vector: Float32Array.from([1, 0, 0, 0]),
  };
}

/** A vocabulary as plain sorted data, so two can be compared whatever order they were counted in. */
function canonical(vocabulary: Vocabulary): unknown {
  const json = JSON.parse(JSON.stringify(vocabulary)) as { terms: { documents: number; frequencies: [string, number][] }; associations: Record<string, unknown> };
  const sortDeep = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(sortDeep).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) : value;
  return { terms: { ...json.terms, frequencies: sortDeep(json.terms.frequencies) }, associations: Object.fromEntries(Object.entries(json.associations).map(([k, v]) => [k, sortDeep(v)])) };
}

const expiryRows = (): VocabularyRow[] => [
  row('a.ts', 'isStale', 'true once the entry has expired'),
  row('b.ts', 'staleAfter', 'when an entry expired'),
  row('c.ts', 'markStale', 'flags expired sessions'),
  row('d.ts', 'parseHeader', 'reads the header line'),
];

describe('Vocabulary', () => {
  it('counting rows in and out again leaves it exactly as it was', () => {
    const vocabulary = new Vocabulary();
    vocabulary.count(expiryRows().slice(0, 2), 1);
    const before = canonical(vocabulary);
    vocabulary.count(expiryRows().slice(2), 1);
    vocabulary.count(expiryRows().slice(2), -1);
    assert.deepEqual(canonical(vocabulary), before);
    vocabulary.count(expiryRows().slice(0, 2), -1);
    assert.deepEqual(canonical(vocabulary), canonical(new Vocabulary()));
  });

  it('learns which name parts go with a comment word, and forgets them when the code goes', () => {
    const vocabulary = new Vocabulary();
    vocabulary.count(expiryRows(), 1);
    assert.deepEqual(vocabulary.associations.associates('expir', 3, 0.1).map((a) => a.stem), ['stal']);
    assert.deepEqual(vocabulary.associations.associates('header', 3, 0.1), [], 'seen once is chance, not vocabulary');
    vocabulary.count(expiryRows().slice(0, 1), -1);
    assert.deepEqual(vocabulary.associations.associates('expir', 3, 0.1), [], 'below three units the pair is forgotten');
  });

  it('finds the abbreviations the code uses for a word', () => {
    const vocabulary = new Vocabulary();
    for (let i = 0; i < 3; i++) vocabulary.count([{ ...row(`p${i}.ts`, `pos${i}`, 'x'), searchText: `pos cfg config len` }], 1);
    assert.deepEqual(vocabulary.abbreviations('position'), ['pos']);
    assert.deepEqual(vocabulary.abbreviations('configuration'), ['config']);
    assert.deepEqual(vocabulary.abbreviations('length'), ['len']);
    assert.deepEqual(vocabulary.abbreviations('posh'), [], 'a prefix must leave at least two letters out');
    assert.deepEqual(vocabulary.abbreviations('fileconfig'), [], 'only prefixes count');
  });

  it('does not learn from tests: their names say what they check, not what code does', () => {
    const vocabulary = new Vocabulary();
    vocabulary.count(['x', 'y', 'z'].map((n) => row(`test/${n}.test.ts`, `testExpired${n}`, 'checks the entry expired')), 1);
    assert.deepEqual(vocabulary.associations.associates('expir', 3, 0), []);
  });

  it('survives a save and a load', () => {
    const vocabulary = new Vocabulary();
    vocabulary.count(expiryRows(), 1);
    assert.deepEqual(canonical(Vocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary)))!), canonical(vocabulary));
    assert.equal(Vocabulary.fromJSON({ terms: 'nonsense' }), undefined);
  });
});

describe('DerivedStore', () => {
  async function open(dir: string) {
    const table = await LanceChunkStore.open(dir, 'chunks', 4);
    return DerivedStore.open(table, join(dir, 'vocabulary.json'));
  }
  /** What a clean build of exactly these rows learns. */
  function cleanOf(rows: VocabularyRow[]): unknown {
    const vocabulary = new Vocabulary();
    vocabulary.count(rows, 1);
    return canonical(vocabulary);
  }

  it('follows additions, edits and deletions of files', async () => {
    const store = await open(tempDir());
    const [a, b, c, d] = expiryRows() as ChunkRow[];
    await store.addFiles([a!, b!, c!]);
    assert.deepEqual(canonical(store.vocabulary), cleanOf([a!, b!, c!]));
    const edited = row('b.ts', 'refreshToken', 'renews the token');
    await store.replaceFiles(['b.ts'], [edited]);
    assert.deepEqual(canonical(store.vocabulary), cleanOf([a!, c!, edited]));
    await store.deleteFiles(['a.ts', 'c.ts']);
    await store.addFiles([d!]);
    assert.deepEqual(canonical(store.vocabulary), cleanOf([edited, d!]));
    store.close();
  });

  it('reopens from its saved file, and rebuilds from the rows when that file is of another table version', async () => {
    const dir = tempDir();
    const store = await open(dir);
    await store.addFiles(expiryRows() as ChunkRow[]);
    await store.flush();
    store.close();
    const reopened = await open(dir);
    assert.deepEqual(canonical(reopened.vocabulary), cleanOf(expiryRows()));
    // A commit whose save never happened (the daemon was killed in between): the file describes an older version.
    await reopened.deleteFiles(['d.ts']);
    reopened.close();
    const afterCrash = await open(dir);
    assert.deepEqual(canonical(afterCrash.vocabulary), cleanOf(expiryRows().slice(0, 3)));
    afterCrash.close();
    writeFileSync(join(dir, 'vocabulary.json'), '{ not json');
    const damaged = await open(dir);
    assert.deepEqual(canonical(damaged.vocabulary), cleanOf(expiryRows().slice(0, 3)), 'a damaged file is rebuilt too');
    damaged.close();
  });
});
