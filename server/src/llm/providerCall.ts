import { ConnectTimeoutError, createHttpFetch } from '../net/httpFetch';
import { HttpStatusError, networkProblem, readErrorDetail, redact } from '../net/httpErrors';
import { formatDuration, sentence } from '../text/wording';
import { ChatError } from './chatModel';

/** A chat server as error sentences name it. */
export interface ChatService {
  /** Who answered, without credentials, e.g. `Ollama at http://127.0.0.1:11434`. */
  label: string;
  /** What a person can do when the server cannot be reached. */
  unreachableHint: string;
  /** What a person can do about any other failure. */
  hint: string;
  /** Strings that must never reach a message, such as an API key. */
  secrets?: readonly string[];
  /** A more specific error for an HTTP error answer (model missing, bad key); undefined for the generic one. */
  classifyStatus?: (status: number, detail: string) => ChatError | undefined;
}

export interface ProviderCallOptions {
  connectTimeoutMs: number;
  /** Deadline for the whole call; none for streams, whose pace the router governs. */
  deadlineMs?: number;
}

/** Connect deadline of the HTTP providers unless configured. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Words in a server's error that mean the model did not fit in memory. */
const OUT_OF_MEMORY = /out of memory|more system memory|insufficient memory|\bOOM\b|failed to allocate|cudaMalloc/i;

/**
 * One HTTP exchange with a chat server: a `fetch` bound to the caller's signal, a connect deadline
 * and an optional overall deadline, and the translation of whatever goes wrong into a
 * {@link ChatError} with one sentence a person can act on. Dispose it when done: that aborts a
 * request still open, so a consumer that stops early also stops the generation.
 */
export class ProviderCall {
  /** Set once response headers arrived, so a later network failure reads as a drop mid-answer. */
  private responded = false;
  private timedOut = false;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => this.controller.abort();
  private readonly httpFetch: typeof globalThis.fetch;

  constructor(
    private readonly service: ChatService,
    private readonly caller: AbortSignal | undefined,
    private readonly options: ProviderCallOptions,
  ) {
    this.httpFetch = createHttpFetch({ connectTimeoutMs: options.connectTimeoutMs });
    caller?.addEventListener('abort', this.onAbort, { once: true });
    if (caller?.aborted) this.controller.abort();
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
    if (!response.ok) throw new HttpStatusError(response.status, await readErrorDetail(response));
    this.responded = true;
    return response;
  };

  /** Throws the cancellation error if the caller has already given up. */
  throwIfCancelled(): void {
    if (this.caller?.aborted) throw this.cancelled();
  }

  /** What went wrong, as a {@link ChatError}; the caller's abort always reads as 'cancelled'. */
  describe(error: unknown): ChatError {
    const { service } = this;
    const clean = (text: string) => redact(text, service.secrets);
    if (this.caller?.aborted) return this.cancelled();
    if (this.timedOut) {
      return new ChatError(sentence(`${service.label} did not answer within ${formatDuration(this.options.deadlineMs ?? 0)}; ${service.hint}.`), 'timeout');
    }
    if (error instanceof ChatError) return new ChatError(clean(error.message), error.code);
    if (error instanceof ConnectTimeoutError) {
      return new ChatError(`Could not connect to ${service.label} within ${formatDuration(error.timeoutMs)}; ${service.unreachableHint}.`, 'timeout');
    }
    if (error instanceof HttpStatusError) return this.statusError(error, clean);
    if (error instanceof SyntaxError) {
      return new ChatError(sentence(`${service.label} sent a reply that is not valid JSON; ${service.hint}.`), 'bad-response');
    }
    const network = networkProblem(error);
    if (network && this.responded) {
      return new ChatError(sentence(`${service.label} closed the connection in the middle of the answer; ${service.hint}.`), 'unreachable');
    }
    if (network) return new ChatError(`Could not connect to ${service.label} (${network}); ${service.unreachableHint}.`, 'unreachable');
    const message = error instanceof Error ? error.message : String(error);
    return new ChatError(sentence(`${service.label} failed (${clean(message)}); ${service.hint}.`), 'bad-response');
  }

  /** A stream payload that reports an error instead of text. */
  streamError(message: string): ChatError {
    const clean = redact(message, this.service.secrets);
    const code = OUT_OF_MEMORY.test(message) ? 'out-of-memory' : 'server-error';
    return new ChatError(sentence(`${this.service.label} stopped with an error (${clean}); ${this.service.hint}.`), code);
  }

  /** A reply whose shape or framing is wrong. */
  badResponse(what: string): ChatError {
    return new ChatError(sentence(`${this.service.label} ${what}; ${this.service.hint}.`), 'bad-response');
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller?.removeEventListener('abort', this.onAbort);
    this.controller.abort();
  }

  private cancelled(): ChatError {
    return new ChatError(sentence(`the request to ${this.service.label} was cancelled.`), 'cancelled');
  }

  private statusError(error: HttpStatusError, clean: (text: string) => string): ChatError {
    const { service } = this;
    const specific = service.classifyStatus?.(error.status, error.detail);
    if (specific) return new ChatError(clean(specific.message), specific.code);
    const detail = error.detail ? ` (${clean(error.detail)})` : '';
    const code = OUT_OF_MEMORY.test(error.detail) ? 'out-of-memory' : error.status >= 500 ? 'server-error' : 'bad-response';
    return new ChatError(sentence(`${service.label} answered HTTP ${error.status}${detail}; ${service.hint}.`), code);
  }
}
