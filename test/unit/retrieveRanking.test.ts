// Ranking on hand-made candidate lists: what the fusion, the unit narrowing and the boosts decide,
// without a store. Each case is one a previous ranking got wrong.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChunkUnit } from '../../server/src/chunk/types';
import type { FolderCandidates } from '../../server/src/retrieve/folderCandidates';
import { identifiersIn, namedDefinitions } from '../../server/src/retrieve/namedDefinitions';
import { encodeDefinitions } from '../../server/src/symbols/symbolColumns';
import { SymbolIndex } from '../../server/src/symbols/symbolIndex';
import type { ChunkRow } from '../../server/src/store/vectorStore';
import { rankingWeights } from '../../server/src/retrieve/rankingWeights';
import { fuseCandidates } from '../../server/src/retrieve/scoreFusion';
import { joinOverlaps, rankAcrossFolders } from '../../server/src/retrieve/search';
import type { StoredChunk } from '../../server/src/store/vectorStore';
import { stem } from '../../server/src/text/stem';
import { stemmedTerms, Vocabulary } from '../../server/src/vocab/vocabulary';

const weights = rankingWeights('local');

function chunk(path: string, startLine: number, lines: string[], units?: Array<[number, number, string]>): StoredChunk {
  const endLine = startLine + lines.length - 1;
  const unitList: ChunkUnit[] = units
    ? units.map(([start, end, symbol]) => ({ startLine: start, endLine: end, symbol, kind: 'function' }))
    : [{ startLine, endLine, symbol: '', kind: 'block' }];
  return { id: `${path}:${startLine}`, path, startLine, endLine, language: 'typescript', symbol: unitList.map((u) => u.symbol).join(', '), kind: 'function', text: lines.join('\n'), units: unitList };
}

/** A vocabulary that has seen `documents` chunks, each holding the given words. */
function vocabularyOf(documents: string[]): Vocabulary {
  const vocabulary = new Vocabulary();
  for (const text of documents) vocabulary.terms.count(stemmedTerms(text.split(' ')), 1);
  return vocabulary;
}

function offer(folder: string, vocabulary: Vocabulary, query: string, text: Array<[StoredChunk, number]>, vector: Array<[StoredChunk, number]> = [], definitions: StoredChunk[] = []) {
  const candidates: FolderCandidates = {
    text: text.map(([c, score]) => ({ chunk: c, score })),
    vector: vector.map(([c, score]) => ({ chunk: c, score })),
    definitions,
    query: [...new Set(query.split(' ').map(stem))].map((s) => ({ stem: s, weight: 1 })),
    vocabulary,
  };
  return { folder, candidates };
}

const request = (query: string, k = 10) => ({ query, k, paths: [], languages: [] });
/** 100 documents where `rare` appears once and `common` in most. */
const corpus = () => vocabularyOf([...Array.from({ length: 99 }, (_, i) => `common filler${i}`), 'rare common']);

describe('fusion across folders', () => {
  it('a folder with nothing relevant does not put its best weak hit level with a strong one', () => {
    const vocabulary = corpus();
    const strong = chunk('a/strong.ts', 1, ['rare common']);
    const weak = chunk('b/weak.ts', 1, ['common']);
    const fused = fuseCandidates([offer('/a', vocabulary, 'rare common', [[strong, 6]]), offer('/b', vocabulary, 'rare common', [[weak, 0.4]])], weights);
    const score = (path: string) => fused.find((f) => f.chunk.path === path)!.score;
    // Min-max per folder gave both 0.7: each was the best (and only) hit of its own list.
    assert.ok(score('b/weak.ts') < score('a/strong.ts') / 4, `weak ${score('b/weak.ts')} vs strong ${score('a/strong.ts')}`);
  });

  it('a list holding one weak hit does not hand it the list’s full weight', () => {
    const vocabulary = corpus();
    const lonely = chunk('lonely.ts', 1, ['common']);
    const [fused] = fuseCandidates([offer('/a', vocabulary, 'rare common', [[lonely, 0.4]])], weights);
    assert.ok(fused!.score < 0.2 * weights.text, `one weak hit scores ${fused!.score}, not ${weights.text}`);
  });

  it('vector similarities below the embedder’s noise floor add nothing', () => {
    const vocabulary = corpus();
    const faint = chunk('faint.ts', 1, ['x']);
    const [fused] = fuseCandidates([offer('/a', vocabulary, 'rare', [], [[faint, weights.vectorFloor]])], weights);
    assert.equal(fused!.score, 0);
  });
});

