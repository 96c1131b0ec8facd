import { callService, ServiceError } from '../net/serviceCall';
import { embedderErrorOf, embeddingCancelled, type Embedder } from './embedder';
import { EndpointPool, type EmbedEndpoint, type EndpointPoolOptions } from './endpointPool';
import { InFlightLimit } from '../inFlightLimit';
import { taskPrefixes, type TaskPrefixes } from './taskPrefixes';
import { inBatches, toUnitVectors } from './vectors';

/** What a remote embedder hands its base: who it is, its servers, and its batch size, concurrency and deadlines as configured. */
export interface BatchedEmbedderSetup {
  /** Stable id recorded in the index, e.g. `ollama:nomic-embed-text`; the same however many servers there are. */
  id: string;
  /** Also picks the task prefixes. */
  model: string;
  /** Servers with the model, used in turn; at least one. */
  endpoints: readonly EmbedEndpoint[];
  /** Texts per request; rounded down, at least 1. */
  batchSize: number;
  /** Requests in flight at most, over all calls of this embedder; rounded down, at least 1. Default 1. */
  concurrency?: number;
  /** Deadline per request. Default 120 s. */
  timeoutMs?: number;
  /** Deadline of the {@link BatchedEmbedder.ready} probe, which may include loading the model. Default 60 s. */
  readyTimeoutMs?: number;
  /** Deadline for the connection of every request. Default: the call layer's. */
  connectTimeoutMs?: number;
  /** Breakers and busy backoff of the servers. */
  pool?: EndpointPoolOptions;
}

/**
 * A remote embedder that sends texts in batches of one request each, several in flight, spread
 * over its servers. Subclasses only describe their servers' wire protocol ({@link EmbedEndpoint});
 * batching, concurrency, fail-over, task prefixes, the ready probe and learning the dimension are
 * the same for every service.
 */
export abstract class BatchedEmbedder implements Embedder {
  readonly id: string;
  readonly model: string;
  private dims = 0;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly connectTimeoutMs: number | undefined;
  private readonly prefixes: TaskPrefixes;
  private readonly pool: EndpointPool;
  private readonly inFlight: InFlightLimit;

  protected constructor(setup: BatchedEmbedderSetup) {
    this.id = setup.id;
    this.model = setup.model;
    this.batchSize = Math.max(1, Math.floor(setup.batchSize));
    this.timeoutMs = setup.timeoutMs ?? 120_000;
    this.readyTimeoutMs = setup.readyTimeoutMs ?? 60_000;
    this.connectTimeoutMs = setup.connectTimeoutMs;
    this.prefixes = taskPrefixes(this.model);
    this.pool = new EndpointPool(setup.endpoints, setup.pool);
    this.inFlight = new InFlightLimit(Math.max(1, Math.floor(setup.concurrency ?? 1)), () => embeddingCancelled());
  }

  /** 0 until {@link ready} or the first embedding has taught it. */
  get dimensions(): number {
    return this.dims;
  }

  /** Requests this embedder keeps in flight at most. */
  get concurrency(): number {
    return this.inFlight.size;
  }

  async ready(signal?: AbortSignal): Promise<void> {
    await this.embedBatch(['Ferret embedding probe'], signal, this.readyTimeoutMs);
  }

  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return inBatches(texts, this.batchSize, this.inFlight, signal, (batch, batchSignal) =>
      this.embedBatch(
        batch.map((text) => this.prefixes.document + text),
        batchSignal,
        this.timeoutMs,
      ),
    );
  }

  /** Not counted against the in-flight limit: a search must not queue behind a folder's worth of batches. */
  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.embedBatch([this.prefixes.query + text], signal, this.timeoutMs);
    return vector;
  }

  /** One batch on whichever server takes it: a unit vector per text of `input`, in order. */
  private async embedBatch(input: string[], signal: AbortSignal | undefined, deadlineMs: number): Promise<Float32Array[]> {
    const options = { signal, deadlineMs, connectTimeoutMs: this.connectTimeoutMs };
    try {
      return await this.pool.send(signal, async (endpoint) => {
        const reply = await callService(endpoint.service, options, (fetch) => endpoint.post(input, fetch));
        // The first reply teaches the dimension; every later one must match it.
        const vectors = toUnitVectors(endpoint.vectorsOf(reply, input.length), input.length, this.dims, endpoint.service);
        if (!this.dims && vectors.length) this.dims = vectors[0].length;
        return vectors;
      });
    } catch (error) {
      throw error instanceof ServiceError ? embedderErrorOf(error) : error;
    }
  }
}
