// The notices above the chat: each state says what is going on and what to do.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FolderStatus, ProviderState, StatusReport } from '../../server/src/shared/protocol';
import { computeBanners } from '../../client/src/chat/banner';

const folder = (over: Partial<FolderStatus> = {}): FolderStatus => ({
  folder: '/ws', state: 'ready', files: 10, chunks: 40, pending: 0, revision: 1, indexDir: '/idx', skipped: {}, ...over,
});
const provider = (over: Partial<ProviderState> = {}): ProviderState => ({
  id: 'ollama', model: 'qwen2.5-coder:7b', breaker: 'closed', availability: 'available', consecutiveFailures: 0, streaming: false, ...over,
});
const status = (over: Partial<StatusReport> = {}): StatusReport => ({
  health: 'ok', quiescent: true, ready: true, message: 'Ready', folders: [folder()],
  embedder: { id: 'local:hash-v1', dimensions: 256, reason: 'test', pendingVectors: 0 },
  providers: [provider()], endpoints: [], version: '0.1.0', ...over,
});

test('a healthy, idle daemon shows no banner', () => {
  assert.deepEqual(computeBanners('running', status()), []);
  assert.deepEqual(computeBanners('running', undefined), []);
});

test('indexing shows n/m files summed over folders', () => {
  const [b] = computeBanners('running', status({
    folders: [folder({ state: 'indexing', progress: { done: 3, total: 10 } }), folder({ state: 'indexing', progress: { done: 1, total: 5 } })],
  }));
  assert.equal(b?.kind, 'indexing');
  assert.equal(b?.text, 'Indexing 4/15 files — answers may be incomplete until it finishes.');
  assert.match(computeBanners('running', status({ folders: [folder({ state: 'scanning' })] }))[0]?.text ?? '', /^Scanning/);
});

test('no reachable model: sources only, with how to start Ollama and the model to pull', () => {
  // A refused connect shows before the breaker opens: availability, not the breaker, decides.
  for (const providers of [[], [provider({ breaker: 'open', availability: 'unavailable' })], [provider({ availability: 'unavailable' })]]) {
    const [b] = computeBanners('running', status({ providers }));
    assert.equal(b?.kind, 'no-model');
    assert.match(b?.text ?? '', /sources only/);
    assert.match(b?.text ?? '', /ollama serve/);
  }
  assert.match(computeBanners('running', status({ providers: [provider({ breaker: 'open', availability: 'unavailable' })] }))[0]?.text ?? '', /ollama pull qwen2\.5-coder:7b/);
  assert.deepEqual(computeBanners('running', status({ providers: [provider({ breaker: 'open', availability: 'unavailable' }), provider({ id: 'mlx' })] })), []);
});

test('no model while indexing shows both, the lasting problem first', () => {
  const kinds = computeBanners('running', status({ providers: [], folders: [folder({ state: 'indexing', progress: { done: 1, total: 2 } })] })).map((b) => b.kind);
  assert.deepEqual(kinds, ['no-model', 'indexing']);
});

test('daemon down or starting says so and offers restart and logs', () => {
  for (const state of ['stopped', 'failed'] as const) {
    const [b] = computeBanners(state, status());
    assert.equal(b?.kind, 'daemon-down');
    assert.ok(b?.actions.includes('restartDaemon') && b.actions.includes('openLogs'));
  }
  assert.equal(computeBanners('starting', undefined)[0]?.kind, 'starting');
});
