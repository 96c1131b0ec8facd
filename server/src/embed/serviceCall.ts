import { EmbedderError } from './embedder';
import { displayUrl, HttpStatusError, networkProblem, readErrorDetail, redact } from '../net/httpErrors';
import { formatDuration, sentence } from '../text/wording';

export { displayUrl, HttpStatusError, redact, sentence };

/** A remote embedding service, as error sentences name it. */
export interface Service {
  /** Who answered, without credentials, e.g. `Ollama at http://127.0.0.1:11434`. */
  label: string;
  /** What a person can do when the service cannot be reached. */
  unreachableHint: string;
  /** What a person can do about any other failure. */
  hint: string;
  /** Strings that must never reach a message, such as an API key. */
  secrets?: string[];
  /** Maps an HTTP error answer to a more specific error (model missing, bad key); undefined for the generic one. */
  classifyStatus?: (status: number, detail: string) => EmbedderError | undefined;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Deadline for the whole call, reading the body included. */
  timeoutMs: number;
}

/**
 * Runs one call to `service` with a `fetch` that carries the caller's signal and a deadline, and
 * turns whatever goes wrong into an {@link EmbedderError} with one actionable sentence.
 *
 * The fetch handed to `run` throws {@link HttpStatusError} for non-2xx answers itself. That keeps
 * client libraries from handling them: the ollama client prints to stdout while reading a
 * non-JSON error body, which would corrupt the daemon's JSON-RPC stream when it runs over stdio.
 */
export async function callService<T>(service: Service, options: CallOptions, run: (fetch: typeof globalThis.fetch) => Promise<T>): Promise<T> {
  const caller = options.signal;
  if (caller?.aborted) throw cancelled();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, options.timeoutMs);
  const onAbort = () => controller.abort();
  caller?.addEventListener('abort', onAbort, { once: true });
  const guardedFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, { ...init, signal: controller.signal });
    if (!response.ok) throw new HttpStatusError(response.status, await readErrorDetail(response));
    return response;
  };
  try {
    return await run(guardedFetch);
  } catch (error) {
    if (caller?.aborted) throw cancelled();
    if (timedOut) throw new EmbedderError(sentence(`${service.label} did not answer within ${formatDuration(options.timeoutMs)}; ${service.hint}.`), 'timeout');
    throw describeFailure(error, service);
  } finally {
    clearTimeout(timer);
    caller?.removeEventListener('abort', onAbort);
  }
}

/** The error for a call the caller cancelled. */
export function cancelled(): EmbedderError {
  return new EmbedderError('Embedding was cancelled.', 'cancelled');
}

function describeFailure(error: unknown, service: Service): EmbedderError {
  if (error instanceof EmbedderError) return error;
  const clean = (text: string) => redact(text, service.secrets);
  if (error instanceof HttpStatusError) {
    const specific = service.classifyStatus?.(error.status, error.detail);
    if (specific) return new EmbedderError(clean(specific.message), specific.code);
    const detail = error.detail ? ` (${clean(error.detail)})` : '';
    return new EmbedderError(sentence(`${service.label} answered HTTP ${error.status}${detail}; ${service.hint}.`), 'bad-response');
  }
  if (error instanceof SyntaxError) {
    return new EmbedderError(sentence(`${service.label} sent a reply that is not valid JSON; ${service.hint}.`), 'bad-response');
  }
  const network = networkProblem(error);
  if (network) return new EmbedderError(`Could not connect to ${service.label} (${network}); ${service.unreachableHint}.`, 'unreachable');
  const message = error instanceof Error ? error.message : String(error);
  return new EmbedderError(sentence(`${service.label} failed (${clean(message)}); ${service.hint}.`), 'bad-response');
}
