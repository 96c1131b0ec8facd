export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive failures that open a closed breaker. Default 3. */
  failureThreshold?: number;
  /** How long an open breaker refuses requests before admitting a probe. Default 30 s. */
  coolDownMs?: number;
  /** Clock in milliseconds; injectable so tests need not wait. */
  now?: () => number;
  /** Called each time the breaker opens (also when a failed probe re-opens it). */
  onOpen?: () => void;
}

export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_COOL_DOWN_MS = 30_000;

/**
 * One provider's circuit breaker: closed → open after `failureThreshold` consecutive failures →
 * half-open once `coolDownMs` has passed, admitting one probe at a time → closed when a probe
 * succeeds, open again (cool-down restarted) when it fails.
 *
 * Health checks feed it too. A failed check counts as a failure like a failed request, and while
 * the breaker is open it restarts the cool-down: the provider is known to be down right now. A
 * good check never closes the breaker or clears failures (a server that lists its models can still
 * fail to generate), but it turns an open breaker half-open at once, so the next request probes a
 * provider that has come back instead of waiting out the cool-down.
 */
export class CircuitBreaker {
  private phase: BreakerState = 'closed';
  private failures = 0;
  private opened = 0;
  private openedAt = 0;
  private probing = false;
  private readonly threshold: number;
  private readonly coolDownMs: number;
  private readonly now: () => number;
  private readonly onOpen: (() => void) | undefined;

  constructor(options: BreakerOptions = {}) {
    this.threshold = Math.max(1, Math.floor(options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD));
    this.coolDownMs = Math.max(0, options.coolDownMs ?? DEFAULT_COOL_DOWN_MS);
    this.now = options.now ?? Date.now;
    this.onOpen = options.onOpen;
  }

  get state(): BreakerState {
    if (this.phase === 'open' && this.now() - this.openedAt >= this.coolDownMs) this.phase = 'half-open';
    return this.phase;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** How many times the breaker has opened since it was made. */
  get timesOpened(): number {
    return this.opened;
  }

  /** Milliseconds until an open breaker admits a probe; 0 unless open. */
  get retryInMs(): number {
    return this.state === 'open' ? Math.max(0, this.coolDownMs - (this.now() - this.openedAt)) : 0;
  }

  /** Whether a request would be admitted now. Does not admit it: see {@link tryAcquire}. */
  canRequest(): boolean {
    const state = this.state;
    return state === 'closed' || (state === 'half-open' && !this.probing);
  }

  /**
   * Admits a request if the breaker allows one; in half-open that request becomes the probe and
   * no other is admitted until it ends with {@link recordSuccess}, {@link recordFailure} or {@link release}.
   */
  tryAcquire(): boolean {
    if (!this.canRequest()) return false;
    if (this.phase === 'half-open') this.probing = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probing = false;
    this.phase = 'closed';
  }

  recordFailure(): void {
    this.failures += 1;
    this.probing = false;
    const state = this.state;
    const opening = state === 'half-open' || (state === 'closed' && this.failures >= this.threshold);
    if (opening) {
      this.opened += 1;
      this.phase = 'open';
    }
    if (this.phase === 'open') this.openedAt = this.now();
    if (opening) this.onOpen?.();
  }

  /** A request ended without telling whether the provider works (it was cancelled): frees the probe slot. */
  release(): void {
    this.probing = false;
  }

  /** A health check found the provider answering. */
  recordHealthy(): void {
    if (this.state === 'open') this.phase = 'half-open';
  }
}
