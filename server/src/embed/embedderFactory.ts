import { parseOllamaHost, resolveOllamaHost } from '../ollama/ollamaHost';
import { hasOllamaModel, listOllamaModels, ollamaService } from '../ollama/ollamaService';
import type { FerretSettings } from '../shared/protocol';
import { callForEmbeddings, EmbedderError, embeddingCancelled, type Embedder } from './embedder';
import { LocalEmbedder } from './localEmbedder';
import { DEFAULT_OLLAMA_EMBED_MODEL, OllamaEmbedder, ollamaEmbedUse } from './ollamaEmbedder';
import { parseOpenAIBaseUrl } from '../openai/openaiServer';
import { OpenAIEmbedder } from './openaiEmbedder';

export interface CreateEmbedderOptions {
  signal?: AbortSignal;
  log?: (message: string) => void;
  /** Environment for `OLLAMA_HOST` and `OPENAI_API_KEY`; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** How long `auto` waits for Ollama to list its models before settling for the local embedder. */
  probeTimeoutMs?: number;
  /** Deadline of the first embedding, which may include loading the model. */
  readyTimeoutMs?: number;
}

export interface CreatedEmbedder {
  embedder: Embedder;
  /** One sentence: which embedder and why. */
  reason: string;
}

const LOCAL = 'the built-in local embedder (lexical, no model)';

/**
 * The embedder `settings` ask for, ready to use. `local`, `ollama` and `openai` are taken at their
 * word: when the service cannot answer this throws its {@link EmbedderError}. `auto` uses Ollama
 * when it answers quickly and has the model, else the local embedder, and says why in `reason`.
 */
export async function createEmbedder(settings: FerretSettings, options: CreateEmbedderOptions = {}): Promise<CreatedEmbedder> {
  const env = options.env ?? process.env;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const log = options.log ?? (() => {});
  let created: CreatedEmbedder;
  switch (settings.embedder) {
    case 'local':
      created = { embedder: new LocalEmbedder(), reason: `Using ${LOCAL}, as configured.` };
      break;
    case 'ollama': {
      const [host, ...moreHosts] = ollamaHostsOrThrow(settings, env);
      const embedder = new OllamaEmbedder({ host, moreHosts, model: settings.ollamaEmbedModel, concurrency: settings.embedConcurrency, readyTimeoutMs, pool: { log } });
      await embedder.ready(options.signal);
      created = { embedder, reason: `Using Ollama at ${listed(embedder.hosts)} with model "${embedder.model}" (${embedder.dimensions} dimensions), as configured.` };
      break;
    }
    case 'openai': {
      const unusable = settings.embedEndpoints.findIndex((entry) => typeof parseOpenAIBaseUrl(entry) === 'string');
      if (unusable >= 0) {
        // The entry itself is not repeated: a URL can carry credentials.
        throw new EmbedderError(`Entry ${unusable + 1} of ferret.embedEndpoints is not an http(s) base URL without credentials, such as http://127.0.0.1:8000/v1.`, 'unreachable');
      }
      const [baseUrl = '', ...moreBaseUrls] = settings.embedEndpoints.length ? settings.embedEndpoints : [settings.openaiBaseUrl];
      const embedder = new OpenAIEmbedder({
        baseUrl,
        moreBaseUrls,
        model: settings.openaiEmbedModel ?? '',
        apiKey: settings.openaiApiKey?.trim() || env.OPENAI_API_KEY,
        concurrency: settings.embedConcurrency,
        readyTimeoutMs,
        pool: { log },
      });
      await embedder.ready(options.signal);
      created = {
        embedder,
        reason: `Using the OpenAI-compatible ${embedder.baseUrls.length > 1 ? 'servers' : 'server'} at ${listed(embedder.baseUrls)} with model "${embedder.model}" (${embedder.dimensions} dimensions), as configured.`,
      };
      break;
    }
    default:
      created = await autoEmbedder(settings, env, options.probeTimeoutMs ?? 1500, readyTimeoutMs, options.signal, log);
  }
  log(`Embedder ${created.embedder.id}: ${created.reason}`);
  return created;
}

async function autoEmbedder(
  settings: FerretSettings,
  env: Record<string, string | undefined>,
  probeTimeoutMs: number,
  readyTimeoutMs: number,
  signal: AbortSignal | undefined,
  log: (message: string) => void,
): Promise<CreatedEmbedder> {
  const fallBack = (why: string): CreatedEmbedder => ({ embedder: new LocalEmbedder(), reason: `${why}; using ${LOCAL}.` });
  let hosts: string[];
  try {
    hosts = ollamaHosts(settings, env);
  } catch (error) {
    return fallBack((error as Error).message.replace(/\.$/, ''));
  }
  // The first server speaks for all: they are meant to hold the same model.
  const [host, ...moreHosts] = hosts;
  const model = settings.ollamaEmbedModel?.trim() || DEFAULT_OLLAMA_EMBED_MODEL;
  let installed: string[];
  try {
    installed = await callForEmbeddings(ollamaService(host, ollamaEmbedUse(model)), { signal, deadlineMs: probeTimeoutMs }, (fetch) => listOllamaModels(host, fetch));
  } catch (error) {
    if (signal?.aborted) throw embeddingCancelled();
    const code = error instanceof EmbedderError ? error.code : 'unreachable';
    return fallBack(code === 'unreachable' || code === 'timeout' ? `Ollama did not answer at ${host}` : `Ollama at ${host} did not answer as expected`);
  }
  if (!hasOllamaModel(installed, model)) {
    return fallBack(`Ollama at ${host} has no model "${model}" (run \`ollama pull ${model}\`)`);
  }
  const embedder = new OllamaEmbedder({ host, moreHosts, model, concurrency: settings.embedConcurrency, readyTimeoutMs, pool: { log } });
  try {
    await embedder.ready(signal);
  } catch (error) {
    if (signal?.aborted) throw embeddingCancelled();
    // The error's own advice ("…; choose another ferret embedder.") is moot once the fallback is chosen.
    const what = (error as Error).message.split('; ')[0].replace(/\.$/, '');
    return fallBack(`${what} when asked for a first embedding with "${model}"`);
  }
  return {
    embedder,
    reason: `Ollama answered at ${host} with model "${model}"; using it for embeddings (${embedder.dimensions} dimensions)${moreHosts.length ? `, with ${listed(moreHosts)} as well` : ''}.`,
  };
}

/** The Ollama servers to embed with: `embedEndpoints` when set, else the one configured host. */
function ollamaHosts(settings: FerretSettings, env: Record<string, string | undefined>): string[] {
  if (!settings.embedEndpoints.length) return [resolveOllamaHost(settings, env)];
  return settings.embedEndpoints.map((entry, i) => {
    try {
      return parseOllamaHost(entry.trim(), 'the ferret.embedEndpoints setting');
    } catch {
      // The entry itself is not repeated: a URL can carry credentials.
      throw new RangeError(`Entry ${i + 1} of ferret.embedEndpoints is not a valid Ollama address; use host:port or http://host:port.`);
    }
  });
}

function ollamaHostsOrThrow(settings: FerretSettings, env: Record<string, string | undefined>): string[] {
  try {
    return ollamaHosts(settings, env);
  } catch (error) {
    throw new EmbedderError((error as Error).message, 'unreachable');
  }
}

/** `a`, `a and b`, `a, b and c`. */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
}
