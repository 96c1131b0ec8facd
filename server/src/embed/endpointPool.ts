import { CircuitBreaker, type BreakerOptions } from '../net/circuitBreaker';
import { DEFAULT_BACKOFF, isBusy, pause, retryDelayMs, type BackoffPolicy } from '../net/retry';
import { ServiceError, type Service, type ServiceFailure } from '../net/serviceCall';
import { embeddingCancelled } from './embedder';

/** One server with the embedding model: how errors name it, and how to send it a batch. */
export interface EmbedEndpoint {
  service: Service;
  /** One request embedding `input`, made with `fetch` (the call's, bound to its deadline and signal): the reply's body. */
  post(input: string[], fetch: typeof globalThis.fetch): Promise<unknown>;
  /** The raw vectors of a reply to `count` texts, in input order, not yet checked; throws for a reply without them. */
  vectorsOf(reply: unknown, count: number): unknown;
}

export interface EndpointPoolOptions {
  breaker?: Omit<BreakerOptions, 'onOpen'>;
  backoff?: BackoffPolicy;
  /** Told, with a sentence for the log, when a server of several is set aside after failing. */
  log?: (message: string) => void;
}

/** Failures that belong to one server (down, slow, out of memory), so another server may well do the batch. */
const ENDPOINT_FAULTS: ReadonlySet<ServiceFailure> = new Set(['unreachable', 'timeout', 'server-error', 'out-of-memory']);

interface Member {
  endpoint: EmbedEndpoint;
  breaker: CircuitBreaker;
}

/**
 * Several servers with the same model, used in turn. Each stands behind its own circuit breaker,
 * so a server that keeps failing gets no new batches until its cool-down ends while the others
 * carry on. A batch that fails on one server for a reason of that server's own is sent to the
 * next; one that every server has failed fails with the last server's error. A busy answer (429,
 * 503) is waited out, as long as the server asks within bounds, and sent again.
 */
export class EndpointPool {
  private readonly members: Member[];
  private readonly backoff: BackoffPolicy;
  private turn = 0;

  constructor(endpoints: readonly EmbedEndpoint[], options: EndpointPoolOptions = {}) {
    if (endpoints.length === 0) throw new RangeError('An embedder needs at least one endpoint.');
    const log = endpoints.length > 1 ? options.log : undefined;
    this.members = endpoints.map((endpoint) => ({
      endpoint,
      breaker: new CircuitBreaker({
        ...options.breaker,
        onOpen: () => log?.(`${endpoint.service.label} keeps failing embedding batches; the other servers take them until it answers again.`),
      }),
    }));
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** The first server: the one a lone request (the ready probe) goes to first. */
  get first(): EmbedEndpoint {
    return this.members[0].endpoint;
  }

  /**
   * Runs `attempt` on one server after another until one succeeds. `attempt` throws a
   * {@link ServiceError} for a failed call; anything else (a reply of the wrong shape) ends the batch.
   */
  async send<T>(signal: AbortSignal | undefined, attempt: (endpoint: EmbedEndpoint) => Promise<T>): Promise<T> {
    const failed = new Set<Member>();
    let busyAnswers = 0;
    for (;;) {
      const member = this.next(failed);
      try {
        const result = await attempt(member.endpoint);
        member.breaker.recordSuccess();
        return result;
      } catch (error) {
        if (!(error instanceof ServiceError) || error.failure === 'cancelled' || signal?.aborted) {
          member.breaker.release();
          throw error;
        }
        if (isBusy(error) && busyAnswers < this.backoff.maxRetries) {
          // Busy is not broken: the breaker hears nothing, and the batch waits its turn again.
          member.breaker.release();
          await pause(retryDelayMs(busyAnswers++, error.answer?.retryAfterMs, this.backoff), signal, embeddingCancelled);
          continue;
        }
        // A server that stays busy past the bounds is as good as down for this batch.
        if (!ENDPOINT_FAULTS.has(error.failure) && !isBusy(error)) {
          member.breaker.release();
          throw error;
        }
        member.breaker.recordFailure();
        failed.add(member);
        if (failed.size === this.members.length) throw error;
      }
    }
  }

  /**
   * The next server in turn that this batch has not failed on: one whose breaker admits a request
   * if any does, else (every other one is resting) one that is resting, since trying a server that
   * failed recently beats failing the batch untried.
   */
  private next(failed: ReadonlySet<Member>): Member {
    const count = this.members.length;
    const untried: Member[] = [];
    for (let step = 0; step < count; step++) {
      const member = this.members[(this.turn + step) % count];
      if (!failed.has(member)) untried.push(member);
    }
    const chosen = untried.find((member) => member.breaker.tryAcquire()) ?? untried[0];
    this.turn = (this.members.indexOf(chosen) + 1) % count;
    return chosen;
  }
}
