import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusView } from '../../client/src/status/statusView';
import type { FolderStatus, StatusReport } from '../../server/src/shared/protocol';

const folder = (over: Partial<FolderStatus> = {}): FolderStatus => ({
  folder: '/ws/app', state: 'ready', files: 12, chunks: 1234, pending: 0, revision: 1, indexDir: '/idx', skipped: {}, ...over,
});
const report = (over: Partial<StatusReport> = {}): StatusReport => ({
  health: 'ok', quiescent: true, ready: true, message: 'Index ready.', folders: [folder()],
  embedder: { id: 'local:hash-v1', dimensions: 256, reason: 'no Ollama', pendingVectors: 0 },
  providers: [{ id: 'ollama', model: 'qwen', breaker: 'closed', availability: 'available', consecutiveFailures: 0, streaming: false }], endpoints: [], version: '0.1.0', ...over,
});

test('ready shows the chunk count', () => {
  const view = statusView('running', report());
  assert.equal(view.text, '$(check) Ferret: 1,234 chunks');
  assert.equal(view.severity, 'none');
});

test('indexing shows progress with a spinner', () => {
  assert.equal(statusView('running', report({ quiescent: false, folders: [folder({ state: 'indexing', progress: { done: 3, total: 40 } })] })).text, '$(sync~spin) Ferret: indexing 3/40');
});

test('an open breaker is a warning and the tooltip says which model', () => {
  const view = statusView('running', report({ providers: [{ id: 'ollama', model: 'qwen', breaker: 'open', availability: 'unavailable', consecutiveFailures: 3, streaming: false, lastError: 'connection refused' }] }));
  assert.equal(view.severity, 'warning');
  assert.ok(view.details.some((d) => d.includes('ollama · qwen: unavailable, paused after failures — connection refused')));
});

test('one refused question turns the model unavailable though its breaker is still closed, and an answer turns it back', () => {
  const refused = 'Could not connect to Ollama at http://127.0.0.1:9: connection refused.';
  const failed = statusView('running', report({ providers: [{ id: 'ollama', model: 'qwen', breaker: 'closed', availability: 'unavailable', consecutiveFailures: 1, streaming: false, lastError: refused }] }));
  assert.equal(failed.text, '$(warning) Ferret: 1,234 chunks');
  assert.equal(failed.severity, 'warning');
  assert.ok(failed.details.includes(`Model ollama · qwen: unavailable — ${refused}`), failed.details.join('\n'));
  assert.ok(!failed.details.some((d) => d.includes('available') && !d.includes('unavailable')));
  const back = statusView('running', report());
  assert.equal(back.text, '$(check) Ferret: 1,234 chunks');
  assert.ok(back.details.includes('Model ollama · qwen: available'));
});

test('counts read the same in the text, the message and every tooltip line', () => {
  const view = statusView('running', report({
    message: 'Ready: 2,815 files, 12,345 chunks.',
    folders: [folder({ files: 2815, chunks: 12345 })],
    embedder: { id: 'ollama:nomic', dimensions: 768, reason: 'Ollama answered', pendingVectors: 1500 },
    health: 'warning',
  }));
  assert.equal(view.text, '$(warning) Ferret: 12,345 chunks');
  assert.ok(view.details.includes('**app**: ready, 2,815 files, 12,345 chunks'), view.details.join('\n'));
  assert.ok(view.details.some((d) => d.includes('(1,500 vectors to compute)')));
  assert.ok(!view.details.some((d) => /\d{4}/.test(d.replace(/\d{1,3}(,\d{3})+/g, ''))), view.details.join('\n'));
  const indexing = statusView('running', report({ quiescent: false, folders: [folder({ state: 'indexing', progress: { done: 1200, total: 2815 } })] }));
  assert.equal(indexing.text, '$(sync~spin) Ferret: indexing 1,200/2,815');
});

test('a folder error is an error', () => {
  assert.equal(statusView('running', report({ health: 'error', folders: [folder({ state: 'error', error: 'disk full' })] })).text, '$(error) Ferret: error');
});

test('a daemon that gave up says so', () => {
  assert.deepEqual(statusView('failed', undefined).severity, 'error');
  assert.equal(statusView('starting', undefined).text, '$(loading~spin) Ferret: starting');
});

test('the tooltip names every address that is off this machine, and only those', () => {
  const view = statusView('running', report({
    endpoints: [
      { purpose: 'embeddings', provider: 'ollama', url: 'http://127.0.0.1:11434', remote: false },
      { purpose: 'chat', provider: 'openai', url: 'https://llm.example.com/v1', remote: true },
    ],
  }));
  assert.ok(view.details.includes('Sends questions and code off this machine to https://llm.example.com/v1 (openai)'));
  assert.ok(!view.details.some((line) => line.includes('127.0.0.1')));
});

test('an idle daemon whose searches would not be answered in full says it is not ready, and why', () => {
  const view = statusView('running', report({ ready: false, notReadyReason: 'No index yet.', message: 'No index yet: run Reindex Workspace.' }));
  assert.equal(view.text, '$(warning) Ferret: not ready');
  assert.equal(view.severity, 'warning');
  assert.equal(view.details[0], 'No index yet: run Reindex Workspace.');
});

test('a folder found by rescanning past the watch limit is a warning whose tooltip carries the sentence', () => {
  const sentence = 'Watching /ws/app hit the system limit of inotify watches (fs.inotify.max_user_watches); changes are found by rescanning every 5 s. Raise the limit and restart Ferret to watch instantly.';
  const view = statusView('running', report({ health: 'warning', folders: [folder({ watching: sentence })] }));
  assert.equal(view.severity, 'warning');
  assert.ok(view.details.includes(`**app**: ready, 12 files, 1,234 chunks — ${sentence}`), view.details.join('\n'));
});
