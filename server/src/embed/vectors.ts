import { badReply, type Service } from '../net/serviceCall';
import { embedderErrorOf, embeddingCancelled, type EmbedderError } from './embedder';
import type { InFlightLimit } from '../inFlightLimit';

/**
 * Embeds `texts` in consecutive batches of at most `batchSize`, as many in flight as `inFlight`
 * admits, and puts the vectors back in the order of the texts. The first failure stops the batches
 * not yet sent and cancels those in flight (their work would be thrown away), then is thrown.
 */
export async function inBatches(
  texts: string[],
  batchSize: number,
  inFlight: InFlightLimit,
  signal: AbortSignal | undefined,
  embedBatch: (batch: string[], signal: AbortSignal) => Promise<Float32Array[]>,
): Promise<Float32Array[]> {
  if (signal?.aborted) throw embeddingCancelled();
  const batches: string[][] = [];
  for (let start = 0; start < texts.length; start += batchSize) batches.push(texts.slice(start, start + batchSize));
  const results: Float32Array[][] = new Array<Float32Array[]>(batches.length);
  const stop = new AbortController();
  const batchSignal = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal;
  let failure: { error: unknown } | undefined;
  let next = 0;
  const worker = async () => {
    while (!failure && next < batches.length) {
      const index = next++;
      try {
        const release = await inFlight.acquire(batchSignal);
        try {
          results[index] = await embedBatch(batches[index], batchSignal);
        } finally {
          release();
        }
      } catch (error) {
        // The caller's cancellation wins over whatever the batches it cut short say.
        failure ??= { error: signal?.aborted ? embeddingCancelled() : error };
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlight.size, batches.length) }, worker));
  if (failure) throw failure.error;
  return results.flat();
}

/**
 * Checks a service's vectors (number lists, or Float32Arrays decoded from base64) — one per text,
 * all of the expected length, all finite numbers — and
 * scales them to unit length, so vectors from every embedder rank alike under cosine and L2
 * distance. `dimensions` 0 accepts the first vector's length (the probe that learns it).
 */
export function toUnitVectors(values: unknown, count: number, dimensions: number, service: Service): Float32Array[] {
  const bad = (what: string) => unusableReply(service, what);
  if (!Array.isArray(values)) throw bad('sent a reply without embeddings');
  if (values.length !== count) throw bad(`returned ${values.length} embeddings for ${count} texts`);
  const isList = (value: unknown): value is ArrayLike<unknown> => Array.isArray(value) || value instanceof Float32Array;
  const expected = dimensions || (isList(values[0]) ? values[0].length : 0);
  return values.map((value: unknown) => {
    if (!isList(value) || value.length === 0) throw bad('sent an embedding that is not a list of numbers');
    if (value.length !== expected) throw bad(`returned a vector of ${value.length} numbers where ${expected} were expected`);
    const vector = new Float32Array(expected);
    let sum = 0;
    for (let i = 0; i < expected; i++) {
      const x: unknown = value[i];
      if (typeof x !== 'number' || !Number.isFinite(x)) throw bad('sent an embedding that is not a list of numbers');
      vector[i] = x;
      sum += x * x;
    }
    if (sum > 0) {
      const scale = 1 / Math.sqrt(sum);
      for (let i = 0; i < expected; i++) vector[i] *= scale;
    }
    return vector;
  });
}

/** The error for a reply of `service` that holds no usable embeddings; `what` says what is wrong with it. */
export function unusableReply(service: Service, what: string): EmbedderError {
  return embedderErrorOf(badReply(service, what));
}
