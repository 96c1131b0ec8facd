/**
 * The router over the real Ollama and OpenAI providers talking to loopback fakes: for each way a
 * provider can fail, what the caller sees (failover target, error, partial text) and what the
 * breakers remember. Deadlines are short and the fakes hold replies on gates, so no test sleeps.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGate, refusedUrl } from '../support/fakeHttp';
import type { ChatModel } from '../../server/src/chat/chatModel';
import { ChatRouter, type RouterOptions } from '../../server/src/llm/chatRouter';
import { RouterError } from '../../server/src/llm/routerReports';
import { OpenAIChat } from '../../server/src/llm/openaiChat';
import { API_KEY, drain, dropAfterFirstToken, OLLAMA_MODEL, OPENAI_MODEL, pauseAfterFirstToken, startKits, type ProviderKit } from './llmTestKit';

const question = [{ role: 'user' as const, content: 'Where is the config parsed?' }];
const signal = () => new AbortController().signal;
/** Generous enough never to fire unless a test shortens one on purpose. */
const relaxed: RouterOptions = { firstTokenTimeoutMs: 10_000, totalTimeoutMs: 20_000 };

function routerError(error: unknown): RouterError {
  assert.ok(error instanceof RouterError, `expected a RouterError, got ${String(error)}`);
  return error;
}

let kits: Awaited<ReturnType<typeof startKits>>;
before(async () => {
  kits = await startKits();
});
afterEach(() => {
  kits.ollama.fake.reset();
  kits.openai.fake.reset();
});
after(() => kits.close());

for (const [primaryName, secondaryName] of [
  ['ollama', 'openai'],
  ['openai', 'ollama'],
] as const) {
  describe(`router: ${primaryName} first, ${secondaryName} second`, { timeout: 20_000 }, () => {
    const primary = (): ProviderKit => kits[primaryName];
    const secondary = (): ProviderKit => kits[secondaryName];
    const route = (options: RouterOptions = {}, first: ChatModel = primary().make()) => new ChatRouter([first, secondary().make()], { ...relaxed, ...options });

    /** Routes one question and checks it was answered in full by the second provider after the first failed with `code`. */
    async function expectFailover(router: ChatRouter, code: string, message: RegExp) {
      const routed = router.stream(question, { signal: signal() });
      const drained = await drain(routed);
      assert.equal(drained.error, undefined);
      assert.deepEqual(drained.tokens, secondary().tokens);
      assert.equal(routed.answeredBy?.provider, secondaryName);
      assert.equal(routed.failures.length, 1);
      assert.equal(routed.failures[0].provider, primaryName);
      assert.equal(routed.failures[0].code, code);
      assert.match(routed.failures[0].message, message);
      const [first, second] = router.status().providers;
      assert.deepEqual([first.state, first.consecutiveFailures], ['closed', 1]);
      assert.match(first.lastError ?? '', message);
      assert.deepEqual([second.state, second.consecutiveFailures], ['closed', 0]);
      assert.equal(router.status().lastAnswered?.provider, secondaryName);
    }

    it('answers from the first provider when it works, tokens in order, with usage', async () => {
      let changes = 0;
      const router = route({ onChange: () => changes++ });
      const routed = router.stream(question, { signal: signal() });
      const drained = await drain(routed);
      assert.equal(drained.error, undefined);
      assert.deepEqual(drained.tokens, primary().tokens);
      assert.deepEqual(drained.usage, { promptTokens: 12, completionTokens: 3 });
      assert.deepEqual(routed.answeredBy, { provider: primaryName, model: primaryName === 'ollama' ? OLLAMA_MODEL : OPENAI_MODEL });
      assert.deepEqual(routed.failures, []);
      assert.equal(secondary().fake.count(secondary().chatPath), 0);
      assert.deepEqual(router.status().lastAnswered, routed.answeredBy);
      assert.ok(changes >= 2, 'told of the provider answering and of the breaker outcome');
    });

    it('fails over on HTTP 500 before the first token', async () => {
      primary().fake.next(primary().chatPath, { kind: 'status', status: 500, message: 'runner crashed' });
      await expectFailover(route(), 'server-error', /HTTP 500 \(runner crashed\)/);
    });

    it('fails over when the first token is late, and aborts the slow request', async () => {
      const gate = createGate();
      primary().fake.next(primary().chatPath, { kind: 'ok', chunkGates: [gate.promise] });
      try {
        await expectFailover(route({ firstTokenTimeoutMs: 200 }), 'timeout', /sent no text within 200 ms/);
        await primary().fake.requestsTo(primary().chatPath)[0].disconnected;
      } finally {
        gate.release();
      }
    });

    it('fails over on a refused connection', async () => {
      await expectFailover(route({}, primary().make({ url: await refusedUrl() })), 'unreachable', /connection refused/);
    });

    it('fails over on a malformed stream before the first token', async () => {
      primary().fake.next(primary().chatPath, { kind: 'malformed' });
      await expectFailover(route(), 'bad-response', /not valid JSON/);
    });

    it('fails over when the connection drops before a reply', async () => {
      primary().fake.next(primary().chatPath, { kind: 'disconnect' });
      await expectFailover(route(), 'unreachable', /connection was closed before a reply/);
    });

    it('fails over when the model is missing', async () => {
      await expectFailover(route({}, primary().make({ model: 'absent-model' })), 'model-not-found', /no model "absent-model"/);
    });

    it('keeps the partial text and does not fail over when the stream turns malformed after a token', async () => {
      primary().fake.next(primary().chatPath, { kind: 'malformed', afterChunks: primary().firstTokenChunk + 1 });
      const router = route();
      const drained = await drain(router.stream(question, { signal: signal() }));
      assert.deepEqual(drained.tokens, primary().tokens.slice(0, 1));
      const error = routerError(drained.error);
      assert.equal(error.code, 'bad-response');
      assert.equal(error.partial, primary().tokens[0]);
      assert.equal(error.provider, primaryName);
      assert.match(error.message, /stopped in the middle of its answer: .*not valid JSON/);
      assert.equal(secondary().fake.count(secondary().chatPath), 0);
      assert.equal(router.status().providers[0].consecutiveFailures, 1);
    });

    it('keeps the partial text and does not fail over when the connection drops after a token', async () => {
      const gate = createGate();
      primary().fake.next(primary().chatPath, dropAfterFirstToken(primary(), gate.promise));
      const router = route();
      const events = router.stream(question, { signal: signal() })[Symbol.asyncIterator]();
      assert.deepEqual((await events.next()).value, { type: 'token', text: primary().tokens[0] });
      gate.release();
      const error = routerError(await events.next().then(() => undefined, (thrown: unknown) => thrown));
      assert.equal(error.code, 'unreachable');
      assert.equal(error.partial, primary().tokens[0]);
      assert.match(error.message, /closed the connection in the middle of the answer/);
      assert.equal(secondary().fake.count(secondary().chatPath), 0);
      assert.deepEqual(
        router.status().providers.map((provider) => provider.consecutiveFailures),
        [1, 0],
      );
    });

    it('stops the generation end to end when cancelled, without failover or a breaker failure', async () => {
      const gate = createGate();
      primary().fake.next(primary().chatPath, pauseAfterFirstToken(primary(), gate.promise));
      const router = route();
      const controller = new AbortController();
      const events = router.stream(question, { signal: controller.signal })[Symbol.asyncIterator]();
      try {
        assert.deepEqual((await events.next()).value, { type: 'token', text: primary().tokens[0] });
        assert.equal(router.status().providers[0].streaming, true);
        const pending = events.next();
        controller.abort();
        const error = routerError(await pending.then(() => undefined, (thrown: unknown) => thrown));
        assert.equal(error.code, 'cancelled');
        assert.equal(error.partial, primary().tokens[0]);
        await primary().fake.requestsTo(primary().chatPath)[0].disconnected;
        assert.equal(secondary().fake.count(secondary().chatPath), 0);
        const [first] = router.status().providers;
        assert.deepEqual([first.state, first.consecutiveFailures, first.streaming], ['closed', 0, false]);
      } finally {
        gate.release();
      }
    });
  });
}

