/** The router over stand-in providers that misbehave in ways a real server cannot be scripted to. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChatEvent, ChatModel } from '../../server/src/chat/chatModel';
import { ChatRouter, type RouterOptions } from '../../server/src/llm/chatRouter';
import { RouterError } from '../../server/src/llm/routerReports';
import { drain } from './llmTestKit';

const question = [{ role: 'user' as const, content: 'Where is the config parsed?' }];
const signal = () => new AbortController().signal;
const relaxed: RouterOptions = { firstTokenTimeoutMs: 10_000, totalTimeoutMs: 20_000 };

function routerError(error: unknown): RouterError {
  assert.ok(error instanceof RouterError, `expected a RouterError, got ${String(error)}`);
  return error;
}

describe('router: stand-in providers', { timeout: 20_000 }, () => {
  /** Never yields and never looks at its signal: only the router's own race can end it. */
  const stuck: ChatModel = {
    id: 'mlx',
    model: 'stuck',
    async *stream(): AsyncGenerator<ChatEvent> {
      await new Promise(() => {});
    },
    health: async () => ({ ok: true, detail: 'fine' }),
    contextWindow: async () => undefined,
  };
  const answering: ChatModel = {
    id: 'ollama',
    model: 'stand-in',
    async *stream(): AsyncGenerator<ChatEvent> {
      yield { type: 'token', text: 'ok' };
      yield { type: 'done', usage: {} };
    },
    health: async () => ({ ok: true, detail: 'fine' }),
    contextWindow: async () => undefined,
  };

  it('still fails over on the first-token deadline', async () => {
    const routed = new ChatRouter([stuck, answering], { firstTokenTimeoutMs: 50 }).stream(question, { signal: signal() });
    assert.deepEqual((await drain(routed)).tokens, ['ok']);
    assert.equal(routed.failures[0].code, 'timeout');
  });

  it('still ends promptly on cancellation', async () => {
    const controller = new AbortController();
    const events = new ChatRouter([stuck, answering], relaxed).stream(question, { signal: controller.signal })[Symbol.asyncIterator]();
    const pending = events.next();
    controller.abort();
    assert.equal(routerError(await pending.then(() => undefined, (thrown: unknown) => thrown)).code, 'cancelled');
  });

  it('turns an error that is not a ChatError into a failover-able one', async () => {
    const broken: ChatModel = { ...answering, id: 'mlx', stream: () => { throw new TypeError('boom'); } };
    const routed = new ChatRouter([broken, answering], relaxed).stream(question, { signal: signal() });
    assert.deepEqual((await drain(routed)).tokens, ['ok']);
    assert.equal(routed.failures[0].code, 'bad-response');
    assert.match(routed.failures[0].message, /mlx \(stand-in\) failed unexpectedly \(boom\)/);
  });

  it('names the provider of an empty answer', async () => {
    const silent: ChatModel = {
      ...answering,
      async *stream(): AsyncGenerator<ChatEvent> {
        yield { type: 'done', usage: { completionTokens: 0 } };
      },
    };
    const router = new ChatRouter([silent], relaxed);
    const routed = router.stream(question, { signal: signal() });
    assert.deepEqual(await drain(routed), { tokens: [], usage: { completionTokens: 0 } });
    assert.deepEqual(routed.answeredBy, { provider: 'ollama', model: 'stand-in' });
    assert.equal(router.status().providers[0].state, 'closed');
  });
});
