import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ReindexResult, SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { join } from 'node:path';
import { createGate, FakeOllama } from '../support/fakeOllama';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { readIndexRows } from '../support/indexContents';
import { writeSyntheticWorkspace } from '../support/syntheticWorkspace';
import { tempDir } from '../support/tempDir';
import { copyWorkspace } from '../support/workspaceCopy';

const KEY = 'sk-live-do-not-log-0123456789';
const EMBEDDINGS = '/v1/embeddings';

test('an index built over two OpenAI-compatible servers, one failing with the key in its errors: all chunks stored, the key nowhere', async () => {
  const [good, failing] = await Promise.all([FakeOpenAI.start({ dimensions: 8, apiKey: KEY }), FakeOpenAI.start({ dimensions: 8, apiKey: KEY })]);
  after(() => Promise.all([good.close(), failing.close()]));
  failing.always(EMBEDDINGS, { kind: 'status', status: 500, message: `CUDA error on the card serving key ${KEY}` });
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], {
    indexDir,
    embedder: 'openai',
    openaiEmbedModel: 'text-embedding-3-small',
    openaiApiKey: KEY,
    embedEndpoints: [good.baseUrl, failing.baseUrl],
    embedConcurrency: 3,
    watch: false,
    autoIndex: false,
  });
  try {
    const result = await daemon.connection.sendRequest<ReindexResult>('ferret/reindex', {});
    assert.ok(failing.count(EMBEDDINGS) > 0, 'the failing server was given batches');
    const rows = await readIndexRows(indexDir);
    assert.equal(rows.length, result.summaries[0].chunks);
    assert.ok(rows.length > 0);
    // The probe and every chunk went to the good server, each chunk once.
    assert.equal(good.embeddedTexts.length, 1 + rows.length);

    let status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
    assert.equal(status.embedder.id, 'openai:text-embedding-3-small');
    assert.deepEqual(
      status.endpoints.filter((endpoint) => endpoint.purpose === 'embeddings').map((endpoint) => endpoint.url),
      [good.baseUrl, failing.baseUrl],
    );

    // Now both fail: a search's query embedding fails, and status says why, without the key.
    good.always(EMBEDDINGS, { kind: 'status', status: 500, message: `out of capacity for ${KEY}` });
    await daemon.connection.sendRequest('ferret/search', { query: 'how are passwords hashed?' });
    status = await daemon.statusWhere((s) => /failed its latest call/.test(JSON.stringify(s)));
    assert.match(JSON.stringify(status), /HTTP 500 \(out of capacity for \*\*\*\)/);
    assert.ok(!JSON.stringify(status).includes(KEY), JSON.stringify(status));
  } finally {
    await daemon.stop();
  }
  assert.ok(!daemon.logs.join('').includes(KEY), 'the key reached the log');
});

test('a daemon killed with embedding batches in flight resumes on restart and ends with exactly the clean index', { timeout: 180_000 }, async () => {
  const servers = await Promise.all([FakeOllama.start({ dimensions: 8 }), FakeOllama.start({ dimensions: 8 })]);
  after(() => Promise.all(servers.map((server) => server.close())));
  const root = tempDir();
  const workspace = join(root, 'workspace');
  writeSyntheticWorkspace(workspace, 300);
  const settings = { embedder: 'ollama' as const, embedEndpoints: servers.map((server) => server.url), embedConcurrency: 4, watch: false, autoIndex: false };

  const cleanDir = join(root, 'clean');
  const clean = await startDaemon([workspace], { ...settings, indexDir: cleanDir });
  await clean.connection.sendRequest<ReindexResult>('ferret/reindex', {});
  await clean.stop();
  const expected = await readIndexRows(cleanDir);
  for (const server of servers) server.reset();

  // Each server answers two requests (the first one's first is the probe), then holds the rest:
  // the daemon dies with batches in flight and some stored.
  const held = createGate();
  for (const server of servers) server.next('/api/embed', { kind: 'ok' }, { kind: 'ok' }).always('/api/embed', { kind: 'ok', gate: held.promise });
  const indexDir = join(root, 'killed');
  const victim = await startDaemon([workspace], { ...settings, indexDir });
  void victim.connection.sendRequest('ferret/reindex', {}).catch(() => undefined);
  await Promise.race(servers.map((server) => server.waitForRequest('/api/embed', 3)));
  victim.child.kill('SIGKILL');
  await victim.stop();
  held.release();
  for (const server of servers) server.reset();

  const restarted = await startDaemon([workspace], { ...settings, indexDir });
  try {
    await restarted.connection.sendRequest<ReindexResult>('ferret/reindex', {});
    const search = await restarted.connection.sendRequest<SearchResult>('ferret/search', { query: 'parse the config' });
    assert.equal(search.mode, 'hybrid');
  } finally {
    await restarted.stop();
  }
  assert.deepEqual(await readIndexRows(indexDir), expected);
});
