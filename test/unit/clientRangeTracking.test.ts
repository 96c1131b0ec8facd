import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEdit, applyEdits, type Edit, type Span } from '../../client/src/citations/rangeTracking';

/** Lines 10–14 of a file, whole lines (the last one 20 characters long). */
const cited: Span = { start: { line: 10, character: 0 }, end: { line: 14, character: 20 } };
const at = (line: number, character = 0) => ({ line, character });
const edit = (start: [number, number], end: [number, number], text: string): Edit => ({ range: { start: at(...start), end: at(...end) }, text });

test('lines inserted above a citation move it down', () => {
  assert.deepEqual(applyEdit(cited, edit([2, 0], [2, 0], 'a\nb\nc\n')), { start: at(13), end: at(17, 20) });
});

test('lines inserted right at its first line, column 0, push it down', () => {
  assert.deepEqual(applyEdit(cited, edit([10, 0], [10, 0], 'x\n')), { start: at(11), end: at(15, 20) });
});

test('lines deleted above a citation move it up', () => {
  assert.deepEqual(applyEdit(cited, edit([3, 0], [6, 0], '')), { start: at(7), end: at(11, 20) });
});

test('edits below a citation leave it alone', () => {
  assert.deepEqual(applyEdit(cited, edit([20, 0], [22, 0], 'zzz')), cited);
});

test('typing inside a citation stretches it', () => {
  assert.deepEqual(applyEdit(cited, edit([12, 4], [12, 4], 'more\nlines\n')), { start: at(10), end: at(16, 20) });
});

test('deleting the whole cited text removes the citation', () => {
  assert.equal(applyEdit(cited, edit([9, 0], [15, 0], '')), undefined);
  assert.equal(applyEdit(cited, edit([10, 0], [14, 20], 'replaced')), undefined);
});

test('deleting the top half keeps the rest, starting where the deletion was', () => {
  assert.deepEqual(applyEdit(cited, edit([8, 0], [12, 0], '')), { start: at(8), end: at(10, 20) });
});

test('several changes apply in order; once gone, a citation stays gone', () => {
  assert.deepEqual(applyEdits(cited, [edit([0, 0], [0, 0], '\n'), edit([0, 0], [0, 0], '\n')]), { start: at(12), end: at(16, 20) });
  assert.equal(applyEdits(cited, [edit([10, 0], [14, 20], ''), edit([0, 0], [0, 0], '\n')]), undefined);
});
