import type { ServiceError } from '../net/serviceCall';

/** One message of a chat conversation sent to a model. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatUsage {
  promptTokens?: number;
  completionTokens?: number;
}

/** What a streaming generation yields: text as it comes, then one final event. */
export type ChatEvent = { type: 'token'; text: string } | { type: 'done'; usage: ChatUsage };

export interface ChatOptions {
  /** Aborting it must stop the generation at the provider (HTTP request aborted, bridge told to cancel). */
  signal: AbortSignal;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
}

export interface ProviderHealth {
  ok: boolean;
  /** One sentence: what is wrong and what to do, or what is in use. */
  detail: string;
  /** Models the provider reports as available, when it says. */
  models?: string[];
}

/** A chat model behind a provider (mlx, ollama, openai). Implementations never log secrets. */
export interface ChatModel {
  /** Provider id: `mlx`, `ollama` or `openai`. */
  readonly id: string;
  /** The model name in use, e.g. `qwen2.5-coder:7b`. */
  readonly model: string;
  stream(messages: ChatMessage[], options: ChatOptions): AsyncIterable<ChatEvent>;
  health(signal?: AbortSignal): Promise<ProviderHealth>;
  /** The model's context window in tokens, when the provider can tell. */
  contextWindow(signal?: AbortSignal): Promise<number | undefined>;
}

export type ChatErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'server-error'
  | 'model-not-found'
  | 'out-of-memory'
  | 'bad-response'
  | 'mlx-unavailable'
  | 'bridge-error'
  | 'cancelled';

/** Codes after which the router may try the next provider (if nothing has streamed yet). */
export const FAILOVER_CODES: ReadonlySet<ChatErrorCode> = new Set([
  'unreachable',
  'timeout',
  'server-error',
  'out-of-memory',
  'mlx-unavailable',
  'bridge-error',
  'model-not-found',
  'bad-response',
]);

/** Why a provider could not answer, as one sentence a person can act on. */
export class ChatError extends Error {
  constructor(
    message: string,
    readonly code: ChatErrorCode,
  ) {
    super(message);
    this.name = 'ChatError';
  }
}

/** The chat error for a failed call to a model server: every kind of call failure is a chat error code of the same name. */
export function chatErrorOf(error: ServiceError): ChatError {
  return new ChatError(error.message, error.failure);
}
