import { Ollama } from 'ollama';
import { hasOllamaModel } from '../embed/ollamaEmbedder';
import { displayUrl } from '../net/httpErrors';
import { ChatError, type ChatEvent, type ChatMessage, type ChatModel, type ChatOptions, type ChatUsage, type ProviderHealth } from './chatModel';
import { field, isPositiveInteger } from './json';
import { DEFAULT_CONNECT_TIMEOUT_MS, ProviderCall, type ChatService } from './providerCall';
import { SETTINGS } from '../shared/settingsSchema';

export const DEFAULT_OLLAMA_CHAT_MODEL = SETTINGS.ollamaChatModel.default;

export interface OllamaChatOptions {
  /** Base URL as returned by `resolveOllamaHost`. */
  host: string;
  model?: string;
  /** Deadline for the TCP connection of every request. Default 10 s. */
  connectTimeoutMs?: number;
  /** Deadline for `/api/tags` and `/api/show` (health, context window). Default 10 s. */
  requestTimeoutMs?: number;
  /**
   * Largest context asked for when the model's Modelfile sets no `num_ctx`. The trained length
   * (32k for qwen2.5-coder) would cost memory and prompt time a local answer rarely needs. Default 8192.
   */
  maxContextTokens?: number;
}

/** Chat over an Ollama server's streaming `/api/chat`, through the `ollama` client. */
export class OllamaChat implements ChatModel {
  readonly id = 'ollama';
  readonly model: string;
  readonly host: string;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly maxContextTokens: number;
  private readonly service: ChatService;
  /** Context length to ask for in each chat, once {@link contextWindow} learned that the Modelfile does not set one. */
  private numCtx: number | undefined;
  private knownContext: number | undefined;

  constructor(options: OllamaChatOptions) {
    this.host = options.host;
    this.model = options.model?.trim() || DEFAULT_OLLAMA_CHAT_MODEL;
    this.connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxContextTokens = options.maxContextTokens ?? 8192;
    this.service = ollamaChatService(this.host, this.model);
  }

  async *stream(messages: ChatMessage[], options: ChatOptions): AsyncGenerator<ChatEvent> {
    const call = new ProviderCall(this.service, options.signal, { connectTimeoutMs: this.connectTimeoutMs });
    try {
      call.throwIfCancelled();
      const client = new Ollama({ host: this.host, fetch: checkedStreamFetch(call) });
      const parts = await client.chat({
        model: this.model,
        messages,
        stream: true,
        options: {
          ...(options.maxTokens !== undefined && { num_predict: options.maxTokens }),
          ...(options.temperature !== undefined && { temperature: options.temperature }),
          ...(options.topP !== undefined && { top_p: options.topP }),
          ...(this.numCtx !== undefined && { num_ctx: this.numCtx }),
        },
      });
      let usage: ChatUsage = {};
      for await (const part of parts) {
        const text = part.message?.content;
        if (text) yield { type: 'token', text };
        if (part.done) usage = { promptTokens: part.prompt_eval_count, completionTokens: part.eval_count };
      }
      yield { type: 'done', usage };
    } catch (error) {
      throw call.describe(error);
    } finally {
      call.dispose();
    }
  }

  /** Reachable, and whether the model is pulled (`/api/tags`); never loads a model. */
  async health(signal?: AbortSignal): Promise<ProviderHealth> {
    const call = this.request(signal);
    try {
      const listed: unknown = await new Ollama({ host: this.host, fetch: call.fetch }).list();
      const models = modelNames(listed);
      if (hasOllamaModel(models, this.model)) return { ok: true, detail: `${this.service.label} serves ${this.model}.`, models };
      return { ok: false, detail: missingModel(this.service.label, this.model), models };
    } catch (error) {
      const failure = call.describe(error);
      if (failure.code === 'cancelled') throw failure;
      return { ok: false, detail: failure.message };
    } finally {
      call.dispose();
    }
  }

