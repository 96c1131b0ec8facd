import '../support/vscodeStub';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfigurationParams } from 'vscode-languageclient/node';
import { ferretConfiguration } from '../../client/src/config/configurationMiddleware';
import { readSettings } from '../../client/src/config/settings';
import { restartMessage, settingsToOffer } from '../../client/src/config/restartPending';
import type { SettingKey } from '../../server/src/shared/protocol';
import type { WorkspaceConfiguration } from 'vscode';

test('each setting waiting for a restart is offered once, user settings only, and again after it stopped waiting', () => {
  const asked = new Set<SettingKey>();
  assert.deepEqual(settingsToOffer(asked, ['ollamaHost']), ['ferret.ollamaHost']);
  assert.deepEqual(settingsToOffer(asked, ['ollamaHost']), [], 'the next status does not ask again');
  // watch follows autoIndex and is the extension's own: only autoIndex is named.
  assert.deepEqual(settingsToOffer(asked, ['ollamaHost', 'autoIndex', 'watch']), ['ferret.autoIndex']);
  assert.deepEqual(settingsToOffer(asked, []), [], 'the daemon restarted');
  assert.deepEqual(settingsToOffer(asked, ['ollamaHost']), ['ferret.ollamaHost'], 'a new change asks again');
  assert.equal(restartMessage(['ferret.ollamaHost']), 'Ferret: "ferret.ollamaHost" takes effect when the daemon restarts.');
  assert.equal(restartMessage(['ferret.embedder', 'ferret.ollamaHost']), 'Ferret: "ferret.embedder", "ferret.ollamaHost" take effect when the daemon restarts.');
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
