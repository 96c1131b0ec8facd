/**
 * Waiting out a busy model server: HTTP 429 (rate limited) and 503 (overloaded, or still loading)
 * say "ask again later", often with `Retry-After` saying when. Everything here is bounded, so a
 * server asking for an hour cannot stall indexing, and every wait ends at once on cancellation.
 */
import type { ServiceError } from './serviceCall';

export interface BackoffPolicy {
  /** First wait when the server gives no `Retry-After`; doubled each further time. */
  baseMs: number;
  /** No single wait is longer, whatever the server asks. */
  maxMs: number;
  /** Busy answers in a row after which the last one counts as the failure. */
  maxRetries: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, maxMs: 30_000, maxRetries: 6 };

/** Whether the server said it is busy rather than broken, so the same request may simply be sent again. */
export function isBusy(error: ServiceError): boolean {
  return error.answer?.status === 429 || error.answer?.status === 503;
}

/**
 * Milliseconds a `Retry-After` value asks for: delay-seconds (`120`, RFC 9110 allows no fraction
 * but some servers send one) or an HTTP date, counted from `now`. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date names its day and month; Date.parse alone would take `-3` for a year.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How long to wait before busy retry number `attempt` (0-based): the server's word if it gave one, else exponential. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, policy: BackoffPolicy): number {
  const wanted = retryAfterMs ?? policy.baseMs * 2 ** attempt;
  return Math.min(Math.max(0, wanted), policy.maxMs);
}

/** Resolves after `ms`, or rejects with `cancelled()` as soon as `signal` aborts. */
export function pause(ms: number, signal: AbortSignal | undefined, cancelled: () => Error): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelled());
    const onAbort = () => {
      clearTimeout(timer);
      reject(cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
