/**
 * Shared by the llm*.test.ts files: the two HTTP providers described alike so every scenario runs
 * against both, plus helpers to drain a stream and to prove nothing was printed.
 */
import type { Behaviour } from '../support/fakeHttp';
import { FakeOllama } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';
import type { ChatEvent, ChatModel, ChatUsage } from '../../server/src/chat/chatModel';
import { OllamaChat, type OllamaChatOptions } from '../../server/src/llm/ollamaChat';
import { OpenAIChat, type OpenAIChatOptions } from '../../server/src/llm/openaiChat';

export const OLLAMA_MODEL = 'qwen2.5-coder:7b';
export const OPENAI_MODEL = 'gpt-4o-mini';
export const API_KEY = 'sk-test-5ecret-k3y';

/** One provider and the fake server it talks to, described so that a scenario can be written once. */
export interface ProviderKit<Fake extends FakeOllama | FakeOpenAI = FakeOllama | FakeOpenAI> {
  name: 'ollama' | 'openai';
  fake: Fake;
  /** The fake's chat endpoint. */
  chatPath: string;
  /** Index of the first chunk that carries text (OpenAI sends a role-only chunk first). */
  firstTokenChunk: number;
  /** Text the fake streams by default, in pieces. */
  tokens: string[];
  make(overrides?: { url?: string; model?: string }): ChatModel;
}

export async function startKits(): Promise<{ ollama: ProviderKit<FakeOllama>; openai: ProviderKit<FakeOpenAI>; close(): Promise<void> }> {
  const ollamaFake = await FakeOllama.start({ models: [OLLAMA_MODEL, 'nomic-embed-text'], chatTokens: ['Ol', 'la', 'ma'] });
  const openaiFake = await FakeOpenAI.start({ models: [OPENAI_MODEL], chatTokens: ['Op', 'en', 'AI'], apiKey: API_KEY });
  return {
    ollama: {
      name: 'ollama',
      fake: ollamaFake,
      chatPath: '/api/chat',
      firstTokenChunk: 0,
      tokens: ['Ol', 'la', 'ma'],
      make: (overrides = {}) => new OllamaChat({ host: overrides.url ?? ollamaFake.url, model: overrides.model ?? OLLAMA_MODEL } satisfies OllamaChatOptions),
    },
    openai: {
      name: 'openai',
      fake: openaiFake,
      chatPath: '/v1/chat/completions',
      firstTokenChunk: 1,
      tokens: ['Op', 'en', 'AI'],
      make: (overrides = {}) =>
        new OpenAIChat({
          baseUrl: overrides.url ? `${overrides.url}/v1` : openaiFake.baseUrl,
          model: overrides.model ?? OPENAI_MODEL,
          apiKey: API_KEY,
          env: {},
        } satisfies OpenAIChatOptions),
    },
    async close() {
      await Promise.all([ollamaFake.close(), openaiFake.close()]);
    },
  };
}

/** The first token goes out, then the stream waits on `gate` and, once released, drops the connection. */
export function dropAfterFirstToken(kit: ProviderKit, gate: Promise<void>): Behaviour {
  const chunkGates: (Promise<void> | undefined)[] = [];
  chunkGates[kit.firstTokenChunk + 1] = gate;
  return { kind: 'disconnect', afterChunks: kit.firstTokenChunk + 1, chunkGates };
}

/** The first token goes out, then the stream waits on `gate` before the rest. */
export function pauseAfterFirstToken(kit: ProviderKit, gate: Promise<void>): Behaviour {
  const chunkGates: (Promise<void> | undefined)[] = [];
  chunkGates[kit.firstTokenChunk + 1] = gate;
  return { kind: 'ok', chunkGates };
}

export interface Drained {
  tokens: string[];
  usage?: ChatUsage;
  error?: unknown;
}

/** Reads a stream to its end; an error ends the reading and is returned, not thrown. */
export async function drain(stream: AsyncIterable<ChatEvent>): Promise<Drained> {
  const drained: Drained = { tokens: [] };
  try {
    for await (const event of stream) {
      if (event.type === 'token') drained.tokens.push(event.text);
      else drained.usage = event.usage;
    }
  } catch (error) {
    drained.error = error;
  }
  return drained;
}

/**
 * Runs `body` with the console captured and returns what was printed: over stdio, stdout is the
 * daemon's JSON-RPC channel, so providers must print nothing. (process.stdout itself is left
 * alone: the test runner reports through it.)
 */
export async function printedDuring(body: () => Promise<void>): Promise<string[]> {
  const printed: string[] = [];
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map((method) => console[method]);
  for (const method of methods) console[method] = (...args: unknown[]) => void printed.push(`console.${method}: ${args.map(String).join(' ')}`);
  try {
    await body();
  } finally {
    methods.forEach((method, i) => (console[method] = saved[i]));
  }
  return printed;
}
