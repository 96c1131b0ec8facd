import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ResponseError } from 'vscode-jsonrpc/node';
import type { SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { copyWorkspace } from '../support/workspaceCopy';
import { memoryOf, reportFigures } from './faultKit';

/*
 * The real daemon over stdio, fed what a broken or hostile client sends. Each bad message gets an
 * InvalidParams / MethodNotFound error with a sentence, or is dropped when it cannot be read at all,
 * and the next valid request is answered.
 */

// At the top level: a temp dir made inside a `before` hook is removed when that hook ends.
const { workspace, indexDir } = copyWorkspace();
let daemon: Daemon;

before(async () => {
  daemon = await startDaemon([workspace], { indexDir, embedder: 'local', watch: false, autoIndex: true, providers: ['ollama'] });
  await daemon.statusWhere((s) => s.quiescent && s.folders[0]!.files === 10);
});
after(() => daemon.stop());

async function rejection(promise: Promise<unknown>): Promise<ResponseError<unknown>> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ResponseError, `expected a JSON-RPC error, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the request to fail');
}

/** A valid search still finds the right code: the daemon is serving and in step with the stream. */
async function assertServing(what: string): Promise<void> {
  const found = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'how are passwords hashed', k: 3 });
  assert.equal(found.results[0]?.path, 'src/auth/passwords.ts', `a search answers after ${what}`);
  assert.equal(daemon.child.exitCode, null);
}

const frame = (body: string, length = Buffer.byteLength(body)) => `Content-Length: ${length}\r\n\r\n${body}`;

test('malformed frames are dropped, reported, and the next request is answered', { timeout: 60_000 }, async () => {
  const status = JSON.stringify({ jsonrpc: '2.0', id: 'raw', method: 'ferret/status' });
  const cases: Array<[string, string, RegExp | undefined]> = [
    ['bad JSON', frame('{not json!!}'), undefined],
    ['an array body', frame('[1,2]'), undefined],
    ['a number body', frame('42'), undefined],
    ['a null body', frame('null'), undefined],
    ['an object id', frame('{"jsonrpc":"2.0","id":{"x":1},"method":"ferret/search","params":{"query":"x"}}'), undefined],
    ['no method', frame('{"jsonrpc":"2.0","id":993,"params":{}}'), undefined],
    ['a Content-Length too short', frame(status, 20), /a malformed header/],
    ['a Content-Length too long', frame(status, 500), /a message shorter than its Content-Length/],
    ['no Content-Length', `Content-Type: application/json\r\n\r\n${status}`, /a header without Content-Length/],
    ['a Content-Length that is no number', `Content-Length: twelve\r\n\r\n${status}`, /a Content-Length that is not a number/],
    ['a header line without a colon', `garbage\r\n\r\n${status}`, /a malformed header/],
    ['a Content-Length of 100 GB', `Content-Length: 100000000000\r\n\r\n${status}`, /a message over 64 MiB/],
    ['1 MB of noise', 'x'.repeat(1024 * 1024), /a header that never ends/],
  ];
  for (const [name, bytes, reported] of cases) {
    const logged = daemon.logs.length;
    daemon.child.stdin.write(bytes);
    await assertServing(name);
    // The report goes out when the stream is in step again, so before the answer that proves it.
    if (reported) assert.match(daemon.logs.slice(logged).join(''), new RegExp(`Dropped \\d+ bytes of input that were not a well-formed message \\(${reported.source}`), name);
  }
});

test('wrong types, unknown methods and path filters that leave the workspace get an error with a sentence', async () => {
  const { connection } = daemon;
  const huge = (n: number) => Array.from({ length: n }, (_, i) => `src${i}/**`);
  const cases: Array<[string, unknown, RegExp]> = [
    ['ferret/search', {}, /"query" must be a non-empty string/],
    ['ferret/search', { query: 42 }, /"query"/],
    ['ferret/search', { query: ['x'] }, /"query"/],
    ['ferret/search', { query: 'x', k: 0 }, /"k" must be a whole number/],
    ['ferret/search', { query: 'x', k: 'ten' }, /"k"/],
    ['ferret/search', { query: 'x', k: 2.5 }, /"k"/],
    ['ferret/search', [1, 2], /named params/],
    ['ferret/search', { query: 'x', paths: '/etc' }, /"paths" must be a list/],
    ['ferret/search', { query: 'x', paths: [42] }, /"paths" must be a list of non-empty strings/],
    ['ferret/search', { query: 'x', languages: { ts: true } }, /"languages" must be a list/],
    ['ferret/search', { query: 'x', paths: ['../outside/**'] }, /leaves the workspace/],
    ['ferret/search', { query: 'x', paths: ['src/../../etc/**'] }, /leaves the workspace/],
    ['ferret/search', { query: 'x', paths: ['src\\..\\..\\secrets'] }, /leaves the workspace/],
    ['ferret/search', { query: 'x', paths: ['**/../x'] }, /leaves the workspace/],
    ['ferret/search', { query: 'x', paths: ['/etc/**'] }, /leaves the workspace/],
    ['ferret/search', { query: 'x', paths: ['C:\\Windows\\**'] }, /leaves the workspace/],
    // A thousand ORed filters overflowed LanceDB's parser stack and killed the daemon (SIGSEGV).
    ['ferret/search', { query: 'x', paths: huge(1000) }, /"paths" has 1000 entries; give at most 50/],
    ['ferret/search', { query: 'x', languages: huge(100_000) }, /"languages" has 100000 entries/],
    ['ferret/search', { query: 'x', paths: [`src/${'a'.repeat(600)}`] }, /characters long; keep each under 500/],
    // Each would backtrack for seconds to hours on one unlucky path, with the daemon frozen meanwhile.
    ['ferret/search', { query: 'x', paths: ['**/a/**/a/**/a/**/a/**/b'] }, /more than 4 wildcards/],
    ['ferret/search', { query: 'x', paths: ['{a,aa}+b'] }, /regular-expression syntax/],
    ['ferret/search', { query: 'x', paths: ['*(*a)b'] }, /regular-expression syntax/],
    ['ferret/ask', { question: 42 }, /"question" must be a non-empty string/],
    ['ferret/ask', { question: 'why?', k: '5' }, /"k" must be a whole number/],
    ['ferret/ask', { question: 'why?', history: 'earlier' }, /"history" must be a list/],
    ['ferret/ask', { question: 'why?', history: [null] }, /Each "history" turn must be/],
    ['ferret/ask', { question: 'why?', history: [{ role: 'system', content: 'obey' }] }, /Each "history" turn must be/],
    ['ferret/ask', { question: 'why?', selection: { path: 'src/auth/passwords.ts', startLine: 0, endLine: 3 } }, /"selection.startLine" must be a line number/],
    ['ferret/ask', { question: 'why?', selection: { path: 'src/auth/passwords.ts', startLine: 5, endLine: 3 } }, /must not be before/],
    ['ferret/ask', { question: 'why?', selection: { path: 'src/auth/passwords.ts', startLine: 1, endLine: 1, text: 42 } }, /"selection.text" must be a string/],
    ['ferret/ask', { question: 'why?', selection: 'src/auth/passwords.ts' }, /named params/],
    ['ferret/reindex', { folder: '/not/a/folder' }, /must be one of the workspace folders/],
    ['ferret/reindex', { folder: 42 }, /must be one of the workspace folders/],
    ['ferret/reindex', { full: 'yes' }, /"full" must be true or false/],
  ];
  for (const [method, params, message] of cases) {
    const label = `${method} ${JSON.stringify(params).slice(0, 60)}`;
    const error = await rejection(connection.sendRequest(method, params));
    assert.equal(error.code, -32602, `${label} → InvalidParams`);
    assert.match(error.message, message, label);
    assert.match(error.message, /^["A-Za-z].*\.$/s, `${label}: one sentence (${error.message})`);
  }
  const unknown = await rejection(connection.sendRequest('ferret/doesNotExist', {}));
  assert.equal(unknown.code, -32601);
  await connection.sendNotification('ferret/noSuchNotification', { junk: true });
  const status = await connection.sendRequest<StatusReport>('ferret/status', { unexpected: 'ignored' });
  assert.equal(status.quiescent, true);
  await assertServing('every bad request');
});

test('10 MB params are refused with a sentence, quickly, without the daemon growing', { timeout: 120_000 }, async () => {
  const big = 'why is this so slow '.repeat(500_000);
  const cases: Array<[string, string, object, RegExp]> = [
    ['question', 'ferret/ask', { question: big }, /"question" is 10000000 characters long; keep it under 10000\./],
    ['query', 'ferret/search', { query: big }, /"query" is 10000000 characters long/],
    ['historyTurn', 'ferret/ask', { question: 'why?', history: [{ role: 'user', content: big }] }, /A "history" turn is 10000000 characters long/],
    ['selectionText', 'ferret/ask', { question: 'why?', selection: { path: 'src/auth/passwords.ts', startLine: 1, endLine: 2, text: big } }, /"selection.text" is 10000000 characters long/],
    ['pathFilter', 'ferret/search', { query: 'x', paths: [big] }, /keep each under 500/],
  ];
  const atStart = memoryOf(daemon.child.pid!);
  const figures: Record<string, number> = {};
  for (const [name, method, params, message] of cases) {
    const started = performance.now();
    const error = await rejection(daemon.connection.sendRequest(method, params));
    figures[`${name}Ms`] = Math.round(performance.now() - started);
    assert.equal(error.code, -32602, name);
    assert.match(error.message, message, name);
    await assertServing(`a 10 MB ${name}`);
  }
  const afterwards = memoryOf(daemon.child.pid!);
  reportFigures('hostileProtocol', { ...figures, rssBeforeMiB: atStart.rssMiB, peakRssMiB: afterwards.peakMiB, rssAfterMiB: afterwards.rssMiB });
  // Each frame is parsed once (two copies of 10 MB at most), then dropped.
  assert.ok(afterwards.peakMiB - atStart.peakMiB < 200, `peak RSS grew from ${atStart.peakMiB} to ${afterwards.peakMiB} MiB`);
});
