import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Check } from './harness';
import { SUITE_CHAT_MODEL, SUITE_CHAT_TOKENS } from './suiteModel';


/** Ferret's chat models through VS Code's own `lm` API, as any extension would use them. */
export function modelChecks(): Check[] {
  const ferretModel = async (): Promise<vscode.LanguageModelChat> => {
    const models = await vscode.lm.selectChatModels({ vendor: 'ferret' });
    assert.equal(models.length, 1, `Ferret's models: ${models.map((m) => `${m.vendor}/${m.id}/${m.name}`).join(', ')}`);
    return models[0]!;
  };
  return [
    {
      name: "lm.selectChatModels lists Ferret's configured Ollama model with its context window",
      run: async () => {
        const model = await ferretModel();
        assert.deepEqual({ vendor: model.vendor, name: model.name, family: model.family }, { vendor: 'ferret', name: SUITE_CHAT_MODEL, family: SUITE_CHAT_MODEL });
        assert.ok(model.maxInputTokens > 1000, `maxInputTokens ${model.maxInputTokens}`);
        assert.ok((await model.countTokens('function verifyPassword(password: string) {}')) > 0);
      },
    },
    {
      name: "a request to Ferret's model through the extension API streams the model's answer",
      run: async () => {
        const model = await ferretModel();
        const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Say hello.')], {}, new vscode.CancellationTokenSource().token);
        const pieces: string[] = [];
        for await (const piece of response.text) pieces.push(piece);
        assert.equal(pieces.join(''), SUITE_CHAT_TOKENS.join(''));
        assert.ok(pieces.length > 1, `streamed in pieces: ${JSON.stringify(pieces)}`);
      },
    },
  ];
}
