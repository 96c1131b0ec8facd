import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILE_RULE_KEYS, PROVIDER_KEYS, resolveSettings, RESTART_ONLY_KEYS } from '../../server/src/config/settings';
import { SETTING_KEYS, SETTINGS } from '../../server/src/shared/settingsSchema';
import { restartPending } from '../../server/src/status/restartPending';

const resolve = (raw: unknown) => {
  const warnings: string[] = [];
  return { settings: resolveSettings(raw, (m) => warnings.push(m)), warnings };
};

test('nothing sent resolves to every default, and the defaults pass their own checks', () => {
  const { settings, warnings } = resolve(undefined);
  assert.deepEqual(settings, Object.fromEntries(SETTING_KEYS.map((key) => [key, SETTINGS[key].default])));
  assert.deepEqual(resolve(settings).warnings, []);
  assert.deepEqual(warnings, []);
});

test('a list default is a copy: changing one resolved setting leaves the next one alone', () => {
  resolve({}).settings.exclude.push('dist/**');
  assert.deepEqual(resolve({}).settings.exclude, []);
});

test('valid values are kept as sent', () => {
  const sent = {
    embedder: 'openai',
    providers: ['ollama', 'mlx'],
    exclude: ['docs/**', ''],
    maxFileSize: 2.5e6,
    answerSources: 50,
    firstTokenTimeoutSeconds: 1.5,
    metricsPort: 0,
    ollamaHost: '',
    autoIndex: false,
  };
  const { settings, warnings } = resolve(sent);
  assert.deepEqual(warnings, []);
  for (const [key, value] of Object.entries(sent)) assert.deepEqual(settings[key as keyof typeof settings], value, key);
});

test('a wrong value is reported and replaced by its default; the rest still apply', () => {
  const { settings, warnings } = resolve({
    embedder: 'gpt',
    providers: ['ollama', 'claude'],
    exclude: 'docs/**',
    maxFileSize: 0,
    answerSources: 7.5,
    firstTokenTimeoutSeconds: 24 * 3600 + 1,
    metricsPort: 70000,
    ollamaChatModel: '',
    autoIndex: 'yes',
    openaiBaseUrl: 'http://127.0.0.1:8000/v1',
  });
  assert.deepEqual(warnings, [
    'Setting embedder has an invalid value "gpt"; using "auto".',
    'Setting exclude has an invalid value "docs/**"; using [].',
    'Setting maxFileSize has an invalid value 0; using 1048576.',
    'Setting autoIndex has an invalid value "yes"; using true.',
    'Setting providers has an invalid value ["ollama","claude"]; using [].',
    'Setting ollamaChatModel has an invalid value ""; using "qwen2.5-coder:7b".',
    'Setting answerSources has an invalid value 7.5; using 8.',
    'Setting firstTokenTimeoutSeconds has an invalid value 86401; using 60.',
    'Setting metricsPort has an invalid value 70000; using 0.',
  ]);
  assert.equal(settings.embedder, 'auto');
  assert.equal(settings.openaiBaseUrl, 'http://127.0.0.1:8000/v1');
  assert.deepEqual(resolve('not an object').settings, resolve({}).settings);
});

test('each key takes effect in exactly one way', () => {
  assert.deepEqual([...RESTART_ONLY_KEYS].sort(), ['autoIndex', 'embedConcurrency', 'embedEndpoints', 'embedder', 'indexDir', 'metricsPort', 'ollamaEmbedModel', 'openaiEmbedModel', 'sharedIndex', 'sharedIndexOptions', 'watch']);
  assert.deepEqual([...FILE_RULE_KEYS].sort(), ['exclude', 'maxFileSize']);
  assert.deepEqual([...PROVIDER_KEYS].sort(), [
    'answerTimeoutSeconds',
    'firstTokenTimeoutSeconds',
    'mlxModel',
    'ollamaChatModel',
    'ollamaHost',
    'openaiApiKey',
    'openaiBaseUrl',
    'openaiChatModel',
    'providers',
    'pythonPath',
  ]);
  const live = SETTING_KEYS.filter((key) => SETTINGS[key].takesEffect === 'live');
  assert.deepEqual(live, ['answerSources']);
});

test('a changed connection waits for a restart exactly when the running embedder was built with it', () => {
  const startup = resolveSettings({ ollamaHost: 'http://127.0.0.1:11434', openaiBaseUrl: 'http://127.0.0.1:8000/v1' }, () => {});
  const moved = { ...startup, ollamaHost: 'http://127.0.0.1:9999', openaiBaseUrl: 'http://127.0.0.1:8001/v1', openaiApiKey: 'sk-new' };
  assert.deepEqual(restartPending(startup, moved, 'ollama:nomic-embed-text'), ['ollamaHost']);
  assert.deepEqual(restartPending(startup, moved, 'openai:text-embedding-3-small'), ['openaiBaseUrl', 'openaiApiKey']);
  // auto fell back to the local embedder: a new Ollama host may give it Ollama on the next start.
  assert.deepEqual(restartPending(startup, moved, 'local:hash-v2'), ['ollamaHost']);
  assert.deepEqual(restartPending({ ...startup, embedder: 'local' }, { ...moved, embedder: 'local' }, 'local:hash-v2'), []);
  assert.deepEqual(restartPending(startup, { ...startup, embedder: 'openai', answerSources: 3 }, 'ollama:nomic-embed-text'), ['embedder'], 'live keys never wait');
  assert.deepEqual(restartPending(startup, startup, 'ollama:nomic-embed-text'), [], 'a value changed back waits for nothing');
});
