/**
 * The shared index end to end: real daemons publish to and seed from a real S3-compatible server
 * (s3rver) on loopback, through LanceDB's object-store support.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FerretSettings, IndexSummary, PublishResult, ReindexResult, SearchResult, StatusReport } from '../../server/src/shared/protocol';
import { startDaemon, type Daemon } from '../support/daemonHarness';
import { FakeOllama, refusedUrl } from '../support/fakeOllama';
import { startHoldingProxy } from '../support/holdingProxy';
import { readIndexRows, readIndexVectors, readVocabulary } from '../support/indexContents';
import { S3_KEY_ID, S3_SECRET, startS3Server, type S3Server } from '../support/s3Server';
import { copyWorkspace } from '../support/workspaceCopy';

const ONE_SHOT = { embedder: 'local', watch: false, autoIndex: false } as const;

let s3: S3Server;
before(async () => {
  s3 = await startS3Server();
});
after(() => s3.close());

/** Indexes a fresh copy of the fixture workspace and publishes it to `location`; returns its (clean, local) index dir. */
async function publishFixture(location: string, env: NodeJS.ProcessEnv, settings: Partial<FerretSettings> = {}): Promise<{ workspace: string; indexDir: string; published: PublishResult }> {
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], { ...ONE_SHOT, indexDir, ...settings }, env);
  try {
    await daemon.connection.sendRequest('ferret/reindex', {});
    const published = await daemon.connection.sendRequest<PublishResult>('ferret/publish', { location });
    return { workspace, indexDir, published };
  } finally {
    await daemon.stop();
  }
}

/** A fresh clone of the fixture whose daemon starts from the shared index; returns its first summary and status. */
async function seedFixture(settings: Partial<FerretSettings>, env: NodeJS.ProcessEnv): Promise<{ workspace: string; indexDir: string; daemon: Daemon; summary: IndexSummary; status: StatusReport }> {
  const { workspace, indexDir } = copyWorkspace();
  const daemon = await startDaemon([workspace], { ...ONE_SHOT, indexDir, ...settings }, env);
  const result = await daemon.connection.sendRequest<ReindexResult>('ferret/reindex', {});
  const status = await daemon.connection.sendRequest<StatusReport>('ferret/status');
  return { workspace, indexDir, daemon, summary: result.summaries[0]!, status };
}

function assertNoCredentials(daemon: Daemon, status: StatusReport, ...secrets: string[]): void {
  const seen = `${daemon.logs.join('')}\n${JSON.stringify(status)}`;
  for (const secret of secrets) assert.ok(!seen.includes(secret), `a credential appeared in the logs or status:\n${seen.slice(0, 3000)}`);
}

test('a clone seeded from a published index equals a clean local build, and indexes later edits itself', async () => {
  const location = `s3://${s3.bucket}/team`;
  const clean = await publishFixture(location, s3.env);
  assert.equal(clean.published.published[0]!.files, 10);

  const seeded = await seedFixture({ sharedIndex: location }, s3.env);
  try {
    assert.equal(seeded.summary.seededFiles, 10);
    assert.equal(seeded.summary.seededChunks, seeded.summary.chunks);
    assert.equal(seeded.summary.indexedFiles, 0, 'nothing was parsed or embedded');
    assert.equal(seeded.summary.embeddedChunks, 0);
    assert.match(seeded.status.folders[0]!.sharedIndex ?? '', /^Seeded 10 of 10 files \(\d+ chunks\) from the shared index at s3:\/\/ferret-shared\/team; the rest is indexed locally\.$/);
    assertNoCredentials(seeded.daemon, seeded.status, S3_SECRET, S3_KEY_ID);
  } finally {
    await seeded.daemon.stop();
  }
  assert.deepEqual(await readIndexRows(seeded.indexDir), await readIndexRows(clean.indexDir));
  assert.deepEqual(await readIndexVectors(seeded.indexDir), await readIndexVectors(clean.indexDir));
  assert.deepEqual(readVocabulary(seeded.indexDir), readVocabulary(clean.indexDir), 'the vocabulary counts the copied rows as a local build does');

  appendFileSync(join(seeded.workspace, 'src/auth/passwords.ts'), '\nexport function rotateSharedPepper(): string {\n  return "pepper";\n}\n');
  const again = await startDaemon([seeded.workspace], { ...ONE_SHOT, indexDir: seeded.indexDir, sharedIndex: location }, s3.env);
  try {
    const { summaries } = await again.connection.sendRequest<ReindexResult>('ferret/reindex', {});
    assert.equal(summaries[0]!.indexedFiles, 1, 'the edited file is indexed locally');
    assert.equal(summaries[0]!.seededFiles, 0, 'an index that has rows is not seeded again');
    const found = await again.connection.sendRequest<SearchResult>('ferret/search', { query: 'rotateSharedPepper' });
    assert.equal(found.results[0]?.path, 'src/auth/passwords.ts');
  } finally {
    await again.stop();
  }
});

