// Ferret's models in the real workbench, with no other language model installed (no Copilot, no
// stand-in): the status follows the model going away and coming back, the Settings editor shows
// Ferret's groups, and VS Code's chat offers Ferret's model and sends @ferret's questions to Ferret.
import { FakeOllama } from '../support/fakeOllama.ts';
import { installVsix, prepareRun } from './codeServer.mjs';
import { ANSWER, CHAT_MODEL, QUESTION, fakeModelSettings } from './ui.mjs';
import { READY, STATUS, assert, openWorkbench, runCommand, stepRecorder, withTimeout } from './workbench.mjs';

export async function runModelsUi(runDir, vsix, artifacts) {
  const ollama = await FakeOllama.start({ models: ['nomic-embed-text', CHAT_MODEL], chatTokens: ANSWER });
  const { dir, workspace } = prepareRun(runDir, { ...fakeModelSettings(ollama), 'chat.disableAIFeatures': false });
  installVsix(dir, vsix);
  const { server, page, close } = await openWorkbench(dir, workspace, artifacts);
  try {
    const { step, steps } = stepRecorder(page, artifacts, 'models-');
    const status = page.locator(STATUS);
    const tooltip = async (text) => {
      await status.hover();
      const hover = page.locator('.monaco-hover', { hasText: text });
      await hover.waitFor();
      return hover;
    };
    const ask = async (question) => {
      await page.mouse.move(700, 400);
      await runCommand(page, 'Ferret: Ask About Workspace');
      await page.locator('.quick-input-widget', { hasText: 'Ask Ferret about the workspace' }).waitFor();
      await page.locator('.quick-input-widget .quick-input-box input').fill(question);
      await page.keyboard.press('Enter');
    };

    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);

    await step('ready-model-available', async () => {
      await status.filter({ hasText: READY }).locator('.codicon-check').waitFor();
      await tooltip(`Model ollama · ${CHAT_MODEL}: available`);
    });

    await step('model-down-unavailable-after-one-question', async () => {
      await ollama.close();
      await ask('Where are sessions issued?');
      await status.locator('.codicon-warning').waitFor();
      const hover = await tooltip(`Model ollama · ${CHAT_MODEL}: unavailable — Could not connect to Ollama at ${ollama.url}`);
      assert(!(await hover.innerText()).includes(': available'), 'the tooltip no longer says available');
    });

    await step('model-back-available-after-an-answer', async () => {
      await page.mouse.move(700, 400);
      await ollama.reopen();
      const answered = ollama.waitForRequest('/api/chat', ollama.count('/api/chat') + 1);
      await ask(QUESTION);
      await withTimeout(answered, 60_000, 'the question to reach the model again');
      await status.filter({ hasText: READY }).locator('.codicon-check').waitFor();
      await tooltip(`Model ollama · ${CHAT_MODEL}: available`);
      await tooltip(`Last answer: ollama · ${CHAT_MODEL}`);
    });

    await step('settings-in-groups', async () => {
      await page.mouse.move(700, 400);
      await runCommand(page, 'Preferences: Open User Settings');
      const search = page.locator('.settings-editor .suggest-input-container .monaco-editor').first();
      await search.click();
      await page.keyboard.type('@ext:ferret.ferret');
      for (const group of ['Indexing', 'Models: Ollama', 'Models: OpenAI-compatible', 'Models: MLX', 'Chat', 'Advanced']) {
        await page.locator('.settings-editor .settings-toc-container .settings-toc-entry', { hasText: new RegExp(`^${group}`) }).first().waitFor();
      }
      // The list renders only what is in view: go to the group, as a user would.
      await page.locator('.settings-editor .settings-toc-container .settings-toc-entry', { hasText: /^Models: Ollama/ }).first().click();
      await page.locator('.settings-editor .setting-item-contents', { hasText: 'Ollama Host' }).first().waitFor();
    });

    await step('chat-offers-ferret-model', async () => {
      await page.keyboard.press('Escape');
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'Chat: Open Chat');
      await page.locator('.interactive-input-part .model-picker-item', { hasText: CHAT_MODEL }).waitFor();
    });

    await step('ferret-answers-with-only-ferret-model', async () => {
      const asked = ollama.count('/api/chat');
      await page.locator('.interactive-input-part .monaco-editor').first().click();
      await page.keyboard.type(`@ferret ${QUESTION}`);
      await page.keyboard.press('Enter');
      const response = page.locator('.interactive-list .interactive-response').last();
      await response.getByText(`Answered by ${CHAT_MODEL} via ollama.`).waitFor();
      const text = await response.innerText();
      assert(text.includes('Passwords are checked by verifyPassword'), `answer: ${text}`);
      assert(ollama.count('/api/chat') === asked + 1, `one question to the model, got ${ollama.count('/api/chat') - asked}`);
    });
    return steps;
  } finally {
    await close();
    await ollama.close();
  }
}
