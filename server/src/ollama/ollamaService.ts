/**
 * An Ollama server as embeddings and chat both use it: how messages name it, what they advise,
 * how its error answers read, and the list of models it has.
 */
import { Ollama } from 'ollama';
import { displayUrl } from '../net/httpErrors';
import { field } from '../net/jsonFields';
import { orElse, ServiceError, type ModelUse, type Service } from '../net/serviceCall';

/** `Ollama at http://127.0.0.1:11434`, for a base URL as `resolveOllamaHost` returns it. */
export function ollamaLabel(host: string): string {
  return `Ollama at ${displayUrl(new URL(host))}`;
}

/** The Ollama server at `host` as error sentences name it, for calls made for `use`. */
export function ollamaService(host: string, use: ModelUse): Service {
  const label = ollamaLabel(host);
  return {
    label,
    unreachableHint: `start it with \`ollama serve\` or point the ferret.ollamaHost setting at it${orElse(use)}`,
    hint: `check the Ollama log${orElse(use)}`,
    classifyStatus: (status, detail) => {
      if (status !== 404) return undefined;
      if (/model/i.test(detail)) return new ServiceError(ollamaMissingModel(host, use), 'model-not-found');
      // An Ollama too old for the endpoint answers a plain "404 page not found".
      return new ServiceError(`${label} has no ${use.endpoint}; update Ollama or check ferret.ollamaHost${orElse(use)}.`, 'bad-response');
    },
  };
}

/** The sentence for a model the server at `host` does not have. */
export function ollamaMissingModel(host: string, use: ModelUse): string {
  return `${ollamaLabel(host)} has no model "${use.model}"; run \`ollama pull ${use.model}\` or set ${use.modelSetting} to a model it has${orElse(use)}.`;
}

/**
 * Names of the models the server has (`/api/tags`), asked through `fetch` (a service call's).
 * A cheap reachability probe: unlike an embedding or a chat it never loads a model.
 */
export async function listOllamaModels(host: string, fetch: typeof globalThis.fetch): Promise<string[]> {
  const listed: unknown = await new Ollama({ host, fetch }).list();
  const models = field(listed, 'models');
  if (!Array.isArray(models)) return [];
  return models.flatMap((entry: unknown) => {
    const name = field(entry, 'name') ?? field(entry, 'model');
    return typeof name === 'string' ? [name] : [];
  });
}

/** Whether `model` is among `installed`, where a name without a tag means `:latest` as it does to Ollama. */
export function hasOllamaModel(installed: string[], model: string): boolean {
  const canonical = (name: string) => (name.includes(':') ? name : `${name}:latest`).toLowerCase();
  const wanted = canonical(model.trim());
  return installed.some((name) => canonical(name) === wanted);
}
