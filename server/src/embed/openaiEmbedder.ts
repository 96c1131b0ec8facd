import { EmbedderError, type Embedder } from './embedder';
import { callService, displayUrl, sentence, type Service } from './serviceCall';
import { taskPrefixes, type TaskPrefixes } from './taskPrefixes';
import { inBatches, toUnitVectors } from './vectors';

export interface OpenAIEmbedderOptions {
  /** e.g. `http://127.0.0.1:8000/v1`; `/embeddings` is appended. */
  baseUrl: string;
  model: string;
  /** Sent as a Bearer token; never logged, never in a message. */
  apiKey?: string;
  /** Texts per `/embeddings` request. */
  batchSize?: number;
  /** Deadline per request. */
  timeoutMs?: number;
  /** Deadline of the {@link OpenAIEmbedder.ready} probe, which may include loading the model. */
  readyTimeoutMs?: number;
}

/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` (OpenAI, vLLM, llama.cpp, LM Studio,
 * LiteLLM…), batched. Plain fetch: the endpoint is one POST, not worth a client library.
 */
export class OpenAIEmbedder implements Embedder {
  readonly id: string;
  readonly model: string;
  /** The base URL as messages show it. */
  readonly baseUrl: string;
  private dims = 0;
  private readonly endpoint: string;
  private readonly apiKey: string;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly prefixes: TaskPrefixes;
  private readonly service: Service;

  /** @throws EmbedderError when the base URL or model is missing or unusable. */
  constructor(options: OpenAIEmbedderOptions) {
    const base = parseBaseUrl(options.baseUrl);
    this.model = options.model.trim();
    if (!this.model) {
      throw new EmbedderError('No embedding model is set for the OpenAI-compatible server; set ferret.openaiEmbedModel or choose another ferret embedder.', 'model-not-found');
    }
    this.endpoint = `${base.href.replace(/\/+$/, '')}/embeddings`;
    this.apiKey = options.apiKey?.trim() ?? '';
    this.id = `openai:${this.model}`;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 64));
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
    this.prefixes = taskPrefixes(this.model);
    this.baseUrl = displayUrl(base);
    this.service = openaiService(this.baseUrl, this.model, this.apiKey);
  }

  /** 0 until {@link ready} or the first embedding has taught it. */
  get dimensions(): number {
    return this.dims;
  }

  async ready(signal?: AbortSignal): Promise<void> {
    await this.embedBatch(['Ferret embedding probe'], signal, this.readyTimeoutMs);
  }

  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return inBatches(texts, this.batchSize, signal, (batch) =>
      this.embedBatch(
        batch.map((text) => this.prefixes.document + text),
        signal,
      ),
    );
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.embedBatch([this.prefixes.query + text], signal);
    return vector;
  }

  private async embedBatch(input: string[], signal: AbortSignal | undefined, timeoutMs = this.timeoutMs): Promise<Float32Array[]> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const body: unknown = await callService(this.service, { signal, timeoutMs }, async (fetch) => {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.model, input, encoding_format: 'float' }),
      });
      return response.json();
    });
    const vectors = toUnitVectors(inIndexOrder(body, input.length, this.service), input.length, this.dims, this.service);
    if (!this.dims && vectors.length) this.dims = vectors[0].length;
    return vectors;
  }
}

/** The `embedding`s of `{data: [{embedding, index}]}`, ordered by `index` (the API does not promise order). */
function inIndexOrder(body: unknown, count: number, service: Service): unknown[] {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  const bad = (what: string) => new EmbedderError(sentence(`${service.label} ${what}; ${service.hint}.`), 'bad-response');
  if (!Array.isArray(data)) throw bad('sent a reply without embeddings');
  if (data.length !== count) throw bad(`returned ${data.length} embeddings for ${count} texts`);
  const ordered: unknown[] = new Array<unknown>(data.length);
  data.forEach((item: unknown, position: number) => {
    const entry = typeof item === 'object' && item !== null ? (item as { embedding?: unknown; index?: unknown }) : {};
    const index = entry.index ?? position;
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count || index in ordered) {
      throw bad('sent embeddings with missing or repeated indexes');
    }
    ordered[index] = entry.embedding;
  });
  return ordered;
}

function parseBaseUrl(raw: string): URL {
  const text = raw.trim();
  if (!text) {
    throw new EmbedderError(
      'No OpenAI-compatible server is set; set ferret.openaiBaseUrl (e.g. http://127.0.0.1:8000/v1) or choose another ferret embedder.',
      'unreachable',
    );
  }
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
    throw new EmbedderError(
      `ferret.openaiBaseUrl must be an http(s) URL without credentials, such as http://127.0.0.1:8000/v1; put the key in ferret.openaiApiKey.`,
      'unreachable',
    );
  }
  url.search = '';
  url.hash = '';
  return url;
}

function openaiService(base: string, model: string, apiKey: string): Service {
  const label = `the OpenAI-compatible server at ${base}`;
  return {
    label,
    unreachableHint: 'check that it is running and that ferret.openaiBaseUrl is right, or choose another ferret embedder',
    hint: 'check its log and the ferret.openaiBaseUrl and ferret.openaiEmbedModel settings, or choose another ferret embedder',
    secrets: [apiKey],
    classifyStatus: (status, detail) => {
      if (status === 401 || status === 403) {
        return new EmbedderError(
          `${sentence(label)} refused the API key (HTTP ${status}); check ferret.openaiApiKey or OPENAI_API_KEY.`,
          'unreachable',
        );
      }
      if (status === 404 && /model/i.test(detail)) {
        return new EmbedderError(
          `${sentence(label)} has no model "${model}"; set ferret.openaiEmbedModel to a model it serves, or choose another ferret embedder.`,
          'model-not-found',
        );
      }
      if (status === 404) {
        return new EmbedderError(`${sentence(label)} has no /embeddings endpoint; ferret.openaiBaseUrl usually ends in /v1.`, 'bad-response');
      }
      return undefined;
    },
  };
}
