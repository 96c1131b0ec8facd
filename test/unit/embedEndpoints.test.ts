import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { EmbedderError } from '../../server/src/embed/embedder';
import { OllamaEmbedder } from '../../server/src/embed/ollamaEmbedder';
import { OpenAIEmbedder } from '../../server/src/embed/openaiEmbedder';
import { fakeEmbedding, FakeOllama, refusedUrl } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';

const EMBED = '/api/embed';
const MODEL = 'all-minilm';
const texts = (count: number) => Array.from({ length: count }, (_, i) => `chunk ${i}`);

function assertVectorsOf(vectors: Float32Array[], inputs: string[]): void {
  assert.equal(vectors.length, inputs.length);
  vectors.forEach((vector, i) => {
    assert.ok(
      fakeEmbedding(inputs[i], 4).every((x, j) => Math.abs(vector[j] - x) < 1e-6),
      `vector ${i} is not the embedding of "${inputs[i]}"`,
    );
  });
}

describe('an embedder with several servers', () => {
  let first: FakeOllama;
  let second: FakeOllama;
  before(async () => {
    [first, second] = await Promise.all([FakeOllama.start({ dimensions: 4, models: [MODEL] }), FakeOllama.start({ dimensions: 4, models: [MODEL] })]);
  });
  afterEach(() => {
    first.reset();
    second.reset();
    logged.length = 0;
  });
  after(() => Promise.all([first.close(), second.close()]));

  const logged: string[] = [];
  const embedder = (concurrency = 2) =>
    new OllamaEmbedder({ host: first.url, moreHosts: [second.url], model: MODEL, batchSize: 3, concurrency, pool: { log: (message) => logged.push(message) } });

  it('keeps the id of one server, so adding a server does not re-embed the index', () => {
    assert.equal(embedder().id, new OllamaEmbedder({ host: first.url, model: MODEL }).id);
  });

  it('sends the batches to its servers in turn', async () => {
    const inputs = texts(30);
    assertVectorsOf(await embedder().embed(inputs), inputs);
    assert.equal(first.count(EMBED), 5);
    assert.equal(second.count(EMBED), 5);
  });

  it('does the batches of a server that fails mid-build on the other, none twice and none lost', async () => {
    // The second server answers two batches, then its connections drop before any reply.
    second.next(EMBED, { kind: 'ok' }, { kind: 'ok' }).always(EMBED, { kind: 'disconnect' });
    const inputs = texts(60);
    const vectors = await embedder(3).embed(inputs);
    assertVectorsOf(vectors, inputs);
    const embedded = [...first.embeddedTexts, ...second.embeddedTexts];
    assert.equal(second.embeddedTexts.length, 6, 'the second server embedded two batches');
    assert.deepEqual([...embedded].sort(), [...inputs].sort(), 'every text embedded exactly once');
    // Its breaker opens after three failures in a row (two more may have gone out meanwhile, three
    // being in flight): later batches are not even offered to it.
    assert.ok(second.count(EMBED) <= 2 + 3 + 2, `the failing server got ${second.count(EMBED)} requests`);
    assert.deepEqual(logged, [`Ollama at ${second.url} keeps failing embedding batches; the other servers take them until it answers again.`]);
  });

  it('fails a batch only when every server has failed it, with the last failure as the reason', async () => {
    first.always(EMBED, { kind: 'status', status: 500, message: 'CUDA error: device lost' });
    second.always(EMBED, { kind: 'disconnect' });
    const error = await embedder(1)
      .embed(texts(3))
      .then(
        () => assert.fail('expected a failure'),
        (caught: unknown) => caught,
      );
    assert.ok(error instanceof EmbedderError, String(error));
    assert.equal(first.count(EMBED) + second.count(EMBED), 2, 'each server tried once');
  });

  it('still tries a lone server whose breaker is open rather than failing untried', async () => {
    const lone = new OllamaEmbedder({ host: first.url, model: MODEL });
    first.next(EMBED, ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 500, message: 'busy loading' })));
    for (let i = 0; i < 4; i++) await assert.rejects(lone.embed(['a']), EmbedderError);
    assertVectorsOf(await lone.embed(['a']), ['a']);
    assert.equal(first.count(EMBED), 5);
  });

  it('does not fail over for an answer every server would give: the texts are the problem', async () => {
    first.always(EMBED, { kind: 'status', status: 400, message: 'input length exceeds the context length' });
    await assert.rejects(embedder(1).embed(texts(3)), /context length/);
    assert.equal(second.count(EMBED), 0);
  });

  it('goes on with the server that answers when another is down from the start', async () => {
    const down = new OllamaEmbedder({ host: await refusedUrl(), moreHosts: [first.url], model: MODEL, batchSize: 3, concurrency: 2 });
    const inputs = texts(30);
    assertVectorsOf(await down.embed(inputs), inputs);
    assert.equal(first.embeddedTexts.length, 30);
  });
});

describe('OpenAI-compatible servers with a key', () => {
  const KEY = 'sk-live-0123456789abcdef';
  let first: FakeOpenAI;
  let second: FakeOpenAI;
  before(async () => {
    [first, second] = await Promise.all([FakeOpenAI.start({ dimensions: 4, apiKey: KEY }), FakeOpenAI.start({ dimensions: 4, apiKey: KEY })]);
  });
  after(() => Promise.all([first.close(), second.close()]));

  it('sends the key to every server and keeps it out of every message', async () => {
    second.always('/v1/embeddings', { kind: 'status', status: 503, message: `overloaded for key ${KEY}` });
    const embedder = new OpenAIEmbedder({
      baseUrl: first.baseUrl,
      moreBaseUrls: [second.baseUrl],
      model: 'text-embedding-3-small',
      apiKey: KEY,
      batchSize: 2,
      pool: { backoff: { baseMs: 1, maxMs: 1, maxRetries: 1 } },
    });
    first.always('/v1/embeddings', { kind: 'status', status: 500, message: `internal error, key ${KEY}` });
    const error = await embedder.embed(texts(2)).then(
      () => assert.fail('expected a failure'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof EmbedderError);
    assert.ok(!error.message.includes(KEY), error.message);
    for (const request of [...first.requests, ...second.requests]) assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(embedder.baseUrls, [first.baseUrl, second.baseUrl]);
  });
});
