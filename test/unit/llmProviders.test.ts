/**
 * The Ollama and OpenAI-compatible chat providers against loopback fakes of their servers: every
 * scenario runs against both, then what is particular to each.
 */
import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { createGate, refusedUrl } from '../support/fakeHttp';
import { ChatError } from '../../server/src/chat/chatModel';
import { OllamaChat } from '../../server/src/llm/ollamaChat';
import { OpenAIChat } from '../../server/src/llm/openaiChat';
import { API_KEY, drain, dropAfterFirstToken, OLLAMA_MODEL, OPENAI_MODEL, pauseAfterFirstToken, printedDuring, startKits, type ProviderKit } from './llmTestKit';

const question = [{ role: 'user' as const, content: 'What does main do?' }];
const signal = () => new AbortController().signal;

function chatError(error: unknown): ChatError {
  assert.ok(error instanceof ChatError, `expected a ChatError, got ${String(error)}`);
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

for (const name of ['ollama', 'openai'] as const) {
  describe(`${name} provider`, { timeout: 20_000 }, () => {
    const kit = (): ProviderKit => kits[name];

    it('streams the tokens in order, then the usage', async () => {
      const drained = await drain(kit().make().stream(question, { signal: signal(), maxTokens: 64, temperature: 0.2, topP: 0.9 }));
      assert.equal(drained.error, undefined);
      assert.deepEqual(drained.tokens, kit().tokens);
      assert.deepEqual(drained.usage, { promptTokens: 12, completionTokens: 3 });
      const [request] = kit().fake.requestsTo(kit().chatPath);
      const body = request.body as Record<string, unknown>;
      assert.deepEqual(body.messages, question);
      assert.equal(body.stream, true);
    });

    it('reports HTTP 500 as server-error with the server’s explanation', async () => {
      kit().fake.next(kit().chatPath, { kind: 'status', status: 500, message: 'the runner crashed' });
      const error = chatError((await drain(kit().make().stream(question, { signal: signal() }))).error);
      assert.equal(error.code, 'server-error');
      assert.match(error.message, /HTTP 500 \(the runner crashed\)/);
    });

    it('reports a refused connection as unreachable', async () => {
      const drained = await drain(kit().make({ url: await refusedUrl() }).stream(question, { signal: signal() }));
      const error = chatError(drained.error);
      assert.equal(error.code, 'unreachable');
      assert.match(error.message, /^Could not connect to .* \(connection refused\)/);
    });

    it('reports a malformed stream as bad-response, keeping what came before', async () => {
      kit().fake.next(kit().chatPath, { kind: 'malformed', afterChunks: kit().firstTokenChunk + 1 });
      const drained = await drain(kit().make().stream(question, { signal: signal() }));
      assert.deepEqual(drained.tokens, kit().tokens.slice(0, 1));
      const error = chatError(drained.error);
      assert.equal(error.code, 'bad-response');
      assert.match(error.message, /not valid JSON/);
    });

    it('reports a connection dropped after the first token as unreachable, mid-answer', async () => {
      const gate = createGate();
      kit().fake.next(kit().chatPath, dropAfterFirstToken(kit(), gate.promise));
      const events = kit().make().stream(question, { signal: signal() })[Symbol.asyncIterator]();
      assert.deepEqual((await events.next()).value, { type: 'token', text: kit().tokens[0] });
      gate.release();
      const error = chatError(await events.next().then(() => undefined, (thrown: unknown) => thrown));
      assert.equal(error.code, 'unreachable');
      assert.match(error.message, /closed the connection in the middle of the answer/);
    });

    it('reports a stream that ends cleanly before the answer is complete as bad-response', async () => {
      kit().fake.next(kit().chatPath, {
        kind: 'custom',
        handle: (_request, response: ServerResponse) => {
          response.writeHead(200, { 'content-type': name === 'ollama' ? 'application/x-ndjson' : 'text/event-stream' });
          const line = name === 'ollama' ? `${JSON.stringify({ model: OLLAMA_MODEL, message: { role: 'assistant', content: 'Half' }, done: false })}\n` : `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'Half' }, finish_reason: null }] })}\n\n`;
          response.end(line);
        },
      });
      const drained = await drain(kit().make().stream(question, { signal: signal() }));
      assert.deepEqual(drained.tokens, ['Half']);
      const error = chatError(drained.error);
      assert.equal(error.code, 'bad-response');
      assert.match(error.message, /ended its answer stream before the answer was complete/);
    });

    it('reports an unknown model as model-not-found', async () => {
      const error = chatError((await drain(kit().make({ model: 'no-such-model' }).stream(question, { signal: signal() }))).error);
      assert.equal(error.code, 'model-not-found');
      assert.match(error.message, /no model "no-such-model"/);
    });

    it('aborts the HTTP request when cancelled mid-stream', async () => {
      const gate = createGate();
      kit().fake.next(kit().chatPath, pauseAfterFirstToken(kit(), gate.promise));
      const controller = new AbortController();
      const events = kit().make().stream(question, { signal: controller.signal })[Symbol.asyncIterator]();
      assert.deepEqual((await events.next()).value, { type: 'token', text: kit().tokens[0] });
      const pending = events.next();
      controller.abort();
      const error = chatError(await pending.then(() => undefined, (thrown: unknown) => thrown));
      assert.equal(error.code, 'cancelled');
      await kit().fake.requestsTo(kit().chatPath)[0].disconnected;
      gate.release();
    });

    it('aborts the HTTP request when the reader stops early', async () => {
      const gate = createGate();
      kit().fake.next(kit().chatPath, pauseAfterFirstToken(kit(), gate.promise));
      try {
        for await (const event of kit().make().stream(question, { signal: signal() })) {
          assert.deepEqual(event, { type: 'token', text: kit().tokens[0] });
          break;
        }
        await kit().fake.requestsTo(kit().chatPath)[0].disconnected;
      } finally {
        gate.release();
      }
    });

    it('does not start when already cancelled', async () => {
      const controller = new AbortController();
      controller.abort();
      const error = chatError((await drain(kit().make().stream(question, { signal: controller.signal }))).error);
      assert.equal(error.code, 'cancelled');
      assert.equal(kit().fake.count(kit().chatPath), 0);
    });

    it('prints nothing, whatever the server sends', async () => {
      kit().fake.next(
        kit().chatPath,
        { kind: 'status', status: 500, rawBody: 'plain text, not JSON' },
        { kind: 'status', status: 502, message: 'bad gateway' },
        { kind: 'malformed' },
        { kind: 'disconnect' },
      );
      const printed = await printedDuring(async () => {
        for (let i = 0; i < 4; i++) assert.ok((await drain(kit().make().stream(question, { signal: signal() }))).error instanceof ChatError);
        await kit().make({ url: await refusedUrl() }).health();
      });
      assert.deepEqual(printed, []);
    });

    it('says in health() whether the server is up and has the model', async () => {
      const up = await kit().make().health();
      assert.equal(up.ok, true, up.detail);
      assert.ok(up.models?.length);
      const down = await kit().make({ url: await refusedUrl() }).health();
      assert.equal(down.ok, false);
      assert.match(down.detail, /connection refused/);
    });
  });
}

describe('ollama provider specifics', { timeout: 20_000 }, () => {
  it('names the pull command when the model is missing, in health() too', async () => {
    const health = await new OllamaChat({ host: kits.ollama.fake.url, model: 'llama3.1:8b' }).health();
    assert.equal(health.ok, false);
    assert.match(health.detail, /ollama pull llama3\.1:8b/);
  });

  it('maps an error line mid-stream, and an out-of-memory answer, to typed errors', async () => {
    const { fake } = kits.ollama;
    fake.next('/api/chat', {
      kind: 'custom',
      handle: (_request, response: ServerResponse) => {
        response.writeHead(200, { 'content-type': 'application/x-ndjson' });
        response.end(`${JSON.stringify({ error: 'an error was encountered while running the model' })}\n`);
      },
    });
    const midStream = chatError((await drain(kits.ollama.make().stream(question, { signal: signal() }))).error);
    assert.equal(midStream.code, 'server-error');
    assert.match(midStream.message, /an error was encountered while running the model/);
    fake.next('/api/chat', { kind: 'status', status: 500, message: 'model requires more system memory (9.1 GiB) than is available (4.0 GiB)' });
    const memory = chatError((await drain(kits.ollama.make().stream(question, { signal: signal() }))).error);
    assert.equal(memory.code, 'out-of-memory');
  });

  it('reads the context window from /api/show and then asks for it in each chat', async () => {
    const { fake } = kits.ollama;
    fake.contextLength = 32_768;
    try {
      const capped = new OllamaChat({ host: fake.url, model: OLLAMA_MODEL, maxContextTokens: 16_384 });
      assert.equal(await capped.contextWindow(), 16_384);
      assert.deepEqual(fake.requestsTo('/api/show')[0].body, { model: OLLAMA_MODEL });
      await drain(capped.stream(question, { signal: signal() }));
      const options = (fake.requestsTo('/api/chat')[0].body as { options?: Record<string, unknown> }).options;
      assert.equal(options?.num_ctx, 16_384);
      fake.numCtx = 4096;
      assert.equal(await new OllamaChat({ host: fake.url, model: OLLAMA_MODEL }).contextWindow(), 4096);
    } finally {
      fake.contextLength = undefined;
      fake.numCtx = undefined;
    }
  });

  it('says nothing about the context window when the server does not', async () => {
    assert.equal(await kits.ollama.make().contextWindow(), undefined);
    assert.equal(await kits.ollama.make({ url: await refusedUrl() }).contextWindow(), undefined);
  });
});

describe('openai provider specifics', { timeout: 20_000 }, () => {
  it('asks for usage only when configured to', async () => {
    const plain = new OpenAIChat({ baseUrl: kits.openai.fake.baseUrl, model: OPENAI_MODEL, apiKey: API_KEY, includeUsage: false });
    const drained = await drain(plain.stream(question, { signal: signal() }));
    assert.deepEqual(drained.usage, {});
    const body = kits.openai.fake.requestsTo('/v1/chat/completions')[0].body as Record<string, unknown>;
    assert.equal(body.stream_options, undefined);
  });

  it('takes the key from OPENAI_API_KEY and never repeats it in an error or a health report', async () => {
    const fromEnv = new OpenAIChat({ baseUrl: kits.openai.fake.baseUrl, model: OPENAI_MODEL, env: { OPENAI_API_KEY: API_KEY } });
    assert.equal((await drain(fromEnv.stream(question, { signal: signal() }))).error, undefined);
    const wrongKey = 'sk-wrong-but-still-secret';
    const wrong = new OpenAIChat({ baseUrl: kits.openai.fake.baseUrl, model: OPENAI_MODEL, apiKey: wrongKey });
    const error = chatError((await drain(wrong.stream(question, { signal: signal() }))).error);
    assert.match(error.message, /refused the API key \(HTTP 401\)/);
    const health = await wrong.health();
    kits.openai.fake.next('/v1/chat/completions', { kind: 'status', status: 500, message: `upstream rejected ${wrongKey}` });
    const echoed = chatError((await drain(wrong.stream(question, { signal: signal() }))).error);
    for (const text of [error.message, health.detail, echoed.message, String(error.stack)]) assert.ok(!text.includes(wrongKey), text);
    assert.match(echoed.message, /upstream rejected \*\*\*/);
  });

  it('reads the context window from the model list when the server reports one', async () => {
    const { fake } = kits.openai;
    assert.equal(await kits.openai.make().contextWindow(), undefined);
    fake.modelInfo = { [OPENAI_MODEL]: { max_model_len: 32_768 } };
    try {
      assert.equal(await kits.openai.make().contextWindow(), 32_768);
    } finally {
      fake.modelInfo = {};
    }
  });

  it('passes health for a single-model server whatever the model is called, and names the served ones otherwise', async () => {
    const { fake } = kits.openai;
    const other = kits.openai.make({ model: 'llama-3-8b' });
    const saved = fake.models;
    try {
      fake.models = [OPENAI_MODEL, 'text-embedding-3-small'];
      const listed = await other.health();
      assert.equal(listed.ok, false);
      assert.match(listed.detail, /does not list model "llama-3-8b"; it serves gpt-4o-mini, text-embedding-3-small/);
      fake.models = ['qwen.gguf'];
      assert.equal((await other.health()).ok, true);
    } finally {
      fake.models = saved;
    }
  });

  it('rejects a base URL with credentials or without a scheme, and an empty model', () => {
    for (const baseUrl of ['http://user:pw@127.0.0.1:8000/v1', '127.0.0.1:8000', '']) {
      assert.throws(() => new OpenAIChat({ baseUrl, model: OPENAI_MODEL }), ChatError);
    }
    assert.throws(() => new OpenAIChat({ baseUrl: 'http://127.0.0.1:8000/v1', model: ' ' }), /ferret\.openaiChatModel/);
  });
});
