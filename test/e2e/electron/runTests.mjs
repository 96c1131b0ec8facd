// `npm run test:vscode`: the same extension-host suite that CI runs under code-server (test/e2e/suite,
// `run()` contract), run in desktop VS Code by @vscode/test-electron. It downloads VS Code on first
// use, so it needs internet access; CI, which has none, runs the suite under code-server (`npm run test:e2e`).
import { runTests } from '@vscode/test-electron';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { prepareRun, root } from '../codeServer.mjs';
import { buildSuite } from '../suites.mjs';
import { FakeOllama } from '../../support/fakeOllama.ts';
import { SUITE_CHAT_MODEL, SUITE_CHAT_TOKENS } from '../suite/suiteModel.ts';

const runDir = join(root, '.e2e/runs/electron');
rmSync(runDir, { recursive: true, force: true });
const { dir, workspace } = prepareRun(runDir);
const suite = await buildSuite(join(dir, 'suite/index.js'));

const OFFLINE = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH']);
/** The network error code anywhere in the error's cause chain or message, if any. */
function networkCode(error) {
  for (let e = error, depth = 0; e && depth < 5; e = e.cause, depth++) {
    if (OFFLINE.has(e.code)) return e.code;
    const match = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH)\b/.exec(String(e.message ?? e));
    if (match) return match[1];
  }
  return undefined;
}

// The suite's chat model, as under code-server (suites.mjs).
const ollama = await FakeOllama.start({ models: [SUITE_CHAT_MODEL], chatTokens: SUITE_CHAT_TOKENS });
try {
  const code = await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: suite,
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', join(dir, 'ud'), '--extensions-dir', join(dir, 'ext')],
    extensionTestsEnv: { OLLAMA_HOST: ollama.url },
  });
  await ollama.close();
  process.exit(code);
} catch (error) {
  const offline = networkCode(error);
  if (offline) {
    console.error(`test:vscode: could not download VS Code (${offline}): this runner needs internet access; without it run the same suite under code-server with \`npm run test:e2e\`.`);
  } else {
    console.error(`test:vscode failed: ${error instanceof Error ? error.stack : error}`);
  }
  process.exit(1);
}
