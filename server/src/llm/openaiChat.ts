import { ChatError, chatErrorOf, type ChatEvent, type ChatMessage, type ChatModel, type ChatOptions, type ChatUsage, type ProviderHealth } from '../chat/chatModel';
import { displayUrl, errorMessageOf } from '../net/httpErrors';
import { field, isPositiveInteger } from '../net/jsonFields';
import { ServiceCall, type Service } from '../net/serviceCall';
import { baseUrlProblemMessage, openaiHeaders, openaiService, parseOpenAIBaseUrl } from '../openai/openaiServer';
import { sentence } from '../text/wording';
import { sseData } from './sse';

export interface OpenAIChatOptions {
  /** e.g. `http://127.0.0.1:8000/v1`; `/chat/completions` and `/models` are appended. */
  baseUrl: string;
  model: string;
  /** Sent as a Bearer token; never logged, never in a message. Default: `OPENAI_API_KEY` from `env`. */
  apiKey?: string;
  env?: Record<string, string | undefined>;
  /** Deadline for the TCP connection of every request. Default: the call layer's. */
  connectTimeoutMs?: number;
  /** Deadline for `/models` and `/props` (health, context window). Default 10 s. */
  requestTimeoutMs?: number;
  /** Ask for token counts in the stream (`stream_options.include_usage`). Default true. */
  includeUsage?: boolean;
}

/** Chat over any OpenAI-compatible `/v1/chat/completions` streaming server-sent events (vLLM, llama.cpp, LM Studio…). */
export class OpenAIChat implements ChatModel {
  readonly id = 'openai';
  readonly model: string;
  /** The base URL as messages show it. */
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly connectTimeoutMs: number | undefined;
  private readonly requestTimeoutMs: number;
  private readonly includeUsage: boolean;
  private readonly service: Service;
  private knownContext: number | undefined;

  /** @throws ChatError when the base URL or model is missing or unusable. */
  constructor(options: OpenAIChatOptions) {
    const base = parseOpenAIBaseUrl(options.baseUrl);
    if (typeof base === 'string') throw new ChatError(baseUrlProblemMessage(base), 'unreachable');
    this.baseUrl = displayUrl(base);
    this.model = options.model.trim();
    if (!this.model) {
      throw new ChatError('No chat model is set for the OpenAI-compatible server; set ferret.openaiChatModel to a model it serves.', 'model-not-found');
    }
    this.apiKey = (options.apiKey?.trim() || (options.env ?? process.env).OPENAI_API_KEY?.trim()) ?? '';
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.includeUsage = options.includeUsage ?? true;
    this.service = openaiService(this.baseUrl, this.apiKey, { model: this.model, modelSetting: 'ferret.openaiChatModel', endpoint: '/chat/completions' });
  }

