/**
 * What the clients of an OpenAI-compatible server (embeddings, chat) share: reading the
 * `ferret.openaiBaseUrl` setting, the request headers and the answer to a refused API key. Each
 * client wraps the sentences in its own error class and code.
 */
import { sentence } from '../text/wording';

/** Why a configured base URL cannot be used. */
export type BaseUrlProblem = 'missing' | 'invalid';

/**
 * The base URL, or its problem. Query and fragment are dropped because the clients append paths
 * (`/embeddings`, `/models`) to it; credentials are refused because the URL appears in messages.
 */
export function parseOpenAIBaseUrl(raw: string): URL | BaseUrlProblem {
  const text = raw.trim();
  if (!text) return 'missing';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'invalid';
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return 'invalid';
  url.search = '';
  url.hash = '';
  return url;
}

/** The sentence for a base URL problem; `alternative`, when given, is offered after setting the URL. */
export function baseUrlProblemMessage(problem: BaseUrlProblem, alternative?: string): string {
  if (problem === 'missing') {
    const orElse = alternative ? ` or ${alternative}` : '';
    return `No OpenAI-compatible server is set; set ferret.openaiBaseUrl (e.g. http://127.0.0.1:8000/v1)${orElse}.`;
  }
  return 'ferret.openaiBaseUrl must be an http(s) URL without credentials, such as http://127.0.0.1:8000/v1; put the key in ferret.openaiApiKey.';
}

/** The server as error sentences name it, given its base URL as messages show it. */
export function openaiServerLabel(base: string): string {
  return `the OpenAI-compatible server at ${base}`;
}

/** JSON request headers, with the key as a Bearer token when there is one. */
export function openaiHeaders(apiKey: string, accept: string): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept };
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  return headers;
}

/** The sentence for an answer that refuses the API key (401, 403); undefined for any other status. */
export function keyRefusedMessage(label: string, status: number): string | undefined {
  if (status !== 401 && status !== 403) return undefined;
  return `${sentence(label)} refused the API key (HTTP ${status}); check ferret.openaiApiKey or OPENAI_API_KEY.`;
}
