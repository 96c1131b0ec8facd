import { Ollama } from 'ollama';
import { field } from '../net/jsonFields';
import { ServiceError, type ModelUse, type Service } from '../net/serviceCall';
import { ollamaService } from '../ollama/ollamaService';
import { BatchedEmbedder } from './batchedEmbedder';
import { SETTINGS } from '../shared/settingsSchema';

export const DEFAULT_OLLAMA_EMBED_MODEL = SETTINGS.ollamaEmbedModel.default;

export interface OllamaEmbedderOptions {
  /** Base URL as returned by `resolveOllamaHost`. */
  host: string;
  model?: string;
  /** Texts per `/api/embed` request. */
  batchSize?: number;
  /** Deadline per request. */
  timeoutMs?: number;
  /** Deadline of the {@link OllamaEmbedder.ready} probe, which may include loading the model. */
  readyTimeoutMs?: number;
  /** Deadline for the connection of every request. */
  connectTimeoutMs?: number;
}

/** Embeddings from an Ollama server's `/api/embed`, batched. */
export class OllamaEmbedder extends BatchedEmbedder {
  readonly host: string;

  constructor(options: OllamaEmbedderOptions) {
    const model = options.model?.trim() || DEFAULT_OLLAMA_EMBED_MODEL;
    super({
      id: `ollama:${model}`,
      model,
      service: ollamaEmbedService(options.host, model),
      batchSize: options.batchSize ?? 32,
      timeoutMs: options.timeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    this.host = options.host;
  }

  protected override async embedBatch(input: string[], signal: AbortSignal | undefined, timeoutMs: number): Promise<Float32Array[]> {
    const response: unknown = await this.request(signal, timeoutMs, (fetch) => new Ollama({ host: this.host, fetch }).embed({ model: this.model, input }));
    return this.unitVectors(field(response, 'embeddings'), input.length);
  }
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
