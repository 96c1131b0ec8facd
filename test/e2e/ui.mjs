// The user-level scenario: install the VSIX into a fresh profile, open the fixture workspace and
// drive the real workbench. Each step waits on a concrete UI state and leaves a screenshot.
import { join } from 'node:path';
import { FakeOllama, createGate } from '../support/fakeOllama.ts';
import { chatViewSteps } from './chatView.mjs';
import { daemonPids, installVsix, prepareRun } from './codeServer.mjs';
import { READY, STATUS, assert, openWorkbench, runCommand as runCommandOn, stepRecorder, withTimeout } from './workbench.mjs';

export const CHAT_MODEL = 'qwen2.5-coder:7b';
// With the local embedder this retrieves two strong sources: passwords.ts (verifyPassword) and session.ts.
export const QUESTION = 'How are passwords verified and sessions issued?';
export const ANSWER = ['Passwords are checked ', 'by `verifyPassword` [1], ', 'and a session is issued ', 'once they match [2].'];
export const HOSTILE = [
  'Here is <script>window.__pwned=1</script> some ',
  'text <img src=x onerror="window.__pwned=1"> with ',
  '[click](javascript:window.__pwned=1) and ',
  '[passwd](file:///etc/passwd) and [passwd](/etc/passwd) links [1].',
];

/** Ferret's settings for a fake Ollama that answers questions; embeddings stay local so indexing needs no model. */
export function fakeModelSettings(ollama) {
  return { 'ferret.ollamaHost': ollama.url, 'ferret.providers': ['ollama'], 'ferret.ollamaChatModel': CHAT_MODEL, 'ferret.embedder': 'local' };
}

