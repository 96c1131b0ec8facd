/**
 * A few worker threads that prepare files for indexing (filePrep.ts) so parsing and chunking use
 * every core while the pass's own thread keeps the store, the catalog and the commits. Workers
 * start on first use and stop after a quiet spell, so an idle daemon holds no parser memory.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { PrepOutcome, PrepTask } from './filePrep';

/** Messages between the pool and filePrepWorker.ts. */
export interface PrepRequest {
  id: number;
  task: PrepTask;
}
export type PrepReply = { id: number; outcome: PrepOutcome; logs: string[] } | { id: number; error: string };

/** A file's outcome, and what the chunker logged while preparing it. */
export interface Prepared {
  outcome: PrepOutcome;
  logs: string[];
}

/** Files a worker holds at once: one in hand, one waiting, so it never idles on a reply's round trip. */
const PER_WORKER = 2;
/** Workers stop after this long without work; a new pass starts them again. */
const IDLE_MS = 30_000;

/**
 * A worker holds one file at a time, so its heap needs little: a small young generation instead
 * of V8's default keeps each worker's heap at about half the size with no measurable slowdown, and
 * a bounded old generation turns a file that would exhaust memory into {@link WorkerOutOfMemory}
 * for that file instead of a crash of the whole daemon.
 */
const WORKER_HEAP: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 };

/** A file whose preparing outgrew a worker's heap; the pass's own thread, with the process's heap, can still take it. */
export class WorkerOutOfMemory extends Error {}

interface Job {
  id: number;
  task: PrepTask;
  resolve: (prepared: Prepared) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Sent and not answered, oldest first: the worker answers in order, so the first is the one in hand. */
  jobs: Job[];
  /** Why the worker died, when it reported it before exiting. */
  failure?: string;
  outOfMemory?: boolean;
}

export class FilePrepPool {
  private readonly waiting: Job[] = [];
  private readonly slots = new Set<Slot>();
  private nextId = 0;
  private idleTimer: NodeJS.Timeout | undefined;

  /**
   * @param workerPath the worker's script (dist/filePrepWorker.js).
   * @param size how many workers at most.
   * @param heap each worker's heap limits.
   */
  constructor(
    private readonly workerPath: string,
    readonly size: number,
    private readonly heap: ResourceLimits = WORKER_HEAP,
  ) {}

  /**
   * Prepares one file on a worker. Rejects with an error naming the file when preparing it threw
   * or its worker died; a worker that dies is replaced, and the files it had not started go to another.
   */
  prepare(task: PrepTask): Promise<Prepared> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: ++this.nextId, task, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every worker; files not prepared yet are rejected. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    for (const job of this.waiting.splice(0)) job.reject(new Error(`Preparing ${job.task.path} was cancelled: the file workers stopped.`));
    const slots = [...this.slots];
    this.slots.clear();
    for (const slot of slots) for (const job of slot.jobs.splice(0)) job.reject(new Error(`Preparing ${job.task.path} was cancelled: the file workers stopped.`));
    await Promise.all(slots.map((slot) => slot.worker.terminate()));
  }

  private dispatch(): void {
    clearTimeout(this.idleTimer);
    while (this.waiting.length > 0) {
      const slot = this.freeSlot();
      if (!slot) break;
      const job = this.waiting.shift()!;
      slot.jobs.push(job);
      // A worker with work keeps the process alive until it answers; an idle one does not.
      slot.worker.ref();
      const request: PrepRequest = { id: job.id, task: job.task };
      slot.worker.postMessage(request);
    }
    if (this.waiting.length === 0 && [...this.slots].every((slot) => slot.jobs.length === 0)) {
      this.idleTimer = setTimeout(() => void this.close(), IDLE_MS);
      this.idleTimer.unref();
    }
  }

  /** An idle worker, else a new one while below size, else the least busy worker with room. */
  private freeSlot(): Slot | undefined {
    let best: Slot | undefined;
    for (const slot of this.slots) if (slot.jobs.length < PER_WORKER && (!best || slot.jobs.length < best.jobs.length)) best = slot;
    if (best?.jobs.length === 0) return best;
    if (this.slots.size < this.size) return this.spawn();
    return best;
  }

  private spawn(): Slot {
    const slot: Slot = { worker: new Worker(this.workerPath, { resourceLimits: this.heap }), jobs: [] };
    slot.worker.on('message', (reply: PrepReply) => this.settle(slot, reply));
    slot.worker.on('error', (error: NodeJS.ErrnoException) => {
      slot.failure = error.message;
      slot.outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
    });
    slot.worker.on('exit', (code) => this.lost(slot, code));
    this.slots.add(slot);
    return slot;
  }

  private settle(slot: Slot, reply: PrepReply): void {
    const job = slot.jobs.shift();
    if (!job) return;
    if ('error' in reply) job.reject(new Error(`Preparing ${job.task.path} for the index failed: ${reply.error}`));
    else job.resolve({ outcome: reply.outcome, logs: reply.logs });
    if (slot.jobs.length === 0) slot.worker.unref();
    this.dispatch();
  }

  /** A worker exited: stopped by {@link close}, or died on the file in its hand. */
  private lost(slot: Slot, code: number): void {
    if (!this.slots.delete(slot)) return;
    const [culprit, ...unstarted] = slot.jobs;
    const message = `Preparing ${culprit?.task.path} for the index failed: its worker thread stopped (${slot.failure ?? `exit code ${code}`}).`;
    culprit?.reject(slot.outOfMemory ? new WorkerOutOfMemory(message) : new Error(message));
    this.waiting.unshift(...unstarted);
    this.dispatch();
  }
}

let shared: FilePrepPool | null | undefined;

/**
 * The process's pool, one worker per core; undefined when the worker bundle is not beside this
 * module (running from the TypeScript sources), where passes prepare files themselves.
 */
export function sharedPrepPool(): FilePrepPool | undefined {
  if (shared === undefined) {
    const workerPath = join(__dirname, 'filePrepWorker.js');
    shared = existsSync(workerPath) ? new FilePrepPool(workerPath, Math.max(1, availableParallelism())) : null;
  }
  return shared ?? undefined;
}
