import { EmbedderError, type Embedder } from '../embed/embedder';

/**
 * The query's vector, or why there is none. An embedder that fails degrades the search to
 * full text with a reason; only cancellation propagates.
 */
export async function queryVector(embedder: Embedder, query: string, signal: AbortSignal): Promise<{ vector?: Float32Array; reason?: string }> {
  try {
    const vector = embedder.embedQuery ? await embedder.embedQuery(query, signal) : (await embedder.embed([query], signal))[0];
    return vector ? { vector } : { reason: `${embedder.id} returned no vector for the query` };
  } catch (error) {
    signal.throwIfAborted();
    if (error instanceof EmbedderError) return { reason: error.message };
    throw error;
  }
}
