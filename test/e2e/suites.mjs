// Runs the extension-host suite (test/e2e/suite) inside code-server through the workbench's
// smoke-test driver: the suite's run() settles → the page calls codeAutomationExit(code).
import * as esbuild from 'esbuild';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FakeOllama } from '../support/fakeOllama.ts';
import { launchBrowser, prepareRun, root, startCodeServer, stopCodeServer } from './codeServer.mjs';
import { SUITE_CHAT_MODEL, SUITE_CHAT_TOKENS } from './suite/suiteModel.ts';

/** Bundles the extension-host suite (test/e2e/suite, `run()` contract) to one CommonJS file; also used by electron/runTests.mjs. */
export async function buildSuite(outfile) {
  await esbuild.build({ entryPoints: [join(root, 'test/e2e/suite/index.ts')], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', external: ['vscode'], logLevel: 'warning' });
  return outfile;
}

export async function runSuites(runDir) {
  const { dir, workspace } = prepareRun(runDir);
  const suite = await buildSuite(join(dir, 'suite/index.js'));
  // Ferret's chat model is a loopback Ollama found through OLLAMA_HOST, so no user setting changes
  // (a check compares the settings sent); it has no embedding model, so embeddings stay local.
  const ollama = await FakeOllama.start({ models: [SUITE_CHAT_MODEL], chatTokens: SUITE_CHAT_TOKENS });
  const server = await startCodeServer(dir, workspace, ['--vscode-option', 'enable-smoke-test-driver'], { OLLAMA_HOST: ollama.url }).catch(async (error) => {
    await ollama.close();
    throw error;
  });
  const browserDir = join(dir, 'browser');
  mkdirSync(browserDir, { recursive: true });
  const browser = await launchBrowser(browserDir);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    // The extension host forwards the suite's console to the page; that is where its ok/not ok lines appear.
    page.on('console', (message) => {
      const text = message.text();
      if (/\b(not )?ok \b|checks failed/.test(text)) console.log(`  [suite] ${text.replace(/^.*?\[Extension Host\]\s*/, '').replace(/%c\s*\w+\s*color: #\w+\s*/, '')}`);
    });
    const exit = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [['extensionDevelopmentPath', remote(root)], ['extensionTestsPath', remote(suite)]];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const code = await Promise.race([exit, new Promise((_, reject) => setTimeout(() => reject(new Error('the suite did not finish in 180 s')), 180_000).unref())]);
    return { code, logDir: join(dir, 'ud/logs') };
  } finally {
    await browser.close();
    await stopCodeServer(server);
    await ollama.close();
  }
}
