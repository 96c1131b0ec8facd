import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breakdown, formatHits, formatStatus, formatSummaries, searchJsonLine } from '../../server/src/daemonClient/format';
import { ProgressBar } from '../../server/src/cli/progressBar';
import { lastMeaningfulLine } from '../../server/src/daemonClient/stderrTail';
import { PLAIN, styleFor } from '../../server/src/daemonClient/style';
import type { Hit, IndexSummary, SearchResult, StatusReport } from '../../server/src/shared/protocol';

const hit = (over: Partial<Hit>): Hit => ({
  folder: '/ws',
  path: 'src/a.ts',
  startLine: 10,
  endLine: 20,
  language: 'typescript',
  symbol: 'Router.handle',
  kind: 'method',
  score: 0.0327869,
  text: 'handle(req) {\n  return 1;\n}',
  ...over,
});

test('--json search output has exactly the documented keys, in order, with relative paths', () => {
  const result: SearchResult = { query: 'ignored', results: [hit({})], mode: 'fulltext', modeReason: 'no vectors yet' };
  const line = searchJsonLine('route handler', result);
  assert.equal(line.includes('\n'), false);
  assert.equal(
    line,
    '{"query":"route handler","results":[{"path":"src/a.ts","startLine":10,"endLine":20,"symbol":"Router.handle","score":0.0327869}],"mode":"fulltext"}',
  );
});

test('a readable hit shows path:start-end, symbol, score and numbered snippet lines', () => {
  const long = Array.from({ length: 10 }, (_, i) => `    line${i}`).join('\n');
  const text = formatHits({ query: 'q', mode: 'hybrid', results: [hit({}), hit({ path: 'b.py', symbol: '', startLine: 1, endLine: 10, text: `\n${long}` })] }, PLAIN);
  assert.match(text, /^src\/a\.ts:10-20 {2}Router\.handle {2}\(0\.0328\)\n {2}10 │ handle\(req\) \{\n {2}11 │ {3}return 1;\n {2}12 │ \}\n/);
  // Leading blank lines are skipped, common indentation removed, and the rest counted.
  assert.match(text, /b\.py:1-10 {2}\(0\.0328\)\n {2}2 │ line0\n {2}3 │ line1\n {2}4 │ line2\n {2}5 │ line3\n {4}┆ 7 more lines in range\n$/);
});

test('a long range shows the lines around the one that matches most query words', () => {
  const text = ['class Billing {', '  constructor() {}', '  total() { return 0; }', '', '  /** Waits longer each time. */', '  backoffDelay(attempt) {', '    return 2 ** attempt;', '  }', '}'].join('\n');
  const out = formatHits({ query: 'backoff delay', mode: 'hybrid', results: [hit({ startLine: 100, endLine: 108, text })] }, PLAIN);
  assert.match(out, /\n {2}104 │ \/\*\* Waits longer each time\. \*\/\n {2}105 │ backoffDelay\(attempt\) \{\n {2}106 │ {3}return 2 \*\* attempt;\n {2}107 │ \}\n {6}┆ 5 more lines in range\n$/);
});

test('no hits is said in words', () => {
  assert.equal(formatHits({ query: 'zzz', results: [], mode: 'hybrid' }, PLAIN), 'No results for "zzz".\n');
});

test('colors only on a TTY and never with NO_COLOR', () => {
  assert.equal(styleFor({ isTTY: true }, {}).bold('x'), '\x1b[1mx\x1b[22m');
  assert.equal(styleFor({ isTTY: true }, { NO_COLOR: '1' }).bold('x'), 'x');
  assert.equal(styleFor({ isTTY: true }, { NO_COLOR: '' }).bold('x'), '\x1b[1mx\x1b[22m');
  assert.equal(styleFor({ isTTY: false }, {}).bold('x'), 'x');
  assert.equal(formatHits({ query: 'q', mode: 'hybrid', results: [hit({})] }, PLAIN).includes('\x1b'), false);
});

test('the index summary reports totals, this pass, vectors, skips and fallbacks', () => {
  const summary: IndexSummary = {
    folder: '/ws',
    files: 1234,
    chunks: 5678,
    indexedFiles: 56,
    removedFiles: 1,
    embeddedChunks: 400,
    reusedChunks: 5278,
    bytes: 3 * 1024 * 1024,
    skipped: { ignored: 10, binary: 2, secret: 0 },
    parseFallbacks: {},
    seededFiles: 0,
    seededChunks: 0,
    durationMs: 3210,
  };
  const text = formatSummaries([summary], PLAIN);
  assert.match(text, /^1,234 files, 5,678 chunks in \/ws \(3\.2 s\)\n/);
  assert.match(text, /this pass +56 files indexed, 1 file removed, 3\.0 MiB read/);
  assert.match(text, /vectors +400 chunks embedded, 5,278 chunks reused/);
  assert.match(text, /skipped +12: ignored 10, binary 2\n/);
  assert.match(text, /parse fallbacks +none\n/);
});

