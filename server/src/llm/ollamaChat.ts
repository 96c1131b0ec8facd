import { Ollama } from 'ollama';
import { chatErrorOf, type ChatEvent, type ChatMessage, type ChatModel, type ChatOptions, type ChatUsage, type ProviderHealth } from '../chat/chatModel';
import { field, isPositiveInteger } from '../net/jsonFields';
import { ServiceCall, type ModelUse, type Service } from '../net/serviceCall';
import { hasOllamaModel, listOllamaModels, ollamaMissingModel, ollamaService } from '../ollama/ollamaService';
import { SETTINGS } from '../shared/settingsSchema';

export const DEFAULT_OLLAMA_CHAT_MODEL = SETTINGS.ollamaChatModel.default;

export interface OllamaChatOptions {
  /** Base URL as returned by `resolveOllamaHost`. */
  host: string;
  model?: string;
  /** Deadline for the TCP connection of every request. Default: the call layer's. */
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
  private readonly connectTimeoutMs: number | undefined;
  private readonly requestTimeoutMs: number;
  private readonly maxContextTokens: number;
  private readonly use: ModelUse;
  private readonly service: Service;
  /** Context length to ask for in each chat, once {@link contextWindow} learned that the Modelfile does not set one. */
  private numCtx: number | undefined;
  private knownContext: number | undefined;

  constructor(options: OllamaChatOptions) {
    this.host = options.host;
    this.model = options.model?.trim() || DEFAULT_OLLAMA_CHAT_MODEL;
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxContextTokens = options.maxContextTokens ?? 8192;
    this.use = { model: this.model, modelSetting: 'ferret.ollamaChatModel', endpoint: '/api/chat' };
    this.service = ollamaService(this.host, this.use);
  }

  async *stream(messages: ChatMessage[], options: ChatOptions): AsyncGenerator<ChatEvent> {
    const call = new ServiceCall(this.service, { signal: options.signal, connectTimeoutMs: this.connectTimeoutMs });
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
      throw chatErrorOf(call.describe(error));
    } finally {
      call.dispose();
    }
  }

  /** Reachable, and whether the model is pulled (`/api/tags`); never loads a model. */
  async health(signal?: AbortSignal): Promise<ProviderHealth> {
    const call = this.request(signal);
    try {
      const models = await listOllamaModels(this.host, call.fetch);
      if (hasOllamaModel(models, this.model)) return { ok: true, detail: `${this.service.label} serves ${this.model}.`, models };
      return { ok: false, detail: ollamaMissingModel(this.host, this.use), models };
    } catch (error) {
      const failure = call.describe(error);
      if (failure.failure === 'cancelled') throw chatErrorOf(failure);
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
      if (failure.failure === 'cancelled') throw chatErrorOf(failure);
      return undefined;
    } finally {
      call.dispose();
    }
  }

  private request(signal: AbortSignal | undefined): ServiceCall {
    return new ServiceCall(this.service, { signal, connectTimeoutMs: this.connectTimeoutMs, deadlineMs: this.requestTimeoutMs });
  }
}

/**
 * A fetch whose response body is checked line by line before the ollama client reads it. The
 * client skips a line that is not JSON with a console.warn (and prints nothing useful to us) and
 * turns an `{"error": …}` line into a bare Error; checking first makes both a service error, and
 * a stream that ends without its `done` line one too.
 */
function checkedStreamFetch(call: ServiceCall): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await call.fetch(input, init);
    if (!response.body) throw call.badResponse('sent an empty answer');
    const { status, statusText, headers } = response;
    return new Response(response.body.pipeThrough(checkedLines(call)), { status, statusText, headers });
  };
}

function checkedLines(call: ServiceCall): TransformStream<Uint8Array, Uint8Array> {
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
