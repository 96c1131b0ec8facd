/**
 * Wording and classification shared by every HTTP client of the daemon (embedders, chat models):
 * turning status answers, network failures and URLs into text a person can read.
 */

/** A non-2xx answer, with the server's own explanation when it gave one. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    /** How long the server asked us to wait (`Retry-After`), if it did. */
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
    this.name = 'HttpStatusError';
  }
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

/**
 * A short reason for a failed connection, or undefined when `error` is not a network failure.
 * Reads undici's `TypeError: fetch failed` (code on `cause`) and node:http's errors (code on the error).
 */
export function networkProblem(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause: unknown = error.cause;
  const code = codeOf(error) ?? codeOf(cause) ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
    case 'UND_ERR_CLOSED':
      return 'the connection was closed before a reply';
    default:
      if (!(error instanceof TypeError)) return undefined;
      return error.message === 'fetch failed' || error.message === 'terminated' ? code || 'connection failed' : undefined;
  }
}

/** The server's explanation in an error answer, one line of at most 200 characters; '' if none. */
export async function readErrorDetail(response: Response): Promise<string> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return '';
  }
  let detail = text;
  try {
    const body: unknown = JSON.parse(text);
    detail = errorMessageOf(body) ?? text;
  } catch {
    // Not JSON: the raw text is the best explanation there is.
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
}

/** `{error: "…"}` (Ollama), `{error: {message: "…"}}` (OpenAI), `{message}` or `{detail}` (others). */
export function errorMessageOf(body: unknown): string | undefined {
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

function codeOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || !('code' in value)) return undefined;
  return typeof value.code === 'string' ? value.code : undefined;
}
