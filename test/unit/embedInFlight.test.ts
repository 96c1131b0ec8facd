import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { EmbedderError } from '../../server/src/embed/embedder';
import { OllamaEmbedder } from '../../server/src/embed/ollamaEmbedder';
import { OpenAIEmbedder } from '../../server/src/embed/openaiEmbedder';
import { createGate, fakeEmbedding, FakeOllama, type Gate } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';

const EMBED = '/api/embed';
const texts = (count: number, tag = 'text') => Array.from({ length: count }, (_, i) => `${tag} ${i}`);

function assertVectorsOf(vectors: Float32Array[], inputs: string[], dimensions: number): void {
  assert.equal(vectors.length, inputs.length);
  vectors.forEach((vector, i) => {
    const expected = fakeEmbedding(inputs[i], dimensions);
    assert.ok(
      expected.every((x, j) => Math.abs(vector[j] - x) < 1e-6),
      `vector ${i} is not the embedding of "${inputs[i]}"`,
    );
  });
}

/** Holds each of the next `count` embed requests until the test releases its gate. */
function holdRequests(server: FakeOllama, count: number): Gate[] {
  const gates = Array.from({ length: count }, createGate);
  server.next(EMBED, ...gates.map((gate) => ({ kind: 'ok' as const, gate: gate.promise })));
  return gates;
}

describe('several embedding requests in flight', () => {
  let ollama: FakeOllama;
  before(async () => {
    ollama = await FakeOllama.start({ dimensions: 6, models: ['all-minilm'] });
  });
  afterEach(() => ollama.reset());
  after(() => ollama.close());

  const embedder = (concurrency: number) => new OllamaEmbedder({ host: ollama.url, model: 'all-minilm', batchSize: 2, concurrency });

  it('keeps as many batches in flight as configured and never more, and returns vectors in text order', async () => {
    const gates = holdRequests(ollama, 8);
    const inputs = texts(16);
    const done = embedder(3).embed(inputs);
    await ollama.waitForRequest(EMBED, 3);
    assert.equal(ollama.openRequests, 3, 'three batches went out at once');
    // Finish them out of order: each answer frees exactly one place, which the next batch takes.
    for (const index of [1, 0, 2, 4, 3, 5, 7, 6]) {
      gates[index].release();
      if (index < 5) await ollama.waitForRequest(EMBED, Math.min(8, ollama.count(EMBED) + 1));
    }
    assertVectorsOf(await done, inputs, 6);
    assert.equal(ollama.count(EMBED), 8);
    assert.equal(ollama.peakOpenRequests, 3);
    assert.ok(ollama.requestsTo(EMBED).every((request) => request.openOnArrival <= 3));
  });

  it('shares the limit between calls made at the same time', async () => {
    const gates = holdRequests(ollama, 6);
    const shared = embedder(2);
    const first = texts(6, 'first');
    const second = texts(6, 'second');
    const both = Promise.all([shared.embed(first), shared.embed(second)]);
    await ollama.waitForRequest(EMBED, 2);
    for (const gate of gates) gate.release();
    const [a, b] = await both;
    assertVectorsOf(a, first, 6);
    assertVectorsOf(b, second, 6);
    assert.equal(ollama.peakOpenRequests, 2);
  });

  it('drops a call cancelled while it waits for a place, and the other call goes on', async () => {
    const gates = holdRequests(ollama, 1);
    const shared = embedder(1);
    const first = shared.embed(texts(4, 'first'));
    await ollama.waitForRequest(EMBED, 1);
    const controller = new AbortController();
    const waiting = shared.embed(texts(4, 'second'), controller.signal);
    controller.abort();
    await assert.rejects(waiting, (error: unknown) => error instanceof EmbedderError && error.code === 'cancelled');
    gates[0].release();
    assertVectorsOf(await first, texts(4, 'first'), 6);
    assert.deepEqual(ollama.embeddedTexts, texts(4, 'first'), 'nothing of the cancelled call was sent');
  });

  it('stops sending batches after one fails and cancels the ones in flight, then reports the failure', async () => {
    const held = createGate();
    ollama.next(EMBED, { kind: 'ok', gate: held.promise }, { kind: 'status', status: 400, message: 'input too long' });
    const failed = embedder(2).embed(texts(20));
    const error = await failed.then(
      () => assert.fail('expected a failure'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof EmbedderError && error.code === 'bad-response', String(error));
    assert.match(error.message, /HTTP 400 \(input too long\)/);
    await ollama.requestsTo(EMBED)[0].disconnected;
    held.release();
    assert.equal(ollama.count(EMBED), 2, 'no batch was sent after the failure');
  });

  it('is cancelled as a whole: batches in flight are dropped and none is sent after', { timeout: 5000 }, async () => {
    const gates = holdRequests(ollama, 2);
    const controller = new AbortController();
    const cancelled = embedder(2).embed(texts(20), controller.signal);
    await ollama.waitForRequest(EMBED, 2);
    controller.abort();
    await assert.rejects(cancelled, (error: unknown) => error instanceof EmbedderError && error.code === 'cancelled');
    await Promise.all(ollama.requestsTo(EMBED).map((request) => request.disconnected));
    for (const gate of gates) gate.release();
    assert.equal(ollama.count(EMBED), 2);
  });

  it('does not queue a search query behind indexing batches', async () => {
    const gates = holdRequests(ollama, 1);
    const shared = embedder(1);
    const indexing = shared.embed(texts(2));
    await ollama.waitForRequest(EMBED, 1);
    const query = await shared.embedQuery('where is the config read');
    assertVectorsOf([query], ['where is the config read'], 6);
    gates[0].release();
    await indexing;
  });
});

describe('the OpenAI-compatible embedder in flight', () => {
  let openai: FakeOpenAI;
  before(async () => {
    openai = await FakeOpenAI.start({ dimensions: 5 });
  });
  after(() => openai.close());

  it('keeps its configured number of batches in flight and puts every vector back in place', async () => {
    openai.reverseOrder = true;
    const gates = Array.from({ length: 5 }, createGate);
    openai.next('/v1/embeddings', ...gates.map((gate) => ({ kind: 'ok' as const, gate: gate.promise })));
    const inputs = texts(10);
    const done = new OpenAIEmbedder({ baseUrl: openai.baseUrl, model: 'text-embedding-3-small', batchSize: 2, concurrency: 4 }).embed(inputs);
    await openai.waitForRequest('/v1/embeddings', 4);
    assert.equal(openai.openRequests, 4);
    for (const gate of gates.reverse()) gate.release();
    assertVectorsOf(await done, inputs, 5);
    assert.equal(openai.peakOpenRequests, 4);
  });
});
