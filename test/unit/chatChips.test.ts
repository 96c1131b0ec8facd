// Citation chips under an answer and citation markers inside it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Citation } from '../../server/src/shared/protocol';
import { citationLocation, renderChips } from '../../client/webview/chips';
import { renderAnswer } from '../../client/webview/markdown';

const c = (n: number, over: Partial<Citation> = {}): Citation => ({
  n, folder: '/ws', path: `src/f${n}.ts`, startLine: 10 * n, endLine: 10 * n + 4, symbol: `fn${n}`, ...over,
});

test('a chip reads [n] path:start-end and carries only its number', () => {
  assert.equal(
    renderChips([c(1)]),
    '<button type="button" class="chip" data-cite="1" title="fn1 — /ws/src/f1.ts">[1] src/f1.ts:10-14</button>',
  );
});

test('a one-line range shows a single line; no symbol leaves it out of the title', () => {
  assert.equal(citationLocation(c(2, { startLine: 7, endLine: 7 })), 'src/f2.ts:7');
  assert.match(renderChips([c(2, { symbol: '' })]), /title="\/ws\/src\/f2.ts"/);
});

test('chips come in marker order, once per number', () => {
  const html = renderChips([c(3), c(1), c(2), c(1, { path: 'dup.ts' })]);
  assert.deepEqual([...html.matchAll(/data-cite="(\d+)"/g)].map((m) => m[1]), ['1', '2', '3']);
  assert.doesNotMatch(html, /dup\.ts/);
});

test('hostile paths and symbols are escaped in chips', () => {
  const html = renderChips([c(1, { path: '<img src=x onerror=alert(1)>.ts', symbol: '"><script>alert(1)</script>' })]);
  assert.doesNotMatch(html, /<img|<script/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;\.ts:10-14/);
  assert.match(html, /title="&quot;&gt;&lt;script&gt;/);
});

test('markers [n] for known citations become buttons; unknown numbers and code stay text', () => {
  const html = renderAnswer('Login is in [1], tokens in [2]; not [9]. `see [1]`', [c(1), c(2)]);
  assert.match(html, /<button type="button" class="cite" data-cite="1" aria-label="Source 1: src\/f1.ts:10-14">\[1\]<\/button>/);
  assert.match(html, /data-cite="2"/);
  assert.match(html, /not \[9\]/);
  assert.match(html, /<code>see \[1\]<\/code>/);
});

test('adjacent markers [1][2] both become buttons', () => {
  const html = renderAnswer('Both [1][2].', [c(1), c(2)]);
  assert.equal((html.match(/class="cite"/g) ?? []).length, 2);
});

test('while streaming (no citations yet) markers stay plain text', () => {
  assert.equal(renderAnswer('See [1]', []), '<p>See [1]</p>\n');
});
