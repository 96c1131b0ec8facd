/**
 * The one HTTP call layer under every model client: each of them, embeddings and chat alike, gives
 * up on a connection that does not complete within its connect deadline, long before any other
 * deadline, and says so in one sentence.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ChatError } from '../../server/src/chat/chatModel';
import { EmbedderError } from '../../server/src/embed/embedder';
import { OllamaEmbedder } from '../../server/src/embed/ollamaEmbedder';
import { OpenAIEmbedder } from '../../server/src/embed/openaiEmbedder';
import { OllamaChat } from '../../server/src/llm/ollamaChat';
import { OpenAIChat } from '../../server/src/llm/openaiChat';
import { stalledTlsServer } from '../support/fakeHttp';
import { drain } from './llmTestKit';

const CONNECT_MS = 200;
/** Every other deadline, far beyond the connect deadline, so only the connect deadline can end the call. */
const LONG_MS = 120_000;
/** Generous, for a loaded machine: the point is "not the other deadlines", not speed. */
const WITHIN_MS = 15_000;

let stalled: Awaited<ReturnType<typeof stalledTlsServer>>;
before(async () => {
  stalled = await stalledTlsServer();
});
after(() => stalled.close());

async function failure(call: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = performance.now();
  const error = await call().then(
    () => assert.fail('expected the call to fail'),
    (caught: unknown) => caught,
  );
  return { error, ms: performance.now() - started };
}

const clients: Record<string, () => Promise<unknown>> = {
  'Ollama embeddings': () =>
    new OllamaEmbedder({ host: stalled.url, connectTimeoutMs: CONNECT_MS, timeoutMs: LONG_MS, readyTimeoutMs: LONG_MS }).embed(['a']),
  'OpenAI-compatible embeddings': () =>
    new OpenAIEmbedder({ baseUrl: `${stalled.url}/v1`, model: 'm', connectTimeoutMs: CONNECT_MS, timeoutMs: LONG_MS, readyTimeoutMs: LONG_MS }).ready(),
  'Ollama chat': async () => {
    const { error } = await drain(new OllamaChat({ host: stalled.url, connectTimeoutMs: CONNECT_MS }).stream([{ role: 'user', content: 'hi' }], { signal: new AbortController().signal }));
    throw error;
  },
  'OpenAI-compatible chat': async () => {
    const chat = new OpenAIChat({ baseUrl: `${stalled.url}/v1`, model: 'm', env: {}, connectTimeoutMs: CONNECT_MS });
    const { error } = await drain(chat.stream([{ role: 'user', content: 'hi' }], { signal: new AbortController().signal }));
    throw error;
  },
};

describe('a server that accepts the connection but never completes it', () => {
  for (const [name, call] of Object.entries(clients)) {
    it(`${name} stops at the connect deadline and says so`, { timeout: WITHIN_MS + 5000 }, async () => {
      const { error, ms } = await failure(call);
      assert.ok(error instanceof EmbedderError || error instanceof ChatError, `not a typed error: ${String(error)}`);
      assert.equal(error.code, 'timeout', error.message);
      assert.match(error.message, new RegExp(`^Could not connect to .* within ${CONNECT_MS} ms; `));
      assert.ok(ms < WITHIN_MS, `took ${Math.round(ms)} ms`);
    });
  }
});