describe('units', () => {
  const merged = chunk('src/cart.ts', 10, ['function total(items) {', '  return items.length;', '}', 'function discount(price, coupon) {', '  return price * coupon.rate;', '}'], [
    [10, 12, 'Cart.total'],
    [13, 15, 'Cart.discount'],
  ]);

  it('a merged chunk is narrowed to the unit whose own lines hold the query’s words', () => {
    const vocabulary = vocabularyOf(['total items length', 'discount price coupon rate', ...Array.from({ length: 20 }, (_, i) => `other${i}`)]);
    const [hit] = rankAcrossFolders([offer('/w', vocabulary, 'coupon rate', [[merged, 5]])], request('apply the coupon rate'), weights);
    assert.deepEqual([hit!.chunk.startLine, hit!.chunk.endLine, hit!.chunk.symbol], [13, 15, 'Cart.discount']);
    assert.equal(hit!.chunk.text, 'function discount(price, coupon) {\n  return price * coupon.rate;\n}');
  });

  it('when the evidence does not tell the units apart, the hit keeps them all', () => {
    const vocabulary = vocabularyOf(['anything', 'else']);
    const [hit] = rankAcrossFolders([offer('/w', vocabulary, 'unrelated', [], [[merged, 0.9]])], request('unrelated'), weights);
    assert.deepEqual([hit!.chunk.startLine, hit!.chunk.endLine], [10, 15]);
  });

  it('the exact-name boost reads every unit of a chunk, not only the last name of its label', () => {
    const vocabulary = vocabularyOf(['total', 'discount', ...Array.from({ length: 50 }, (_, i) => `other${i}`)]);
    const other = chunk('src/other.ts', 1, ['const x = total;'], [[1, 1, 'other']]);
    // The label `Cart.total, Cart.discount` ends in `discount`; a query naming `total` must still find Cart.total.
    const hits = rankAcrossFolders([offer('/w', vocabulary, 'total', [[merged, 2], [other, 2]])], request('total'), weights);
    assert.equal(hits[0]!.chunk.symbol, 'Cart.total');
  });

  it('the implementation comes before its tests unless the question is about tests', () => {
    const vocabulary = vocabularyOf(['cors preflight', 'cors preflight test', 'x', 'y', 'z']);
    const impl = chunk('src/middleware/cors.ts', 1, ['function cors(req) {', '  if (preflight(req)) return allow();', '}'], [[1, 3, 'cors']]);
    const spec = chunk('test/cors.test.ts', 1, ['describe("cors", () => {', '  it("answers preflight", () => cors(preflightRequest));', '});'], [[1, 3, 'cors']]);
    const offers = [offer('/w', vocabulary, 'cors preflight', [[spec, 5], [impl, 4.4]])];
    assert.deepEqual(rankAcrossFolders(offers, request('How does the cors middleware handle preflight requests?'), weights).map((h) => h.chunk.path), ['src/middleware/cors.ts', 'test/cors.test.ts']);
    assert.equal(rankAcrossFolders(offers, request('which tests cover cors preflight?'), weights)[0]!.chunk.path, 'test/cors.test.ts');
  });
});