  async *stream(messages: ChatMessage[], options: ChatOptions): AsyncGenerator<ChatEvent> {
    const call = new ServiceCall(this.service, { signal: options.signal, connectTimeoutMs: this.connectTimeoutMs });
    try {
      call.throwIfCancelled();
      const response = await call.fetch(`${this.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: openaiHeaders(this.apiKey, 'text/event-stream'),
        body: JSON.stringify({
          model: this.model,
          messages,
          stream: true,
          ...(this.includeUsage && { stream_options: { include_usage: true } }),
          ...(options.maxTokens !== undefined && { max_tokens: options.maxTokens }),
          ...(options.temperature !== undefined && { temperature: options.temperature }),
          ...(options.topP !== undefined && { top_p: options.topP }),
        }),
      });
      const type = response.headers.get('content-type') ?? '';
      if (!response.body || !type.includes('text/event-stream')) {
        throw call.badResponse(`answered with ${type || 'no content type'} instead of an event stream`);
      }
      let usage: ChatUsage = {};
      let complete = false;
      for await (const data of sseData(response.body)) {
        if (data.trim() === '[DONE]') {
          complete = true;
          break;
        }
        const chunk = parseChunk(data, call);
        const choice = first(field(chunk, 'choices'));
        const text = field(field(choice, 'delta'), 'content');
        if (typeof text === 'string' && text) yield { type: 'token', text };
        if (typeof field(choice, 'finish_reason') === 'string') complete = true;
        usage = usageOf(field(chunk, 'usage')) ?? usage;
      }
      if (!complete) throw call.badResponse('ended its answer stream before the answer was complete');
      yield { type: 'done', usage };
    } catch (error) {
      throw chatErrorOf(call.describe(error));
    } finally {
      call.dispose();
    }
  }

  /**
   * Reachable (`/models`) and serving the model. A server that lists exactly one model passes
   * whatever it is called: single-model servers such as llama.cpp answer under any name.
   */
  async health(signal?: AbortSignal): Promise<ProviderHealth> {
    try {
      const models = (await this.listModels(signal)).flatMap((entry) => {
        const id = field(entry, 'id');
        return typeof id === 'string' ? [id] : [];
      });
      if (models.includes(this.model) || models.length === 1) return { ok: true, detail: `${sentence(this.service.label)} serves ${this.model}.`, models };
      const offered = models.length ? `; it serves ${models.slice(0, 5).join(', ')}` : '';
      return { ok: false, detail: `${sentence(this.service.label)} does not list model "${this.model}"${offered}; set ferret.openaiChatModel to one of them.`, models };
    } catch (error) {
      if (error instanceof ChatError && error.code !== 'cancelled') return { ok: false, detail: error.message };
      throw error;
    }
  }

  /**
   * What the server says, if anything: `max_model_len` (vLLM) or a `context_length`-like field
   * of the model's `/models` entry, else llama.cpp's `/props` `n_ctx`. Remembered once known.
   */
  async contextWindow(signal?: AbortSignal): Promise<number | undefined> {
    if (this.knownContext !== undefined) return this.knownContext;
    try {
      const entry = (await this.listModels(signal)).find((candidate) => field(candidate, 'id') === this.model);
      const listed = ['max_model_len', 'context_length', 'context_window', 'max_context_length'].map((key) => field(entry, key)).find(isPositiveInteger);
      this.knownContext = listed ?? (await this.llamaCppContext(signal));
      return this.knownContext;
    } catch (error) {
      if (error instanceof ChatError && error.code === 'cancelled') throw error;
      return undefined;
    }
  }

  private async listModels(signal: AbortSignal | undefined): Promise<unknown[]> {
    const body = await this.getJson(`${this.baseUrl}/models`, signal);
    const data = field(body, 'data');
    return Array.isArray(data) ? data : [];
  }

  /** llama.cpp serves `/props` beside `/v1`; other servers answer 404, which reads as "cannot tell". */
  private async llamaCppContext(signal: AbortSignal | undefined): Promise<number | undefined> {
    const props = await this.getJson(`${this.baseUrl.replace(/\/v1$/, '')}/props`, signal);
    const value = field(field(props, 'default_generation_settings'), 'n_ctx') ?? field(props, 'n_ctx');
    return isPositiveInteger(value) ? value : undefined;
  }

  /** @throws ChatError */
  private async getJson(url: string, signal: AbortSignal | undefined): Promise<unknown> {
    const call = new ServiceCall(this.service, { signal, connectTimeoutMs: this.connectTimeoutMs, deadlineMs: this.requestTimeoutMs });
    try {
      const response = await call.fetch(url, { headers: openaiHeaders(this.apiKey, 'application/json') });
      return (await response.json()) as unknown;
    } catch (error) {
      throw chatErrorOf(call.describe(error));
    } finally {
      call.dispose();
    }
  }
}

function parseChunk(data: string, call: ServiceCall): unknown {
  let chunk: unknown;
  try {
    chunk = JSON.parse(data);
  } catch {
    throw call.badResponse('sent a stream event that is not valid JSON');
  }
  if (typeof chunk !== 'object' || chunk === null) throw call.badResponse('sent a stream event that is not a JSON object');
  const error = field(chunk, 'error');
  if (error !== undefined) throw call.streamError(errorMessageOf(chunk) ?? JSON.stringify(error));
  return chunk;
}

function usageOf(value: unknown): ChatUsage | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const prompt = field(value, 'prompt_tokens');
  const completion = field(value, 'completion_tokens');
  return {
    ...(typeof prompt === 'number' && { promptTokens: prompt }),
    ...(typeof completion === 'number' && { completionTokens: completion }),
  };
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? (value[0] as unknown) : undefined;
}
