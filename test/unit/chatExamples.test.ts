// Example questions of the empty chat view, from the workspace's symbols, folders and README.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveExamples, exampleFolders, exampleSymbols, fallbackExamples, readmeHeadings } from '../../client/src/chat/examples';

test('README headings of levels 2–3 outside code, without Markdown or boilerplate sections', () => {
  const readme = [
    '# Ferret', '', '## Hybrid `retrieval`', 'text', '```sh', '## not a heading', '```',
    '### [Circuit breakers](docs/x.md) ##', '## License', '## Installation', '#### Too deep', '## ab',
  ].join('\n');
  assert.deepEqual(readmeHeadings(readme), ['Hybrid retrieval', 'Circuit breakers']);
});

test('folders: hidden and build output left out, src replaced by its subfolders, sorted', () => {
  const children: Record<string, string[]> = { src: ['http', 'auth', '.cache'], docs: ['img'] };
  assert.deepEqual(
    exampleFolders(['src', 'node_modules', '.git', 'docs', 'cache', 'dist'], (f) => children[f] ?? []),
    ['cache', 'docs', 'src/auth', 'src/http'],
  );
  assert.deepEqual(exampleFolders(['src'], () => []), ['src']);
});

test('symbols come from code ranges only, first of several, once each', () => {
  const hits = [
    { symbol: 'Deploying', kind: 'section' }, { symbol: 'SessionStore.create, SessionStore.evictExpired', kind: 'method' },
    { symbol: '', kind: 'lines' }, { symbol: 'verifyPassword', kind: 'function' }, { symbol: 'SessionStore.create', kind: 'method' },
  ];
  assert.deepEqual(exampleSymbols(hits), ['SessionStore.create', 'verifyPassword']);
});

test('one question of each kind in turn, three in all', () => {
  assert.deepEqual(deriveExamples({ symbols: ['verifyPassword', 'issueSession'], folders: ['src/auth', 'src/http'], headings: ['Hybrid retrieval'] }), [
    'What does verifyPassword do, and where is it used?',
    'What is the src/auth folder responsible for?',
    'Where in the code is "Hybrid retrieval" handled?',
  ]);
});

test('before the index is ready the folders and README still give workspace questions', () => {
  assert.deepEqual(deriveExamples({ symbols: [], folders: ['cache', 'docs', 'src/auth'], headings: [] }), [
    'What is the cache folder responsible for?',
    'What is the docs folder responsible for?',
    'What is the src/auth folder responsible for?',
  ]);
});

test('an empty workspace falls back to general questions; odd symbols are skipped', () => {
  assert.deepEqual(deriveExamples({ symbols: [], folders: [], headings: [] }), [...fallbackExamples]);
  const mixed = deriveExamples({ symbols: ['x', 'a b c', 'Router.handle', 'Router.handle'], folders: [], headings: [] });
  assert.deepEqual(mixed, ['What does Router.handle do, and where is it used?', ...fallbackExamples.slice(0, 2)]);
});
