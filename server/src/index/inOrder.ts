/**
 * Runs an async job per item, a bounded number ahead of the consumer, and hands the results back
 * in the items' order: the consumer sees a sequence while the work underneath overlaps.
 */
export class InOrder<I, T> {
  /** Started and not yet taken, in item order. */
  private readonly started: Array<Promise<T>> = [];
  private nextItem = 0;

  /** @param ahead jobs under way or finished and not yet taken, at most; 1 runs them one after another. */
  constructor(
    private readonly items: readonly I[],
    private readonly job: (item: I) => Promise<T>,
    private readonly ahead: number,
  ) {}

  /** The next item's result; rejects as its job did. Call at most once per item. */
  next(): Promise<T> {
    while (this.started.length < this.ahead && this.nextItem < this.items.length) {
      const result = this.job(this.items[this.nextItem++]!);
      // Results the consumer never takes (it stopped at an earlier failure) must not be unhandled rejections.
      result.catch(() => undefined);
      this.started.push(result);
    }
    const result = this.started.shift();
    if (!result) throw new Error('InOrder.next() called past the last item');
    return result;
  }
}
