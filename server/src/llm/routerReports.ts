/**
 * What the chat router reports: how attempts ended, why an answer failed, and each provider's state.
 */
import type { ChatErrorCode, ProviderHealth } from '../chat/chatModel';
import type { BreakerState } from '../net/circuitBreaker';
import type { Availability } from '../shared/protocol';

/** How one provider attempt ended: `success`, `circuit-open` (skipped by its breaker), `cancelled` or the failure's code. */
export type AttemptOutcome = 'success' | ProviderFailure['code'];

export interface RouterObserver {
  attempted(provider: string, outcome: AttemptOutcome): void;
  breakerOpened(provider: string): void;
}

/** Why one provider did not answer. */
export interface ProviderFailure {
  provider: string;
  model: string;
  /** `circuit-open` when the breaker kept the provider out without trying it. */
  code: ChatErrorCode | 'circuit-open';
  /** One sentence a person can act on. */
  message: string;
}

export type RouterErrorCode = ChatErrorCode | 'no-provider';

/**
 * Why a routed answer failed. `no-provider`: every provider failed or was skipped before a token,
 * `failures` says why each. Any other code: the answering provider stopped (or the caller
 * cancelled) and `partial` holds the text already streamed, which is never retried elsewhere.
 */
export class RouterError extends Error {
  readonly partial: string;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly failures: readonly ProviderFailure[];

  constructor(
    message: string,
    readonly code: RouterErrorCode,
    details: { partial?: string; provider?: string; model?: string; failures?: readonly ProviderFailure[] } = {},
  ) {
    super(message);
    this.name = 'RouterError';
    this.partial = details.partial ?? '';
    this.provider = details.provider;
    this.model = details.model;
    this.failures = details.failures ?? [];
  }
}

export interface ProviderStatus {
  id: string;
  model: string;
  state: BreakerState;
  consecutiveFailures: number;
  timesOpened: number;
  /** Milliseconds until an open breaker admits a probe; 0 unless open. */
  retryInMs: number;
  /** The latest failure (of a request or a health check), cleared by a successful answer. */
  lastError?: string;
  /** The latest health check's answer, once one ran. */
  health?: ProviderHealth;
  /** What its latest answer or health check showed; see {@link Availability}. */
  availability: Availability;
  /** Whether an answer is streaming from it now. */
  streaming: boolean;
}

export interface RouterStatus {
  providers: ProviderStatus[];
  /** The provider that produced the latest answer's first token. */
  lastAnswered?: { provider: string; model: string };
}