test('a clone whose files partly differ from the published ones equals a clean local build of its own files', async () => {
  const location = `s3://${s3.bucket}/partial`;
  await publishFixture(location, s3.env);
  const { workspace, indexDir } = copyWorkspace();
  appendFileSync(join(workspace, 'src/auth/passwords.ts'), '\n/** Rotates the pepper mixed into every stored hash. */\nexport function rotatePepper(): string {\n  return "pepper";\n}\n');
  const seeded = await startDaemon([workspace], { ...ONE_SHOT, indexDir, sharedIndex: location }, s3.env);
  try {
    const { summaries } = await seeded.connection.sendRequest<ReindexResult>('ferret/reindex', {});
    assert.equal(summaries[0]!.seededFiles, 9, 'every file but the edited one is copied');
    assert.equal(summaries[0]!.indexedFiles, 1);
  } finally {
    await seeded.stop();
  }
  const cleanDir = join(indexDir, '..', 'clean-index');
  const clean = await startDaemon([workspace], { ...ONE_SHOT, indexDir: cleanDir }, s3.env);
  try {
    await clean.connection.sendRequest('ferret/reindex', {});
  } finally {
    await clean.stop();
  }
  assert.deepEqual(await readIndexRows(indexDir), await readIndexRows(cleanDir));
  assert.deepEqual(readVocabulary(indexDir), readVocabulary(cleanDir), 'the vocabulary counts the copied rows and the local ones, not the published vocabulary');
});

test('a publish killed midway leaves the previous index readable', async () => {
  const proxy = await startHoldingProxy(s3.endpoint);
  after(() => proxy.close());
  const env = { ...s3.env, AWS_ENDPOINT_URL: proxy.url };
  const location = `s3://${s3.bucket}/killed`;
  const first = await publishFixture(location, env);

  const { workspace, indexDir } = copyWorkspace();
  writeFileSync(join(workspace, 'src/newcomer.ts'), 'export function onlyInTheSecondPublish(): number {\n  return 2;\n}\n');
  const daemon = await startDaemon([workspace], { ...ONE_SHOT, indexDir }, env);
  await daemon.connection.sendRequest('ferret/reindex', {});
  // The chunk rows of the new snapshot are written; its file table, and so the switch, never will be.
  const writing = proxy.hold(/^PUT \/ferret-shared\/killed\/files_/);
  void daemon.connection.sendRequest('ferret/publish', { location }).catch(() => undefined);
  await writing;
  daemon.child.kill('SIGKILL');
  await daemon.stop();

  const seeded = await seedFixture({ sharedIndex: location }, { ...s3.env });
  try {
    assert.equal(seeded.summary.seededFiles, 10, 'every file of the previous publish is copied');
    assert.match(seeded.status.folders[0]!.sharedIndex ?? '', /^Seeded 10 of 10 files/);
  } finally {
    await seeded.daemon.stop();
  }
  assert.deepEqual(await readIndexRows(seeded.indexDir), await readIndexRows(first.indexDir));
});

test('an index built by another embedder is not used: one sentence, and the local build goes on', async () => {
  const ollama = await FakeOllama.start({ dimensions: 8 });
  after(() => ollama.close());
  const location = `s3://${s3.bucket}/other-embedder`;
  await publishFixture(location, s3.env);
  const seeded = await seedFixture({ sharedIndex: location, embedder: 'ollama', ollamaHost: ollama.url }, s3.env);
  try {
    assert.equal(seeded.summary.seededFiles, 0);
    assert.equal(seeded.summary.indexedFiles, 10);
    assert.match(
      seeded.status.folders[0]!.sharedIndex ?? '',
      /^The shared index at s3:\/\/ferret-shared\/other-embedder was not used: it was built with the embedder local:\S+ \(256 dimensions\) and this daemon uses ollama:\S+ \(8\); the workspace is indexed locally\.$/,
    );
    assert.equal(seeded.status.folders[0]!.error, undefined);
  } finally {
    await seeded.daemon.stop();
  }
});

test('a corrupt shared index is answered by one sentence, and the local build equals a clean one', async () => {
  const location = `s3://${s3.bucket}/corrupt`;
  const clean = await publishFixture(location, s3.env);
  const prefix = join(s3.directory, s3.bucket, 'corrupt');
  for (const table of readdirSync(prefix).filter((name) => name.startsWith('chunks_'))) {
    const data = join(prefix, table, 'data');
    for (const file of readdirSync(data).filter((name) => name.endsWith('._S3rver_object'))) writeFileSync(join(data, file), 'not a lance file at all');
  }
  const seeded = await seedFixture({ sharedIndex: location }, s3.env);
  try {
    assert.equal(seeded.summary.seededFiles, 0);
    assert.equal(seeded.summary.indexedFiles, 10);
    assert.match(seeded.status.folders[0]!.sharedIndex ?? '', /^The shared index at s3:\/\/ferret-shared\/corrupt was not used: it could not be read \(.+\); the workspace is indexed locally\.$/);
    assert.equal(seeded.status.ready, true);
  } finally {
    await seeded.daemon.stop();
  }
  assert.deepEqual(await readIndexRows(seeded.indexDir), await readIndexRows(clean.indexDir));
});