  /**
   * From `/api/show`: the Modelfile's `num_ctx` when it sets one (that is what Ollama will use),
   * else the model's trained `<arch>.context_length` capped at `maxContextTokens`, which each chat
   * then asks for, so the window reported is the window in effect. Undefined when the server
   * cannot be asked or does not say; remembered once known.
   */
  async contextWindow(signal?: AbortSignal): Promise<number | undefined> {
    if (this.knownContext !== undefined) return this.knownContext;
    const call = this.request(signal);
    try {
      const shown: unknown = await new Ollama({ host: this.host, fetch: call.fetch }).show({ model: this.model });
      const configured = numCtxOf(field(shown, 'parameters'));
      if (configured) return (this.knownContext = configured);
      const trained = trainedContextOf(field(shown, 'model_info'));
      if (!trained) return undefined;
      this.numCtx = Math.min(trained, this.maxContextTokens);
      return (this.knownContext = this.numCtx);
    } catch (error) {
      const failure = call.describe(error);
      if (failure.code === 'cancelled') throw failure;
      return undefined;
    } finally {
      call.dispose();
    }
  }

  private request(signal: AbortSignal | undefined): ProviderCall {
    return new ProviderCall(this.service, signal, { connectTimeoutMs: this.connectTimeoutMs, deadlineMs: this.requestTimeoutMs });
  }
}

/**
 * A fetch whose response body is checked line by line before the ollama client reads it. The
 * client skips a line that is not JSON with a console.warn (and prints nothing useful to us) and
 * turns an `{"error": …}` line into a bare Error; checking first makes both a {@link ChatError}, and
 * a stream that ends without its `done` line one too.
 */
function checkedStreamFetch(call: ProviderCall): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await call.fetch(input, init);
    if (!response.body) throw call.badResponse('sent an empty answer');
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(checkedLines(call)), { status, statusText, headers });
  };
}

function checkedLines(call: ProviderCall): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = '';
  let finished = false;
  const pass = (line: string, controller: TransformStreamDefaultController<Uint8Array>) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw call.badResponse('sent a line that is not valid JSON in its answer stream');
    }
    const error = field(value, 'error');
    if (error !== undefined) throw call.streamError(typeof error === 'string' ? error : JSON.stringify(error));
    if (field(value, 'done') === true) finished = true;
    controller.enqueue(encoder.encode(`${line}\n`));
  };
  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) pass(line, controller);
    },
    flush(controller) {
      pass(buffer + decoder.decode(), controller);
      if (!finished) throw call.badResponse('ended its answer stream before the answer was complete');
    },
  });
}

function ollamaChatService(host: string, model: string): ChatService {
  const label = `Ollama at ${displayUrl(new URL(host))}`;
  return {
    label,
    unreachableHint: 'start it with `ollama serve` or point the ferret.ollamaHost setting at it',
    hint: 'check the Ollama log',
    classifyStatus: (status, detail) => {
      if (status === 404 && /model/i.test(detail)) return new ChatError(missingModel(label, model), 'model-not-found');
      if (status === 404) return new ChatError(`${label} has no /api/chat; update Ollama or check ferret.ollamaHost.`, 'bad-response');
      return undefined;
    },
  };
}

function missingModel(label: string, model: string): string {
  return `${label} has no model "${model}"; run \`ollama pull ${model}\` or set ferret.ollamaChatModel to a model it has.`;
}

function modelNames(listed: unknown): string[] {
  const models = field(listed, 'models');
  if (!Array.isArray(models)) return [];
  return models.flatMap((entry: unknown) => {
    const name = field(entry, 'name') ?? field(entry, 'model');
    return typeof name === 'string' ? [name] : [];
  });
}

/** `num_ctx 4096` in the text of `/api/show`'s `parameters`. */
function numCtxOf(parameters: unknown): number | undefined {
  if (typeof parameters !== 'string') return undefined;
  const match = /^\s*num_ctx\s+(\d+)\s*$/m.exec(parameters);
  const value = match ? Number(match[1]) : undefined;
  return isPositiveInteger(value) ? value : undefined;
}

/** `model_info["<general.architecture>.context_length"]`. */
function trainedContextOf(info: unknown): number | undefined {
  const architecture = field(info, 'general.architecture');
  if (typeof architecture !== 'string') return undefined;
  const length = field(info, `${architecture}.context_length`);
  return isPositiveInteger(length) ? length : undefined;
}
