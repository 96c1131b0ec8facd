import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { EmbedderError } from '../../server/src/embed/embedder';
import { OpenAIEmbedder } from '../../server/src/embed/openaiEmbedder';
import { createGate, fakeEmbedding, FakeOpenAI, refusedUrl } from '../support/fakeOpenAI';

const KEY = 'sk-test-0123456789abcdef';

async function rejectsWith(promise: Promise<unknown>, code: EmbedderError['code'], pattern?: RegExp): Promise<EmbedderError> {
  const error = await promise.then(
    () => assert.fail(`expected an EmbedderError '${code}'`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof EmbedderError, `not an EmbedderError: ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.doesNotMatch(error.message, /\n|\bat .*:\d+:\d+/, 'one sentence, no stack');
  assert.ok(!error.message.includes(KEY), `the API key leaked: ${error.message}`);
  if (pattern) assert.match(error.message, pattern);
  return error;
}

function json(body: string) {
  return {
    kind: 'custom' as const,
    handle: (_request: unknown, response: import('node:http').ServerResponse) => void response.writeHead(200, { 'content-type': 'application/json' }).end(body),
  };
}

describe('OpenAIEmbedder against a fake OpenAI-compatible server', () => {
  let server: FakeOpenAI;
  const make = (options: Partial<ConstructorParameters<typeof OpenAIEmbedder>[0]> = {}) =>
    new OpenAIEmbedder({ baseUrl: server.baseUrl, model: 'text-embedding-3-small', apiKey: KEY, ...options });
  before(async () => {
    server = await FakeOpenAI.start({ dimensions: 10, apiKey: KEY, models: ['text-embedding-3-small', 'nomic-embed-text-v1.5'] });
  });
  afterEach(() => {
    server.reset();
    server.reverseOrder = false;
  });
  after(() => server.close());

  it('learns its dimension in ready() and sends the key as a Bearer token', async () => {
    const embedder = make();
    assert.equal(embedder.id, 'openai:text-embedding-3-small');
    assert.equal(embedder.dimensions, 0);
    await embedder.ready();
    assert.equal(embedder.dimensions, 10);
    const [request] = server.requestsTo('/v1/embeddings');
    assert.equal(request.headers.authorization, `Bearer ${KEY}`);
    assert.deepEqual(request.body, { model: 'text-embedding-3-small', input: ['Ferret embedding probe'], encoding_format: 'base64' });
  });

  it('reads vectors sent as base64, as sent as numbers by a server that ignores the format', async () => {
    const texts = ['alpha', 'beta', 'gamma'];
    for (const base64 of ['supported', 'ignored'] as const) {
      server.base64 = base64;
      const vectors = await make().embed(texts);
      vectors.forEach((vector, i) => assert.ok(fakeEmbedding(texts[i], 10).every((x, j) => Math.abs(vector[j] - x) < 1e-6), `${base64}: vector ${i}`));
    }
    server.base64 = 'supported';
  });

  it('asks for float, from then on, a server that refuses base64', async () => {
    server.base64 = 'rejected';
    try {
      const embedder = make();
      const [first] = await embedder.embed(['alpha']);
      await embedder.embed(['beta']);
      assert.ok(fakeEmbedding('alpha', 10).every((x, j) => Math.abs(first[j] - x) < 1e-6));
      const formats = server.requestsTo('/v1/embeddings').map((request) => (request.body as { encoding_format: string }).encoding_format);
      assert.deepEqual(formats, ['base64', 'float', 'float']);
    } finally {
      server.base64 = 'supported';
    }
  });

  it('keeps asking for base64 when a 400 was about the texts, not the format', async () => {
    server.next('/v1/embeddings', { kind: 'status', status: 400, message: 'maximum context length is 8192 tokens' }, { kind: 'status', status: 400, message: 'maximum context length is 8192 tokens' });
    const embedder = make();
    await rejectsWith(embedder.embed(['x'.repeat(100)]), 'bad-response', /maximum context length/);
    await embedder.embed(['short']);
    const formats = server.requestsTo('/v1/embeddings').map((request) => (request.body as { encoding_format: string }).encoding_format);
    assert.deepEqual(formats, ['base64', 'float', 'base64']);
  });

  it('embeds in batches and puts vectors back in index order', async () => {
    server.reverseOrder = true;
    const texts = Array.from({ length: 130 }, (_, i) => `chunk ${i}`);
    const vectors = await make().embed(texts);
    assert.deepEqual(
      server.embedBatches.map((batch) => batch.length),
      [64, 64, 2],
    );
    assert.deepEqual(server.embeddedTexts, texts);
    vectors.forEach((vector, i) => {
      const expected = fakeEmbedding(texts[i], 10);
      expected.forEach((x, j) => assert.ok(Math.abs(vector[j] - x) < 1e-6, `text ${i} component ${j}`));
    });
    await make({ batchSize: 10 }).embed(texts.slice(0, 25));
    assert.equal(server.count('/v1/embeddings'), 6);
  });

  it('uses task prefixes for models that need them', async () => {
    const embedder = make({ model: 'nomic-embed-text-v1.5' });
    await embedder.embed(['doc']);
    await embedder.embedQuery('query');
    assert.deepEqual(server.embeddedTexts, ['search_document: doc', 'search_query: query']);
  });

  it('never repeats a rejected API key, even when the server echoes it', async () => {
    const error = await rejectsWith(make({ apiKey: `${KEY}-wrong` }).ready(), 'unreachable', /refused the API key \(HTTP 401\); check ferret\.openaiApiKey or OPENAI_API_KEY/);
    assert.ok(!error.message.includes('wrong'));
    assert.equal(server.requestsTo('/v1/embeddings')[0].headers.authorization, `Bearer ${KEY}-wrong`);
  });

  it('redacts the key from any server message', async () => {
    server.next('/v1/embeddings', { kind: 'status', status: 500, message: `upstream rejected token ${KEY}` });
    await rejectsWith(make().embed(['a']), 'bad-response', /HTTP 500 \(upstream rejected token \*\*\*\)/);
  });

  it('says when the model is not served', async () => {
    await rejectsWith(make({ model: 'nope' }).ready(), 'model-not-found', /has no model "nope"; set ferret\.openaiEmbedModel/);
  });

  it('says when the base URL misses /v1', async () => {
    await rejectsWith(make({ baseUrl: server.url }).ready(), 'bad-response', /has no \/embeddings endpoint; ferret\.openaiBaseUrl usually ends in \/v1/);
  });

  it('refuses a missing or unusable base URL or model before any request', () => {
    assert.throws(() => make({ baseUrl: '' }), (error: unknown) => error instanceof EmbedderError && /set ferret\.openaiBaseUrl/.test(error.message));
    assert.throws(() => make({ baseUrl: 'not a url' }), EmbedderError);
    assert.throws(() => make({ baseUrl: 'http://user:pw@127.0.0.1/v1' }), EmbedderError);
    assert.throws(() => make({ model: ' ' }), (error: unknown) => error instanceof EmbedderError && error.code === 'model-not-found');
    assert.equal(server.requests.length, 0);
  });

  it('reports malformed JSON, missing data and bad indexes', async () => {
    server.next('/v1/embeddings', { kind: 'malformed' });
    await rejectsWith(make().embed(['a']), 'bad-response', /not valid JSON/);
    server.next('/v1/embeddings', json('{"object":"list"}'));
    await rejectsWith(make().embed(['a']), 'bad-response', /without embeddings/);
    server.next('/v1/embeddings', json('{"data":[{"index":0,"embedding":[1]},{"index":0,"embedding":[1]}]}'));
    await rejectsWith(make().embed(['a', 'b']), 'bad-response', /missing or repeated indexes/);
    server.next('/v1/embeddings', json('{"data":[{"index":0,"embedding":[1]}]}'));
    await rejectsWith(make().embed(['a', 'b']), 'bad-response', /returned 1 embeddings for 2 texts/);
  });

  it('is cancelled while the server holds the reply', { timeout: 5000 }, async () => {
    const gate = createGate();
    server.always('/v1/embeddings', { kind: 'ok', gate: gate.promise });
    const controller = new AbortController();
    const pending = make().embed(['slow'], controller.signal);
    const request = await server.waitForRequest('/v1/embeddings');
    controller.abort();
    await rejectsWith(pending, 'cancelled');
    await request.disconnected;
    gate.release();
  });

  it('times out with its own deadline', { timeout: 5000 }, async () => {
    server.always('/v1/embeddings', { kind: 'ok', gate: new Promise(() => {}) });
    await rejectsWith(make({ timeoutMs: 30 }).embed(['a']), 'timeout', /did not answer within 30 ms/);
  });

  it('sends no Authorization header without a key', async () => {
    server.apiKey = undefined;
    try {
      await make({ apiKey: '' }).embed(['keyless']);
      // Match by body: a request abandoned by the timeout test before may still arrive late.
      const mine = server.requestsTo('/v1/embeddings').filter((r) => JSON.stringify(r.body).includes('keyless'));
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.headers.authorization, undefined);
    } finally {
      server.apiKey = KEY;
    }
  });
});

describe('OpenAIEmbedder without a server', () => {
  it('says the connection was refused', async () => {
    const url = await refusedUrl();
    await rejectsWith(
      new OpenAIEmbedder({ baseUrl: `${url}/v1`, model: 'm', apiKey: KEY }).ready(),
      'unreachable',
      /^Could not connect to the OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1 \(connection refused\)/,
    );
  });
});
