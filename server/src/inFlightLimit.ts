interface Waiter {
  signal: AbortSignal | undefined;
  admit(): void;
  reject(reason: unknown): void;
}

/**
 * A limit on work in flight, shared by every caller that holds it: the requests of one embedder
 * (the indexer may run several `embed` calls at once, and the server should still see no more than
 * the configured number), or the folders a scan lists at once. Waiters are served in arrival order.
 */
export class InFlightLimit {
  private used = 0;
  private readonly waiting: Waiter[] = [];
  /**
   * One abort listener per signal, however many wait on it: a scan's thousands of folders wait on
   * one signal, and Node reports more than ten listeners on a signal as a leak.
   */
  private readonly watched = new Map<AbortSignal, { waiters: number; onAbort(): void }>();

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
      await new Promise<void>((admit, reject) => {
        this.waiting.push({ signal, admit, reject });
        if (signal) this.watch(signal);
      });
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      // A waiter takes the place over directly, so a newcomer cannot jump the queue.
      const next = this.waiting.shift();
      if (!next) {
        this.used -= 1;
        return;
      }
      if (next.signal) this.unwatch(next.signal);
      next.admit();
    };
  }

  private watch(signal: AbortSignal): void {
    const watch = this.watched.get(signal);
    if (watch) {
      watch.waiters += 1;
      return;
    }
    const onAbort = () => {
      this.watched.delete(signal);
      const reason = this.cancelled(signal);
      let kept = 0;
      for (const waiter of this.waiting) {
        if (waiter.signal === signal) waiter.reject(reason);
        else this.waiting[kept++] = waiter;
      }
      this.waiting.length = kept;
    };
    signal.addEventListener('abort', onAbort, { once: true });
    this.watched.set(signal, { waiters: 1, onAbort });
  }

  private unwatch(signal: AbortSignal): void {
    const watch = this.watched.get(signal);
    if (!watch || --watch.waiters > 0) return;
    signal.removeEventListener('abort', watch.onAbort);
    this.watched.delete(signal);
  }
}
