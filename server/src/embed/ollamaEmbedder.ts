import { Ollama } from 'ollama';
import { BatchedEmbedder } from './batchedEmbedder';
import { EmbedderError } from './embedder';
import { callService, displayUrl, type Service } from './serviceCall';
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
}

/** Embeddings from an Ollama server's `/api/embed`, batched. */
export class OllamaEmbedder extends BatchedEmbedder {
  readonly host: string;

  constructor(options: OllamaEmbedderOptions) {
    const model = options.model?.trim() || DEFAULT_OLLAMA_EMBED_MODEL;
    super({
      id: `ollama:${model}`,
      model,
      service: ollamaService(options.host, model),
      batchSize: options.batchSize ?? 32,
      timeoutMs: options.timeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
    });
    this.host = options.host;
  }

  protected override async embedBatch(input: string[], signal: AbortSignal | undefined, timeoutMs: number): Promise<Float32Array[]> {
    const response: unknown = await callService(this.service, { signal, timeoutMs }, (fetch) =>
      new Ollama({ host: this.host, fetch }).embed({ model: this.model, input }),
    );
    return this.unitVectors(field(response, 'embeddings'), input.length);
  }
}

/**
 * Names of the models an Ollama server has (`/api/tags`). A cheap reachability probe: unlike an
 * embedding it never loads a model.
 */
export async function listOllamaModels(host: string, options: { signal?: AbortSignal; timeoutMs: number }): Promise<string[]> {
  const response: unknown = await callService(ollamaService(host), options, (fetch) => new Ollama({ host, fetch }).list());
  const models = field(response, 'models');
  if (!Array.isArray(models)) return [];
  return models.flatMap((entry: unknown) =>
    [field(entry, 'name'), field(entry, 'model')].filter((name): name is string => typeof name === 'string'),
  );
}

/** `value[key]` of a parsed JSON body whose shape is not trusted. */
function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Whether `model` is among `installed`, where a name without a tag means `:latest` as it does to Ollama. */
export function hasOllamaModel(installed: string[], model: string): boolean {
  const canonical = (name: string) => (name.includes(':') ? name : `${name}:latest`).toLowerCase();
  const wanted = canonical(model.trim());
  return installed.some((name) => canonical(name) === wanted);
}

function ollamaLabel(host: string): string {
  return `Ollama at ${displayUrl(new URL(host))}`;
}

function ollamaService(host: string, model = ''): Service {
  return {
    label: ollamaLabel(host),
    unreachableHint: 'start it with `ollama serve`, point the ferret.ollamaHost setting at it, or choose another ferret embedder',
    hint: 'check the Ollama log, or choose another ferret embedder',
    classifyStatus: (status, detail) => {
      if (/does not support embeddings/i.test(detail)) {
        return new EmbedderError(
          `Ollama model "${model}" cannot make embeddings; set ferret.ollamaEmbedModel to an embedding model such as ${DEFAULT_OLLAMA_EMBED_MODEL}.`,
          'model-not-found',
        );
      }
      if (status !== 404) return undefined;
      // Ollama before 0.3 has no /api/embed and answers a plain "404 page not found".
      if (!/model/i.test(detail)) {
        return new EmbedderError(`${ollamaLabel(host)} has no /api/embed; update Ollama to 0.3 or newer, or choose another ferret embedder.`, 'bad-response');
      }
      return new EmbedderError(
        `${ollamaLabel(host)} has no model "${model}"; run \`ollama pull ${model}\` or choose another ferret embedder.`,
        'model-not-found',
      );
    },
  };
}
