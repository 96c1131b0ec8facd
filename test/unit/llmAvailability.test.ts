/**
 * What the status says about a chat model follows what last happened to it: a question that
 * could not connect makes it unavailable at once (its breaker is still closed after one failure),
 * and the next answer or successful probe makes it available again. The model is the real Ollama
 * provider against a loopback fake that is stopped and started on the same port.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FakeOllama } from '../support/fakeOllama';
import { ChatRouter } from '../../server/src/llm/chatRouter';
import { OllamaChat } from '../../server/src/llm/ollamaChat';
import { describeStatus } from '../../server/src/status/describeStatus';
import type { ProviderState } from '../../server/src/shared/protocol';
import { drain, OLLAMA_MODEL } from './llmTestKit';

const question = [{ role: 'user' as const, content: 'Where is the config parsed?' }];

let ollama: FakeOllama;
before(async () => {
  ollama = await FakeOllama.start({ models: [OLLAMA_MODEL], chatTokens: ['Par', 'sed'] });
});
after(() => ollama.close());

function providerStates(router: ChatRouter): ProviderState[] {
  return router.status().providers.map((p) => ({ id: p.id, model: p.model, breaker: p.state, availability: p.availability, consecutiveFailures: p.consecutiveFailures, streaming: p.streaming, ...(p.lastError ? { lastError: p.lastError } : {}) }));
}

function health(router: ChatRouter): string {
  const folder = { folder: '/ws', state: 'ready' as const, files: 1, chunks: 1, pending: 0, revision: 1, indexDir: '/idx', skipped: {} };
  const embedder = { id: 'local:hash-v1', dimensions: 256, reason: 'test', pendingVectors: 0 };
  return describeStatus({ folders: [folder], complete: new Set(['/ws']), embedder, providers: providerStates(router), lastAnswered: undefined, endpoints: [], version: '0' }).health;
}

describe('provider availability', { timeout: 20_000 }, () => {
  it('goes unavailable within the question that failed to connect, and back after the next answer', async () => {
    let changes = 0;
    const router = new ChatRouter([new OllamaChat({ host: ollama.url, model: OLLAMA_MODEL })], { onChange: () => changes++ });
    assert.equal(router.status().providers[0]!.availability, 'unchecked');
    await router.checkHealth();
    assert.equal(router.status().providers[0]!.availability, 'available');

    await ollama.close();
    try {
      const before = changes;
      const failed = await drain(router.stream(question, { signal: new AbortController().signal }));
      assert.ok(failed.error, 'the question fails');
      const [state] = router.status().providers;
      assert.deepEqual([state!.state, state!.consecutiveFailures, state!.availability], ['closed', 1, 'unavailable']);
      assert.match(state!.lastError ?? '', /^Could not connect to Ollama at /);
      assert.ok(changes > before, 'the status is pushed when the question fails');
    } finally {
      await ollama.reopen();
    }

    const answered = await drain(router.stream(question, { signal: new AbortController().signal }));
    assert.equal(answered.error, undefined);
    const [state] = router.status().providers;
    assert.deepEqual([state!.availability, state!.lastError], ['available', undefined]);
  });

  it('comes back after a successful probe without a question', async () => {
    const router = new ChatRouter([new OllamaChat({ host: ollama.url, model: OLLAMA_MODEL })]);
    await ollama.close();
    try {
      await drain(router.stream(question, { signal: new AbortController().signal }));
      assert.equal(router.status().providers[0]!.availability, 'unavailable');
    } finally {
      await ollama.reopen();
    }
    await router.checkHealth();
    const [state] = router.status().providers;
    assert.deepEqual([state!.availability, state!.lastError], ['available', undefined]);
  });

  it('an open breaker is unavailable whatever the last probe said', async () => {
    const clock = { now: 0 };
    const router = new ChatRouter([new OllamaChat({ host: ollama.url, model: OLLAMA_MODEL })], { breaker: { failureThreshold: 1, coolDownMs: 30_000, now: () => clock.now } });
    ollama.next('/api/chat', { kind: 'status', status: 500, message: 'runner crashed' });
    await drain(router.stream(question, { signal: new AbortController().signal }));
    assert.deepEqual([router.status().providers[0]!.state, router.status().providers[0]!.availability], ['open', 'unavailable']);
    assert.equal(health(router), 'warning');
    ollama.reset();
  });
});
