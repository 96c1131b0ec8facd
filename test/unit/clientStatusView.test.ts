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
  providers: [{ id: 'ollama', model: 'qwen', breaker: 'closed', consecutiveFailures: 0, streaming: false }], endpoints: [], version: '0.1.0', ...over,
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
  const view = statusView('running', report({ providers: [{ id: 'ollama', model: 'qwen', breaker: 'open', consecutiveFailures: 3, streaming: false, lastError: 'connection refused' }] }));
  assert.equal(view.severity, 'warning');
  assert.ok(view.details.some((d) => d.includes('ollama · qwen: paused after failures — connection refused')));
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
