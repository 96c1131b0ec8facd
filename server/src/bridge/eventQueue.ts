/**
 * Turns pushed values (notification callbacks) into an async iterable. Values pushed before a
 * failure are still delivered, then the failure is thrown: a stream that breaks keeps the text it
 * already produced.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private finished = false;
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;

  push(item: T): void {
    if (this.finished) return;
    this.items.push(item);
    this.signal();
  }

  end(): void {
    this.finished = true;
    this.signal();
  }

  fail(error: unknown): void {
    if (this.finished) return;
    this.failure = { error };
    this.end();
  }

  get done(): boolean {
    return this.finished;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for (;;) {
      if (this.items.length > 0) {
        yield this.items.shift() as T;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.finished) return;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
