// `npm run bench:shared`: a fresh clone of a 5,000-file workspace, ready from a shared index on a
// loopback S3 server (s3rver) against ready from nothing, with an embedder of 500 chunks/s (the
// fake Ollama of test/support, holding each batch for batch size / 500 s); then the same from a
// shared index in a local folder, and s3rver's own ceiling (plain GETs of the same files). Prints
// figures only.
//   FERRET_BENCH_FILES=5000 FERRET_BENCH_RATE=500 npm run bench:shared
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as lancedb from '@lancedb/lancedb';
import { DaemonClient } from '../../server/src/daemonClient/daemonClient.ts';
import { FakeOllama } from '../support/fakeOllama.ts';
import { startS3Server } from '../support/s3Server.ts';
import { REPO_ROOT, listSources } from './corpus.mjs';
import { diskUsage, fixed, mib, peakRss, table } from './stats.mjs';

const ROOT = process.env.FERRET_BENCH_DIR ?? '/tmp/ferret-bench-shared';
const FILES = Number(process.env.FERRET_BENCH_FILES ?? 5000);
const RATE = Number(process.env.FERRET_BENCH_RATE ?? 500);
const DIMENSIONS = 768;
const SERVER = join(REPO_ROOT, 'dist', 'server.js');
const log = (text) => process.stderr.write(`${text}\n`);

