// The chat header: the model of the latest answer, and whether a model can answer now.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProviderState, StatusReport } from '../../server/src/shared/protocol';
import type { ChatTurn } from '../../client/src/chat/chatMessages';
import { computeHeader } from '../../client/src/chat/header';

const provider = (id: string, breaker: ProviderState['breaker'], model = `${id}-model`, availability: ProviderState['availability'] = breaker === 'open' ? 'unavailable' : 'available'): ProviderState => ({ id, model, breaker, availability, consecutiveFailures: 0, streaming: false });
const status = (providers: ProviderState[]) => ({ providers }) as unknown as StatusReport;
const turn = (id: string, answeredBy?: ChatTurn['answeredBy']): ChatTurn => ({ id, question: 'q', answer: 'a', citations: [], status: 'done', ...(answeredBy ? { answeredBy } : {}) });

test('the header names the model of the latest answer a model wrote', () => {
  const turns = [turn('1', { provider: 'ollama', model: 'qwen' }), turn('2', { provider: 'openai', model: 'gpt' }), turn('3')];
  assert.equal(computeHeader('running', status([provider('ollama', 'closed')]), turns).answeredBy, 'gpt via openai');
  assert.equal(computeHeader('running', status([provider('ollama', 'closed')]), [turn('1')]).answeredBy, undefined);
});

test('provider health follows what each provider last did', () => {
  const health = (providers: ProviderState[]) => computeHeader('running', status(providers), []).health;
  assert.deepEqual(health([provider('ollama', 'closed', 'qwen')]), { kind: 'ok', text: 'qwen (ollama) ready' });
  assert.deepEqual(health([provider('ollama', 'closed', 'qwen', 'unchecked')]), { kind: 'ok', text: 'qwen (ollama) not tried yet' });
  assert.deepEqual(health([provider('mlx', 'open'), provider('ollama', 'closed', 'qwen')]), { kind: 'degraded', text: 'qwen (ollama) ready; mlx unavailable' });
  // One refused question, breaker still closed: the header says so at once.
  assert.deepEqual(health([provider('ollama', 'closed', 'qwen', 'unavailable')]), { kind: 'down', text: 'No model reachable: sources only' });
  assert.deepEqual(health([provider('ollama', 'half-open', 'qwen')]), { kind: 'degraded', text: 'qwen (ollama) recovering' });
  assert.deepEqual(health([provider('ollama', 'open')]), { kind: 'down', text: 'No model reachable: sources only' });
  assert.deepEqual(health([]), { kind: 'down', text: 'No model configured: sources only' });
});

test('the daemon state comes first', () => {
  assert.equal(computeHeader('stopped', status([provider('ollama', 'closed')]), []).health.kind, 'down');
  assert.deepEqual(computeHeader('starting', undefined, []).health, { kind: 'degraded', text: 'Starting…' });
});
