import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { AskResult, FerretSettings, SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { FakeOllama, refusedUrl } from '../support/fakeOllama';
import { copyWorkspace } from '../support/workspaceCopy';

/**
 * The extension's path: the client declares `workspace.configuration`, the daemon pulls the
 * `ferret` section when told it changed, and applies live what needs no restart.
 */
async function pullingDaemon(settings: Partial<FerretSettings>): Promise<{ daemon: Daemon; workspace: string; configuration: Partial<FerretSettings> }> {
  const { workspace, indexDir } = copyWorkspace();
  const configuration: Partial<FerretSettings> = { indexDir, embedder: 'local', autoIndex: false, ...settings };
  const daemon = await startDaemon([workspace], { ...configuration }, {}, { configuration });
  after(() => daemon.stop());
  await daemon.connection.sendRequest('ferret/reindex', {});
  return { daemon, workspace, configuration };
}

/** Tells the daemon settings changed and waits for it to report what it applied. */
async function changed(daemon: Daemon, applied: RegExp): Promise<void> {
  const done = daemon.logWhere(applied);
  await daemon.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
  await done;
}

const ask = (daemon: Daemon) => daemon.connection.sendRequest<AskResult>('ferret/ask', { question: 'How are passwords hashed?' });

test('answer sources and the chat provider change live when the client says settings changed', async () => {
  const { daemon, configuration } = await pullingDaemon({ watch: false, providers: ['ollama'], ollamaHost: await refusedUrl(), answerSources: 8 });
  const before = await ask(daemon);
  assert.equal(before.sourcesOnly, true);
  assert.ok(before.sources.length > 1, `expected more than 1 source, got ${before.sources.length}`);

  configuration.answerSources = 1;
  await changed(daemon, /Applied settings: answerSources\./);
  const fewer = await ask(daemon);
  assert.equal(fewer.sourcesOnly, true);
  assert.equal(fewer.sources.length, 1);

  const ollama = await FakeOllama.start({ models: ['qwen2.5-coder:7b'], chatTokens: ['Hashed with scrypt [1].'] });
  after(() => ollama.close());
  configuration.ollamaHost = ollama.url;
  configuration.embedder = 'ollama';
  await changed(daemon, /Applied settings: ollamaHost\./);
  const answered = await ask(daemon);
  assert.equal(answered.sourcesOnly, false);
  assert.equal(answered.provider, 'ollama');
  assert.equal(answered.answer, 'Hashed with scrypt [1].');
  const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
  assert.equal(status.embedder.id.startsWith('local'), true, 'the embedder is restart-only and keeps its start-up choice');
  assert.ok(daemon.logs.some((line) => /Settings embedder take effect when the daemon restarts/.test(line)));
});

test('excluded files leave the index live, and the watcher follows the new rules', async () => {
  const { daemon, workspace, configuration } = await pullingDaemon({ watch: true });
  const search = (query: string) => daemon.connection.sendRequest<SearchResult>('ferret/search', { query, k: 50 });
  assert.ok((await search('deploy')).results.some((hit) => hit.path.startsWith('docs/')));

  configuration.exclude = ['docs/**', 'src/generated/**'];
  await changed(daemon, /Applied settings: exclude\./);
  assert.ok(!(await search('deploy')).results.some((hit) => hit.path.startsWith('docs/')), 'docs/ left the index');

  // Written in order: once the second is searchable the watcher has seen the first too.
  const { revision } = (await daemon.connection.sendRequest<StatusReport>('ferret/status')).folders[0]!;
  mkdirSync(join(workspace, 'src', 'generated'), { recursive: true });
  writeFileSync(join(workspace, 'src', 'generated', 'wombat.ts'), 'export const wombatExcluded = 1;\n');
  writeFileSync(join(workspace, 'src', 'quokka.ts'), 'export const quokkaIncluded = 1;\n');
  await daemon.statusWhere((s) => s.folders[0]!.revision > revision && s.quiescent);
  const found = async (word: string) => (await search(word)).results.some((hit) => hit.text.includes(word));
  assert.equal(await found('quokkaIncluded'), true);
  assert.equal(await found('wombatExcluded'), false);
});

test('a new Ollama host moves the chat at once and marks the Ollama embedder as waiting for a restart', async () => {
  const first = await FakeOllama.start({ models: ['qwen2.5-coder:7b', 'nomic-embed-text'], chatTokens: ['From the first host [1].'] });
  const second = await FakeOllama.start({ models: ['qwen2.5-coder:7b', 'nomic-embed-text'], chatTokens: ['From the second host [1].'] });
  after(() => Promise.all([first.close(), second.close()]));
  const { daemon, configuration } = await pullingDaemon({ watch: false, embedder: 'ollama', providers: ['ollama'], ollamaHost: first.url });
  const status = () => daemon.connection.sendRequest<StatusReport>('ferret/status');
  assert.match((await status()).embedder.id, /^ollama/);
  assert.equal((await status()).restartPending, undefined);

  configuration.ollamaHost = second.url;
  const pending = daemon.statusWhere((s) => s.restartPending?.includes('ollamaHost') === true);
  await changed(daemon, /Applied settings: ollamaHost\./);
  assert.deepEqual((await pending).restartPending, ['ollamaHost']);
  assert.equal((await ask(daemon)).answer, 'From the second host [1].', 'the chat moved live');
  const embeds = second.count('/api/embed');
  await daemon.connection.sendRequest('ferret/search', { query: 'password hashing' });
  assert.equal(second.count('/api/embed'), embeds, 'the embedder still uses the start-up host');

  configuration.ollamaHost = first.url;
  const cleared = daemon.statusWhere((s) => s.restartPending === undefined);
  await changed(daemon, /Applied settings: ollamaHost\./);
  await cleared;
});

test('with the local embedder chosen, a new Ollama host needs no restart', async () => {
  const ollama = await FakeOllama.start({ models: ['qwen2.5-coder:7b'], chatTokens: ['Answered [1].'] });
  after(() => ollama.close());
  const { daemon, configuration } = await pullingDaemon({ watch: false, providers: ['ollama'], ollamaHost: await refusedUrl() });
  configuration.ollamaHost = ollama.url;
  await changed(daemon, /Applied settings: ollamaHost\./);
  const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
  assert.equal(status.restartPending, undefined);
  configuration.embedder = 'ollama';
  await changed(daemon, /Settings embedder take effect when the daemon restarts/);
  assert.deepEqual((await daemon.connection.sendRequest<StatusReport>('ferret/status')).restartPending, ['embedder']);
});
