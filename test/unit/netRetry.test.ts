import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { EmbedderError } from '../../server/src/embed/embedder';
import { OllamaEmbedder } from '../../server/src/embed/ollamaEmbedder';
import { OpenAIEmbedder } from '../../server/src/embed/openaiEmbedder';
import { parseRetryAfter, retryDelayMs } from '../../server/src/net/retry';
import { fakeEmbedding, FakeOllama } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';

/** A busy answer carrying `Retry-After: retryAfter`, in the OpenAI API's error shape. */
function busy(status: number, retryAfter?: string) {
  return {
    kind: 'custom' as const,
    handle: (_request: unknown, response: ServerResponse) =>
      void response
        .writeHead(status, { 'content-type': 'application/json', ...(retryAfter !== undefined && { 'retry-after': retryAfter }) })
        .end(JSON.stringify({ error: { message: 'Rate limit reached for requests', type: 'requests' } })),
  };
}

describe('reading Retry-After', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('reads delay-seconds, whole or not', () => {
    assert.equal(parseRetryAfter('2', now), 2000);
    assert.equal(parseRetryAfter(' 0.5 ', now), 500);
    assert.equal(parseRetryAfter('0', now), 0);
  });

  it('reads an HTTP date as the time left until it, none for a date gone by', () => {
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:00:07 GMT', now), 7000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 11:59:00 GMT', now), 0);
  });

  it('ignores what is missing or unreadable', () => {
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-3', now), undefined);
  });

  it('waits what the server asks within bounds, else doubles from the base', () => {
    const policy = { baseMs: 100, maxMs: 1000, maxRetries: 5 };
    assert.deepEqual([0, 1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, undefined, policy)), [100, 200, 400, 800, 1000]);
    assert.equal(retryDelayMs(0, 300, policy), 300);
    assert.equal(retryDelayMs(3, 3_600_000, policy), 1000, 'an hour is not waited');
  });
});

describe('an embedder told to wait', () => {
  let openai: FakeOpenAI;
  before(async () => {
    openai = await FakeOpenAI.start({ dimensions: 4 });
  });
  afterEach(() => openai.reset());
  after(() => openai.close());

  const embedder = (options: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}) =>
    new OpenAIEmbedder({ baseUrl: openai.baseUrl, model: 'text-embedding-3-small', ...options });

  it('honours 429 with Retry-After: the batch is sent again no sooner than asked, and succeeds', async () => {
    openai.next('/v1/embeddings', busy(429, '1'));
    const [vector] = await embedder().embed(['hello']);
    assert.ok(fakeEmbedding('hello', 4).every((x, j) => Math.abs(vector[j] - x) < 1e-6));
    const [refused, retried] = openai.requestsTo('/v1/embeddings');
    // The server's own arrival times; a little slack for timer granularity, none for an early retry.
    assert.ok(retried.at - refused.at >= 990, `retried after ${Math.round(retried.at - refused.at)} ms`);
  });

  it('waits out 503 without Retry-After by backing off, then succeeds', async () => {
    openai.next('/v1/embeddings', busy(503), busy(503));
    await embedder({ pool: { backoff: { baseMs: 40, maxMs: 1000, maxRetries: 3 } } }).embed(['hello']);
    const [a, b, c] = openai.requestsTo('/v1/embeddings');
    assert.ok(b.at - a.at >= 35 && c.at - b.at >= 75, `waited ${Math.round(b.at - a.at)} then ${Math.round(c.at - b.at)} ms`);
  });

  it('gives up after its bounded number of busy answers, saying what the server said', async () => {
    openai.always('/v1/embeddings', busy(429, '0'));
    const error = await embedder({ pool: { backoff: { baseMs: 1, maxMs: 10, maxRetries: 2 } } })
      .embed(['hello'])
      .then(
        () => assert.fail('expected a failure'),
        (caught: unknown) => caught,
      );
    assert.ok(error instanceof EmbedderError, String(error));
    assert.match(error.message, /busy or rate-limited \(HTTP 429\)/);
    assert.equal(openai.count('/v1/embeddings'), 3);
  });

  it('is cancelled while it waits, at once', { timeout: 5000 }, async () => {
    openai.always('/v1/embeddings', busy(429, '120'));
    const controller = new AbortController();
    const waiting = embedder().embed(['hello'], controller.signal);
    await openai.waitForRequest('/v1/embeddings');
    controller.abort();
    await assert.rejects(waiting, (error: unknown) => error instanceof EmbedderError && error.code === 'cancelled');
    assert.equal(openai.count('/v1/embeddings'), 1);
  });
});

describe('Ollama saying it is busy', () => {
  let ollama: FakeOllama;
  before(async () => {
    ollama = await FakeOllama.start({ dimensions: 4 });
  });
  after(() => ollama.close());

  it('is asked again after its Retry-After', async () => {
    ollama.next('/api/embed', { kind: 'custom', handle: (_request, response) => void response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' }).end('{"error":"server busy, please try again. maximum pending requests exceeded"}') });
    await new OllamaEmbedder({ host: ollama.url }).embed(['a']);
    assert.equal(ollama.count('/api/embed'), 2);
  });
});
