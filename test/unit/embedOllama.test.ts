import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { EmbedderError } from '../../server/src/embed/embedder';
import { DEFAULT_OLLAMA_HOST, resolveOllamaHost } from '../../server/src/ollama/ollamaHost';
import { OllamaEmbedder } from '../../server/src/embed/ollamaEmbedder';
import { hasOllamaModel, listOllamaModels } from '../../server/src/ollama/ollamaService';
import { createGate, fakeEmbedding, FakeOllama, refusedUrl } from '../support/fakeOllama';

/** Asserts an EmbedderError with `code`, a one-line message matching `pattern`, and returns it. */
async function rejectsWith(promise: Promise<unknown>, code: EmbedderError['code'], pattern?: RegExp): Promise<EmbedderError> {
  const error = await promise.then(
    () => assert.fail(`expected an EmbedderError '${code}'`),
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof EmbedderError, `not an EmbedderError: ${String(error)}`);
  assert.equal(error.code, code, error.message);
  assert.doesNotMatch(error.message, /\n|\bat .*:\d+:\d+/, 'one sentence, no stack');
  if (pattern) assert.match(error.message, pattern);
  return error;
}

function assertClose(actual: Float32Array, expected: number[]): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i] - expected[i]) < 1e-6, `component ${i}`);
}

