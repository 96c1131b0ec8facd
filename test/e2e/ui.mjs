// The user-level scenario: install the VSIX into a fresh profile, open the fixture workspace and
// drive the real workbench. Each step waits on a concrete UI state and leaves a screenshot.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { daemonPids, installVsix, launchBrowser, prepareRun, startCodeServer, stopCodeServer } from './codeServer.mjs';

const STATUS = '[id="ferret.ferret.status"]';
const READY = /Ferret: [\d,]+ chunks/;

export async function runUi(runDir, vsix, artifacts) {
  const { dir, workspace } = prepareRun(runDir);
  installVsix(dir, vsix);
  mkdirSync(artifacts, { recursive: true });
  const server = await startCodeServer(dir, workspace);
  const browser = await launchBrowser(join(dir, 'browser'));
  const steps = [];
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(60_000);
    const step = async (name, body) => {
      const started = Date.now();
      try {
        await body();
      } finally {
        await page.screenshot({ path: join(artifacts, `${String(steps.length + 1).padStart(2, '0')}-${name}.png`) });
        steps.push(`${name} (${Date.now() - started} ms)`);
        console.log(`  [ui] ${name} (${Date.now() - started} ms)`);
      }
    };
    const status = page.locator(STATUS);
    const runCommand = async (title) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ state: 'visible' });
      await input.fill(`>${title}`);
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
      await page.keyboard.press('Enter');
    };

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

    // Ask / chat steps (streamed answer, citation chips, CodeLens, Stop) go here with the chat view.

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
    await browser.close();
    await stopCodeServer(server);
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
