// `@ferret` in VS Code's own chat view, driven like a user: a profile with the chat turned on, the
// fake Ollama as Ferret's model, and a stand-in VS Code model (test/e2e/standInModel) because the
// chat sends nothing, not even to an extension's participant, until a model is selected, and
// without a Copilot sign-in there is none. @ferret never uses that model; the scenario checks so.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { FakeOllama, createGate } from '../support/fakeOllama.ts';
import { installVsix, prepareRun, root } from './codeServer.mjs';
import { ANSWER, CHAT_MODEL, HOSTILE, QUESTION, fakeModelSettings } from './ui.mjs';
import { READY, STATUS, assert, openWorkbench, runCommand, stepRecorder, withTimeout } from './workbench.mjs';

/** Packages the stand-in model extension into the run folder (vsce works offline). */
function packStandInModel(dir) {
  const out = join(dir, 'stand-in-model.vsix');
  const vsce = join(root, 'node_modules/.bin/vsce');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: join(root, 'test/e2e/standInModel'), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`Packaging the stand-in model failed:\n${result.stdout}\n${result.stderr}`);
  return out;
}

export async function runChatUi(runDir, vsix, artifacts) {
  const ollama = await FakeOllama.start({ models: ['nomic-embed-text', CHAT_MODEL], chatTokens: ANSWER });
  const { dir, workspace } = prepareRun(runDir, { ...fakeModelSettings(ollama), 'chat.disableAIFeatures': false });
  installVsix(dir, vsix);
  installVsix(dir, packStandInModel(dir));
  const { server, page, close } = await openWorkbench(dir, workspace, artifacts);
  try {
    const { step, steps } = stepRecorder(page, artifacts, 'chat-');
    const rows = page.locator('.interactive-list .monaco-list-row');
    /**
     * Sends a message to @ferret and returns the row of its response. The first message names
     * @ferret; after that it stays in the input (it is sticky) and the message is appended. The
     * list is virtual (rows are positioned, not in DOM order), so the response is found by index:
     * the row after the request's.
     */
    const send = async (message) => {
      const named = (await rows.count()) === 0;
      await page.locator('.interactive-input-part .monaco-editor').first().click();
      await page.keyboard.press('ControlOrMeta+End');
      await page.keyboard.type(named ? `@ferret ${message}` : message);
      await page.keyboard.press('Enter');
      const request = rows.filter({ has: page.locator('.interactive-request .chat-markdown-part', { hasText: message }) });
      await request.waitFor();
      const sentTo = await request.locator('.interactive-request .chat-markdown-part').first().innerText();
      assert(sentTo.trimStart().startsWith('@ferret'), `the message went to @ferret: ${sentTo}`);
      const index = Number(await request.getAttribute('data-index'));
      return page.locator(`.interactive-list .monaco-list-row[data-index="${index + 1}"] .interactive-response`);
    };
    const finished = (response) => response.locator('.chat-footer-details:not(.hidden)').waitFor();
    const chatRequest = () => withTimeout(ollama.waitForRequest('/api/chat', ollama.count('/api/chat') + 1), 60_000, "a question to Ferret's model");
    let answer;

    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);

    await step('open-chat', async () => {
      await page.locator(STATUS).filter({ hasText: READY }).waitFor();
      await runCommand(page, 'Chat: Open Chat');
      await page.locator('.interactive-input-part .model-picker-item', { hasText: 'Stand-in' }).waitFor();
    });

    await step('ferret-streaming', async () => {
      // The last token waits on a gate, so the half-written answer can be seen streaming.
      const gate = createGate();
      ollama.next('/api/chat', { kind: 'ok', tokens: ANSWER, chunkGates: [undefined, undefined, undefined, gate.promise] });
      const request = chatRequest();
      answer = await send(QUESTION);
      await request;
      await answer.locator('.chat-markdown-part', { hasText: 'and a session is issued' }).waitFor();
      assert(!(await answer.innerText()).includes('once they match'), 'the last token is still held back');
      gate.release();
    });

    let cited;
    await step('ferret-answer-cites', async () => {
      await answer.getByText(`Answered by ${CHAT_MODEL} via ollama.`).waitFor();
      await finished(answer);
      const text = await answer.innerText();
      assert(text.includes('Passwords are checked by verifyPassword [1], and a session is issued once they match [2].'), `answer: ${text}`);
      assert(/Sources\s*\n[\s\S]*\[1\][\s\S]*\[2\]/.test(text), `a Sources list of [1] and [2]: ${text}`);
      const anchors = answer.locator('a.chat-inline-anchor-widget');
      assert((await anchors.count()) === 2, `two source anchors, got ${await anchors.count()}`);
      const first = await anchors.nth(0).getAttribute('data-href');
      assert(first?.includes('/src/auth/passwords.ts#'), `[1] opens passwords.ts: ${first}`);
      // The anchor reads `session.ts:1-28`: the file's name and the cited lines.
      const label = (await anchors.nth(1).innerText()).trim();
      const match = /^(\S+):(\d+)-(\d+)$/.exec(label);
      assert(match, `[2] anchor: ${label}`);
      cited = { name: match[1], start: Number(match[2]), end: Number(match[3]) };
      assert(ollama.count('/api/chat') === 1, `one question to Ferret's model, got ${ollama.count('/api/chat')}`);
    });

    await step('anchor-opens-cited-range', async () => {
      assert(!(await page.locator('.tab.active', { hasText: cited.name }).count()), `${cited.name} is not open yet`);
      await answer.locator('a.chat-inline-anchor-widget').nth(1).click();
      await page.locator('.tab.active', { hasText: cited.name }).waitFor();
      // Whole lines start..end are selected, so the cursor sits on the last cited line.
      await page.locator('[id="status.editor.selection"]', { hasText: new RegExp(`Ln ${cited.end}, Col \\d+ \\(\\d+ selected\\)`) }).waitFor();
    });

    await step('follow-up-sends-history', async () => {
      ollama.next('/api/chat', { kind: 'ok', tokens: ['It is called by the login handler [1].'] });
      const request = chatRequest();
      const followUp = await send('Where is it called from?');
      const { body } = await request;
      const messages = body.messages.map((m) => `${m.role}: ${m.content}`);
      assert(messages.includes(`user: ${QUESTION}`), `the first question is history: ${messages.join(' | ')}`);
      assert(messages.some((m) => m.startsWith('assistant: Passwords are checked by `verifyPassword` [1]')), `the first answer is history: ${messages.join(' | ')}`);
      await followUp.getByText('It is called by the login handler').waitFor();
      await finished(followUp);
    });

    await step('search-lists-anchors', async () => {
      const asked = ollama.count('/api/chat');
      const search = await send('/search verifyPassword');
      await search.getByText(/\d+ ranges? match, best first/).waitFor();
      await search.locator('a.chat-inline-anchor-widget[data-href*="/src/auth/passwords.ts#"]').first().waitFor();
      await finished(search);
      assert(ollama.count('/api/chat') === asked, '/search asks no model');
    });

    await step('stop-cancels-the-answer', async () => {
      const gate = createGate();
      ollama.next('/api/chat', { kind: 'ok', tokens: ['This answer is long ', 'and the rest never comes.'], chunkGates: [undefined, gate.promise] });
      const request = chatRequest();
      const stopped = await send('Explain everything in detail');
      const held = await request;
      await stopped.getByText('This answer is long').waitFor();
      await page.locator('.interactive-input-part a.action-label.codicon-stop-circle[aria-label^="Cancel"]').click();
      // The cancellation travels chat → participant → daemon ($/cancelRequest) → the model's HTTP request.
      await withTimeout(held.disconnected, 30_000, 'the model request to be disconnected after Cancel');
      gate.release();
      assert(!(await stopped.innerText()).includes('the rest never comes'), 'no text after Cancel');
    });

    await step('hostile-output-inert', async () => {
      ollama.next('/api/chat', { kind: 'ok', tokens: [...HOSTILE, ' Also [run it](command:workbench.action.closeAllEditors).'] });
      const hostile = await send('Show me something hostile');
      await hostile.getByText('Also run it').waitFor();
      await hostile.getByText(`Answered by ${CHAT_MODEL} via ollama.`).waitFor();
      await finished(hostile);
      // VS Code renders chat Markdown untrusted: tags stay text, script links lose their target.
      const markdown = hostile.locator('.chat-markdown-part');
      for (const selector of ['script', 'img', 'iframe', 'svg', '[onerror]', 'a[href^="javascript:"]', 'a[data-href^="javascript:"]', 'a[href^="command:"]', 'a[data-href^="command:"]']) {
        assert((await markdown.locator(selector).count()) === 0, `no ${selector} in the answer`);
      }
      const text = await hostile.innerText();
      assert(text.includes('Here is <script>window.__pwned=1</script> some text <img src=x onerror="window.__pwned=1"> with click'), `tags shown as text: ${text}`);
      assert((await page.evaluate(() => typeof window.__pwned)) === 'undefined', 'window.__pwned is not set');
      // The command link became plain text: nothing to click.
      assert((await markdown.locator('a', { hasText: 'run it' }).count()) === 0, 'the command link is not a link');
    });

    await step('sources-only-said-plainly', async () => {
      ollama.next('/api/chat', { kind: 'status', status: 404, message: `model "${CHAT_MODEL}" not found, try pulling it first` });
      const sourcesOnly = await send('Where are sessions issued?');
      await sourcesOnly.getByText('Sources only:').waitFor();
      await finished(sourcesOnly);
      const text = await sourcesOnly.innerText();
      assert(text.includes('no language model answered'), text);
      assert(/Why:/.test(text), `the reason is given: ${text}`);
      assert((await sourcesOnly.locator('a.chat-inline-anchor-widget').count()) >= 1, 'the ranges are anchors');
      assert(!text.includes('Answered by'), 'no model is named');
    });
    await step('stand-in-model-never-asked', async () => {
      await runCommand(page, 'Stand-in Model: Requests Received');
      await page.locator('.notification-toast.notification-fade-in-done', { hasText: 'Stand-in model requests: 0' }).waitFor();
    });
    return steps;
  } finally {
    await close();
    await ollama.close();
  }
}
