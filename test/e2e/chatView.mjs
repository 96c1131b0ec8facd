// Ferret's own chat view (the sidebar webview) as a user lives in it: answers followed as they
// stream, "jump to latest" when scrolled up, one sources list per answer, highlighted code with
// Copy and Insert, and nothing clipped at a narrow or a wide sidebar in dark and light themes.
// Runs inside the UI scenario (ui.mjs), on its workbench, after the view has answered once.
import { join } from 'node:path';
import { createGate } from '../support/fakeOllama.ts';
import { assert } from './workbench.mjs';

/** Forty paragraphs: several screens of text in a 900 px high window. */
const longAnswer = (k) => Array.from({ length: 40 }, (_, i) => `Paragraph ${i + 1} of answer ${k}: the session store keeps the issued token [1].\n\n`);
const CODE = 'export const ok = verifyPassword(password, stored);';
const SLACK = 24;

export async function chatViewSteps({ page, chat, step, ollama, runCommand, serverUrl, artifacts }) {
  const scroller = chat.locator('#scroller');
  const jump = chat.locator('#jump');
  const lastTurn = () => chat.locator('#conversation article.turn').last();
  const gapBelow = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  const askInView = async (question) => {
    const box = chat.locator('#question');
    await box.fill(question);
    await box.press('Enter');
    // Enter sent it: the box is empty again and keeps the focus.
    await chat.locator('#question:focus').waitFor();
    assert((await box.inputValue()) === '', 'the question box is emptied after sending');
  };
  const finished = async (text) => {
    const turn = lastTurn();
    await turn.and(chat.locator('article.turn:not(.turn-streaming)')).waitFor();
    if (text) await turn.getByText(text).first().waitFor();
    return turn;
  };
  /** The newest text is in view: scrolled to the bottom, its last line inside the scroller, no jump offered. */
  const assertFollowing = async (what) => {
    const gap = await gapBelow();
    assert(gap <= SLACK, `${what}: scrolled to the bottom (${gap}px below)`);
    await jump.waitFor({ state: 'hidden' });
    const inView = await lastTurn().evaluate((turn) => {
      const view = document.getElementById('scroller').getBoundingClientRect();
      const box = turn.getBoundingClientRect();
      return box.bottom <= view.bottom + 1 && box.bottom > view.top;
    });
    assert(inView, `${what}: the end of the newest turn is visible`);
  };
  const scrollUp = async () => {
    await scroller.hover();
    await page.mouse.wheel(0, -3000);
    await jump.waitFor();
  };

  await step('view-follows-three-long-answers', async () => {
    for (const k of [1, 2, 3]) {
      ollama.next('/api/chat', { kind: 'ok', tokens: longAnswer(k) });
      await askInView(`Long answer ${k}, please`);
      await finished(`Paragraph 40 of answer ${k}`);
      await assertFollowing(`answer ${k}`);
    }
  });

  await step('jump-to-latest-when-scrolled-up', async () => {
    const gate = createGate();
    const tokens = longAnswer(4);
    ollama.next('/api/chat', { kind: 'ok', tokens, chunkGates: tokens.map((_, i) => (i === 20 ? gate.promise : undefined)) });
    await askInView('One more long answer');
    await lastTurn().getByText('Paragraph 20 of answer 4').waitFor();
    // The user scrolls up while it streams: the view stays where they put it.
    await scrollUp();
    const top = await scroller.evaluate((el) => el.scrollTop);
    gate.release();
    await finished('Paragraph 40 of answer 4');
    assert((await scroller.evaluate((el) => el.scrollTop)) === top, 'the view did not move while the user was reading above');
    assert((await gapBelow()) > SLACK, 'the end of the answer is below the view');
    await jump.waitFor();
    await page.screenshot({ path: join(artifacts, 'view-02a-jump-offered.png') });
    await jump.click();
    await assertFollowing('after jump to latest');
    await chat.locator('#question:focus').waitFor();
  });

  await step('keyboard-newline-and-escape', async () => {
    const box = chat.locator('#question');
    await box.fill('First line');
    await box.press('Shift+Enter');
    await box.pressSequentially('second line');
    assert((await box.inputValue()) === 'First line\nsecond line', 'Shift+Enter adds a line instead of sending');
    const gate = createGate();
    ollama.next('/api/chat', { kind: 'ok', tokens: ['Streaming until Escape ', 'never shown.'], chunkGates: [undefined, gate.promise] });
    await box.press('Enter');
    await lastTurn().getByText('Streaming until Escape').waitFor();
    await box.press('Escape');
    await lastTurn().and(chat.locator('article.turn-stopped')).waitFor();
    gate.release();
    await chat.locator('#question:focus').waitFor();
  });

  await step('ask-about-selection-follows', async () => {
    // Open a cited range from the first answer's sources: the file opens with those lines selected,
    // and the view is left scrolled up at that list, away from the newest turn.
    await scrollUp();
    const sources = chat.locator('#conversation article.turn').first().locator('details.sources');
    if ((await sources.getAttribute('open')) === null) await sources.locator('summary').click();
    const source = sources.locator('button.source', { hasText: 'session.ts' });
    const location = (await source.locator('.source-path').innerText()).trim();
    await source.click();
    await page.locator('.tab.active', { hasText: 'session.ts' }).waitFor();
    await jump.waitFor();
    const [, lines] = /:(\d+(?:-\d+)?)$/.exec(location);
    await runCommand('Ferret: Ask About Selection');
    await page.locator('.quick-input-widget', { hasText: `Ask Ferret about session.ts:${lines}` }).waitFor();
    await page.locator('.quick-input-widget .quick-input-box input').fill('What does this selection do?');
    await page.keyboard.press('Enter');
    const turn = await finished('once they match');
    // Workspace-relative, like every other path in the view.
    const label = (await turn.locator('.selection').innerText()).trim();
    assert(label === `About the selection ${location}` && location.startsWith('src/auth/session.ts:'), `selection label: ${label}`);
    await assertFollowing('after Ask About Selection');
    await chat.locator('#answered-by', { hasText: 'qwen2.5-coder:7b via ollama' }).waitFor();
    await chat.locator('#health.health-ok', { hasText: 'qwen2.5-coder:7b (ollama) ready' }).waitFor();
  });

  await step('one-sources-list-per-answer', async () => {
    const counts = await chat.locator('#conversation').evaluate((c) => [...c.querySelectorAll('article.turn')].map((t) => t.querySelectorAll('details.sources').length));
    assert(counts.every((n) => n <= 1), `at most one sources list per turn: ${counts}`);
    assert((await chat.locator('.chip').count()) === 0, 'no chips');
    const turn = lastTurn();
    const summary = turn.locator('details.sources:not([open]) summary');
    const [, total, cited] = /^(\d+) sources? · (\d+) cited$/.exec((await summary.innerText()).trim());
    await summary.click();
    assert((await turn.locator('button.source').count()) === Number(total), `${total} sources listed`);
    assert((await turn.locator('button.source.cited').count()) === Number(cited), `${cited} marked as cited`);
  });

  await step('sources-only-lists-once', async () => {
    ollama.next('/api/chat', { kind: 'status', status: 404, message: 'model "qwen2.5-coder:7b" not found, try pulling it first' });
    await askInView('Where are sessions issued?');
    const turn = await finished();
    await turn.locator('.notice-sources-only').waitFor();
    const sources = turn.locator('details.sources[open] button.source');
    const n = await sources.count();
    assert(n >= 1, 'the ranges are listed');
    assert((await turn.locator('details.sources').count()) === 1, 'one list');
    const first = (await sources.first().locator('.source-path').innerText()).trim();
    const text = await turn.innerText();
    assert(text.split(first).length === 2, `each range appears once, ${first} appeared ${text.split(first).length - 1} times`);
    assert((await turn.locator('.answer').innerText()).trim() === '', 'no second numbered list');
    assert(!text.includes('`'), `no literal backticks: ${text}`);
  });

  await step('code-block-copy-and-insert', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: serverUrl });
    ollama.next('/api/chat', { kind: 'ok', tokens: ['Check it like this [1]:\n\n', '```ts\n', `${CODE}\n`, '```\n'] });
    await askInView('Show me how to check a password');
    const turn = await finished('Check it like this');
    await turn.locator('.code-block pre code.language-ts .hljs-keyword', { hasText: 'export' }).waitFor();
    await turn.locator('button.code-copy').click();
    await page.locator('[id="workbench.parts.statusbar"]', { hasText: 'Ferret: code copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert(copied === `${CODE}\n`, `the clipboard holds the code: ${JSON.stringify(copied)}`);
    // The webview has the focus; give it back to the workbench so the palette key reaches it.
    await page.locator('.tab.active').click();
    await runCommand('File: New Untitled Text File');
    await page.locator('.tab.active', { hasText: 'Untitled' }).waitFor();
    await turn.locator('button.code-insert').click();
    await page.locator('.monaco-editor .view-line', { hasText: 'verifyPassword(password, stored)' }).waitFor();
  });

  await step('nothing-clipped-narrow-and-wide', async () => {
    // Clicking Copy may have scrolled the view a little (as a user would); start from the latest.
    if (await jump.isVisible()) await jump.click();
    await assertFollowing('before resizing');
    const themeOf = () => chat.locator('body').evaluate((body) => (body.classList.contains('vscode-dark') ? 'dark' : 'light'));
    const first = await themeOf();
    for (const theme of [first, first === 'dark' ? 'light' : 'dark']) {
      if (theme !== first) {
        await page.locator('.tab.active').click();
        await runCommand('Preferences: Toggle between Light/Dark Themes');
        await chat.locator(`body.vscode-${theme}`).waitFor();
      }
      for (const width of [180, 400]) {
        await setSidebarWidth(page, width);
        // The webview lays out after the sidebar did, and the view re-follows in a resize callback
        // (run after layout, later in the frame than rAF): wait, a bounded number of frames, for both.
        const settled = await scroller.evaluate((el, w) => new Promise((resolve) => {
          let frames = 0;
          const check = () => {
            const state = { width: document.documentElement.clientWidth, gap: el.scrollHeight - el.scrollTop - el.clientHeight };
            if ((Math.abs(state.width - w) < 40 && state.gap <= 24) || ++frames > 300) resolve(state);
            else requestAnimationFrame(check);
          };
          check();
        }), width);
        assert(Math.abs(settled.width - width) < 40, `the view is ${settled.width}px wide at a ${width}px sidebar`);
        // The re-wrapped conversation is still followed, so the newest text stays in view.
        await assertFollowing(`${theme} at ${width}px`);
        const clipped = await chat.locator('body').evaluate(findClipped);
        assert(clipped.length === 0, `${theme} at ${width}px, clipped: ${clipped.join('; ')}`);
        await page.screenshot({ path: join(artifacts, `view-07-${width}px-${theme}.png`) });
      }
    }
  });

  await step('examples-from-the-workspace', async () => {
    await chat.locator('#clear').click();
    await chat.locator('#empty').waitFor();
    const examples = chat.locator('#examples button.example');
    // The fixture has no README; its folders and, with the index ready, its symbols give the questions.
    await examples.filter({ hasText: 'What is the cache folder responsible for?' }).waitFor();
    await examples.filter({ hasText: /^What does \S+ do, and where is it used\?$/ }).first().waitFor();
    assert((await examples.filter({ hasText: 'Deploying' }).count()) === 0, 'a README section is not offered as a symbol');
    assert((await examples.count()) === 3, 'three examples');
    assert((await examples.filter({ hasText: 'Where is the configuration loaded?' }).count()) === 0, 'no fixed fallback while the workspace offers questions');
    await chat.locator('#question:focus').waitFor();
  });
}

/** Drags the sash between the sidebar and the editor until the sidebar is `width` px wide. */
async function setSidebarWidth(page, width) {
  const box = await page.locator('[id="workbench.parts.sidebar"]').boundingBox();
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((w) => Math.abs(document.getElementById('workbench.parts.sidebar').getBoundingClientRect().width - w) <= 2, width);
}

/** Runs in the webview: every visible control or label that is cut off, or sticks out of the view. */
function findClipped() {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) out.push(`the page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
  for (const el of document.querySelectorAll('button, summary, textarea, .selection, .health, .answered-by, .source-path, .banner p, .notice, .answer p')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || el.closest('[hidden], details:not([open]) > :not(summary)')) continue;
    const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${el.className} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    if (r.left < -0.5 || r.right > width + 0.5) out.push(`${name} reaches ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
    else if (el.scrollWidth > el.clientWidth + 1 && el.tagName !== 'TEXTAREA') out.push(`${name} cuts its content (${el.scrollWidth} > ${el.clientWidth})`);
  }
  return out;
}
