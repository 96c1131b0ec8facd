/**
 * A loopback server that speaks the Ollama API (`/api/version`, `/api/tags`, `/api/show`,
 * `/api/embed`, `/api/chat`), scriptable per request through {@link FakeHttpServer.next} and
 * {@link FakeHttpServer.always}. Embeddings are {@link fakeEmbedding}s of the exact input text.
 *
 *   const ollama = await FakeOllama.start({ dimensions: 8 });
 *   ollama.next('/api/chat', { kind: 'ok', chunkGates: [gate.promise] }); // slow first token
 *   ollama.next('/api/embed', { kind: 'status', status: 500, message: 'out of memory' });
 *   … ollama.count('/api/embed'), ollama.embeddedTexts, await ollama.close();
 */
import { FakeHttpServer, fakeEmbedding, inputTexts, type RecordedRequest, type Reply } from './fakeHttp';

export { createGate, fakeEmbedding, refusedUrl, servingCapacity, type Behaviour, type Gate, type RecordedRequest } from './fakeHttp';

export interface FakeOllamaOptions {
  /** Installed models; a name without a tag is stored as `:latest`. Default: nomic-embed-text and llama3.2. */
  models?: string[];
  /** Length of every embedding. Default 768, as nomic-embed-text. */
  dimensions?: number;
  /** Pieces of every chat reply unless a behaviour says otherwise. */
  chatTokens?: string[];
  version?: string;
  /** The chat models' trained context length, reported by `/api/show` as `<arch>.context_length`. */
  contextLength?: number;
  /** A `num_ctx` the Modelfile sets, reported in `/api/show`'s `parameters`. */
  numCtx?: number;
}

const CREATED_AT = '2025-01-01T00:00:00Z';

export class FakeOllama extends FakeHttpServer {
  /** Installed models, changeable between requests. */
  models: string[];
  dimensions: number;
  chatTokens: string[];
  version: string;
  contextLength: number | undefined;
  numCtx: number | undefined;
  /** Every text received by `/api/embed`, in order. */
  readonly embeddedTexts: string[] = [];
  /** Inputs of each `/api/embed` request. */
  readonly embedBatches: string[][] = [];

  private constructor(options: FakeOllamaOptions) {
    super({
      errorBody: (_status, message) => JSON.stringify({ error: message }),
      malformedChunk: '{"model":"broken","message":{"role":"assistant","content":\n',
    });
    this.models = (options.models ?? ['nomic-embed-text', 'llama3.2']).map(withTag);
    this.dimensions = options.dimensions ?? 768;
    this.chatTokens = options.chatTokens ?? ['Hello', ' from', ' the', ' fake', ' Ollama.'];
    this.version = options.version ?? '0.12.6';
    this.contextLength = options.contextLength;
    this.numCtx = options.numCtx;
    this.route('GET', '/api/version', () => json(200, { version: this.version }));
    this.route('GET', '/api/tags', () => json(200, { models: this.models.map(describeModel) }));
    this.route('POST', '/api/show', (request) => this.show(request));
    this.route('POST', '/api/embed', (request) => this.embed(request));
    this.route('POST', '/api/chat', (request, behaviour) => this.chat(request, behaviour.tokens ?? this.chatTokens));
  }

  static async start(options: FakeOllamaOptions = {}): Promise<FakeOllama> {
    const server = new FakeOllama(options);
    await server.listen();
    return server;
  }

  /** Whether `model` is installed, reading a missing tag as `:latest` as Ollama does. */
  has(model: string): boolean {
    return this.models.includes(withTag(model));
  }

  override reset(): void {
    super.reset();
    this.embeddedTexts.length = 0;
    this.embedBatches.length = 0;
  }

  private show(request: RecordedRequest): Reply {
    const model = modelOf(request.body, 'name');
    if (!this.has(model)) return json(404, { error: `model '${model}' not found` });
    const embedding = isEmbeddingModel(model);
    const architecture = embedding ? 'nomic-bert' : 'llama';
    return json(200, {
      license: '',
      modelfile: `FROM ${model}`,
      parameters: !embedding && this.numCtx !== undefined ? `num_ctx                        ${this.numCtx}\nstop                           "<|im_end|>"` : '',
      template: embedding ? '' : '{{ .Prompt }}',
      details: { parent_model: '', format: 'gguf', family: architecture, families: [architecture], parameter_size: '137M', quantization_level: 'F16' },
      model_info: {
        'general.architecture': architecture,
        [`${architecture}.embedding_length`]: this.dimensions,
        ...(!embedding && this.contextLength !== undefined && { [`${architecture}.context_length`]: this.contextLength }),
      },
      capabilities: embedding ? ['embedding'] : ['completion'],
      modified_at: CREATED_AT,
    });
  }

  private embed(request: RecordedRequest): Reply {
    const model = modelOf(request.body);
    if (!this.has(model)) return json(404, { error: `model "${model}" not found, try pulling it first` });
    if (!isEmbeddingModel(model)) return json(400, { error: `"${model}" does not support embeddings` });
    const texts = inputTexts(request.body);
    this.embedBatches.push(texts);
    this.embeddedTexts.push(...texts);
    return json(200, {
      model,
      embeddings: texts.map((text) => fakeEmbedding(text, this.dimensions)),
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0),
    });
  }

  private chat(request: RecordedRequest, tokens: string[]): Reply {
    const model = modelOf(request.body);
    if (!this.has(model)) return json(404, { error: `model "${model}" not found, try pulling it first` });
    const message = (content: string) => ({ role: 'assistant', content });
    const final = {
      model,
      created_at: CREATED_AT,
      done: true,
      done_reason: 'stop',
      total_duration: 2_000_000,
      load_duration: 100_000,
      prompt_eval_count: 12,
      prompt_eval_duration: 500_000,
      eval_count: tokens.length,
      eval_duration: 1_000_000,
    };
    const stream = (request.body as { stream?: unknown } | undefined)?.stream !== false;
    if (!stream) return json(200, { ...final, message: message(tokens.join('')) });
    const lines = tokens.map((token) => JSON.stringify({ model, created_at: CREATED_AT, message: message(token), done: false }));
    lines.push(JSON.stringify({ ...final, message: message('') }));
    return { status: 200, contentType: 'application/x-ndjson', chunks: lines.map((line) => `${line}\n`), stream: true };
  }
}

function json(status: number, body: unknown): Reply {
  return { status, contentType: 'application/json; charset=utf-8', chunks: [JSON.stringify(body)], stream: false };
}

function withTag(model: string): string {
  return model.includes(':') ? model : `${model}:latest`;
}

function isEmbeddingModel(model: string): boolean {
  return /embed|minilm|bge/i.test(model);
}

/** The `model` of a request body (older clients send `name`). */
function modelOf(body: unknown, legacy = 'model'): string {
  const record = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const model = record.model ?? record[legacy];
  return typeof model === 'string' ? model : '';
}

function describeModel(name: string) {
  const family = isEmbeddingModel(name) ? 'nomic-bert' : 'llama';
  return {
    name,
    model: name,
    modified_at: CREATED_AT,
    size: 274_302_450,
    digest: '0a109f422b47e3a30ba2b10eca18548e944e8a23073ee3f3e947efcf3c45e59f',
    details: { parent_model: '', format: 'gguf', family, families: [family], parameter_size: '137M', quantization_level: 'F16' },
  };
}
