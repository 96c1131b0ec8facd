import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { ReindexResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon } from '../support/daemonHarness';
import { FakeOpenAI } from '../support/fakeOpenAI';
import { readIndexRows } from '../support/indexContents';
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
