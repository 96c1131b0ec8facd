/**
 * The one way the daemon calls a model server over HTTP (embeddings, chat, model lists): a fetch
 * bound to the caller's signal, a connect deadline and an optional overall deadline, and whatever
 * goes wrong turned into a {@link ServiceError} with one sentence a person can act on.
 */
import { formatDuration, sentence } from '../text/wording';
import { HttpStatusError, networkProblem, readErrorDetail, redact } from './httpErrors';
import { ConnectTimeoutError, createHttpFetch } from './httpFetch';
import { parseRetryAfter } from './retry';

/** What went wrong, as the layers above tell failures apart (fail over, fall back, give up). */
export type ServiceFailure = 'cancelled' | 'timeout' | 'unreachable' | 'model-not-found' | 'out-of-memory' | 'server-error' | 'bad-response';

/** What an HTTP error answer said beyond its text: its status, and how long the server asked us to wait. */
export interface StatusFacts {
  status: number;
  retryAfterMs?: number;
}

/** A failed call: `message` is one sentence for a person, `failure` what kind of failure it was. */
export class ServiceError extends Error {
  constructor(
    message: string,
    readonly failure: ServiceFailure,
    /** Set when the server answered with an HTTP error. */
    readonly answer?: StatusFacts,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** A model server as error sentences name it. */
export interface Service {
  /** Who answered, without credentials, e.g. `Ollama at http://127.0.0.1:11434`. */
  label: string;
  /** What a person can do when the server cannot be reached. */
  unreachableHint: string;
  /** What a person can do about any other failure. */
  hint: string;
  /** Strings that must never reach a message, such as an API key. */
  secrets?: readonly string[];
  /** A more specific error for an HTTP error answer (model missing, bad key); undefined for the generic one. */
  classifyStatus?: (status: number, detail: string) => ServiceError | undefined;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Deadline for the TCP (and TLS) connection. Default {@link DEFAULT_CONNECT_TIMEOUT_MS}. */
  connectTimeoutMs?: number;
  /**
   * Deadline for the whole call, reading the body included. None for chat streams, whose pace the
   * router governs; embeddings and probes set their own, since loading a model may take a while.
   */
  deadlineMs?: number;
}

/** Connect deadline of every call unless configured: a server that is up accepts a connection at once. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Words in a server's error that mean the model did not fit in memory. */
const OUT_OF_MEMORY = /out of memory|more system memory|insufficient memory|\bOOM\b|failed to allocate|cudaMalloc/i;

/**
 * One HTTP exchange with a model server. Dispose it when done: that aborts a request still open,
 * so a consumer that stops reading a stream early also stops the generation.
 */
export class ServiceCall {
  /** Set once response headers arrived, so a later network failure reads as a drop mid-answer. */
  private responded = false;
  private timedOut = false;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.controller.abort();
  private readonly httpFetch: typeof globalThis.fetch;
  private readonly caller: AbortSignal | undefined;

  constructor(
    private readonly service: Service,
    private readonly options: CallOptions,
  ) {
    this.caller = options.signal;
    this.httpFetch = createHttpFetch({ connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
    this.caller?.addEventListener('abort', this.onAbort, { once: true });
    if (this.caller?.aborted) this.controller.abort();
    if (options.deadlineMs !== undefined) {
      this.timer = setTimeout(() => {
        this.timedOut = true;
        this.controller.abort();
      }, options.deadlineMs);
    }
  }

  /**
   * Fetch carrying this call's signal. Throws {@link HttpStatusError} for non-2xx answers itself,
   * which keeps client libraries from handling them: the ollama client prints to stdout while reading
   * an error body, and stdout is the daemon's JSON-RPC channel when it runs over stdio.
   */
  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const signals = [this.controller.signal, ...(init?.signal ? [init.signal] : [])];
    const response = await this.httpFetch(input, { ...init, signal: AbortSignal.any(signals) });
    if (!response.ok) throw new HttpStatusError(response.status, await readErrorDetail(response), parseRetryAfter(response.headers.get('retry-after'), Date.now()));
    this.responded = true;
    return response;
  };

  /** Throws the cancellation error if the caller has already given up, before anything is sent. */
  throwIfCancelled(): void {
    if (this.caller?.aborted) throw this.cancelled();
  }

  /** What went wrong, as a {@link ServiceError}; the caller's abort always reads as 'cancelled'. */
  describe(error: unknown): ServiceError {
    const { service } = this;
    const clean = (text: string) => redact(text, service.secrets);
    if (this.caller?.aborted) return this.cancelled();
    if (this.timedOut) {
      return new ServiceError(sentence(`${service.label} did not answer within ${formatDuration(this.options.deadlineMs ?? 0)}; ${service.hint}`), 'timeout');
    }
    if (error instanceof ServiceError) return new ServiceError(clean(error.message), error.failure, error.answer);
    if (error instanceof ConnectTimeoutError) {
      return new ServiceError(`Could not connect to ${service.label} within ${formatDuration(error.timeoutMs)}; ${service.unreachableHint}.`, 'timeout');
    }
    if (error instanceof HttpStatusError) return this.statusError(error, clean);
    if (error instanceof SyntaxError) return badReply(service, 'sent a reply that is not valid JSON');
    const network = networkProblem(error);
    if (network && this.responded) {
      return new ServiceError(sentence(`${service.label} closed the connection in the middle of the answer; ${service.hint}`), 'unreachable');
    }
    if (network) return new ServiceError(`Could not connect to ${service.label} (${network}); ${service.unreachableHint}.`, 'unreachable');
    const message = error instanceof Error ? error.message : String(error);
    return new ServiceError(sentence(`${service.label} failed (${clean(message)}); ${service.hint}`), 'bad-response');
  }

  /** A stream payload that reports an error instead of text. */
  streamError(message: string): ServiceError {
    const clean = redact(message, this.service.secrets);
    const failure = OUT_OF_MEMORY.test(message) ? 'out-of-memory' : 'server-error';
    return new ServiceError(sentence(`${this.service.label} stopped with an error (${clean}); ${this.service.hint}`), failure);
  }

  /** A reply whose shape or framing is wrong. */
  badResponse(what: string): ServiceError {
    return badReply(this.service, what);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onAbort);
    this.controller.abort();
  }

  private cancelled(): ServiceError {
    return new ServiceError(sentence(`the request to ${this.service.label} was cancelled`), 'cancelled');
  }

  private statusError(error: HttpStatusError, clean: (text: string) => string): ServiceError {
    const { service } = this;
    const answer: StatusFacts = { status: error.status, ...(error.retryAfterMs !== undefined && { retryAfterMs: error.retryAfterMs }) };
    const specific = service.classifyStatus?.(error.status, error.detail);
    if (specific) return new ServiceError(clean(specific.message), specific.failure, answer);
    const detail = error.detail ? ` (${clean(error.detail)})` : '';
    const failure = OUT_OF_MEMORY.test(error.detail) ? 'out-of-memory' : error.status >= 500 ? 'server-error' : 'bad-response';
    return new ServiceError(sentence(`${service.label} answered HTTP ${error.status}${detail}; ${service.hint}`), failure, answer);
  }
}

/** Runs one request-and-reply exchange (`run` gets the call's fetch) and disposes of the call. */
export async function callService<T>(service: Service, options: CallOptions, run: (fetch: typeof globalThis.fetch) => Promise<T>): Promise<T> {
  const call = new ServiceCall(service, options);
  try {
    call.throwIfCancelled();
    return await run(call.fetch);
  } catch (error) {
    throw call.describe(error);
  } finally {
    call.dispose();
  }
}

/** The error for a reply of `service` whose shape is wrong; `what` says how, e.g. `sent a reply without embeddings`. */
export function badReply(service: Service, what: string): ServiceError {
  return new ServiceError(sentence(`${service.label} ${what}; ${service.hint}`), 'bad-response');
}

/** What the calls to a model server are for, so that its error sentences can say what to change. */
export interface ModelUse {
  model: string;
  /** The setting that names the model, e.g. `ferret.ollamaChatModel`. */
  modelSetting: string;
  /** The path the calls need, named when the server has none, e.g. `/api/embed`. */
  endpoint: string;
  /**
   * What else a person can do, offered after each piece of advice, e.g. `choose another ferret
   * embedder`; none where something else takes over by itself (the chat router fails over).
   */
  alternative?: string;
}

/** `, or <alternative>` to end a piece of advice, or nothing. */
export function orElse(use: ModelUse): string {
  return use.alternative ? `, or ${use.alternative}` : '';
}
