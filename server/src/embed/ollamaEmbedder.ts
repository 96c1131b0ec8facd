import { Ollama } from 'ollama';
import { field } from '../net/jsonFields';
import { ServiceError, type ModelUse, type Service } from '../net/serviceCall';
import { ollamaService } from '../ollama/ollamaService';
import { BatchedEmbedder } from './batchedEmbedder';
import type { EmbedEndpoint, EndpointPoolOptions } from './endpointPool';
import { SETTINGS } from '../shared/settingsSchema';

export const DEFAULT_OLLAMA_EMBED_MODEL = SETTINGS.ollamaEmbedModel.default;

export interface OllamaEmbedderOptions {
  /** Base URL as returned by `resolveOllamaHost`. */
  host: string;
  /** More Ollama servers with the same model, sharing the batches with `host` in turn. */
  moreHosts?: readonly string[];
  model?: string;
  /** Texts per `/api/embed` request. */
  batchSize?: number;
  /** Requests in flight at most. Default 1. */
  concurrency?: number;
  /** Deadline per request. */
  timeoutMs?: number;
  /** Deadline of the {@link OllamaEmbedder.ready} probe, which may include loading the model. */
  readyTimeoutMs?: number;
  /** Deadline for the connection of every request. */
  connectTimeoutMs?: number;
  pool?: EndpointPoolOptions;
}

/** Embeddings from the `/api/embed` of one or more Ollama servers, batched. */
export class OllamaEmbedder extends BatchedEmbedder {
  /** The servers, `host` first. */
  readonly hosts: readonly string[];

  constructor(options: OllamaEmbedderOptions) {
    const model = options.model?.trim() || DEFAULT_OLLAMA_EMBED_MODEL;
    const hosts = [...new Set([options.host, ...(options.moreHosts ?? [])])];
    super({
      id: `ollama:${model}`,
      model,
      endpoints: hosts.map((host) => ollamaEndpoint(host, model)),
      batchSize: options.batchSize ?? 32,
      concurrency: options.concurrency,
      timeoutMs: options.timeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      pool: options.pool,
    });
    this.hosts = hosts;
  }

  /** The first server, the one a probe asks. */
  get host(): string {
    return this.hosts[0];
  }
}

function ollamaEndpoint(host: string, model: string): EmbedEndpoint {
  return {
    service: ollamaEmbedService(host, model),
    post: (input, fetch) => new Ollama({ host, fetch }).embed({ model, input }),
    vectorsOf: (reply) => field(reply, 'embeddings'),
  };
}

/** What the embedder's calls to Ollama are for. */
export function ollamaEmbedUse(model: string): ModelUse {
  return { model, modelSetting: 'ferret.ollamaEmbedModel', endpoint: '/api/embed', alternative: 'choose another ferret embedder' };
}

function ollamaEmbedService(host: string, model: string): Service {
  const service = ollamaService(host, ollamaEmbedUse(model));
  return {
    ...service,
    classifyStatus: (status, detail) => {
      if (/does not support embeddings/i.test(detail)) {
        return new ServiceError(
          `Ollama model "${model}" cannot make embeddings; set ferret.ollamaEmbedModel to an embedding model such as ${DEFAULT_OLLAMA_EMBED_MODEL}.`,
          'model-not-found',
        );
      }
      return service.classifyStatus?.(status, detail);
    },
  };
}
