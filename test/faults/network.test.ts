import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLoopbackUrl } from '../../server/src/status/endpoints';
import type { AskResult, SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { tempDir } from '../support/tempDir';
import { copyWorkspace } from '../support/workspaceCopy';

const RECORDER = join(__dirname, 'connectRecorder.cjs');

/** Environment that records every connection the daemon opens; OLLAMA_HOST unset, as on a fresh machine. */
function recorded(): { env: NodeJS.ProcessEnv; connections: () => Array<{ host: string; port: number }> } {
  const log = join(tempDir(), 'connections.jsonl');
  return {
    env: { OLLAMA_HOST: '', OPENAI_API_KEY: '', NODE_OPTIONS: `--require ${RECORDER}`, FERRET_CONNECT_LOG: log },
    connections: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { host: string; port: number }) : []),
  };
}

test('with default settings the daemon connects to loopback hosts only, through index, search, ask and status', { timeout: 120_000 }, async () => {
  const { workspace, indexDir } = copyWorkspace();
  const { env, connections } = recorded();
  const daemon = await startDaemon([workspace], { indexDir, watch: false, autoIndex: false }, env);
  try {
    await daemon.connection.sendRequest('ferret/reindex', {});
    const found = await daemon.connection.sendRequest<SearchResult>('ferret/search', { query: 'rate limiter', k: 3 });
    assert.ok(found.results.length > 0);
    const answer = await daemon.connection.sendRequest<AskResult>('ferret/ask', { question: 'How are sessions evicted?' });
    assert.equal(answer.sourcesOnly, true, 'no model runs here, so the answer is sources only');
    const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
    assert.ok(status.endpoints.length > 0, 'the default Ollama address is listed');
    assert.deepEqual(status.endpoints.filter((e) => e.remote), []);
  } finally {
    await daemon.stop();
  }
  const seen = connections();
  assert.ok(seen.length > 0, 'the recorder saw the Ollama probes');
  assert.deepEqual(seen.filter((c) => !isLoopbackUrl(`http://${c.host.includes(':') ? `[${c.host}]` : c.host}`)), []);
});

test('a remote host is contacted only when configured, and status names it as remote', { timeout: 120_000 }, async () => {
  const { workspace, indexDir } = copyWorkspace();
  const { env } = recorded();
  // TEST-NET-1: a documentation address nothing answers on.
  const daemon = await startDaemon([workspace], { indexDir, embedder: 'local', watch: false, autoIndex: false, providers: ['ollama', 'openai'], openaiBaseUrl: 'http://192.0.2.10:8000/v1' }, { ...env, OLLAMA_HOST: 'http://127.0.0.1:9' });
  try {
    const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
    assert.deepEqual(status.endpoints, [
      { purpose: 'chat', provider: 'ollama', url: 'http://127.0.0.1:9', remote: false },
      { purpose: 'chat', provider: 'openai', url: 'http://192.0.2.10:8000/v1', remote: true },
    ]);
  } finally {
    await daemon.stop();
  }
});
