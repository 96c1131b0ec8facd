// How Ferret's chat models appear among VS Code's language models, and how VS Code's request
// messages become the plain conversation the daemon's `ferret/chat` takes.
import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { conversationOf, messageText } from '../../client/src/lm/modelMessages';
import { modelInformation } from '../../client/src/lm/ferretModels';

test('a model is named as configured, with the room for its reply taken from its context window', () => {
  const info = modelInformation({ provider: 'ollama', model: 'qwen2.5-coder:7b', contextWindow: 32_768, availability: 'available' });
  assert.deepEqual(
    { id: info.id, name: info.name, detail: info.detail, maxInputTokens: info.maxInputTokens, maxOutputTokens: info.maxOutputTokens, capabilities: info.capabilities },
    { id: 'ollama', name: 'qwen2.5-coder:7b', detail: 'Ferret · Ollama', maxInputTokens: 28_672, maxOutputTokens: 4096, capabilities: { imageInput: false, toolCalling: true } },
  );
  assert.match(info.tooltip ?? '', /ferret\.ollamaChatModel/);
  const unknown = modelInformation({ provider: 'openai', model: 'gpt-4o-mini', availability: 'unchecked' });
  assert.deepEqual([unknown.maxInputTokens + unknown.maxOutputTokens, unknown.detail], [8192, 'Ferret · OpenAI-compatible server']);
});

test('request messages keep their roles and text; tool results keep their text, tool calls and data are left out', () => {
  const messages = [
    { role: 3, content: [{ value: 'Be brief.' }], name: undefined },
    { role: 1, content: [{ value: 'Where is ' }, { value: 'the config parsed?' }], name: undefined },
    { role: 2, content: [{ callId: 'c1', name: 'search', input: {} }], name: undefined },
    { role: 1, content: [{ callId: 'c1', content: [{ value: 'src/config.ts:1-20' }] }, { mimeType: 'image/png', data: new Uint8Array(2) }], name: undefined },
  ];
  assert.deepEqual(conversationOf(messages), [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Where is the config parsed?' },
    { role: 'user', content: 'src/config.ts:1-20' },
  ]);
  assert.equal(messageText(messages[1]!), 'Where is the config parsed?');
  assert.equal(messageText('plain'), 'plain');
});
