// The one sources list under an answer, and the citation markers inside it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Citation } from '../../server/src/shared/protocol';
import { renderAnswer } from '../../client/webview/markdown';
import { breakablePath, citationLocation, citedNumbers, renderSources } from '../../client/webview/sources';

const c = (n: number, over: Partial<Citation> = {}): Citation => ({
  n, folder: '/ws', path: `src/f${n}.ts`, startLine: 10 * n, endLine: 10 * n + 4, symbol: `fn${n}`, ...over,
});
const entries = (html: string) => [...html.matchAll(/data-cite="(\d+)"/g)].map((m) => Number(m[1]));

test('paths break after each slash only, never inside a name', () => {
  assert.equal(breakablePath('client/src/index.test.ts'), 'client/<wbr>src/<wbr>index.test.ts');
  assert.equal(breakablePath('a<b>/c'), 'a&lt;b&gt;/<wbr>c');
});

test('a location reads path:start-end, or path:line for one line', () => {
  assert.equal(citationLocation(c(1)), 'src/f1.ts:10-14');
  assert.equal(citationLocation(c(2, { startLine: 7, endLine: 7 })), 'src/f2.ts:7');
});

test('an answer gets one collapsed list: every source once, in number order, cited ones marked', () => {
  const html = renderSources([c(3), c(1), c(2), c(1, { path: 'dup.ts' })], 'Checked in [1], issued in [3].', false);
  assert.equal((html.match(/<details/g) ?? []).length, 1);
  assert.match(html, /^<details class="sources"><summary>3 sources · 2 cited<\/summary>/);
  assert.deepEqual(entries(html), [1, 2, 3]);
  assert.doesNotMatch(html, /dup\.ts/);
  assert.deepEqual([...html.matchAll(/class="source( cited)?" data-cite="(\d)"/g)].map((m) => `${m[2]}${m[1] ? '*' : ''}`), ['1*', '2', '3*']);
  assert.match(html, /<span class="source-path">src\/<wbr>f1\.ts:10-14<\/span> <span class="source-symbol">fn1<\/span>/);
});

test('a sources-only answer shows the list open, once, with nothing marked as cited', () => {
  const citations = Array.from({ length: 8 }, (_, i) => c(i + 1));
  const daemonText = citations.map((x) => `${x.n}. \`${x.path}\` [${x.n}]`).join('\n');
  const html = renderSources(citations, daemonText, true);
  assert.match(html, /^<details class="sources" open><summary>8 sources<\/summary>/);
  assert.deepEqual(entries(html), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.doesNotMatch(html, /cited/);
});

test('no citations, no list; one source is singular', () => {
  assert.equal(renderSources([], 'No sources.', false), '');
  assert.match(renderSources([c(1)], 'x', false), /<summary>1 source<\/summary>/);
});

test('hostile paths and symbols are escaped in the list', () => {
  const html = renderSources([c(1, { path: '<img src=x onerror=alert(1)>.ts', symbol: '"><script>x</script>' })], '[1]', false);
  assert.doesNotMatch(html, /<img|<script/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;\.ts/);
});

test('markers found in the answer are the cited numbers', () => {
  assert.deepEqual([...citedNumbers('a [1] b [12] c [x] [1]')], [1, 12]);
});

test('markers with a known citation become buttons; unknown numbers stay text', () => {
  const html = renderAnswer('See [1] and [9].', [c(1)]);
  assert.match(html, /<button type="button" class="cite" data-cite="1" aria-label="Source 1: src\/f1.ts:10-14">\[1\]<\/button>/);
  assert.match(html, /and \[9\]\./);
});
