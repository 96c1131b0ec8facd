// `npm run bench`: indexing throughput, re-index time, search latency, index size, daemon
// memory and save-to-searchable latency on a real corpus (this project's node_modules sources),
// driving the bundled daemon over JSON-RPC exactly as the CLI does.
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DaemonClient } from '../../server/src/daemonClient/daemonClient.ts';
import { LocalEmbedder } from '../../server/src/embed/localEmbedder.ts';
import { folderSlug } from '../../server/src/config/settings.ts';
import { catalogPath, readIndexMeta } from '../../server/src/index/indexMeta.ts';
import { buildCorpus, REPO_ROOT } from './corpus.mjs';
import { diskUsage, fixed, mib, peakRss, percentile, sample, seededRandom, table } from './stats.mjs';

const ROOT = process.env.FERRET_BENCH_DIR ?? '/tmp/ferret-bench';
const CORPUS = join(ROOT, 'corpus');
const INDEX = join(ROOT, 'index');
const SERVER = join(REPO_ROOT, 'dist', 'server.js');
const QUERIES = 200;
const PROBES = 20;
const PROBE_TIMEOUT_MS = 20_000;
const EMBED_SAMPLE_BYTES = 8_000_000;
const EMBED_PIECE_CHARS = 1500;

const log = (text) => process.stderr.write(`${text}\n`);
const seconds = (ms) => ms / 1000;

function startDaemon(settings) {
  return DaemonClient.start({
    workspace: CORPUS,
    serverPath: SERVER,
    settings: { indexDir: INDEX, embedder: 'local', ...settings },
    env: { ...process.env, LANCEDB_LOG: 'error' },
  });
}

/** Half raw identifiers (`parseConfigFile`), half their words as a phrase (`parse config file`). */
function deriveQueries(files) {
  const identifiers = new Set();
  for (const file of files) {
    for (const match of readFileSync(join(CORPUS, file.path), 'utf8').matchAll(/\b(?:function|class|const|let)\s+([A-Za-z][A-Za-z0-9]{5,40})\b/g)) {
      identifiers.add(match[1]);
    }
  }
  const sorted = [...identifiers].sort();
  const random = seededRandom(42);
  const words = (id) => id.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  const phrases = sorted.filter((id) => words(id).includes(' '));
  return [...sample(sorted, QUERIES / 2, random), ...sample(phrases, QUERIES / 2, random).map(words)];
}

/**
 * The built-in embedder alone, in this process on one core: chunk-sized pieces of the corpus in
 * corpus order, as indexing hands them over (the cold-index figures include chunking and storage too).
 */
function localEmbedderThroughput(files) {
  const embedder = new LocalEmbedder();
  const pieces = [];
  let bytes = 0;
  for (const file of files) {
    const text = readFileSync(join(CORPUS, file.path), 'utf8');
    for (let i = 0; i < text.length && bytes < EMBED_SAMPLE_BYTES; i += EMBED_PIECE_CHARS) {
      const piece = text.slice(i, i + EMBED_PIECE_CHARS);
      pieces.push(piece);
      bytes += Buffer.byteLength(piece);
    }
    if (bytes >= EMBED_SAMPLE_BYTES) break;
  }
  for (const piece of pieces.slice(0, 200)) embedder.embedOne(piece);
  const started = performance.now();
  for (const piece of pieces) embedder.embedOne(piece);
  return { pieces: pieces.length, bytes, seconds: seconds(performance.now() - started) };
}

async function timeIt(action) {
  const started = performance.now();
  const value = await action();
  return { value, ms: performance.now() - started };
}

/** Resolves with the first status (pushed, or asked for once) where nothing is queued and every folder is ready. */
async function quiescent(client) {
  const settled = (status) => status.quiescent && status.folders.every((folder) => folder.state === 'ready');
  let off = () => {};
  const pushed = new Promise((resolve) => {
    off = client.onStatus((status) => settled(status) && resolve(status));
  });
  try {
    // Asked after subscribing, so a state that already holds is not missed.
    const now = await client.status();
    return settled(now) ? now : await pushed;
  } finally {
    off();
  }
}

async function saveToSearchable(files) {
  const client = await startDaemon({});
  try {
    await quiescent(client);
    const random = seededRandom(7);
    // Only files the index holds: a probe in a file left out (minified, secret) can never be found.
    const folderDir = join(INDEX, folderSlug(CORPUS));
    const meta = await readIndexMeta(folderDir);
    const indexed = new Set(meta.kind === 'ok' ? Object.keys(JSON.parse(readFileSync(catalogPath(folderDir, meta.meta), 'utf8')).files) : []);
    const targets = sample(files.filter((file) => indexed.has(file.path) && file.size > 2_000 && file.size < 50_000), PROBES, random);
    const latencies = [];
    const outranked = [];
    const lost = [];
    for (const [n, file] of targets.entries()) {
      const token = `ferretProbe${n}xyz`;
      appendFileSync(join(CORPUS, file.path), `\nconst ${token} = 1;\n`);
      const started = performance.now();
      let found = false;
      while (!found && performance.now() - started < PROBE_TIMEOUT_MS) {
        const result = await client.search({ query: token, k: 10 });
        found = result.results.some((hit) => hit.path === file.path);
      }
      if (found) {
        latencies.push({ ms: performance.now() - started, probe: n });
        continue;
      }
      // Tell a slow or lost update from a ranking miss: is the token in the file's rows at all?
      const filtered = await client.search({ query: token, k: 10, paths: [file.path] });
      if (filtered.results.length > 0) outranked.push(file.path);
      else lost.push(file.path);
    }
    return { latencies, outranked, lost };
  } finally {
    await client.shutdown();
  }
}

