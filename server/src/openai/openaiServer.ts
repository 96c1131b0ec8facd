/**
 * An OpenAI-compatible server as embeddings and chat both use it: reading the
 * `ferret.openaiBaseUrl` setting, the request headers, how messages name the server and how its
 * error answers read.
 */
import { orElse, ServiceError, type ModelUse, type Service } from '../net/serviceCall';
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
    const instead = alternative ? ` or ${alternative}` : '';
    return `No OpenAI-compatible server is set; set ferret.openaiBaseUrl (e.g. http://127.0.0.1:8000/v1)${instead}.`;
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

/**
 * The server at `base` (as messages show it) as error sentences name it, for calls made for `use`
 * with `apiKey`, which no message may repeat.
 */
export function openaiService(base: string, apiKey: string, use: ModelUse): Service {
  const label = openaiServerLabel(base);
  return {
    label,
    unreachableHint: `check that it is running and that ferret.openaiBaseUrl is right${orElse(use)}`,
    hint: `check its log and the ferret.openaiBaseUrl and ${use.modelSetting} settings${orElse(use)}`,
    secrets: [apiKey],
    classifyStatus: (status, detail) => {
      // A refused key is a server that will not serve, so the router moves on to the next provider.
      if (status === 401 || status === 403) {
        return new ServiceError(sentence(`${label} refused the API key (HTTP ${status}); check ferret.openaiApiKey or OPENAI_API_KEY`), 'unreachable');
      }
      if (status === 404 && /model/i.test(detail)) {
        return new ServiceError(sentence(`${label} has no model "${use.model}"; set ${use.modelSetting} to a model it serves${orElse(use)}`), 'model-not-found');
      }
      if (status === 404) return new ServiceError(sentence(`${label} has no ${use.endpoint} endpoint; ferret.openaiBaseUrl usually ends in /v1`), 'bad-response');
      if (status === 429) return new ServiceError(sentence(`${label} is busy or rate-limited (HTTP 429); try again shortly`), 'server-error');
      return undefined;
    },
  };
}
