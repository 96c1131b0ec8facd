// The relevance bench is only as honest as its baselines: BM25 and the line windows checked against
// figures worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bm25Index } from '../bench/bm25.mjs';
import { windowBaseline, windowsOf } from '../bench/relevance/baselines.mjs';

test('BM25 scores match a hand-computed example', () => {
  // N = 2, lengths 2 and 3 (average 2.5). "c": df 1, idf = ln(1 + 1.5 / 1.5) = ln 2;
  // d2 has tf 2, so 2 · 2.2 · ln 2 / (2 + 1.2 · (0.25 + 0.75 · 3 / 2.5)) = 0.902322.
  // "a": df 2, idf = ln(1 + 0.5 / 2.5) = ln 1.2; d1 (tf 1, length 2): 2.2 · ln 1.2 / (1 + 1.2 · 0.85) = 0.198568,
  // d2 (tf 1, length 3): 2.2 · ln 1.2 / 2.38 = 0.168533.
  const index = new Bm25Index([
    { id: 'd1', text: 'A b' },
    { id: 'd2', text: 'a, c C' },
  ]);
  const close = (actual: Array<{ id: string; score: number }>, expected: Array<[string, number]>) => {
    assert.deepEqual(actual.map((hit) => hit.id), expected.map(([id]) => id));
    actual.forEach((hit, i) => assert.ok(Math.abs(hit.score - expected[i]![1]) < 1e-5, `${hit.id}: ${hit.score} vs ${expected[i]![1]}`));
  };
  close(index.scored('c', 10), [['d2', 0.902322]]);
  close(index.scored('a', 10), [['d1', 0.198568], ['d2', 0.168533]]);
  close(index.scored('a c c', 10), [['d2', 0.902322 + 0.168533], ['d1', 0.198568]]);
  assert.deepEqual(index.search('zebra', 10), []);
});

test('line windows tile a file without overlap; whole files are one window', () => {
  const text = 'one\ntwo\nthree\nfour\nfive\n';
  assert.deepEqual(windowsOf('f.py', text, 2).map((w) => [w.startLine, w.endLine, w.text]), [[1, 2, 'one\ntwo'], [3, 4, 'three\nfour'], [5, 5, 'five']]);
  assert.deepEqual(windowsOf('f.py', text, Infinity).map((w) => [w.startLine, w.endLine]), [[1, 5]]);
  const baseline = windowBaseline(new Map([['f.py', text], ['g.py', 'four four\nsix\n']]), 2);
  assert.deepEqual(baseline.search('four', 10).map((w) => `${w.path}:${w.startLine}-${w.endLine}`), ['g.py:1-2', 'f.py:3-4']);
});
