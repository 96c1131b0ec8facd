import { displayUrl } from '../net/httpErrors';
import type { Service } from '../net/serviceCall';
import { baseUrlProblemMessage, openaiHeaders, openaiService, parseOpenAIBaseUrl } from '../openai/openaiServer';
import { BatchedEmbedder } from './batchedEmbedder';
import { EmbedderError } from './embedder';
import { unusableReply } from './vectors';

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
  /** Deadline for the connection of every request. */
  connectTimeoutMs?: number;
}

/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` (OpenAI, vLLM, llama.cpp, LM Studio,
 * LiteLLM…), batched. Plain fetch: the endpoint is one POST, not worth a client library.
 */
export class OpenAIEmbedder extends BatchedEmbedder {
  /** The base URL as messages show it. */
  readonly baseUrl: string;
  private readonly endpoint: string;
  private readonly apiKey: string;

  /** @throws EmbedderError when the base URL or model is missing or unusable. */
  constructor(options: OpenAIEmbedderOptions) {
    const base = parseOpenAIBaseUrl(options.baseUrl);
    if (typeof base === 'string') throw new EmbedderError(baseUrlProblemMessage(base, 'choose another ferret embedder'), 'unreachable');
    const model = options.model.trim();
    if (!model) {
      throw new EmbedderError('No embedding model is set for the OpenAI-compatible server; set ferret.openaiEmbedModel or choose another ferret embedder.', 'model-not-found');
    }
    const apiKey = options.apiKey?.trim() ?? '';
    const shown = displayUrl(base);
    super({
      id: `openai:${model}`,
      model,
      service: openaiService(shown, apiKey, { model, modelSetting: 'ferret.openaiEmbedModel', endpoint: '/embeddings', alternative: 'choose another ferret embedder' }),
      batchSize: options.batchSize ?? 64,
      timeoutMs: options.timeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    this.baseUrl = shown;
    this.endpoint = `${base.href.replace(/\/+$/, '')}/embeddings`;
    this.apiKey = apiKey;
  }

  protected override async embedBatch(input: string[], signal: AbortSignal | undefined, timeoutMs: number): Promise<Float32Array[]> {
    const body: unknown = await this.request(signal, timeoutMs, async (fetch) => {
      const response = await fetch(this.endpoint, {
        method: 'POST',
        headers: openaiHeaders(this.apiKey, 'application/json'),
        body: JSON.stringify({ model: this.model, input, encoding_format: 'float' }),
      });
      return response.json();
    });
    return this.unitVectors(inIndexOrder(body, input.length, this.service), input.length);
  }
}

/** The `embedding`s of `{data: [{embedding, index}]}`, ordered by `index` (the API does not promise order). */
function inIndexOrder(body: unknown, count: number, service: Service): unknown[] {
  const data = typeof body === 'object' && body !== null ? (body as { data?: unknown }).data : undefined;
  const bad = (what: string) => unusableReply(service, what);
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
