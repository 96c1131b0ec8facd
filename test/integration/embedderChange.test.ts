import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { ReindexResult, SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { FakeOllama, createGate } from '../support/fakeOllama';
import { readIndexRows } from '../support/indexContents';
import { copyWorkspace } from '../support/workspaceCopy';

const QUESTION = 'how are passwords hashed?';

test('a search waiting on a slow embedder is cancelled end to end', async () => {
  const ollama = await FakeOllama.start({ dimensions: 8 });
  after(() => ollama.close());
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], { indexDir, embedder: 'ollama', ollamaHost: ollama.url, watch: false, autoIndex: false });
  try {
    await daemon.connection.sendRequest('ferret/reindex', {});
    const gate = createGate();
    ollama.next('/api/embed', { kind: 'ok', gate: gate.promise });
    const source = new CancellationTokenSource();
    const search = daemon.connection.sendRequest<SearchResult>('ferret/search', { query: QUESTION }, source.token);
    const held = await ollama.waitForRequest('/api/embed', ollama.count('/api/embed') + 1);
    source.cancel();
    await assert.rejects(search, (error: unknown) => error instanceof ResponseError && error.code === -32800);
    await held.disconnected;
    gate.release();
    const next = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: QUESTION });
    assert.equal(next.mode, 'hybrid');
    assert.equal(next.results[0]?.path, 'src/auth/passwords.ts');
  } finally {
    await daemon.stop();
  }
});

test('a change of embedder re-embeds in the background while full-text search keeps answering', async () => {
  const ollama = await FakeOllama.start({ dimensions: 8 });
  after(() => ollama.close());
  const { workspace, indexDir } = copyWorkspace();
  const local = await startDaemon([workspace], { indexDir, embedder: 'local', watch: false, autoIndex: false });
  await local.connection.sendRequest<ReindexResult>('ferret/reindex', {});
  await local.stop();

  const gate = createGate();
  const probes = 1;
  ollama.next('/api/embed', ...Array.from({ length: probes }, () => ({ kind: 'ok' as const })), { kind: 'ok', gate: gate.promise });
  const daemon = await startDaemon([workspace], { indexDir, embedder: 'ollama', ollamaHost: ollama.url, watch: false, autoIndex: true });
  try {
    await ollama.waitForRequest('/api/embed', probes + 1);
    const during = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: QUESTION });
    assert.equal(during.mode, 'fulltext');
    assert.match(during.modeReason ?? '', /recomputed with ollama:nomic-embed-text/);
    assert.equal(during.results[0]?.path, 'src/auth/passwords.ts', 'the old index still answers by full text');
    const busy = await daemon.connection.sendRequest<StatusReport>('ferret/status');
    assert.equal(busy.health, 'warning');
    assert.ok(busy.embedder.pendingVectors > 0);
    gate.release();
    await daemon.statusWhere((s) => s.quiescent && s.embedder.pendingVectors === 0);
    const afterwards = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: QUESTION });
    assert.equal(afterwards.mode, 'hybrid');
  } finally {
    await daemon.stop();
  }
  const rows = await readIndexRows(indexDir);
  assert.ok(rows.length > 0, 'one live table remains, the old one is gone');
});
