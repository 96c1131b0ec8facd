// What the UI scenarios share when driving the workbench with playwright-core: opening it, steps
// that leave a screenshot, the command palette, Ferret's ready state, assertions and time limits.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchBrowser, startCodeServer, stopCodeServer } from './codeServer.mjs';

/** Ferret's status-bar item, and its text once the index is ready. */
export const STATUS = '[id="ferret.ferret.status"]';
export const READY = /Ferret: [\d,]+ chunks/;

/** Serves the prepared profile with code-server and opens Chromium on it; `close` stops both. */
export async function openWorkbench(dir, workspace, artifacts) {
  mkdirSync(artifacts, { recursive: true });
  const server = await startCodeServer(dir, workspace);
  let browser;
  try {
    browser = await launchBrowser(join(dir, 'browser'));
  } catch (error) {
    await stopCodeServer(server);
    throw error;
  }
  const page = browser.pages()[0] ?? (await browser.newPage());
  page.setDefaultTimeout(60_000);
  const close = async () => {
    await browser.close();
    await stopCodeServer(server);
  };
  return { server, page, close };
}

/** Runs named steps in order; each leaves `<prefix>NN-<name>.png` in `artifacts`, pass or fail. */
export function stepRecorder(page, artifacts, prefix = '') {
  const steps = [];
  const step = async (name, body) => {
    const started = Date.now();
    try {
      await body();
    } finally {
      await page.screenshot({ path: join(artifacts, `${prefix}${String(steps.length + 1).padStart(2, '0')}-${name}.png`) });
      steps.push(`${name} (${Date.now() - started} ms)`);
      console.log(`  [ui] ${prefix}${name} (${Date.now() - started} ms)`);
    }
  };
  return { step, steps };
}

/** Runs a command from the palette once its row is shown (Enter before that runs whatever row is first). */
export async function runCommand(page, title) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  // Now and then the palette opens inert (seen once in six runs, right after a click on a tab raised
  // a hover): a person would press Escape and open it again, and so does this, twice at most.
  for (let attempt = 1; ; attempt++) {
    // A blank spot of the activity bar: no hover of the last click left open over the palette.
    await page.mouse.move(25, 500);
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible' });
    try {
      await input.fill(`>${title}`, { timeout: attempt < 3 ? 10_000 : 60_000 });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
      await page.keyboard.press('Escape');
      await input.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => undefined);
    }
  }
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export function assert(condition, message) {
  if (!condition) throw new Error(`Assertion failed: ${message}`);
}

export async function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
