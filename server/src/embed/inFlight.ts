import { embeddingCancelled } from './embedder';

/**
 * A limit on requests in flight, shared by every call of one embedder: the indexer may run several
 * `embed` calls at once, and the server should still see no more than the configured number.
 * Waiters are served in arrival order, so batches go out in the order they were asked for.
 */
export class InFlightLimit {
  private used = 0;
  private readonly waiting: { admit(): void }[] = [];

  constructor(readonly size: number) {}

  /** Waits for a free place; the returned function gives it back (call it exactly once). */
  async acquire(signal: AbortSignal | undefined): Promise<() => void> {
    if (signal?.aborted) throw embeddingCancelled();
    if (this.used < this.size) {
      this.used += 1;
    } else {
      await new Promise<void>((resolve, reject) => {
        const waiter = {
          admit: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(embeddingCancelled());
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(waiter);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // A waiter takes the place over directly, so a newcomer cannot jump the queue.
      const next = this.waiting.shift();
      if (next) next.admit();
      else this.used -= 1;
    };
  }
}
