import { formatDuration } from '../text/wording';
import { ChatError, type ChatEvent, type ChatMessage, type ChatModel, type ChatOptions } from '../chat/chatModel';

export interface AttemptTimeouts {
  /** From the start of the attempt (connecting and model loading included) to the first token. */
  firstTokenMs: number;
  /** From the start of the attempt to the end of the answer. */
  totalMs: number;
}

type StopReason = 'cancelled' | 'first-token' | 'total';

/**
 * One provider's try at an answer, on a signal of its own that the caller's cancellation and the
 * router's deadlines abort. Each step races the provider against that signal, so a deadline or a
 * cancellation ends the attempt on time even if the provider were slow to notice its signal.
 */
export class RouteAttempt {
  private readonly controller = new AbortController();
  private readonly iterator: AsyncIterator<ChatEvent>;
  private readonly stopped: Promise<never>;
  private reason: StopReason | undefined;
  private rejectStopped: (error: Error) => void = () => {};
  private readonly firstTokenTimer: NodeJS.Timeout;
  private readonly totalTimer: NodeJS.Timeout;
  private readonly onCancel = () => this.stop('cancelled');

  constructor(
    private readonly provider: ChatModel,
    messages: ChatMessage[],
    private readonly options: ChatOptions,
    private readonly timeouts: AttemptTimeouts,
  ) {
    this.stopped = new Promise<never>((_resolve, reject) => {
      this.rejectStopped = reject;
    });
    // Every step races this promise; the rejection is only ever read through those races.
    this.stopped.catch(() => {});
    options.signal.addEventListener('abort', this.onCancel, { once: true });
    this.firstTokenTimer = setTimeout(() => this.stop('first-token'), timeouts.firstTokenMs);
    this.totalTimer = setTimeout(() => this.stop('total'), timeouts.totalMs);
    if (options.signal.aborted) this.stop('cancelled');
    this.iterator = startStream(provider, messages, { ...options, signal: this.controller.signal });
  }

  /** The provider's next event, or a rejection as soon as the attempt is cancelled or out of time. */
  next(): Promise<IteratorResult<ChatEvent>> {
    if (this.reason) return this.stopped;
    const step = this.iterator.next();
    step.catch(() => {});
    return Promise.race([step, this.stopped]);
  }

  /** The first-token deadline no longer applies. */
  firstTokenArrived(): void {
    clearTimeout(this.firstTokenTimer);
  }

  /** Why the attempt failed, as a {@link ChatError}; cancellation by the caller wins over anything else. */
  describe(error: unknown): ChatError {
    const label = `${this.provider.id} (${this.provider.model})`;
    switch (this.reason) {
      case 'cancelled':
        return new ChatError(`The answer from ${label} was cancelled.`, 'cancelled');
      case 'first-token':
        return new ChatError(`${label} sent no text within ${formatDuration(this.timeouts.firstTokenMs)}.`, 'timeout');
      case 'total':
        return new ChatError(`${label} did not finish its answer within ${formatDuration(this.timeouts.totalMs)}.`, 'timeout');
    }
    if (this.options.signal.aborted) return new ChatError(`The answer from ${label} was cancelled.`, 'cancelled');
    if (error instanceof ChatError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ChatError(`${label} failed unexpectedly (${message}).`, 'bad-response');
  }

  /** Stops the provider if it is still generating and lets it clean up. */
  dispose(): void {
    clearTimeout(this.firstTokenTimer);
    clearTimeout(this.totalTimer);
    this.options.signal.removeEventListener('abort', this.onCancel);
    this.controller.abort();
    this.iterator.return?.().catch(() => {});
  }

  private stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort();
    this.rejectStopped(new Error(`attempt stopped: ${reason}`));
  }
}

/** The provider's iterator; one that throws before it starts fails on its first step instead. */
function startStream(provider: ChatModel, messages: ChatMessage[], options: ChatOptions): AsyncIterator<ChatEvent> {
  try {
    return provider.stream(messages, options)[Symbol.asyncIterator]();
  } catch (error) {
    return {
      next: () => Promise.reject(error instanceof Error ? error : new Error(String(error))),
    };
  }
}