async function main() {
  mkdirSync(ROOT, { recursive: true });
  rmSync(INDEX, { recursive: true, force: true });
  log(`Copying the corpus to ${CORPUS} …`);
  const corpus = buildCorpus(CORPUS);
  const queries = deriveQueries(corpus.files);
  log(`${corpus.files.length} files, ${fixed(mib(corpus.bytes))} MiB. Cold index …`);

  const client = await startDaemon({ watch: false, autoIndex: false });
  let cold, warm, latencies, rss, chunks;
  try {
    cold = await timeIt(() => client.reindex({}));
    warm = await timeIt(() => client.reindex({}));
    log(`Searching ${queries.length} queries …`);
    for (const query of queries.slice(0, 5)) await client.search({ query, k: 10 });
    latencies = [];
    for (const query of queries) latencies.push((await timeIt(() => client.search({ query, k: 10 }))).ms);
    rss = peakRss(client.pid);
    chunks = cold.value.summaries.reduce((sum, s) => sum + s.chunks, 0);
  } finally {
    await client.shutdown();
  }
  const summary = cold.value.summaries[0];
  const coldSeconds = seconds(cold.ms);
  const indexBytes = diskUsage(INDEX);

  const skipped = Object.entries(summary.skipped).map(([reason, n]) => `${reason} ${n}`).join(', ') || 'none';
  const rows = [
    ['corpus', `${corpus.files.length} files, ${fixed(mib(corpus.bytes))} MiB (node_modules sources)`],
    ['indexed', `${summary.files} files, ${chunks} chunks; skipped: ${skipped}`],
    ['cold index', `${fixed(coldSeconds)} s`],
    ['  files/s', fixed(summary.indexedFiles / coldSeconds, 0)],
    ['  chunks/s', fixed(summary.embeddedChunks / coldSeconds, 0)],
    ['  MB/s', fixed(mib(summary.bytes) / coldSeconds, 2)],
    ['re-index, nothing changed', `${fixed(warm.ms, 0)} ms`],
    [`search latency (${latencies.length} queries)`, `p50 ${fixed(percentile(latencies, 50))} ms, p95 ${fixed(percentile(latencies, 95))} ms`],
    ['index size on disk', `${fixed(mib(indexBytes))} MiB`],
    ['daemon peak RSS (VmHWM)', `${fixed(mib(rss))} MiB`],
  ];

  log('Local embedder alone …');
  const embedding = localEmbedderThroughput(corpus.files);
  rows.push([
    `local embedder alone (1 core, ${fixed(mib(embedding.bytes))} MiB)`,
    `${fixed(mib(embedding.bytes) / embedding.seconds, 1)} MiB/s, ${fixed(embedding.pieces / embedding.seconds, 0)} chunks/s`,
  ]);

  const notes = [];
  log(`Save-to-searchable, ${PROBES} probes …`);
  try {
    const probes = await saveToSearchable(corpus.files);
    const ms = probes.latencies.map((probe) => probe.ms);
    const slowest = probes.latencies.reduce((a, b) => (b.ms > a.ms ? b : a), { ms: -Infinity, probe: -1 });
    rows.push([
      `save-to-searchable (${PROBES} probes)`,
      `p50 ${fixed(percentile(ms, 50), 0)} ms, p95 ${fixed(percentile(ms, 95), 0)} ms, max ${fixed(slowest.ms, 0)} ms (probe ${slowest.probe + 1})` +
        (probes.lost.length ? `; ${probes.lost.length} not indexed after ${PROBE_TIMEOUT_MS / 1000} s` : ''),
    ]);
    if (probes.outranked.length > 0) {
      rows.push(['  indexed, not in top 10', `${probes.outranked.length} (listed below)`]);
      notes.push(`Probes indexed but outranked by other files: ${probes.outranked.join(', ')}`);
    }
  } catch (error) {
    rows.push(['save-to-searchable', `failed: ${error instanceof Error ? error.message : String(error)}`]);
    process.exitCode = 1;
  }
  console.log([table('Ferret benchmark (embedder: local)', rows), ...notes].join('\n'));
}

main().catch((error) => {
  console.error(`Benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
