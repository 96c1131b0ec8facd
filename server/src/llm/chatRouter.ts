import { formatDuration } from '../text/wording';
import { FAILOVER_CODES, type ChatEvent, type ChatMessage, type ChatModel, type ChatOptions, type ProviderHealth } from '../chat/chatModel';
import { CircuitBreaker, type BreakerOptions } from '../net/circuitBreaker';
import { RouteAttempt } from './routeAttempt';
import { SETTINGS } from '../shared/settingsSchema';
import type { Availability } from '../shared/protocol';
import { RouterError, type ProviderFailure, type RouterObserver, type RouterStatus } from './routerReports';

export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = SETTINGS.firstTokenTimeoutSeconds.default * 1000;
export const DEFAULT_TOTAL_TIMEOUT_MS = SETTINGS.answerTimeoutSeconds.default * 1000;

export interface RouterOptions {
  /** Applies to every provider's breaker. */
  breaker?: BreakerOptions;
  /** From the start of a provider's attempt to its first token; past it the router fails over. Default 60 s. */
  firstTokenTimeoutMs?: number;
  /** From the start of a provider's attempt to the end of its answer. Default 300 s. */
  totalTimeoutMs?: number;
  /** Called when what {@link ChatRouter.status} reports may have changed. */
  onChange?: () => void;
  /** Told how each provider attempt ended and when a breaker opens (metrics). */
  observer?: RouterObserver;
}

/** The events of one routed answer. Iterate it once; {@link answeredBy} is set at the first token. */
export class RoutedStream implements AsyncIterable<ChatEvent> {
  /** Provider and model that are answering; undefined until the first token. */
  answeredBy: { provider: string; model: string } | undefined;
  /** The providers passed over before the one answering, and why. */
  readonly failures: ProviderFailure[] = [];
  private readonly events: AsyncGenerator<ChatEvent>;

