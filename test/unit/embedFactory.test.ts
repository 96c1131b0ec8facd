import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { EmbedderError } from '../../server/src/embed/embedder';
import { createEmbedder } from '../../server/src/embed/embedderFactory';
import { resolveOllamaHost } from '../../server/src/ollama/ollamaHost';
import { LocalEmbedder } from '../../server/src/embed/localEmbedder';
import { OllamaEmbedder } from '../../server/src/embed/ollamaEmbedder';
import { OpenAIEmbedder } from '../../server/src/embed/openaiEmbedder';
import { resolveSettings } from '../../server/src/config/settings';
import type { FerretSettings } from '../../server/src/shared/protocol';
import { createGate, FakeOllama, refusedUrl } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';

const LOCAL_REASON = 'using the built-in local embedder (lexical, no model).';

function settings(overrides: Partial<FerretSettings>): FerretSettings {
  return { ...resolveSettings({ indexDir: '/tmp/ferret-test', openaiEmbedModel: 'text-embedding-3-small', watch: false, autoIndex: false }, () => undefined), ...overrides };
}

async function rejectsWith(promise: Promise<unknown>, code: EmbedderError['code'], pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof EmbedderError, String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('createEmbedder', () => {
  let ollama: FakeOllama;
  let openai: FakeOpenAI;
  let closedUrl: string;
  before(async () => {
    [ollama, openai, closedUrl] = await Promise.all([
      FakeOllama.start({ dimensions: 16 }),
      FakeOpenAI.start({ dimensions: 24, apiKey: 'sk-env-key-123456' }),
      refusedUrl(),
    ]);
  });
  afterEach(() => {
    ollama.reset();
    openai.reset();
  });
  after(() => Promise.all([ollama.close(), openai.close()]));

  it('local: the built-in embedder, no requests', async () => {
    const { embedder, reason } = await createEmbedder(settings({ embedder: 'local', ollamaHost: ollama.url }));
    assert.ok(embedder instanceof LocalEmbedder);
    assert.match(reason, /built-in local embedder \(lexical, no model\), as configured/);
    assert.equal(ollama.requests.length, 0);
  });

  it('auto: picks Ollama when it answers and has the model', async () => {
    const logged: string[] = [];
    const { embedder, reason } = await createEmbedder(settings({ ollamaHost: ollama.url }), { log: (m) => logged.push(m) });
    assert.ok(embedder instanceof OllamaEmbedder);
    assert.equal(embedder.id, 'ollama:nomic-embed-text');
    assert.equal(embedder.dimensions, 16);
    assert.equal(reason, `Ollama answered at ${ollama.url} with model "nomic-embed-text"; using it for embeddings (16 dimensions).`);
    assert.equal(ollama.count('/api/tags'), 1);
    assert.equal(ollama.count('/api/embed'), 1);
    assert.deepEqual(logged, [`Embedder ollama:nomic-embed-text: ${reason}`]);
  });

  it('auto: finds Ollama through OLLAMA_HOST in host:port form', async () => {
    const { embedder } = await createEmbedder(settings({}), { env: { OLLAMA_HOST: `0.0.0.0:${ollama.port}` } });
    assert.ok(embedder instanceof OllamaEmbedder);
    assert.equal(embedder.host, `http://127.0.0.1:${ollama.port}`);
    assert.equal(ollama.count('/api/embed'), 1);
  });

  it('auto: falls back to local when nothing listens, and says so', async () => {
    const { embedder, reason } = await createEmbedder(settings({ ollamaHost: closedUrl }));
    assert.ok(embedder instanceof LocalEmbedder);
    assert.equal(reason, `Ollama did not answer at ${closedUrl}; ${LOCAL_REASON}`);
  });

  it('auto: falls back to local when Ollama does not answer within the probe timeout', { timeout: 5000 }, async () => {
    const gate = createGate();
    ollama.always('/api/tags', { kind: 'ok', gate: gate.promise });
    try {
      const { embedder, reason } = await createEmbedder(settings({ ollamaHost: ollama.url }), { probeTimeoutMs: 50 });
      assert.ok(embedder instanceof LocalEmbedder);
      assert.equal(reason, `Ollama did not answer at ${ollama.url}; ${LOCAL_REASON}`);
    } finally {
      gate.release();
    }
  });

  it('auto: falls back to local when the model is not pulled, without loading anything', async () => {
    const { embedder, reason } = await createEmbedder(settings({ ollamaHost: ollama.url, ollamaEmbedModel: 'mxbai-embed-large' }));
    assert.ok(embedder instanceof LocalEmbedder);
    assert.equal(reason, `Ollama at ${ollama.url} has no model "mxbai-embed-large" (run \`ollama pull mxbai-embed-large\`); ${LOCAL_REASON}`);
    assert.equal(ollama.count('/api/embed'), 0);
  });

  it('auto: falls back to local when the first embedding fails', async () => {
    ollama.next('/api/embed', { kind: 'status', status: 500, message: 'out of memory' });
    const { embedder, reason } = await createEmbedder(settings({ ollamaHost: ollama.url }));
    assert.ok(embedder instanceof LocalEmbedder);
    assert.equal(reason, `Ollama at ${ollama.url} answered HTTP 500 (out of memory) when asked for a first embedding with "nomic-embed-text"; ${LOCAL_REASON}`);
  });

  it('auto: falls back to local on an unusable address', async () => {
    const { embedder, reason } = await createEmbedder(settings({ ollamaHost: 'ftp://x' }));
    assert.ok(embedder instanceof LocalEmbedder);
    assert.match(reason, /^The Ollama address "ftp:\/\/x" from the ferret\.ollamaHost setting is not valid; use host:port or http:\/\/host:port; using/);
  });

  it('auto: cancellation wins over falling back', { timeout: 5000 }, async () => {
    ollama.always('/api/tags', { kind: 'ok', gate: new Promise(() => {}) });
    const controller = new AbortController();
    const pending = createEmbedder(settings({ ollamaHost: ollama.url }), { signal: controller.signal });
    await ollama.waitForRequest('/api/tags');
    controller.abort();
    await rejectsWith(pending, 'cancelled', /cancelled/);
  });

  it('ollama: throws when Ollama is down or lacks the model', async () => {
    await rejectsWith(createEmbedder(settings({ embedder: 'ollama', ollamaHost: closedUrl })), 'unreachable', /connection refused/);
    await rejectsWith(
      createEmbedder(settings({ embedder: 'ollama', ollamaHost: ollama.url, ollamaEmbedModel: 'bge-m3' })),
      'model-not-found',
      /has no model "bge-m3"; run `ollama pull bge-m3`/,
    );
    await rejectsWith(createEmbedder(settings({ embedder: 'ollama', ollamaHost: 'ftp://x' })), 'unreachable', /is not valid/);
  });

  it('ollama: ready and described when it works', async () => {
    const { embedder, reason } = await createEmbedder(settings({ embedder: 'ollama', ollamaHost: ollama.url }));
    assert.ok(embedder instanceof OllamaEmbedder);
    assert.equal(reason, `Using Ollama at ${ollama.url} with model "nomic-embed-text" (16 dimensions), as configured.`);
  });

  it('openai: uses OPENAI_API_KEY when the setting is empty and never logs it', async () => {
    const logged: string[] = [];
    const { embedder, reason } = await createEmbedder(
      settings({ embedder: 'openai', openaiBaseUrl: `${openai.baseUrl}/`, openaiEmbedModel: 'text-embedding-3-small' }),
      { env: { OPENAI_API_KEY: 'sk-env-key-123456' }, log: (m) => logged.push(m) },
    );
    assert.ok(embedder instanceof OpenAIEmbedder);
    assert.equal(embedder.dimensions, 24);
    assert.equal(reason, `Using the OpenAI-compatible server at ${openai.baseUrl} with model "text-embedding-3-small" (24 dimensions), as configured.`);
    assert.equal(openai.requestsTo('/v1/embeddings')[0].headers.authorization, 'Bearer sk-env-key-123456');
    assert.ok(!logged.join('\n').includes('sk-env-key'));
  });

  it('openai: the setting wins over the environment', async () => {
    await rejectsWith(
      createEmbedder(settings({ embedder: 'openai', openaiBaseUrl: openai.baseUrl, openaiEmbedModel: 'text-embedding-3-small', openaiApiKey: 'sk-setting' }), {
        env: { OPENAI_API_KEY: 'sk-env-key-123456' },
      }),
      'unreachable',
      /refused the API key/,
    );
    assert.equal(openai.requestsTo('/v1/embeddings')[0].headers.authorization, 'Bearer sk-setting');
  });

  it('openai: a missing base URL is a clear error', async () => {
    await rejectsWith(createEmbedder(settings({ embedder: 'openai', openaiEmbedModel: 'm' })), 'unreachable', /^No OpenAI-compatible server is set; set ferret\.openaiBaseUrl/);
  });

  it('embedEndpoints: several Ollama servers for the same model, the configured concurrency, the id of one server', async () => {
    const other = await FakeOllama.start({ dimensions: 16 });
    try {
      const given = settings({ embedder: 'ollama', ollamaHost: 'http://127.0.0.1:9', embedEndpoints: [ollama.url, other.url.replace('http://', '')], embedConcurrency: 5 });
      const { embedder, reason } = await createEmbedder(given);
      assert.ok(embedder instanceof OllamaEmbedder);
      assert.equal(embedder.id, 'ollama:nomic-embed-text');
      assert.equal(embedder.concurrency, 5);
      assert.deepEqual(embedder.hosts, [ollama.url, other.url]);
      assert.equal(reason, `Using Ollama at ${ollama.url} and ${other.url} with model "nomic-embed-text" (16 dimensions), as configured.`);
      await embedder.embed(Array.from({ length: 64 }, (_, i) => `text ${i}`));
      assert.ok(ollama.count('/api/embed') > 1 && other.count('/api/embed') > 0, 'both servers embedded');
    } finally {
      await other.close();
    }
  });

  it('embedEndpoints: auto probes the first server and uses them all', async () => {
    const { embedder, reason } = await createEmbedder(settings({ embedder: 'auto', embedEndpoints: [ollama.url, closedUrl] }));
    assert.ok(embedder instanceof OllamaEmbedder);
    assert.match(reason, new RegExp(`, with ${closedUrl} as well\\.$`));
  });

  it('embedEndpoints: an unusable OpenAI entry is named by its place, never echoed (it may hold a key)', async () => {
    await rejectsWith(
      createEmbedder(settings({ embedder: 'openai', openaiBaseUrl: openai.baseUrl, embedEndpoints: [openai.baseUrl, 'http://user:sk-secret@gpu:8000/v1'] })),
      'unreachable',
      /^Entry 2 of ferret\.embedEndpoints is not an http\(s\) base URL without credentials/,
    );
    await assert.rejects(createEmbedder(settings({ embedder: 'openai', embedEndpoints: ['http://user:sk-secret@gpu:8000/v1'] })), (error: Error) => !error.message.includes('sk-secret'));
  });

  it('embedEndpoints: an unusable Ollama entry is named by its place, never echoed', async () => {
    await rejectsWith(
      createEmbedder(settings({ embedder: 'ollama', embedEndpoints: [ollama.url, 'ftp://user:hunter2@gpu'] })),
      'unreachable',
      /^Entry 2 of ferret\.embedEndpoints is not a valid Ollama address; use host:port or http:\/\/host:port\.$/,
    );
  });

  it('reuses one host resolver', () => {
    assert.equal(resolveOllamaHost({ ollamaHost: '' }, { OLLAMA_HOST: '0.0.0.0' }), 'http://127.0.0.1:11434');
  });
});
