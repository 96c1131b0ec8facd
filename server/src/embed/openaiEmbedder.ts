import { displayUrl, HttpStatusError } from '../net/httpErrors';
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

/**
 * Plain fetch: the endpoint is one POST, not worth a client library. Vectors are asked for in
 * base64 (OpenAI, vLLM, llama.cpp and TEI send little-endian float32): reading a vector of 768
 * numbers from JSON costs the daemon's one thread about 0.3 ms, enough to cap a fast server at a
 * few thousand texts a second. A server that refuses base64 (HTTP 400 or 422, then fine with
 * float) is asked for float from then on; one that ignores it sends numbers, which are read too.
 */
function openaiEndpoint(base: URL, model: string, apiKey: string): EmbedEndpoint {
  const service = openaiService(displayUrl(base), apiKey, { model, modelSetting: 'ferret.openaiEmbedModel', endpoint: '/embeddings', alternative: 'choose another ferret embedder' });
  const url = `${base.href.replace(/\/+$/, '')}/embeddings`;
  let format: 'base64' | 'float' = 'base64';
  const post = async (input: string[], fetch: typeof globalThis.fetch, encoding: typeof format): Promise<unknown> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: openaiHeaders(apiKey, 'application/json'),
      body: JSON.stringify({ model, input, encoding_format: encoding }),
    });
    return response.json();
  };
  return {
    service,
    post: async (input, fetch) => {
      const encoding = format;
      try {
        return await post(input, fetch, encoding);
      } catch (error) {
        if (encoding !== 'base64' || !(error instanceof HttpStatusError) || (error.status !== 400 && error.status !== 422)) throw error;
        const reply = await post(input, fetch, 'float');
        format = 'float';
        return reply;
      }
    },
    vectorsOf: (reply, count) => inIndexOrder(reply, count, service).map(decodeBase64),
  };
}

/** A base64 embedding as the float32 numbers it holds; anything else as it is, for the checks to judge. */
function decodeBase64(embedding: unknown): unknown {
  if (typeof embedding !== 'string') return embedding;
  const bytes = Buffer.from(embedding, 'base64');
  if (bytes.length === 0 || bytes.length % 4 !== 0) return embedding;
  // Copied into a buffer of its own: a Float32Array needs 4-byte alignment, which a Buffer from the pool may lack.
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
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