export async function runUi(runDir, vsix, artifacts) {
  // The model is a loopback server speaking the Ollama API.
  const ollama = await FakeOllama.start({ models: ['nomic-embed-text', CHAT_MODEL], chatTokens: ANSWER });
  const { dir, workspace } = prepareRun(runDir, fakeModelSettings(ollama));
  installVsix(dir, vsix);
  const { server, page, close } = await openWorkbench(dir, workspace, artifacts);
  try {
    const { step, steps } = stepRecorder(page, artifacts);
    const status = page.locator(STATUS);
    const runCommand = (title) => runCommandOn(page, title);

    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);

    await step('status-ready', async () => {
      await status.filter({ hasText: READY }).waitFor();
    });

    await step('status-tooltip', async () => {
      await status.hover();
      await page.locator('.monaco-hover', { hasText: 'Open Logs' }).waitFor();
    });

    await step('search-quick-pick', async () => {
      await page.mouse.move(700, 400);
      await runCommand('Ferret: Search Workspace');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.fill('verifyPassword');
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'src/auth/passwords.ts' }).first().waitFor();
      await page.screenshot({ path: join(artifacts, '03a-search-hits.png') });
      await page.keyboard.press('Enter');
      await page.locator('.tab.active', { hasText: 'passwords.ts' }).waitFor();
      await page.locator('.monaco-editor .view-line', { hasText: 'export function verifyPassword' }).waitFor();
    });

    const chat = page.frameLocator('iframe.webview[src*="extensionId=ferret.ferret"]').frameLocator('iframe#active-frame');
    const lastTurn = () => chat.locator('#conversation article.turn').last();
    const ask = async (question) => {
      await page.mouse.move(700, 400);
      await runCommand('Ferret: Ask About Workspace');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await page.locator('.quick-input-widget', { hasText: 'Ask Ferret about the workspace' }).waitFor();
      await input.fill(question);
      await page.keyboard.press('Enter');
    };
    const chatRequest = () => ollama.waitForRequest('/api/chat', ollama.count('/api/chat') + 1);
    let cited;

    await step('ask-streaming', async () => {
      // The last token waits on a gate, so the half-written answer can be seen streaming.
      const gate = createGate();
      ollama.next('/api/chat', { kind: 'ok', tokens: ANSWER, chunkGates: [undefined, undefined, undefined, gate.promise] });
      const request = chatRequest();
      await ask(QUESTION);
      await request;
      const streaming = chat.locator('article.turn.turn-streaming');
      await streaming.locator('.answer', { hasText: 'and a session is issued' }).waitFor();
      await page.screenshot({ path: join(artifacts, '04a-answer-streaming.png') });
      gate.release();
    });

    await step('answer-with-sources', async () => {
      const turn = chat.locator('article.turn:not(.turn-streaming)').last();
      await turn.locator('.answer', { hasText: 'once they match' }).waitFor();
      // One collapsed list; the inline [n] markers are the way in, the list is opened on demand.
      await turn.locator('details.sources:not([open]) summary', { hasText: '2 sources · 2 cited' }).click();
      await turn.locator('details.sources button.source.cited[data-cite="1"]').waitFor();
      await turn.locator('details.sources button.source.cited[data-cite="2"]').waitFor();
      const text = await turn.locator('.answer').innerText();
      assert(text.includes('Passwords are checked by verifyPassword'), `answer text: ${text}`);
      assert((await turn.locator('details.sources').count()) === 1, 'one sources list');
      // Source [2] names a file other than the one the search step left open, so opening it is visible.
      const label = await turn.locator('button.source[data-cite="2"] .source-path').innerText();
      const match = /^(\S+?):(\d+)(?:-(\d+))?$/.exec(label.trim());
      assert(match, `source label: ${label}`);
      cited = { path: match[1], start: Number(match[2]), end: Number(match[3] ?? match[2]) };
    });

    await step('source-opens-cited-range', async () => {
      const name = cited.path.split('/').pop();
      assert(!(await page.locator('.tab.active', { hasText: name }).count()), `${name} is not the active editor yet`);
      await lastTurn().locator('button.source[data-cite="2"]').click();
      await page.locator('.tab.active', { hasText: name }).waitFor();
      // Whole lines start..end are selected, so the cursor sits on the last cited line.
      const selection = page.locator('[id="status.editor.selection"]', { hasText: new RegExp(`Ln ${cited.end}, Col \\d+ \\(\\d+ selected\\)`) });
      await selection.waitFor();
      await page.locator('.monaco-editor .selected-text').first().waitFor();
      const tabTitle = await page.locator('.tab.active').getAttribute('aria-label');
      assert(tabTitle?.includes(name), `active tab: ${tabTitle}`);
    });

    await step('codelens-on-cited-file', async () => {
      await page.locator('.monaco-editor .codelens-decoration a', { hasText: `Ferret [2] · cited for "${QUESTION}"` }).first().waitFor();
    });

    await step('stop-mid-stream', async () => {
      const gate = createGate();
      ollama.next('/api/chat', { kind: 'ok', tokens: ['This answer is long ', 'and the rest never comes.'], chunkGates: [undefined, gate.promise] });
      const request = chatRequest();
      await ask('Explain everything in detail');
      const held = await request;
      await chat.locator('article.turn.turn-streaming .answer', { hasText: 'This answer is long' }).waitFor();
      await chat.locator('#stop:not([disabled])').click();
      const stopped = lastTurn();
      await stopped.and(chat.locator('article.turn.turn-stopped')).waitFor();
      await stopped.locator('.notice-stopped').waitFor();
      await withTimeout(held.disconnected, 30_000, 'the model request to be disconnected after Stop');
      gate.release();
      assert(!(await stopped.innerText()).includes('the rest never comes'), 'no text after Stop');
    });

    await step('hostile-output-inert', async () => {
      ollama.next('/api/chat', { kind: 'ok', tokens: HOSTILE });
      await ask('Show me something hostile');
      const turn = chat.locator('article.turn:not(.turn-streaming)', { hasText: 'Here is' }).last();
      await turn.locator('.answer', { hasText: 'links' }).waitFor();
      const conversation = chat.locator('#conversation');
      for (const selector of ['img', 'script', 'iframe', 'svg', '[href]', '[onerror]']) {
        assert((await conversation.locator(selector).count()) === 0, `no ${selector} in the conversation`);
      }
      const pwned = await turn.evaluate(() => typeof window.__pwned);
      assert(pwned === 'undefined', `window.__pwned is ${pwned}`);
      // The turn is finished, so its DOM is final: markdown-it leaves the file:// link as text, the
      // absolute path becomes a vetted a.link (data-href only). Click every passwd link there is.
      const passwd = turn.locator('a.link, a.blocked-link', { hasText: 'passwd' });
      const links = await passwd.count();
      assert(links >= 1, 'the /etc/passwd path is rendered as a link to vet');
      await runCommand('View: Close All Editors');
      await page.locator('.tab').first().waitFor({ state: 'detached' });
      for (let i = 0; i < links; i++) await passwd.nth(i).click();
      await page.locator('.notification-toast.notification-fade-in-done', { hasText: '"/etc/passwd" is not a file in this workspace' }).first().waitFor();
      // A barrier: the webview posts messages in order, so once the source clicked after the link has
      // opened its file, the link's click has been handled too.
      await turn.locator('details.sources summary').click();
      const source = turn.locator('button.source[data-cite="1"]');
      const sourceFile = (await source.locator('.source-path').innerText()).trim().replace(/:.*$/, '').split('/').pop();
      await source.click();
      await page.locator('.tab.active', { hasText: sourceFile }).waitFor();
      assert((await page.locator('.tab', { hasText: 'passwd' }).count()) === 0, 'no editor titled passwd');
      assert((await turn.evaluate(() => typeof window.__pwned)) === 'undefined', 'window.__pwned after the clicks');
    });

    await chatViewSteps({ page, chat, step, ollama, runCommand, serverUrl: server.url, artifacts });

    await step('restart-daemon', async () => {
      const before = daemonPids(join(dir, 'ext'));
      await runCommand('Ferret: Restart Daemon');
      // The new process exists only after the item has been told the daemon is starting, so a
      // READY seen after this is the new daemon's, not the old one's.
      await waitFor(() => {
        const after = daemonPids(join(dir, 'ext'));
        return after.length === 1 && !before.includes(after[0]);
      }, 'a new daemon process after Restart Daemon');
      await status.filter({ hasText: READY }).waitFor();
    });

    await step('daemon-killed-and-recovered', async () => {
      const [pid] = daemonPids(join(dir, 'ext'));
      if (!pid) throw new Error('no daemon process found');
      process.kill(pid, 'SIGKILL');
      await waitFor(() => daemonPids(join(dir, 'ext')).some((p) => p !== pid), 'the extension to start a new daemon');
      await status.filter({ hasText: READY }).waitFor();
    });
    return steps;
  } finally {
    await close();
    await ollama.close();
  }
}

/** Polls a process-table condition (no UI event exists for it) until true or 60 s. */
async function waitFor(condition, what) {
  const deadline = Date.now() + 60_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