test('a shared index whose tables are missing (half-written) is answered by one sentence and a local build', async () => {
  const location = `s3://${s3.bucket}/half`;
  await publishFixture(location, s3.env);
  const prefix = join(s3.directory, s3.bucket, 'half');
  for (const table of readdirSync(prefix).filter((name) => name.startsWith('chunks_'))) rmSync(join(prefix, table), { recursive: true });
  const seeded = await seedFixture({ sharedIndex: location }, s3.env);
  try {
    assert.equal(seeded.summary.indexedFiles, 10);
    assert.match(seeded.status.folders[0]!.sharedIndex ?? '', /^The shared index at s3:\/\/ferret-shared\/half was not used: it could not be read \(Table 'chunks_\S+' was not found/);
  } finally {
    await seeded.daemon.stop();
  }
});

test('an unreachable shared index is answered by one sentence and a local build, without hanging', async () => {
  const seeded = await seedFixture({ sharedIndex: `s3://${s3.bucket}/team`, sharedIndexOptions: ['connect_timeout=1s', 'client_max_retries=0'] }, { ...s3.env, AWS_ENDPOINT_URL: await refusedUrl() });
  try {
    assert.equal(seeded.summary.indexedFiles, 10);
    assert.match(seeded.status.folders[0]!.sharedIndex ?? '', /^The shared index at s3:\/\/ferret-shared\/team was not used: it could not be read \(.+\); the workspace is indexed locally\.$/);
    assertNoCredentials(seeded.daemon, seeded.status, S3_SECRET);
  } finally {
    await seeded.daemon.stop();
  }
});

test('credentials given in settings reach the store and never the logs or status, even when refused', async () => {
  const location = `s3://${s3.bucket}/settings`;
  await publishFixture(location, s3.env);
  // The test process has no AWS_* variables, so the daemon has only its settings to go by.
  const noEnv = {};
  const options = [`endpoint=${s3.endpoint}`, 'region=us-east-1', `aws_access_key_id=${S3_KEY_ID}`];
  const good = await seedFixture({ sharedIndex: location, sharedIndexOptions: [...options, `aws_secret_access_key=${S3_SECRET}`] }, noEnv);
  try {
    assert.equal(good.summary.seededFiles, 10);
    assertNoCredentials(good.daemon, good.status, S3_SECRET);
  } finally {
    await good.daemon.stop();
  }
  // s3rver checks the key id, not SigV4 signatures: an unknown key id is what it refuses.
  const wrongKeyId = 'UNKNOWNKEYID4E1B7D';
  const wrongSecret = 'not-the-secret-4e1b7d';
  const wrong = [`endpoint=${s3.endpoint}`, 'region=us-east-1', `aws_access_key_id=${wrongKeyId}`, `aws_secret_access_key=${wrongSecret}`, 'client_max_retries=0'];
  const refused = await seedFixture({ sharedIndex: location, sharedIndexOptions: wrong }, noEnv);
  try {
    assert.equal(refused.summary.indexedFiles, 10);
    assert.match(refused.status.folders[0]!.sharedIndex ?? '', /could not be read/);
    assertNoCredentials(refused.daemon, refused.status, wrongKeyId, wrongSecret, S3_SECRET);
  } finally {
    await refused.daemon.stop();
  }
});

test('a shared index that accepts requests and never answers is given up on with one sentence, and the local build goes on', async () => {
  const location = `s3://${s3.bucket}/silent`;
  await publishFixture(location, s3.env);
  const proxy = await startHoldingProxy(s3.endpoint);
  after(() => proxy.close());
  const silent = proxy.hold(/^(GET|HEAD) /);
  const seeded = await seedFixture({ sharedIndex: location, sharedIndexOptions: ['timeout=1s', 'client_max_retries=0'] }, { ...s3.env, AWS_ENDPOINT_URL: proxy.url });
  try {
    await silent;
    assert.equal(seeded.summary.indexedFiles, 10);
    assert.match(seeded.status.folders[0]!.sharedIndex ?? '', /^The shared index at s3:\/\/ferret-shared\/silent was not used: it could not be read \(.+\); the workspace is indexed locally\.$/);
  } finally {
    await seeded.daemon.stop();
  }
});
