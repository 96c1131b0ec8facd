import { displayUrl } from '../net/httpErrors';
import type { Service } from '../net/serviceCall';
import { baseUrlProblemMessage, openaiHeaders, openaiService, parseOpenAIBaseUrl } from '../openai/openaiServer';
import { BatchedEmbedder } from './batchedEmbedder';
import { EmbedderError } from './embedder';
import type { EmbedEndpoint, EndpointPoolOptions } from './endpointPool';
import { unusableReply } from './vectors';

export interface OpenAIEmbedderOptions {
  /** e.g. `http://127.0.0.1:8000/v1`; `/embeddings` is appended. */
  baseUrl: string;
  /** More servers with the same model (and the same key), sharing the batches with `baseUrl` in turn. */
  moreBaseUrls?: readonly string[];
  model: string;
  /** Sent as a Bearer token; never logged, never in a message. */
  apiKey?: string;
  /** Texts per `/embeddings` request. */
  batchSize?: number;
  /** Requests in flight at most. Default 1. */
  concurrency?: number;
  /** Deadline per request. */
  timeoutMs?: number;
  /** Deadline of the {@link OpenAIEmbedder.ready} probe, which may include loading the model. */
  readyTimeoutMs?: number;
  /** Deadline for the connection of every request. */
  connectTimeoutMs?: number;
  pool?: EndpointPoolOptions;
}

/**
 * Embeddings from any OpenAI-compatible `/v1/embeddings` (OpenAI, vLLM, llama.cpp, LM Studio,
 * LiteLLM…) on one or more servers, batched.
 */
export class OpenAIEmbedder extends BatchedEmbedder {
  /** The base URLs as messages show them, `baseUrl` first. */
  readonly baseUrls: readonly string[];

  /** @throws EmbedderError when a base URL or the model is missing or unusable. */
  constructor(options: OpenAIEmbedderOptions) {
    const bases = [options.baseUrl, ...(options.moreBaseUrls ?? [])].map((text) => {
      const base = parseOpenAIBaseUrl(text);
      if (typeof base === 'string') throw new EmbedderError(baseUrlProblemMessage(base, 'choose another ferret embedder'), 'unreachable');
      return base;
    });
    const model = options.model.trim();
    if (!model) {
      throw new EmbedderError('No embedding model is set for the OpenAI-compatible server; set ferret.openaiEmbedModel or choose another ferret embedder.', 'model-not-found');
    }
    const apiKey = options.apiKey?.trim() ?? '';
    const unique = [...new Map(bases.map((base) => [base.href.replace(/\/+$/, ''), base])).values()];
    super({
      id: `openai:${model}`,
      model,
      endpoints: unique.map((base) => openaiEndpoint(base, model, apiKey)),
      batchSize: options.batchSize ?? 64,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      pool: options.pool,
    });
    this.baseUrls = unique.map(displayUrl);
  }

  /** The first server as messages show it. */
  get baseUrl(): string {
    return this.baseUrls[0];
  }
}

/** Plain fetch: the endpoint is one POST, not worth a client library. */
function openaiEndpoint(base: URL, model: string, apiKey: string): EmbedEndpoint {
  const service = openaiService(displayUrl(base), apiKey, { model, modelSetting: 'ferret.openaiEmbedModel', endpoint: '/embeddings', alternative: 'choose another ferret embedder' });
  const url = `${base.href.replace(/\/+$/, '')}/embeddings`;
  return {
    service,
    post: async (input, fetch) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: openaiHeaders(apiKey, 'application/json'),
        body: JSON.stringify({ model, input, encoding_format: 'float' }),
      });
      return response.json();
    },
    vectorsOf: (reply, count) => inIndexOrder(reply, count, service),
  };
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