  constructor(run: (stream: RoutedStream) => AsyncGenerator<ChatEvent>) {
    this.events = run(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatEvent> {
    return this.events;
  }
}

interface Entry {
  provider: ChatModel;
  breaker: CircuitBreaker;
  lastError?: string;
  health?: ProviderHealth;
  /** Whether its latest answer or health check succeeded; undefined before either. */
  lastWorked?: boolean;
  streaming: number;
}

/**
 * Routes each answer to the first provider, in order, whose circuit breaker admits it. Fails over
 * to the next one on a {@link FAILOVER_CODES} error or a deadline, but only before the first
 * token: once text has reached the caller, an error ends the answer with that text kept. The
 * caller's cancellation stops the provider's generation, is not held against it, and ends the
 * answer without trying another.
 */
export class ChatRouter {
  private readonly entries: Entry[];
  private readonly timeouts: { firstTokenMs: number; totalMs: number };
  private lastAnswered: { provider: string; model: string } | undefined;

  /** @param providers in the order to try them (see `defaultProviderOrder`, `orderProviders`). */
  constructor(
    providers: readonly ChatModel[],
    private readonly options: RouterOptions = {},
  ) {
    this.entries = providers.map((provider) => ({
      provider,
      breaker: new CircuitBreaker({ ...options.breaker, onOpen: () => options.observer?.breakerOpened(provider.id) }),
      streaming: 0,
    }));
    this.timeouts = {
      firstTokenMs: options.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS,
      totalMs: options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS,
    };
  }

  /**
   * Streams an answer. Iterating rejects with a {@link RouterError}: `cancelled` when
   * `options.signal` aborts, `no-provider` when no provider got as far as a token, or the
   * provider's code (with `partial`) when it failed mid-answer.
   */
  stream(messages: ChatMessage[], options: ChatOptions): RoutedStream {
    return new RoutedStream((routed) => this.run(this.entries, messages, options, routed));
  }

  /**
   * Streams an answer from the one provider named `providerId` (breaker, deadlines and health
   * as for {@link stream}), with no failover: the caller chose that model.
   */
  streamFrom(providerId: string, messages: ChatMessage[], options: ChatOptions): RoutedStream {
    return new RoutedStream((routed) => this.run(this.entries.filter((entry) => entry.provider.id === providerId), messages, options, routed));
  }

  /** Every provider's model with its context window (when it can tell), in the order they are tried. */
  async models(signal?: AbortSignal): Promise<{ provider: string; model: string; contextWindow?: number; availability: Availability }[]> {
    const availability = new Map(this.status().providers.map((p) => [p.id, p.availability]));
    return Promise.all(
      this.entries.map(async ({ provider }) => {
        const contextWindow = await provider.contextWindow(signal).catch(() => undefined);
        return { provider: provider.id, model: provider.model, ...(contextWindow !== undefined && { contextWindow }), availability: availability.get(provider.id) ?? 'unchecked' };
      }),
    );
  }

  /** Asks every provider for its health and feeds the answers to the breakers (see {@link CircuitBreaker}). */
  async checkHealth(signal?: AbortSignal): Promise<RouterStatus> {
    await Promise.all(
      this.entries.map(async (entry) => {
        let health: ProviderHealth;
        try {
          health = await entry.provider.health(signal);
        } catch (error) {
          health = { ok: false, detail: error instanceof Error ? error.message : String(error) };
        }
        if (signal?.aborted) return;
        entry.health = health;
        entry.lastWorked = health.ok;
        if (health.ok) {
          entry.breaker.recordHealthy();
          entry.lastError = undefined;
        } else {
          entry.breaker.recordFailure();
          entry.lastError = health.detail;
        }
      }),
    );
    this.changed();
    return this.status();
  }

  /**
   * The smallest context window among the providers that could answer now, since any of them may
   * end up answering; undefined when none can tell.
   */
  async contextWindow(signal?: AbortSignal): Promise<number | undefined> {
    const usable = this.entries.filter((entry) => entry.breaker.canRequest());
    const windows = await Promise.all(usable.map((entry) => entry.provider.contextWindow(signal).catch(() => undefined)));
    const known = windows.filter((window): window is number => window !== undefined);
    return known.length ? Math.min(...known) : undefined;
  }

  status(): RouterStatus {
    return {
      providers: this.entries.map(({ provider, breaker, lastError, health, lastWorked, streaming }) => ({
        id: provider.id,
        model: provider.model,
        state: breaker.state,
        consecutiveFailures: breaker.consecutiveFailures,
        timesOpened: breaker.timesOpened,
        retryInMs: breaker.retryInMs,
        ...(lastError !== undefined && { lastError }),
        ...(health !== undefined && { health }),
        availability: breaker.state === 'open' || lastWorked === false ? 'unavailable' : lastWorked ? 'available' : 'unchecked',
        streaming: streaming > 0,
      })),
      ...(this.lastAnswered && { lastAnswered: this.lastAnswered }),
    };
  }

  private async *run(entries: readonly Entry[], messages: ChatMessage[], options: ChatOptions, routed: RoutedStream): AsyncGenerator<ChatEvent> {
    for (const entry of entries) {
      if (options.signal.aborted) throw new RouterError('The question was cancelled.', 'cancelled');
      const { provider, breaker } = entry;
      const who = { provider: provider.id, model: provider.model };
      if (!breaker.tryAcquire()) {
        routed.failures.push({ ...who, code: 'circuit-open', message: skipReason(entry) });
        this.options.observer?.attempted(provider.id, 'circuit-open');
        continue;
      }
      const attempt = new RouteAttempt(provider, messages, options, this.timeouts);
      entry.streaming += 1;
      let partial = '';
      let settled = false;
      try {
        for (;;) {
          const step = await attempt.next();
          const event: ChatEvent = step.done ? { type: 'done', usage: {} } : step.value;
          if (!routed.answeredBy) {
            attempt.firstTokenArrived();
            routed.answeredBy = who;
            this.lastAnswered = who;
            this.changed();
          }
          if (event.type === 'done') {
            settled = true;
            breaker.recordSuccess();
            entry.lastError = undefined;
            entry.lastWorked = true;
            this.options.observer?.attempted(provider.id, 'success');
            this.changed();
            yield event;
            return;
          }
          partial += event.text;
          yield event;
        }
      } catch (error) {
        settled = true;
        const failure = attempt.describe(error);
        this.options.observer?.attempted(provider.id, failure.code);
        if (failure.code === 'cancelled') {
          breaker.release();
          throw new RouterError(failure.message, 'cancelled', { partial, ...who });
        }
        breaker.recordFailure();
        entry.lastError = failure.message;
        entry.lastWorked = false;
        this.changed();
        if (routed.answeredBy) {
          throw new RouterError(`${label(provider)} stopped in the middle of its answer: ${failure.message}`, failure.code, { partial, ...who });
        }
        routed.failures.push({ ...who, code: failure.code, message: failure.message });
        if (!FAILOVER_CODES.has(failure.code)) throw new RouterError(failure.message, failure.code, { ...who, failures: routed.failures });
      } finally {
        entry.streaming -= 1;
        // The consumer stopped reading: no verdict on the provider, but a probe slot must not stay taken.
        if (!settled) breaker.release();
        attempt.dispose();
      }
    }
    if (options.signal.aborted) throw new RouterError('The question was cancelled.', 'cancelled');
    throw noProvider(routed.failures);
  }

  private changed(): void {
    this.options.onChange?.();
  }
}

function label(provider: ChatModel): string {
  return `${provider.id} (${provider.model})`;
}

/** One sentence: why the breaker kept the provider out, with its last error. */
function skipReason(entry: Entry): string {
  const { breaker } = entry;
  const last = entry.lastError ? ` (last error: ${entry.lastError.replace(/\.$/, '')})` : '';
  if (breaker.state === 'half-open') return `${label(entry.provider)} is being retried by another request after failing${last}.`;
  return `${label(entry.provider)} is paused after ${breaker.consecutiveFailures} failures in a row and will be tried again in ${formatDuration(breaker.retryInMs)}${last}.`;
}

function noProvider(failures: readonly ProviderFailure[]): RouterError {
  if (!failures.length) {
    return new RouterError('No chat model is configured; set up Ollama, MLX or an OpenAI-compatible server in the Ferret settings.', 'no-provider');
  }
  // Most reasons already name their provider ("Could not connect to Ollama at …"); the rest get its id.
  const reasons = failures.map(({ provider, message }) => (message.toLowerCase().includes(provider.toLowerCase()) ? message : `${provider}: ${message}`));
  return new RouterError(`No chat model could answer. ${reasons.join(' ')}`, 'no-provider', { failures });
}