describe('OllamaEmbedder against a fake Ollama', () => {
  let ollama: FakeOllama;
  before(async () => {
    ollama = await FakeOllama.start({ dimensions: 12, models: ['nomic-embed-text', 'all-minilm:l6-v2', 'llama3.2'] });
  });
  afterEach(() => ollama.reset());
  after(() => ollama.close());

  it('learns its dimension in ready() from one probe', async () => {
    const embedder = new OllamaEmbedder({ host: ollama.url });
    assert.equal(embedder.id, 'ollama:nomic-embed-text');
    assert.equal(embedder.dimensions, 0);
    await embedder.ready();
    assert.equal(embedder.dimensions, 12);
    assert.equal(ollama.count('/api/embed'), 1);
  });

  it('embeds in batches, in order, with the document prefix of the model', async () => {
    const embedder = new OllamaEmbedder({ host: ollama.url, batchSize: 32 });
    const texts = Array.from({ length: 70 }, (_, i) => `function handler${i}() {}`);
    const vectors = await embedder.embed(texts);
    assert.deepEqual(
      ollama.embedBatches.map((batch) => batch.length),
      [32, 32, 6],
    );
    assert.equal(ollama.embeddedTexts.length, 70);
    assert.deepEqual(ollama.embeddedTexts, texts.map((text) => `search_document: ${text}`));
    assert.equal(vectors.length, 70);
    vectors.forEach((vector, i) => assertClose(vector, fakeEmbedding(`search_document: ${texts[i]}`, 12)));
    assert.equal(ollama.requestsTo('/api/embed')[0].body && (ollama.requestsTo('/api/embed')[0].body as { model: string }).model, 'nomic-embed-text');
  });

  it('embeds a query with the query prefix, and texts unchanged for models without prefixes', async () => {
    const nomic = new OllamaEmbedder({ host: ollama.url });
    assertClose(await nomic.embedQuery('where is auth'), fakeEmbedding('search_query: where is auth', 12));
    const minilm = new OllamaEmbedder({ host: ollama.url, model: 'all-minilm:l6-v2' });
    await minilm.embed(['plain text']);
    await minilm.embedQuery('plain query');
    assert.deepEqual(ollama.embeddedTexts, ['search_query: where is auth', 'plain text', 'plain query']);
  });

  it('sends nothing for no texts', async () => {
    assert.deepEqual(await new OllamaEmbedder({ host: ollama.url }).embed([]), []);
    assert.equal(ollama.count('/api/embed'), 0);
  });

  it('says how to pull a missing model', async () => {
    const embedder = new OllamaEmbedder({ host: ollama.url, model: 'mxbai-embed-large' });
    const error = await rejectsWith(embedder.ready(), 'model-not-found');
    assert.equal(
      error.message,
      `Ollama at ${ollama.url} has no model "mxbai-embed-large"; run \`ollama pull mxbai-embed-large\` or set ferret.ollamaEmbedModel to a model it has, or choose another ferret embedder.`,
    );
  });

  it('says when a model cannot embed', async () => {
    await rejectsWith(new OllamaEmbedder({ host: ollama.url, model: 'llama3.2' }).ready(), 'model-not-found', /"llama3\.2" cannot make embeddings/);
  });

  it('reports HTTP 500 with the server explanation', async () => {
    ollama.next('/api/embed', { kind: 'status', status: 500, message: 'llama runner process has terminated' });
    await rejectsWith(
      new OllamaEmbedder({ host: ollama.url }).embed(['a']),
      'bad-response',
      /^Ollama at http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 \(llama runner process has terminated\); check the Ollama log/,
    );
  });

  it('reports a non-JSON error body without printing anything (stdout may carry JSON-RPC)', async (t) => {
    const log = t.mock.method(console, 'log', () => {});
    const warn = t.mock.method(console, 'warn', () => {});
    ollama.next('/api/embed', { kind: 'status', status: 502, rawBody: '<html>Bad Gateway</html>' });
    await rejectsWith(new OllamaEmbedder({ host: ollama.url }).embed(['a']), 'bad-response', /HTTP 502 \(<html>Bad Gateway<\/html>\)/);
    assert.equal(log.mock.callCount() + warn.mock.callCount(), 0);
  });

  it('reports a body that is not JSON', async () => {
    ollama.next('/api/embed', { kind: 'malformed' });
    await rejectsWith(new OllamaEmbedder({ host: ollama.url }).embed(['a']), 'bad-response', /not valid JSON/);
  });

  it('reports a connection dropped before the reply', async () => {
    ollama.next('/api/embed', { kind: 'disconnect' });
    await rejectsWith(new OllamaEmbedder({ host: ollama.url }).embed(['a']), 'unreachable', /connection was closed/);
    ollama.next('/api/embed', { kind: 'disconnect', afterChunks: 1 });
    await rejectsWith(new OllamaEmbedder({ host: ollama.url }).embed(['a']), 'unreachable');
  });

  it('rejects a wrong number of embeddings', async () => {
    ollama.next('/api/embed', {
      kind: 'custom',
      handle: (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ model: 'x', embeddings: [[1, 0]] })),
    });
    await rejectsWith(new OllamaEmbedder({ host: ollama.url }).embed(['a', 'b']), 'bad-response', /returned 1 embeddings for 2 texts/);
  });

  it('rejects a vector whose dimension changed, and non-numbers', async () => {
    const embedder = new OllamaEmbedder({ host: ollama.url });
    await embedder.ready();
    ollama.dimensions = 5;
    try {
      await rejectsWith(embedder.embed(['a']), 'bad-response', /vector of 5 numbers where 12 were expected/);
    } finally {
      ollama.dimensions = 12;
    }
    ollama.next('/api/embed', {
      kind: 'custom',
      handle: (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('{"embeddings":[[1,"x",3]]}'),
    });
    await rejectsWith(new OllamaEmbedder({ host: ollama.url }).embed(['a']), 'bad-response', /not a list of numbers/);
  });

  it('scales vectors to unit length', async () => {
    ollama.next('/api/embed', {
      kind: 'custom',
      handle: (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('{"embeddings":[[3,4]]}'),
    });
    assert.deepEqual(Array.from((await new OllamaEmbedder({ host: ollama.url }).embed(['a']))[0]), [0.6000000238418579, 0.800000011920929]);
  });

  it('is cancelled while the server holds the reply, promptly and visibly to the server', { timeout: 5000 }, async () => {
    const gate = createGate();
    ollama.always('/api/embed', { kind: 'ok', gate: gate.promise });
    const controller = new AbortController();
    const pending = new OllamaEmbedder({ host: ollama.url }).embed(['slow'], controller.signal);
    const request = await ollama.waitForRequest('/api/embed');
    controller.abort();
    await rejectsWith(pending, 'cancelled', /^Embedding was cancelled\.$/);
    await request.disconnected;
    gate.release();
  });

  it('does not start a batch after cancellation', async () => {
    const controller = new AbortController();
    controller.abort();
    await rejectsWith(new OllamaEmbedder({ host: ollama.url }).embed(['a'], controller.signal), 'cancelled');
    assert.equal(ollama.count('/api/embed'), 0);
  });

  it('times out with its own deadline', { timeout: 5000 }, async () => {
    ollama.always('/api/embed', { kind: 'ok', gate: new Promise(() => {}) });
    await rejectsWith(new OllamaEmbedder({ host: ollama.url, timeoutMs: 50 }).embed(['a']), 'timeout', /did not answer within 50 ms/);
  });

  it('lists models and matches names without a tag as :latest', async () => {
    const models = await listOllamaModels(ollama.url, fetch);
    assert.ok(models.includes('nomic-embed-text:latest'));
    assert.ok(hasOllamaModel(models, 'nomic-embed-text'));
    assert.ok(hasOllamaModel(models, 'all-minilm:l6-v2'));
    assert.ok(!hasOllamaModel(models, 'all-minilm'));
    assert.ok(!hasOllamaModel(models, 'mxbai-embed-large'));
  });
});

