import { EmbedderError } from './embedder';

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

/** A non-2xx answer, with the server's own explanation when it gave one. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
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
    if (!response.ok) throw new HttpStatusError(response.status, await errorDetail(response));
    return response;
  };
  try {
    return await run(guardedFetch);
  } catch (error) {
    if (caller?.aborted) throw cancelled();
    if (timedOut) throw new EmbedderError(sentence(`${service.label} did not answer within ${seconds(options.timeoutMs)}; ${service.hint}.`), 'timeout');
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

/** Capitalises the first letter, for labels that start a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Replaces every secret in `text` so that no message can leak it. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join('***');
  return out;
}

/** A URL as it may appear in a message: no credentials, query or fragment, no trailing slash. */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`.replace(/\/+$/, '');
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

/** A short reason for a failed connection, from undici's `TypeError: fetch failed` and its `cause`. */
function networkProblem(error: unknown): string | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const cause: unknown = error.cause;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String(cause.code) : '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was closed before a reply';
    default:
      return error.message === 'fetch failed' || error.message === 'terminated' ? (code || 'connection failed') : undefined;
  }
}

async function errorDetail(response: Response): Promise<string> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return '';
  }
  let detail = text;
  try {
    const body: unknown = JSON.parse(text);
    detail = messageOf(body) ?? text;
  } catch {
    // Not JSON: the raw text is the best explanation there is.
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
}

/** `{error: "…"}` (Ollama), `{error: {message: "…"}}` (OpenAI), `{message}` or `{detail}` (others). */
function messageOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>).message === 'string') {
    return (error as Record<string, unknown>).message as string;
  }
  for (const key of ['message', 'detail']) if (typeof record[key] === 'string') return record[key] as string;
  return undefined;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
