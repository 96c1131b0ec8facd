import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigurationParams } from 'vscode-languageclient/node';
import { ferretConfiguration } from '../../client/src/config/configurationMiddleware';
import { needsRestart, readSettings, RESTART_KEYS } from '../../client/src/config/settings';
import type { ConfigurationChangeEvent, WorkspaceConfiguration } from 'vscode';

/** A change event touching exactly `keys`, as VS Code reports it. */
const touching = (...keys: string[]) => ({ affectsConfiguration: (section: string) => keys.includes(section) }) as ConfigurationChangeEvent;

test('only user settings the daemon reads at start ask for a restart', () => {
  // indexDir and watch are restart-only too, but the extension sets them, not the user.
  assert.deepEqual([...RESTART_KEYS].sort(), ['ferret.autoIndex', 'ferret.embedder', 'ferret.metricsPort', 'ferret.ollamaEmbedModel', 'ferret.openaiEmbedModel', 'ferret.sharedIndex', 'ferret.sharedIndexOptions']);
  for (const key of RESTART_KEYS) assert.equal(needsRestart(touching(key)), true, key);
  const live = ['answerSources', 'providers', 'ollamaHost', 'ollamaChatModel', 'openaiBaseUrl', 'openaiChatModel', 'openaiApiKey', 'mlxModel', 'pythonPath', 'exclude', 'maxFileSize'];
  for (const key of live) assert.equal(needsRestart(touching(`ferret.${key}`)), false, key);
});

/** A `ferret` section where the user set `values` in the given scopes, as `inspect` reports it. */
function configuration(values: Record<string, { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown }>): WorkspaceConfiguration {
  const defaults: Record<string, unknown> = { autoIndex: true };
  return {
    get: (key: string, fallback?: unknown) => {
      const set = values[key];
      return set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue ?? defaults[key] ?? fallback;
    },
    inspect: (key: string) => ({ key: `ferret.${key}`, ...values[key] }),
  } as unknown as WorkspaceConfiguration;
}

test('only values the user set are sent, the narrowest scope winning, with the index dir and watching', () => {
  const sent = readSettings(
    configuration({
      exclude: { globalValue: ['docs/**'] },
      answerSources: { globalValue: 3, workspaceValue: 5 },
      embedder: { workspaceFolderValue: 'local', globalValue: 'ollama' },
      autoIndex: { globalValue: false },
      indexDir: { globalValue: '/user/picked' },
    }),
    '/storage/index',
  );
  assert.deepEqual(sent, { indexDir: '/storage/index', watch: false, embedder: 'local', exclude: ['docs/**'], autoIndex: false, answerSources: 5 });
  assert.deepEqual(readSettings(configuration({}), '/storage/index'), { indexDir: '/storage/index', watch: true });
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