describe('OllamaEmbedder without a server', () => {
  it('says the connection was refused, where, and what to do', async () => {
    const url = await refusedUrl();
    await rejectsWith(
      new OllamaEmbedder({ host: url }).ready(),
      'unreachable',
      new RegExp(`^Could not connect to Ollama at ${url.replace(/\./g, '\\.')} \\(connection refused\\); start it with \`ollama serve\``),
    );
  });
});

describe('resolveOllamaHost', () => {
  const cases: [raw: string, expected: string][] = [
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['0.0.0.0:8080', 'http://127.0.0.1:8080'],
    ['127.0.0.1:11434', 'http://127.0.0.1:11434'],
    ['gpu-box', 'http://gpu-box:11434'],
    ['gpu-box:9000', 'http://gpu-box:9000'],
    [':9999', 'http://127.0.0.1:9999'],
    ['localhost:80', 'http://localhost:80'],
    ['http://localhost', 'http://localhost:80'],
    ['http://localhost:11434/', 'http://localhost:11434'],
    ['https://ollama.internal', 'https://ollama.internal:443'],
    ['https://ollama.internal:8443/ollama/', 'https://ollama.internal:8443/ollama'],
    ['HTTP://0.0.0.0:1234', 'http://127.0.0.1:1234'],
    ['http://[::]:11434', 'http://[::1]:11434'],
    ['[::1]', 'http://[::1]:11434'],
    ['  10.0.0.5:11434  ', 'http://10.0.0.5:11434'],
  ];
  for (const [raw, expected] of cases) {
    it(`reads OLLAMA_HOST=${JSON.stringify(raw)} as ${expected}`, () => {
      assert.equal(resolveOllamaHost({ ollamaHost: '' }, { OLLAMA_HOST: raw }), expected);
    });
  }

  it('prefers the setting, then OLLAMA_HOST, then the default', () => {
    assert.equal(resolveOllamaHost({ ollamaHost: 'a:1' }, { OLLAMA_HOST: 'b:2' }), 'http://a:1');
    assert.equal(resolveOllamaHost({ ollamaHost: '  ' }, { OLLAMA_HOST: 'b:2' }), 'http://b:2');
    assert.equal(resolveOllamaHost({ ollamaHost: '' }, {}), DEFAULT_OLLAMA_HOST);
    assert.equal(resolveOllamaHost(undefined, { OLLAMA_HOST: '' }), 'http://127.0.0.1:11434');
  });

  it('refuses what is not an address, naming where it came from', () => {
    assert.throws(() => resolveOllamaHost({ ollamaHost: 'ftp://host' }, {}), /"ftp:\/\/host" from the ferret\.ollamaHost setting is not valid/);
    assert.throws(() => resolveOllamaHost({}, { OLLAMA_HOST: 'http://user:secret@host:1' }), /from OLLAMA_HOST is not valid/);
    assert.throws(() => resolveOllamaHost({}, { OLLAMA_HOST: 'http://' }), RangeError);
    assert.throws(() => resolveOllamaHost({}, { OLLAMA_HOST: 'bad host:1' }), RangeError);
  });
});
