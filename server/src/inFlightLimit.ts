/**
 * A limit on work in flight, shared by every caller that holds it: the requests of one embedder
 * (the indexer may run several `embed` calls at once, and the server should still see no more than
 * the configured number), or the folders a scan lists at once. Waiters are served in arrival order.
 */
export class InFlightLimit {
  private used = 0;
  private readonly waiting: { admit(): void }[] = [];

  /** `cancelled`: what a wait cut short by its signal rejects with. */
  constructor(
    readonly size: number,
    private readonly cancelled: (signal: AbortSignal) => unknown = (signal) => signal.reason,
  ) {}

  /** Waits for a free place; the returned function gives it back (call it exactly once). */
  async acquire(signal: AbortSignal | undefined): Promise<() => void> {
    if (signal?.aborted) throw this.cancelled(signal);
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
          reject(this.cancelled(signal!));
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
