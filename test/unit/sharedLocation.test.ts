import assert from 'node:assert/strict';
import { test } from 'node:test';
import { folderLocation, labelOf, sharedLocation } from '../../server/src/share/sharedLocation';
import { remoteReason, RemoteTimeout, withTimeout } from '../../server/src/share/remoteCall';
import { incompatibility, manifestFor, parseManifest } from '../../server/src/share/sharedManifest';

const CWD = '/work/project';

test('an S3 URI bounds every request and allows plain HTTP only for an http:// endpoint', () => {
  const aws = sharedLocation('s3://bucket/team/', [], {}, CWD);
  assert.equal(aws.uri, 's3://bucket/team');
  assert.equal(aws.storageOptions.allow_http, undefined);
  assert.equal(aws.storageOptions.client_max_retries, '2');
  const minio = sharedLocation('s3://bucket/team', [], { AWS_ENDPOINT_URL: 'http://minio.lan:9000' }, CWD);
  assert.equal(minio.storageOptions.allow_http, 'true');
  const fromSettings = sharedLocation('s3://bucket/team', ['endpoint=http://127.0.0.1:9000', 'timeout=5s', 'Region = eu-west-1'], {}, CWD);
  assert.deepEqual(
    { allow: fromSettings.storageOptions.allow_http, timeout: fromSettings.storageOptions.timeout, region: fromSettings.storageOptions.region },
    { allow: 'true', timeout: '5s', region: 'eu-west-1' },
  );
});

test('folders resolve against the working folder and get no network options', () => {
  assert.deepEqual(sharedLocation('shared/index', [], {}, CWD), { uri: '/work/project/shared/index', label: '/work/project/shared/index', storageOptions: {} });
  assert.equal(sharedLocation('file:///srv/ferret', [], {}, CWD).uri, '/srv/ferret');
});

test('bad locations and options are one sentence that never repeats an option value', () => {
  assert.throws(() => sharedLocation('https://example.com/x', [], {}, CWD), /^Error: The shared index location https:\/\/example\.com\/x is not supported; use s3:\/\/, gs:\/\/, az:\/\/ or a folder\.$/);
  assert.throws(() => sharedLocation('  ', [], {}, CWD), /is empty/);
  assert.throws(
    () => sharedLocation('s3://b/p', ['aws_secret_access_key'], {}, CWD),
    (error: unknown) => error instanceof Error && /key=value/.test(error.message) && !error.message.includes('secret_access'),
  );
});

test('labels drop user info and query strings, where credentials could sit', () => {
  assert.equal(labelOf('az://user:pa55@container/prefix?sv=2024&sig=abc'), 'az://container/prefix');
  const multi = folderLocation(sharedLocation('s3://b/team', [], {}, CWD), 'my app', 2);
  assert.equal(multi.uri, 's3://b/team/my%20app');
  assert.equal(folderLocation(sharedLocation('s3://b/team', [], {}, CWD), 'app', 1).uri, 's3://b/team');
});

test('remote errors keep their first and last cause, without source locations or credential values', () => {
  const env = { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE1' };
  const location = sharedLocation('s3://b/p', ['aws_secret_access_key=TOPSECRETVALUE'], env, CWD);
  const error = new Error(
    "lance error: request failed for AKIDEXAMPLE1 with TOPSECRETVALUE, /usr/local/cargo/registry/src/x.rs:1:2  Caused by: middle  Caused by: Connection refused (os error 111)",
  );
  assert.equal(remoteReason(error, location, env), 'lance error: request failed for *** with *** (Connection refused (os error 111))');
});

test('a call that outlives its bound is rejected with a sentence', async () => {
  const never = new Promise<never>(() => undefined);
  await assert.rejects(withTimeout(never, 20, 'the shared index'), (error: unknown) => error instanceof RemoteTimeout && error.message === 'the shared index did not answer within 0 s');
});

test('a manifest is used only with the same embedder, dimensions, schema and chunker', () => {
  const manifest = parseManifest(JSON.stringify(manifestFor({ id: 'ollama:nomic', dimensions: 768 }, { snapshot: 's1', files: 3, chunks: 9 })));
  assert.equal(incompatibility(manifest, { id: 'ollama:nomic', dimensions: 768 }), undefined);
  assert.match(incompatibility(manifest, { id: 'local:hash-v2:384', dimensions: 384 }) ?? '', /^it was built with the embedder ollama:nomic \(768 dimensions\) and this daemon uses local:hash-v2:384 \(384\)$/);
  assert.match(incompatibility({ ...manifest, chunkerVersion: manifest.chunkerVersion + 1 }, { id: 'ollama:nomic', dimensions: 768 }) ?? '', /chunker version/);
  assert.throws(() => parseManifest('{"format":1}'), /not in the expected format/);
  assert.throws(() => parseManifest('not json'), /not valid JSON/);
});
