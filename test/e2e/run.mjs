// `npm run test:e2e` (after setup.sh and packaging): the extension-host suite, the UI scenario, then @ferret in VS Code's chat.
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
console.log('UI scenario');
try {
  await runUi(join(runs, 'ui'), join(root, 'ferret-linux-x64.vsix'), artifacts);
} catch (error) {
  failed = true;
  console.error(`UI scenario failed: ${error instanceof Error ? error.stack : error}\nscreenshots in ${artifacts}`);
}
console.log('chat participant scenario');
try {
  await runChatUi(join(runs, 'chat'), join(root, 'ferret-linux-x64.vsix'), artifacts);
} catch (error) {
  failed = true;
  console.error(`chat participant scenario failed: ${error instanceof Error ? error.stack : error}\nscreenshots in ${artifacts}`);
}
console.log("Ferret's models in VS Code's chat scenario");
try {
  await runModelsUi(join(runs, 'models'), join(root, 'ferret-linux-x64.vsix'), artifacts);
} catch (error) {
  failed = true;
  console.error(`models scenario failed: ${error instanceof Error ? error.stack : error}\nscreenshots in ${artifacts}`);
}
console.log(`e2e ${failed ? 'FAILED' : 'passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
