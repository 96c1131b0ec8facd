import type { Service } from '../net/serviceCall';
import { callForEmbeddings, type Embedder } from './embedder';
import { taskPrefixes, type TaskPrefixes } from './taskPrefixes';
import { inBatches, toUnitVectors } from './vectors';

/** What a remote embedder hands its base: who it is, and its batch size and deadlines as configured. */
export interface BatchedEmbedderSetup {
  /** Stable id recorded in the index, e.g. `ollama:nomic-embed-text`. */
  id: string;
  /** Also picks the task prefixes. */
  model: string;
  /** The service as error sentences name it. */
  service: Service;
  /** Texts per request; rounded down, at least 1. */
  batchSize: number;
  /** Deadline per request. Default 120 s. */
  timeoutMs?: number;
  /** Deadline of the {@link BatchedEmbedder.ready} probe, which may include loading the model. Default 60 s. */
  readyTimeoutMs?: number;
  /** Deadline for the connection of every request. Default: the call layer's. */
  connectTimeoutMs?: number;
}

/**
 * A remote embedder that sends texts in batches of one request each. Subclasses only speak the
 * wire protocol ({@link embedBatch}); batching, task prefixes, the ready probe and learning the
 * dimension are the same for every service.
 */
export abstract class BatchedEmbedder implements Embedder {
  readonly id: string;
  readonly model: string;
  protected readonly service: Service;
  private dims = 0;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly connectTimeoutMs: number | undefined;
  private readonly prefixes: TaskPrefixes;

  protected constructor(setup: BatchedEmbedderSetup) {
    this.id = setup.id;
    this.model = setup.model;
    this.service = setup.service;
    this.batchSize = Math.max(1, Math.floor(setup.batchSize));
    this.timeoutMs = setup.timeoutMs ?? 120_000;
    this.readyTimeoutMs = setup.readyTimeoutMs ?? 60_000;
    this.connectTimeoutMs = setup.connectTimeoutMs;
    this.prefixes = taskPrefixes(this.model);
  }

  /** 0 until {@link ready} or the first embedding has taught it. */
  get dimensions(): number {
    return this.dims;
  }

  async ready(signal?: AbortSignal): Promise<void> {
    await this.embedBatch(['Ferret embedding probe'], signal, this.readyTimeoutMs);
  }

  embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    return inBatches(texts, this.batchSize, signal, (batch) =>
      this.embedBatch(
        batch.map((text) => this.prefixes.document + text),
        signal,
        this.timeoutMs,
      ),
    );
  }

  async embedQuery(text: string, signal?: AbortSignal): Promise<Float32Array> {
    const [vector] = await this.embedBatch([this.prefixes.query + text], signal, this.timeoutMs);
    return vector;
  }

  /** One request: a vector per text of `input`, in order, each through {@link unitVectors}. */
  protected abstract embedBatch(input: string[], signal: AbortSignal | undefined, timeoutMs: number): Promise<Float32Array[]>;

  /** One request to the service within `deadlineMs`; `run` gets the fetch to make it with. */
  protected request<T>(signal: AbortSignal | undefined, deadlineMs: number, run: (fetch: typeof globalThis.fetch) => Promise<T>): Promise<T> {
    return callForEmbeddings(this.service, { signal, deadlineMs, connectTimeoutMs: this.connectTimeoutMs }, run);
  }

  /** Checks and normalises the raw vectors of a reply for `count` texts; the first reply teaches the dimension. */
  protected unitVectors(raw: unknown, count: number): Float32Array[] {
    const vectors = toUnitVectors(raw, count, this.dims, this.service);
    if (!this.dims && vectors.length) this.dims = vectors[0].length;
    return vectors;
  }
}