describe('router: deadlines, breakers, health', { timeout: 20_000 }, () => {
  it('reports every reason when all providers are down', async () => {
    const down = await refusedUrl();
    const router = new ChatRouter([kits.ollama.make({ url: down }), kits.openai.make({ url: down })], relaxed);
    const error = routerError((await drain(router.stream(question, { signal: signal() }))).error);
    assert.equal(error.code, 'no-provider');
    assert.match(error.message, /^No chat model could answer\. Could not connect to Ollama at .*connection refused.* Could not connect to the OpenAI-compatible server at .*connection refused/);
    assert.deepEqual(
      error.failures.map((failure) => [failure.provider, failure.code]),
      [
        ['ollama', 'unreachable'],
        ['openai', 'unreachable'],
      ],
    );
    assert.ok(!error.message.includes(API_KEY));
  });

  it('never puts the API key in the error, even when the server echoes it', async () => {
    const leaked = 'sk-leaky-key-123';
    const router = new ChatRouter([new OpenAIChat({ baseUrl: kits.openai.fake.baseUrl, model: OPENAI_MODEL, apiKey: leaked })], relaxed);
    const error = routerError((await drain(router.stream(question, { signal: signal() }))).error);
    assert.match(error.message, /refused the API key/);
    assert.ok(!JSON.stringify({ message: error.message, failures: error.failures, status: router.status() }).includes(leaked));
  });

  it('says no provider is configured when there is none', async () => {
    const error = routerError((await drain(new ChatRouter([]).stream(question, { signal: signal() }))).error);
    assert.equal(error.code, 'no-provider');
    assert.match(error.message, /No chat model is configured/);
  });

  it('ends an answer that runs past the total deadline with its partial text, without failover', async () => {
    const gate = createGate();
    kits.ollama.fake.next('/api/chat', pauseAfterFirstToken(kits.ollama, gate.promise));
    const router = new ChatRouter([kits.ollama.make(), kits.openai.make()], { firstTokenTimeoutMs: 10_000, totalTimeoutMs: 300 });
    try {
      const drained = await drain(router.stream(question, { signal: signal() }));
      const error = routerError(drained.error);
      assert.equal(error.code, 'timeout');
      assert.equal(error.partial, 'Ol');
      assert.match(error.message, /did not finish its answer within 300 ms/);
      await kits.ollama.fake.requestsTo('/api/chat')[0].disconnected;
      assert.equal(kits.openai.fake.count('/v1/chat/completions'), 0);
      assert.equal(router.status().providers[0].consecutiveFailures, 1);
    } finally {
      gate.release();
    }
  });

  it('skips an open breaker, probes once after the cool-down, closes on success and re-opens on failure', async () => {
    const clock = { now: 0 };
    const router = new ChatRouter([kits.ollama.make(), kits.openai.make()], { ...relaxed, breaker: { failureThreshold: 3, coolDownMs: 30_000, now: () => clock.now } });
    const ask = async () => {
      const routed = router.stream(question, { signal: signal() });
      const drained = await drain(routed);
      assert.equal(drained.error, undefined);
      return routed;
    };
    const serverError = { kind: 'status', status: 500, message: 'runner crashed' } as const;
    kits.ollama.fake.next('/api/chat', serverError, serverError, serverError);
    for (let i = 0; i < 3; i++) assert.equal((await ask()).answeredBy?.provider, 'openai');
    assert.equal(router.status().providers[0].state, 'open');

    const skipped = await ask();
    assert.equal(kits.ollama.fake.count('/api/chat'), 3, 'an open breaker keeps the provider out');
    assert.equal(skipped.failures[0].code, 'circuit-open');
    assert.match(skipped.failures[0].message, /paused after 3 failures in a row and will be tried again in 30 s \(last error: .*HTTP 500/);

    clock.now += 30_000;
    assert.equal(router.status().providers[0].state, 'half-open');
    assert.equal((await ask()).answeredBy?.provider, 'ollama');
    assert.deepEqual([router.status().providers[0].state, router.status().providers[0].consecutiveFailures], ['closed', 0]);

    kits.ollama.fake.next('/api/chat', serverError, serverError, serverError, serverError);
    for (let i = 0; i < 3; i++) await ask();
    clock.now += 30_000;
    assert.equal((await ask()).answeredBy?.provider, 'openai', 'the failed probe fails over');
    const [ollama] = router.status().providers;
    assert.deepEqual([ollama.state, ollama.timesOpened, ollama.retryInMs], ['open', 3, 30_000]);
  });

  it('feeds health checks to the breakers', async () => {
    const clock = { now: 0 };
    const router = new ChatRouter([kits.ollama.make({ url: await refusedUrl() }), kits.openai.make()], { ...relaxed, breaker: { now: () => clock.now } });
    for (let i = 0; i < 3; i++) await router.checkHealth();
    const [ollama, openai] = router.status().providers;
    assert.equal(ollama.state, 'open');
    assert.equal(ollama.health?.ok, false);
    assert.match(ollama.lastError ?? '', /connection refused/);
    assert.deepEqual([openai.state, openai.health?.ok], ['closed', true]);
  });

  it('answers with the smallest context window among the usable providers', async () => {
    kits.ollama.fake.contextLength = 32_768;
    kits.openai.fake.modelInfo = { [OPENAI_MODEL]: { max_model_len: 4096 } };
    try {
      assert.equal(await new ChatRouter([kits.ollama.make(), kits.openai.make()]).contextWindow(), 4096);
      assert.equal(await new ChatRouter([kits.ollama.make()]).contextWindow(), 8192);
    } finally {
      kits.ollama.fake.contextLength = undefined;
      kits.openai.fake.modelInfo = {};
    }
  });

  it('aborts the provider when the reader stops early, without holding it against it', async () => {
    const gate = createGate();
    kits.ollama.fake.next('/api/chat', pauseAfterFirstToken(kits.ollama, gate.promise));
    const router = new ChatRouter([kits.ollama.make(), kits.openai.make()], relaxed);
    try {
      for await (const event of router.stream(question, { signal: signal() })) {
        assert.deepEqual(event, { type: 'token', text: 'Ol' });
        break;
      }
      await kits.ollama.fake.requestsTo('/api/chat')[0].disconnected;
      const [ollama] = router.status().providers;
      assert.deepEqual([ollama.state, ollama.consecutiveFailures, ollama.streaming], ['closed', 0, false]);
    } finally {
      gate.release();
    }
  });
});
