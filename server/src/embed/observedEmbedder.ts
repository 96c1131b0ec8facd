import { EmbedderError, type Embedder } from './embedder';

/** One finished call to an embedder: what it embedded, how long it took, and how it failed if it did. */
export interface EmbedCall {
  /** `documents` while indexing, `query` for a search. */
  kind: 'documents' | 'query';
  texts: number;
  seconds: number;
  /** Set when the call failed; a cancelled call is not reported at all. */
  error?: unknown;
}

/**
 * The same embedder, telling `onCall` about every call it answers or fails, so latency and
 * availability are measured at one boundary instead of inside each embedder.
 */
export function observeEmbedder(inner: Embedder, onCall: (call: EmbedCall) => void): Embedder {
  const timed = async <T>(kind: EmbedCall['kind'], texts: number, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await run();
      onCall({ kind, texts, seconds: seconds() });
      return result;
    } catch (error) {
      const cancelled = signal?.aborted === true || (error instanceof EmbedderError && error.code === 'cancelled');
      if (!cancelled) onCall({ kind, texts, seconds: seconds(), error });
      throw error;
    }
  };
  const embedQuery = inner.embedQuery?.bind(inner);
  return {
    get id() {
      return inner.id;
    },
    // Remote embedders learn their dimension from their first answer: always ask the inner one.
    get dimensions() {
      return inner.dimensions;
    },
    ready: (signal) => inner.ready(signal),
    embed: (texts, signal) => timed('documents', texts.length, signal, () => inner.embed(texts, signal)),
    ...(embedQuery ? { embedQuery: (text: string, signal?: AbortSignal) => timed('query', 1, signal, () => embedQuery(text, signal)) } : {}),
  };
}