/** Every n-th source file of node_modules, so the sample spans many packages. */
function buildWorkspace(dest) {
  rmSync(dest, { recursive: true, force: true });
  const all = listSources();
  const step = Math.max(1, Math.floor(all.length / FILES));
  const files = all.filter((_, i) => i % step === 0).slice(0, FILES);
  for (const file of files) {
    mkdirSync(dirname(join(dest, file.path)), { recursive: true });
    copyFileSync(file.source, join(dest, file.path));
  }
  return { files: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
}

/** Starts a one-shot daemon, indexes, and returns the time from start to a finished pass. */
async function timeToReady(workspace, settings, env) {
  const started = performance.now();
  const client = await DaemonClient.start({ workspace, serverPath: SERVER, settings: { embedder: 'ollama', watch: false, autoIndex: false, ...settings }, env });
  // The daemon logs the seeding's outcome the moment it ends: the rest of the pass follows.
  let seededAt;
  client.onLog(({ message }) => {
    if (/shared index/.test(message)) seededAt ??= performance.now() - started;
  });
  const { summaries } = await client.reindex({});
  const ms = performance.now() - started;
  const status = await client.status();
  return { client, ms, seededAt, summary: summaries[0], status, peak: peakRss(client.pid) };
}

/** Reads every column of the shared chunk table as seeding does, timing the transfer alone. */
async function rawRead(uri, storageOptions) {
  const db = await lancedb.connect(uri, { storageOptions });
  const current = await db.openTable('current');
  const [{ manifest }] = await current.query().toArray();
  const { snapshot } = JSON.parse(manifest);
  const table = await db.openTable(`chunks_${snapshot}`);
  const started = performance.now();
  let rows = 0;
  for await (const batch of table.query()) rows += batch.numRows;
  const ms = performance.now() - started;
  table.close();
  current.close();
  db.close();
  return { rows, ms, snapshot };
}

/** s3rver's own ceiling: every object of `dir` fetched with plain GETs (s3rver serves them unsigned), one at a time. */
async function plainGets(s3, dir) {
  const walk = (d) => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  const keys = walk(dir).filter((f) => f.endsWith('._S3rver_object')).map((f) => relative(join(s3.directory, s3.bucket), f).replace(/\._S3rver_object$/, ''));
  const started = performance.now();
  let bytes = 0;
  for (const key of keys) bytes += (await (await fetch(`${s3.endpoint}/${s3.bucket}/${key}`)).arrayBuffer()).byteLength;
  return { bytes, ms: performance.now() - started, largest: Math.max(...walk(dir).map((f) => statSync(f).size)) };
}

async function main() {
  rmSync(ROOT, { recursive: true, force: true });
  const publisher = join(ROOT, 'publisher');
  const clone = join(ROOT, 'clone');
  const corpus = buildWorkspace(publisher);
  cpSync(publisher, clone, { recursive: true });
  log(`workspace: ${corpus.files} files, ${fixed(mib(corpus.bytes))} MiB`);

  const s3 = await startS3Server();
  const ollama = await FakeOllama.start({ dimensions: DIMENSIONS });
  // Each batch waits as long as an embedder of RATE chunks/s would take for it.
  ollama.always('/api/embed', {
    kind: 'ok',
    get gate() {
      // Read when the request has arrived and before it is answered: the latest request is this one.
      const input = ollama.requestsTo('/api/embed').at(-1)?.body?.input;
      const size = Array.isArray(input) ? input.length : 1;
      return new Promise((resolve) => setTimeout(resolve, (1000 * size) / RATE));
    },
  });
  // This process reads the shared rows too (rawRead): it needs the same standard environment.
  Object.assign(process.env, s3.env);
  const env = { ...process.env, LANCEDB_LOG: 'error' };
  const location = `s3://${s3.bucket}/bench`;
  try {
    log('building from nothing (publisher)...');
    const built = await timeToReady(publisher, { indexDir: join(ROOT, 'index-publisher'), ollamaHost: ollama.url }, env);
    const publishStarted = performance.now();
    const [published] = (await built.client.publish({ location })).published;
    const publishMs = performance.now() - publishStarted;
    const folderLocation = join(ROOT, 'shared-folder');
    await built.client.publish({ location: folderLocation });
    await built.client.shutdown();

    const read = await rawRead(location, { allow_http: 'true' });
    const chunkDir = join(s3.directory, s3.bucket, 'bench', `chunks_${read.snapshot}.lance`);
    const sharedBytes = diskUsage(chunkDir);
    const gets = await plainGets(s3, chunkDir);

    log('fresh clone from the shared index...');
    const seeded = await timeToReady(clone, { indexDir: join(ROOT, 'index-clone'), ollamaHost: ollama.url, sharedIndex: location }, env);
    await seeded.client.shutdown();

    log('fresh clone from the shared index in a local folder...');
    rmSync(clone, { recursive: true, force: true });
    cpSync(publisher, clone, { recursive: true });
    const fromFolder = await timeToReady(clone, { indexDir: join(ROOT, 'index-clone-folder'), ollamaHost: ollama.url, sharedIndex: folderLocation }, env);
    await fromFolder.client.shutdown();

    console.log(table('Shared index (issue 14, part 2)', [
      ['workspace', `${corpus.files} files, ${built.summary.chunks} chunks, ${fixed(mib(corpus.bytes))} MiB of source`],
      ['embedder', `fake Ollama, ${RATE} chunks/s, ${DIMENSIONS} dimensions`],
      ['ready from nothing', `${fixed(built.ms / 1000)} s (${built.summary.embeddedChunks} chunks embedded; daemon peak RSS ${fixed(mib(built.peak))} MiB)`],
      ['publish to loopback S3', `${fixed(publishMs / 1000)} s, ${published.chunks} chunks, ${fixed(mib(sharedBytes))} MiB of rows`],
      ['ready from shared index', `${fixed(seeded.ms / 1000)} s (${seeded.summary.seededFiles} files / ${seeded.summary.seededChunks} chunks copied, ${seeded.summary.embeddedChunks} embedded)`],
      ['  of which seeding', `${fixed(seeded.seededAt / 1000)} s from daemon start to the last row copied; daemon peak RSS ${fixed(mib(seeded.peak))} MiB`],
      ['speed-up', `${fixed(built.ms / seeded.ms)}× (target ≥ 10×)`],
      ['ready from a folder', `${fixed(fromFolder.ms / 1000)} s (${fixed(fromFolder.seededAt / 1000)} s seeding), ${fixed(built.ms / fromFolder.ms)}× faster than from nothing`],
      ['raw read of the shared rows', `${fixed(mib(sharedBytes) / (read.ms / 1000))} MiB/s (${read.rows} rows in ${fixed(read.ms / 1000, 2)} s; target ≥ 50 MB/s)`],
      ['s3rver plain GETs', `${fixed(mib(gets.bytes) / (gets.ms / 1000))} MiB/s (the same files, one at a time; largest ${fixed(mib(gets.largest))} MiB): its ceiling`],
      ['shared rows / time to ready', `${fixed(mib(sharedBytes) / (seeded.ms / 1000))} MiB/s end to end`],
      ['status', seeded.status.folders[0]?.sharedIndex ?? 'no sentence'],
    ]));
  } finally {
    await ollama.close();
    await s3.close();
  }
}

await main();
