/**
 * A loopback server that speaks the OpenAI-compatible API under `/v1` (`/v1/models`,
 * `/v1/embeddings`, `/v1/chat/completions` with SSE streaming), scriptable per request like
 * {@link FakeOllama}. Point clients at {@link FakeOpenAI.baseUrl}.
 *
 *   const openai = await FakeOpenAI.start({ apiKey: 'sk-test', dimensions: 8 });
 *   openai.next('/v1/chat/completions', { kind: 'disconnect', afterChunks: 2 });
 */
import { FakeHttpServer, fakeEmbedding, inputTexts, type RecordedRequest, type Reply } from './fakeHttp';

export { createGate, fakeEmbedding, refusedUrl, servingCapacity, type Behaviour, type Gate, type RecordedRequest } from './fakeHttp';

export interface FakeOpenAIOptions {
  /** Served models. Default: text-embedding-3-small and gpt-4o-mini. */
  models?: string[];
  /** Length of every embedding. Default 1536, as text-embedding-3-small. */
  dimensions?: number;
  /** When set, every request must carry `Authorization: Bearer <apiKey>`; others get 401. */
  apiKey?: string;
  /** Send `data` of `/v1/embeddings` in reverse order, as the API allows. */
  reverseOrder?: boolean;
  /** Pieces of every chat reply unless a behaviour says otherwise. */
  chatTokens?: string[];
  /**
   * What `encoding_format: "base64"` gets: base64 little-endian float32 vectors as OpenAI and vLLM
   * send them (default), plain number lists as servers that ignore the field, or HTTP 400.
   */
  base64?: 'supported' | 'ignored' | 'rejected';
  /** Extra fields of a model's `/v1/models` entry, such as vLLM's `max_model_len`. */
  modelInfo?: Record<string, Record<string, unknown>>;
}

const CREATED = 1_735_689_600;

export class FakeOpenAI extends FakeHttpServer {
  models: string[];
  dimensions: number;
  apiKey: string | undefined;
  reverseOrder: boolean;
  chatTokens: string[];
  base64: NonNullable<FakeOpenAIOptions['base64']>;
  modelInfo: Record<string, Record<string, unknown>>;
  /** Every text received by `/v1/embeddings`, in order. */
  readonly embeddedTexts: string[] = [];
  /** Inputs of each `/v1/embeddings` request. */
  readonly embedBatches: string[][] = [];

  private constructor(options: FakeOpenAIOptions) {
    super({
      errorBody: (status, message) => JSON.stringify({ error: { message, type: status >= 500 ? 'server_error' : 'invalid_request_error', param: null, code: null } }),
      malformedChunk: 'data: {"choices":[{"delta":{"content":\n\n',
    });
    this.models = options.models ?? ['text-embedding-3-small', 'gpt-4o-mini'];
    this.dimensions = options.dimensions ?? 1536;
    this.apiKey = options.apiKey;
    this.reverseOrder = options.reverseOrder ?? false;
    this.base64 = options.base64 ?? 'supported';
    this.chatTokens = options.chatTokens ?? ['Hello', ' from', ' the', ' fake', ' server.'];
    this.modelInfo = options.modelInfo ?? {};
    this.route('GET', '/v1/models', (request) =>
      this.authorised(request) ?? json(200, { object: 'list', data: this.models.map((id) => ({ id, object: 'model', created: CREATED, owned_by: 'fake', ...this.modelInfo[id] })) }),
    );
    this.route('POST', '/v1/embeddings', (request) => this.authorised(request) ?? this.embeddings(request));
    this.route('POST', '/v1/chat/completions', (request, behaviour) => this.authorised(request) ?? this.chat(request, behaviour.tokens ?? this.chatTokens));
  }

  static async start(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
    const server = new FakeOpenAI(options);
    await server.listen();
    return server;
  }

  /** `http://127.0.0.1:<port>/v1`, the base URL clients are configured with. */
  get baseUrl(): string {
    return `${this.url}/v1`;
  }

  override reset(): void {
    super.reset();
    this.embeddedTexts.length = 0;
    this.embedBatches.length = 0;
  }

  /** A 401 like OpenAI's, which echoes the key it got (so tests can check clients never repeat it), or undefined when allowed. */
  private authorised(request: RecordedRequest): Reply | undefined {
    if (this.apiKey === undefined) return undefined;
    const header = request.headers.authorization ?? '';
    if (header === `Bearer ${this.apiKey}`) return undefined;
    const given = header.replace(/^Bearer /, '');
    return error(401, `Incorrect API key provided: ${given}.`, 'invalid_api_key');
  }

  private embeddings(request: RecordedRequest): Reply {
    const model = modelOf(request.body);
    if (!this.models.includes(model)) return modelMissing(model);
    const texts = inputTexts(request.body);
    this.embedBatches.push(texts);
    this.embeddedTexts.push(...texts);
    const base64 = (request.body as { encoding_format?: unknown } | undefined)?.encoding_format === 'base64';
    if (base64 && this.base64 === 'rejected') return error(400, "Invalid value for 'encoding_format': 'base64'. Supported values are: 'float'.", 'invalid_request_error');
    const encode = (vector: number[]) => (base64 && this.base64 === 'supported' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector);
    const data = texts.map((text, index) => ({ object: 'embedding', index, embedding: encode(fakeEmbedding(text, this.dimensions)) }));
    if (this.reverseOrder) data.reverse();
    const tokens = texts.reduce((sum, text) => sum + Math.ceil(text.length / 4), 0);
    return json(200, { object: 'list', data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
  }

  private chat(request: RecordedRequest, tokens: string[]): Reply {
    const model = modelOf(request.body);
    if (!this.models.includes(model)) return modelMissing(model);
    const id = `chatcmpl-fake${this.count('/v1/chat/completions')}`;
    const usage = { prompt_tokens: 12, completion_tokens: tokens.length, total_tokens: 12 + tokens.length };
    const stream = (request.body as { stream?: unknown } | undefined)?.stream === true;
    if (!stream) {
      return json(200, {
        id,
        object: 'chat.completion',
        created: CREATED,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, finish_reason: 'stop' }],
        usage,
      });
    }
    const chunk = (delta: Record<string, string>, finish: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: CREATED, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const chunks = [chunk({ role: 'assistant', content: '' }, null), ...tokens.map((content) => chunk({ content }, null)), chunk({}, 'stop')];
    // As OpenAI does when asked: one more chunk with no choices and the counts.
    const body = request.body as { stream_options?: { include_usage?: unknown } } | undefined;
    if (body?.stream_options?.include_usage === true) {
      chunks.push(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: CREATED, model, choices: [], usage })}\n\n`);
    }
    chunks.push('data: [DONE]\n\n');
    return { status: 200, contentType: 'text/event-stream', chunks, stream: true };
  }
}

function json(status: number, body: unknown): Reply {
  return { status, contentType: 'application/json', chunks: [JSON.stringify(body)], stream: false };
}

function error(status: number, message: string, code: string): Reply {
  return json(status, { error: { message, type: 'invalid_request_error', param: null, code } });
}

function modelMissing(model: string): Reply {
  return error(404, `The model \`${model}\` does not exist or you do not have access to it.`, 'model_not_found');
}

function modelOf(body: unknown): string {
  const model = typeof body === 'object' && body !== null ? (body as { model?: unknown }).model : undefined;
  return typeof model === 'string' ? model : '';
}