describe('definitions', () => {
  it('the unit that defines an identifier the question names comes before the units that mention it more', () => {
    const vocabulary = vocabularyOf(['parse header', 'parse header', 'parse header', 'x', 'y', 'z', 'w']);
    const definition = chunk('src/headers.ts', 10, ['export function parseHeader(line: string) {', '  return line.split(":");', '}'], [[10, 12, 'parseHeader']]);
    const callers = [1, 2, 3].map((n) =>
      chunk(`src/caller${n}.ts`, 1, ['function read() {', '  const h = parseHeader(a); parseHeader(b); parseHeader(c);', '  return parseHeader(d);', '}'], [[1, 4, 'read']]),
    );
    // Full-text search, deep in callers, did not reach the definition at all.
    const text = callers.map((c): [StoredChunk, number] => [c, 1]);
    const withDefinition = rankAcrossFolders([offer('/w', vocabulary, 'parse header', text, [], [definition])], request('where is parseHeader defined'), weights);
    assert.equal(withDefinition[0]!.chunk.path, 'src/headers.ts');
    const withoutGraph = rankAcrossFolders([offer('/w', vocabulary, 'parse header', text)], request('where is parseHeader defined'), weights);
    assert.ok(withoutGraph.every((hit) => hit.chunk.path !== 'src/headers.ts'), 'the case needs the graph: by words alone only callers are found');
  });

  it('reads the words a question may use as names: code-shaped ones, and plain words that are not prose', () => {
    assert.deepEqual(identifiersIn('where is parseHeader defined'), ['parseHeader', 'defined']);
    assert.deepEqual(identifiersIn('What does `run` do with Router.handle and parse_args()?'), ['run', 'Router.handle', 'parse_args']);
    assert.deepEqual(identifiersIn('How does the HTTPServer use Vec::push and sha256'), ['HTTPServer', 'use', 'Vec::push', 'sha256']);
    assert.deepEqual(identifiersIn('Where are sessions refreshed'), ['sessions', 'refreshed']);
    assert.deepEqual(identifiersIn('how is it done'), []);
  });
});

describe('namedDefinitions', () => {
  const rows = [
    { id: 'a', path: 'src/utf8.rs', startLine: 1, endLine: 9, language: 'rust', symbol: 'from_utf8', kind: 'function', text: 'pub fn from_utf8(v: &[u8]) {}', units: '', definitions: encodeDefinitions([{ name: 'from_utf8', kind: 'function', container: '', startLine: 1, endLine: 9 }]), references: '' },
    { id: 'b', path: 'src/get.rs', startLine: 1, endLine: 3, language: 'rust', symbol: 'get', kind: 'function', text: 'fn get() {}', units: '', definitions: encodeDefinitions([1, 2, 3, 4].map((n) => ({ name: 'get', kind: 'method' as const, container: `T${n}`, startLine: 1, endLine: 3 }))), references: '' },
  ];
  const symbols = new SymbolIndex();
  symbols.count(rows, 1);
  const store = {
    async *scanRows<K extends keyof ChunkRow>(_columns: readonly K[], paths?: readonly string[]) {
      yield rows.filter((row) => !paths || paths.includes(row.path)) as unknown as Array<Pick<ChunkRow, K>>;
    },
  };
  const found = async (query: string) => (await namedDefinitions(store, symbols, query)).map((chunk) => chunk.path);

  it('offers the definition when the question is about the name', async () => {
    assert.deepEqual(await found('where is from_utf8 defined'), ['src/utf8.rs']);
    assert.deepEqual(await found('what does `from_utf8` do?'), ['src/utf8.rs']);
  });

  it('offers nothing when the name is context in a longer question, names a common name, or asks about tests', async () => {
    assert.deepEqual(await found('This is the inverse of `from_utf8` for owned byte vectors'), []);
    assert.deepEqual(await found('where is get defined'), [], 'get is defined four times');
    assert.deepEqual(await found('which tests cover from_utf8'), []);
  });
});

describe('joinOverlaps', () => {
  const hit = (path: string, start: number, end: number, score: number) => ({ folder: '/w', score, chunk: chunk(path, start, Array.from({ length: end - start + 1 }, (_, i) => `line ${start + i}`)) });

  it('joins overlapping windows of one file into one range scored as its best part', () => {
    const joined = joinOverlaps([hit('a.yaml', 1, 60, 0.4), hit('a.yaml', 51, 110, 0.9)]);
    assert.equal(joined.length, 1);
    assert.deepEqual([joined[0]!.chunk.startLine, joined[0]!.chunk.endLine, joined[0]!.score], [1, 110, 0.9]);
    assert.equal(joined[0]!.chunk.text.split('\n').length, 110);
  });

  it('keeps touching units apart, and hits of other files', () => {
    assert.equal(joinOverlaps([hit('a.ts', 1, 10, 0.5), hit('a.ts', 11, 20, 0.6), hit('b.ts', 5, 15, 0.1)]).length, 3);
  });
});
