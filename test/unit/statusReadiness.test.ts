// Readiness: "ready" means a search sent now is answered in full, and every other case says why not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EmbedderStatus, FolderStatus } from '../../server/src/shared/protocol';
import { describeStatus } from '../../server/src/status/describeStatus';
import { describeReadiness, type ReadinessInput } from '../../server/src/status/readiness';

const folder = (over: Partial<FolderStatus> = {}): FolderStatus => ({
  folder: '/ws', state: 'ready', files: 10, chunks: 40, pending: 0, revision: 1, indexDir: '/idx', skipped: {}, ...over,
});
const embedder: EmbedderStatus = { id: 'local:hash-v1', dimensions: 256, reason: 'test', pendingVectors: 0 };
const input = (over: Partial<ReadinessInput> = {}): ReadinessInput => ({ folders: [folder()], complete: new Set(['/ws']), embedder, ...over });

test('a complete, idle index with a working embedder is ready, and stays ready during a catch-up pass', () => {
  assert.deepEqual(describeReadiness(input()), { ready: true });
  assert.deepEqual(describeReadiness(input({ folders: [folder({ state: 'indexing', progress: { done: 1, total: 5 }, pending: 4 })] })), { ready: true });
});

test('each reason not to be ready is named, all of them at once', () => {
  const never = describeReadiness(input({ complete: new Set() }));
  assert.deepEqual(never, { ready: false, notReadyReason: '/ws has no complete index yet; index it (ferret index, or Ferret: Reindex).' });
  const building = describeReadiness(input({ complete: new Set(), folders: [folder({ state: 'indexing', progress: { done: 3, total: 40 } })] }));
  assert.equal(building.ready ? '' : building.notReadyReason, 'The first index of /ws is still being built (3/40 files).');
  const failed = describeReadiness(input({ folders: [folder({ state: 'error', error: 'Disk full' })] }));
  assert.equal(failed.ready ? '' : failed.notReadyReason, 'Indexing /ws failed: Disk full.');
  const several = describeReadiness(
    input({ embedder: { ...embedder, pendingVectors: 1200 }, embedderFailure: 'Could not connect to Ollama at http://127.0.0.1:11434.' }),
  );
  assert.equal(
    several.ready ? '' : several.notReadyReason,
    'Vectors are being recomputed with local:hash-v1 (1,200 to go); searches use full text only until then. ' +
      'The embedder local:hash-v1 failed its latest call (Could not connect to Ollama at http://127.0.0.1:11434); searches use full text only until it answers again.',
  );
  assert.equal(describeReadiness(input({ folders: [], complete: new Set() })).ready, false);
});

test('an idle daemon that is not ready says why in its message instead of "Ready"', () => {
  const base = { providers: [], lastAnswered: undefined, endpoints: [], version: '1.0.0', embedder };
  const idle = describeStatus({ ...base, folders: [folder({ files: 0, chunks: 0 })], complete: new Set() });
  assert.equal(idle.ready, false);
  assert.equal(idle.message, idle.notReadyReason);
  const done = describeStatus({ ...base, folders: [folder()], complete: new Set(['/ws']) });
  assert.equal(done.ready, true);
  assert.equal(done.notReadyReason, undefined);
  assert.equal(done.message, 'Ready: 10 files, 40 chunks.');
});

test('a folder watched by rescanning (a system limit on watches) makes health a warning, not an error', () => {
  const base = { providers: [], lastAnswered: undefined, endpoints: [], version: '1.0.0', embedder, complete: new Set(['/ws']) };
  const limited = describeStatus({ ...base, folders: [folder({ watching: 'Watching /ws hit the limit.' })] });
  assert.equal(limited.health, 'warning');
  assert.equal(limited.ready, true);
  assert.equal(describeStatus({ ...base, folders: [folder()] }).health, 'ok');
});
