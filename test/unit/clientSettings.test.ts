import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigurationParams } from 'vscode-languageclient/node';
import { ferretConfiguration } from '../../client/src/config/configurationMiddleware';
import { needsRestart, RESTART_KEYS } from '../../client/src/config/settings';
import type { ConfigurationChangeEvent } from 'vscode';

/** A change event touching exactly `keys`, as VS Code reports it. */
const touching = (...keys: string[]) => ({ affectsConfiguration: (section: string) => keys.includes(section) }) as ConfigurationChangeEvent;

test('only keys the daemon reads at start ask for a restart', () => {
  assert.deepEqual([...RESTART_KEYS].sort(), ['ferret.autoIndex', 'ferret.embedder', 'ferret.indexDir', 'ferret.metricsPort', 'ferret.ollamaEmbedModel', 'ferret.openaiEmbedModel']);
  for (const key of RESTART_KEYS) assert.equal(needsRestart(touching(key)), true, key);
  const live = ['answerSources', 'providers', 'ollamaHost', 'ollamaChatModel', 'openaiBaseUrl', 'openaiChatModel', 'openaiApiKey', 'mlxModel', 'pythonPath', 'exclude', 'maxFileSize'];
  for (const key of live) assert.equal(needsRestart(touching(`ferret.${key}`)), false, key);
});

test('a pull of the ferret section gets the translated settings; other sections go to the default handler', async () => {
  const middleware = ferretConfiguration(() => ({ answerSources: 3, exclude: ['docs/**'] }));
  const params: ConfigurationParams = { items: [{ section: 'ferret' }, { section: 'editor' }] };
  const asked: ConfigurationParams[] = [];
  const result = await middleware(params, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }, (p) => {
    asked.push(p);
    return [{ raw: 'ferret' }, { tabSize: 2 }];
  });
  assert.deepEqual(result, [{ answerSources: 3, exclude: ['docs/**'] }, { tabSize: 2 }]);
  assert.equal(asked.length, 1);
  const only = await middleware({ items: [{ section: 'ferret' }] }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) }, () => {
    throw new Error('the default handler is not needed for ferret alone');
  });
  assert.deepEqual(only, [{ answerSources: 3, exclude: ['docs/**'] }]);
});
