import { callService, ServiceError, type CallOptions, type Service } from '../net/serviceCall';

/** Turns texts into vectors. Implementations: local (built in), ollama, openai. */
export interface Embedder {
  /** Stable id recorded in the index, e.g. `local:hash-v1`, `ollama:nomic-embed-text`. A change of id re-embeds. */
  readonly id: string;
  /** Vector length. Known after {@link Embedder.ready} for remote embedders. */
  readonly dimensions: number;
  /** Checks the embedder can answer and learns its dimension; throws an {@link EmbedderError} with a sentence for a person if not. */
  ready(signal?: AbortSignal): Promise<void>;
  /** One vector per text, same order. */
  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
  /**
   * One vector for a search query. Some models embed queries and documents with different task
   * prefixes (nomic: `search_query: ` vs `search_document: `); when absent, use `embed([text])`.
   */
  embedQuery?(text: string, signal?: AbortSignal): Promise<Float32Array>;
}

/** Why an embedder could not answer, as a sentence a person can act on. */
export class EmbedderError extends Error {
  constructor(
    message: string,
    readonly code: 'unreachable' | 'model-not-found' | 'bad-response' | 'timeout' | 'cancelled',
  ) {
    super(message);
    this.name = 'EmbedderError';
  }
}

/** The error for embedding the caller cancelled. */
export function embeddingCancelled(): EmbedderError {
  return new EmbedderError('Embedding was cancelled.', 'cancelled');
}

/**
 * The embedder's error for a failed call to its server. An embedder has no other provider to fail
 * over to, so a server's own failure (HTTP 5xx, out of memory) is just a reply it cannot use.
 */
export function embedderErrorOf(error: ServiceError): EmbedderError {
  switch (error.failure) {
    case 'cancelled':
      return embeddingCancelled();
    case 'server-error':
    case 'out-of-memory':
      return new EmbedderError(error.message, 'bad-response');
    default:
      return new EmbedderError(error.message, error.failure);
  }
}

/** {@link callService}, failing with an {@link EmbedderError}. */
export async function callForEmbeddings<T>(service: Service, options: CallOptions, run: (fetch: typeof globalThis.fetch) => Promise<T>): Promise<T> {
  try {
    return await callService(service, options, run);
  } catch (error) {
    throw error instanceof ServiceError ? embedderErrorOf(error) : error;
  }
}
