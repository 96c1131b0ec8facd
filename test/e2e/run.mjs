// `npm run test:e2e` (after setup.sh and packaging): the extension-host suite, then the UI scenarios: Ferret's views, @ferret in VS Code's chat, Ferret's models in that chat.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './codeServer.mjs';
import { runChatUi } from './chatUi.mjs';
import { runModelsUi } from './modelsUi.mjs';
import { runSuites } from './suites.mjs';
import { runUi } from './ui.mjs';

const started = Date.now();
const runs = join(root, '.e2e/runs');
rmSync(runs, { recursive: true, force: true });
const artifacts = join(root, 'test/artifacts');
rmSync(artifacts, { recursive: true, force: true });

let failed = false;
console.log('extension-host suite');
const suite = await runSuites(join(runs, 'suite'));
if (suite.code !== 0) {
  failed = true;
  console.error(`extension-host suite failed (exit ${suite.code}); logs under ${suite.logDir}`);
}
const vsix = join(root, 'ferret-linux-x64.vsix');
const scenarios = [
  ['UI scenario', 'ui', runUi],
  ['chat participant scenario', 'chat', runChatUi],
  ["Ferret's models in VS Code's chat scenario", 'models', runModelsUi],
];
for (const [title, dir, run] of scenarios) {
  console.log(title);
  try {
    await run(join(runs, dir), vsix, artifacts);
  } catch (error) {
    failed = true;
    console.error(`${title} failed: ${error instanceof Error ? error.stack : error}\nscreenshots in ${artifacts}`);
  }
}
console.log(`e2e ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