test('skip counts read largest first, ties by name', () => {
  assert.equal(breakdown({ secret: 1, binary: 3, ignored: 1 }), '5: binary 3, ignored 1, secret 1');
  assert.equal(breakdown({}), 'none');
});

test('status shows health, embedder and each folder with its progress and error', () => {
  const report: StatusReport = {
    health: 'warning',
    quiescent: false,
    ready: false,
    notReadyReason: 'The first index of /ws is still being built (1/3 files).',
    message: 'Indexing 1 folder.',
    folders: [{ folder: '/ws', state: 'indexing', files: 3, chunks: 9, pending: 2, revision: 4, progress: { done: 1, total: 3 }, indexDir: '/cache/ws', skipped: {}, error: 'Disk full.', watching: 'Watching /ws hit the limit.' }],
    embedder: { id: 'local:hash-v1', dimensions: 384, reason: 'Ollama did not answer.', pendingVectors: 5 },
    providers: [{ id: 'ollama', model: 'qwen', breaker: 'closed', availability: 'unavailable', consecutiveFailures: 1, streaming: false, lastError: 'Could not connect to Ollama.' }],
    endpoints: [
      { purpose: 'embeddings', provider: 'ollama', url: 'http://127.0.0.1:11434', remote: false },
      { purpose: 'chat', provider: 'openai', url: 'https://llm.example.com/v1', remote: true },
    ],
    version: '1.2.3',
  };
  const text = formatStatus(report, PLAIN);
  assert.match(text, /sends to +embeddings → http:\/\/127\.0\.0\.1:11434, chat → https:\/\/llm\.example\.com\/v1 \(remote\)\n/);
  assert.match(text, /^Ferret 1\.2\.3 {2}warning {2}Indexing 1 folder\.\n/);
  assert.match(text, /ready +no — The first index of \/ws is still being built \(1\/3 files\)\./);
  assert.match(text, /embedder +local:hash-v1 \(384 dimensions, 5 vectors pending\) — Ollama did not answer\./);
  assert.match(text, /state +indexing \(3 files, 9 chunks, 2 files pending\)/);
  assert.match(text, /progress +1\/3 files/);
  assert.match(text, /index +\/cache\/ws/);
  assert.match(text, /error +Disk full\./);
  assert.match(text, /watching +Watching \/ws hit the limit\./);
  assert.match(text, /chat ollama +qwen: unavailable — Could not connect to Ollama\./, 'one failed question, breaker still closed');
});

test('the progress bar redraws in place, throttles, shows the rate and erases itself', () => {
  const writes: string[] = [];
  let now = 0;
  const bar = new ProgressBar({ write: (text: string) => writes.push(text), columns: 100 }, 'Indexing', () => now);
  now = 2000;
  bar.update(50, 200);
  now = 2050;
  bar.update(60, 200);
  now = 4000;
  bar.update(200, 200);
  bar.finish();
  assert.equal(writes.length, 3, 'the update 50 ms after the first is skipped');
  assert.match(writes[0]!, /^\rIndexing \[######-+\] 50\/200 files {2}25 files\/s\x1b\[K$/);
  assert.match(writes[1]!, /\[#{24}\] 200\/200 files {2}50 files\/s/);
  assert.equal(writes[2], '\r\x1b[K');
});

test('the progress bar fits the terminal width, and assumes 80 columns when the size is unknown', () => {
  const writes: string[] = [];
  new ProgressBar({ write: (text: string) => writes.push(text), columns: 20 }, 'Indexing').update(1, 2);
  new ProgressBar({ write: (text: string) => writes.push(text), columns: 0 }, 'Indexing').update(1, 2);
  assert.equal(writes[0], '\rIndexing [#########\x1b[K');
  assert.equal(writes[1], '\rIndexing [############------------] 1/2 files\x1b[K');
});

test('the quoted line of a crashed daemon is its error, not the stack or the Node banner', () => {
  const stderr = ['[info] starting', '/x/server.js:10', '    throw e;', '    ^', '', 'Error: disk on fire', '    at f (x.js:1:1)', '  code: 1', '}', '', 'Node.js v20.20.0'];
  assert.equal(lastMeaningfulLine(stderr), 'Error: disk on fire');
  assert.equal(lastMeaningfulLine(['', '   ']), undefined);
});
