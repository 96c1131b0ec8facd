/**
 * `ferret/chatModels` and `ferret/chat`, the requests behind Ferret's models in VS Code's chat,
 * against the real daemon and a loopback Ollama: the conversation reaches the chosen model as
 * sent, text streams, and the status follows the model going away and coming back.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ProgressType, ResponseError } from 'vscode-jsonrpc/node';
import type { AskPartial, ChatModelsResult, ChatResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { FakeOllama } from '../support/fakeOllama';
import { copyWorkspace } from '../support/workspaceCopy';

const CHAT_MODEL = 'qwen2.5-coder:7b';

test('a plain chat goes to the chosen model as sent, streams, and moves the status with the model', async () => {
  // The Modelfile sets num_ctx 16384: that is the window Ollama answers with.
  const ollama = await FakeOllama.start({ models: [CHAT_MODEL], chatTokens: ['Hello', ' there.'], contextLength: 32_768, numCtx: 16_384 });
  after(() => ollama.close());
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], { indexDir, embedder: 'local', watch: false, autoIndex: false, providers: ['ollama'], ollamaHost: ollama.url });
  after(() => daemon.stop());
  const providerNow = async () => (await daemon.connection.sendRequest<StatusReport>('ferret/status')).providers[0]!;

  const { models } = await daemon.connection.sendRequest<ChatModelsResult>('ferret/chatModels');
  assert.deepEqual(models.map(({ provider, model, contextWindow }) => ({ provider, model, contextWindow })), [{ provider: 'ollama', model: CHAT_MODEL, contextWindow: 16_384 }]);

  const streamed: string[] = [];
  daemon.connection.onProgress(new ProgressType<AskPartial>(), 'chat-1', (value) => {
    streamed.push(value.text);
  });
  const messages = [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Say hello.' },
  ];
  const result = await daemon.connection.sendRequest<ChatResult>('ferret/chat', { provider: 'ollama', messages, partialResultToken: 'chat-1' });
  assert.deepEqual({ text: result.text, provider: result.provider, model: result.model }, { text: 'Hello there.', provider: 'ollama', model: CHAT_MODEL });
  assert.deepEqual(streamed, ['Hello', ' there.']);
  const sent = (await ollama.waitForRequest('/api/chat')).body as { messages: { role: string; content: string }[] };
  assert.deepEqual(sent.messages, messages, 'no retrieval and no prompt of Ferret’s: the conversation as sent');

  await assert.rejects(daemon.connection.sendRequest('ferret/chat', { provider: 'openai', messages }), (error: unknown) => {
    assert.ok(error instanceof ResponseError);
    assert.equal(error.message, '"provider" must be one of the configured chat providers (ollama).');
    return true;
  });

  const gone = daemon.statusWhere((s) => s.providers[0]?.availability === 'unavailable');
  await ollama.close();
  try {
    await assert.rejects(daemon.connection.sendRequest('ferret/chat', { provider: 'ollama', messages }), /Could not connect to Ollama at/);
    const down = await gone;
    assert.match(down.providers[0]!.lastError ?? '', /Could not connect to Ollama/);
    assert.equal(down.providers[0]!.breaker, 'closed', 'one failure: unavailable before the breaker opens');
  } finally {
    await ollama.reopen();
  }
  const back = daemon.statusWhere((s) => s.providers[0]?.availability === 'available');
  assert.equal((await daemon.connection.sendRequest<ChatResult>('ferret/chat', { provider: 'ollama', messages })).text, 'Hello there.');
  await back;
  assert.equal((await providerNow()).lastError, undefined);
});
