// `npm run bench:embed`: how close remote embedding comes to the speed of the servers doing it.
// Stand-in GPU servers (embedStandIn.ts, a process of their own) speak the Ollama and OpenAI
// embedding APIs and work on SLOTS batches at once, each taking BATCH_MS whatever its size: their
// capacity is SLOTS × batch size / BATCH_MS texts a second each. Measured:
//   1. the embedder alone, with one and with two servers, per API: texts a second against capacity;
//   2. a cold index of a real corpus through the bundled daemon over JSON-RPC (as the CLI drives
//      it), embedding with the stand-in, against the same index with the built-in local embedder.
// Environment: FERRET_BENCH_SLOTS (default 2), FERRET_BENCH_BATCH_MS (80), FERRET_BENCH_DIMENSIONS
// (768), FERRET_BENCH_TEXTS (6400), FERRET_BENCH_CORPUS_MB (3).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DaemonClient } from '../../server/src/daemonClient/daemonClient.ts';
import { OllamaEmbedder } from '../../server/src/embed/ollamaEmbedder.ts';
import { OpenAIEmbedder } from '../../server/src/embed/openaiEmbedder.ts';
import { SETTINGS } from '../../server/src/shared/settingsSchema.ts';
import { listSources, REPO_ROOT } from './corpus.mjs';
import { fixed, table } from './stats.mjs';

const SLOTS = Number(process.env.FERRET_BENCH_SLOTS ?? 2);
const BATCH_MS = Number(process.env.FERRET_BENCH_BATCH_MS ?? 80);
const DIMENSIONS = Number(process.env.FERRET_BENCH_DIMENSIONS ?? 768);
const TEXTS = Number(process.env.FERRET_BENCH_TEXTS ?? 6400);
const CORPUS_BYTES = Number(process.env.FERRET_BENCH_CORPUS_MB ?? 3) * 1024 * 1024;
const BATCH = { ollama: 32, openai: 64 };
const ROOT = process.env.FERRET_BENCH_DIR ?? '/tmp/ferret-bench-embed';
const SERVER = join(REPO_ROOT, 'dist', 'server.js');
const STAND_IN = join(import.meta.dirname, 'embedStandIn.ts');
const DEFAULT_CONCURRENCY = SETTINGS.embedConcurrency.default;

const log = (text) => process.stderr.write(`${text}\n`);
/** Texts a second the stand-in servers can embed at most. */
const capacity = (api, servers) => (servers * SLOTS * BATCH[api] * 1000) / BATCH_MS;
const percent = (part, whole) => `${fixed((100 * part) / whole, 0)} %`;

/**
 * Starts `servers` stand-in servers speaking `api`: their URLs, their slot-milliseconds worked so
 * far (`busyMs`), and a way to stop them.
 */
async function standIn(api, servers, slots = SLOTS, ms = BATCH_MS) {
  const child = spawn(process.execPath, ['--import', 'tsx', STAND_IN, JSON.stringify({ api, servers, slots, ms, dimensions: DIMENSIONS })], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => (await lines.next()).value;
  const { urls } = JSON.parse(await nextLine());
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    urls,
    busyMs: async () => {
      child.stdin.write('busy\n');
      return Number(await nextLine());
    },
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** Chunk-like texts, all different, so no server or cache could answer two from one. */
function sampleTexts(count) {
  return Array.from({ length: count }, (_, i) => `export function handler${i}(request, response) {\n  // chunk ${i}\n${'  const value = compute(request.body, options);\n'.repeat(12)}}\n`);
}

function embedderFor(api, urls, concurrency) {
  const [first, ...more] = urls;
  return api === 'ollama'
    ? new OllamaEmbedder({ host: first, moreHosts: more, batchSize: BATCH.ollama, concurrency })
    : new OpenAIEmbedder({ baseUrl: first, moreBaseUrls: more, model: 'text-embedding-3-small', batchSize: BATCH.openai, concurrency });
}

/**
 * Texts a second through one embedder against `servers` fresh stand-in servers, after a warm-up;
 * `instant` servers answer at once, which measures the client's own ceiling on this machine.
 */
async function embedderThroughput(api, servers, concurrency, instant = false) {
  const slots = instant ? 1024 : SLOTS;
  const server = await standIn(api, servers, slots, instant ? 0 : BATCH_MS);
  try {
    const embedder = embedderFor(api, server.urls, concurrency);
    await embedder.ready();
    await embedder.embed(sampleTexts(BATCH[api] * concurrency));
    const texts = sampleTexts(TEXTS);
    const busyBefore = await server.busyMs();
    const cpu = process.cpuUsage();
    const started = performance.now();
    const vectors = await embedder.embed(texts);
    const ms = performance.now() - started;
    const { user, system } = process.cpuUsage(cpu);
    const busy = (await server.busyMs()) - busyBefore;
    if (vectors.length !== texts.length || vectors.some((vector) => vector.length !== DIMENSIONS)) throw new Error('vectors missing or of the wrong length');
    return { rate: (texts.length * 1000) / ms, cpuMsPerText: (user + system) / 1000 / texts.length, utilisation: busy / (ms * servers * slots) };
  } finally {
    await server.stop();
  }
}

/** The first files of the benchmark corpus up to CORPUS_BYTES, copied to `dest`. */
function smallCorpus(dest) {
  rmSync(dest, { recursive: true, force: true });
  let bytes = 0;
  const files = [];
  for (const file of listSources()) {
    if (bytes >= CORPUS_BYTES) break;
    const target = join(dest, file.path);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(file.source, target);
    bytes += file.size;
    files.push(file);
  }
  return { files: files.length, bytes };
}

/** A cold index of the corpus by a fresh daemon with `settings`: seconds and chunks. */
async function coldIndex(corpus, settings) {
  const indexDir = join(ROOT, 'index');
  rmSync(indexDir, { recursive: true, force: true });
  const client = await DaemonClient.start({
    workspace: corpus,
    serverPath: SERVER,
    settings: { indexDir, watch: false, autoIndex: false, ...settings },
    env: { ...process.env, LANCEDB_LOG: 'error' },
  });
  try {
    const started = performance.now();
    const result = await client.reindex({ full: true });
    const seconds = (performance.now() - started) / 1000;
    const chunks = result.summaries.reduce((sum, summary) => sum + summary.embeddedChunks, 0);
    return { seconds, chunks };
  } finally {
    await client.shutdown();
  }
}

async function main() {
  log(`Stand-in servers: ${SLOTS} batches at once, ${BATCH_MS} ms each, ${DIMENSIONS} dimensions; ${TEXTS} texts per run.`);
  // The client's CPU per text (reading the vectors' JSON, mostly) bounds what any server speed can give.
  log(`Load average at start: ${loadavg().map((load) => fixed(load, 1)).join(' ')} on ${cpus().length} cores.`);
  const rows = [];
  const ratios = [];
  for (const api of ['ollama', 'openai']) {
    const perSlot = 2;
    const runs = [
      { label: 'one at a time (before)', servers: 1, concurrency: 1 },
      { label: `default (${DEFAULT_CONCURRENCY} in flight)`, servers: 1, concurrency: DEFAULT_CONCURRENCY },
      { label: `${SLOTS * perSlot} in flight`, servers: 1, concurrency: SLOTS * perSlot },
      { label: `${2 * SLOTS * perSlot} in flight, 2 servers`, servers: 2, concurrency: 2 * SLOTS * perSlot },
    ];
    const measured = [];
    for (const run of runs) {
      log(`${api}: ${run.label} …`);
      const { rate, cpuMsPerText, utilisation } = await embedderThroughput(api, run.servers, run.concurrency);
      measured.push(rate);
      const cap = capacity(api, run.servers);
      rows.push([
        `${api} (batch ${BATCH[api]}), ${run.label}`,
        `${fixed(rate, 0)} texts/s = ${percent(rate, cap)} of ${fixed(cap, 0)}; servers busy ${percent(utilisation, 1)}; client CPU ${fixed(cpuMsPerText, 3)} ms/text`,
      ]);
    }
    ratios.push([`${api}: two servers ÷ one (both at 2 per slot)`, `${fixed(measured[3] / measured[2], 2)}×`]);
    log(`${api}: the client's ceiling …`);
    const ceiling = await embedderThroughput(api, 1, 2 * SLOTS * perSlot, true);
    rows.push([`${api}: client ceiling (a server that answers at once)`, `${fixed(ceiling.rate, 0)} texts/s; client CPU ${fixed(ceiling.cpuMsPerText, 3)} ms/text`]);
  }
  console.log(table('Embedder throughput against the stand-in servers’ capacity', [...rows, ...ratios]));

  const corpusDir = join(ROOT, 'corpus');
  const corpus = smallCorpus(corpusDir);
  log(`Cold index of ${corpus.files} files (${fixed(corpus.bytes / 1024 / 1024)} MiB) through the daemon …`);
  const indexRows = [];
  const local = await coldIndex(corpusDir, { embedder: 'local' });
  indexRows.push(['local embedder (no model)', `${fixed(local.seconds)} s, ${local.chunks} chunks, ${fixed(local.chunks / local.seconds, 0)} chunks/s`]);
  const daemonRuns = [
    { label: `1 server, ${DEFAULT_CONCURRENCY} in flight (default)`, servers: 1, concurrency: DEFAULT_CONCURRENCY },
    { label: `1 server, ${SLOTS * 2} in flight`, servers: 1, concurrency: SLOTS * 2 },
    { label: `2 servers, ${SLOTS * 4} in flight`, servers: 2, concurrency: SLOTS * 4 },
  ];
  for (const run of daemonRuns) {
    log(`daemon: ${run.label} …`);
    const server = await standIn('ollama', run.servers);
    try {
      const { seconds, chunks } = await coldIndex(corpusDir, { embedder: 'ollama', embedEndpoints: server.urls, embedConcurrency: run.concurrency });
      const utilisation = (await server.busyMs()) / (seconds * 1000 * run.servers * SLOTS);
      const cap = capacity('ollama', run.servers);
      indexRows.push([
        `stand-in Ollama, ${run.label}`,
        `${fixed(seconds)} s, ${fixed(chunks / seconds, 0)} chunks/s = ${percent(chunks / seconds, cap)} of the servers’ ${fixed(cap, 0)}; servers busy ${percent(utilisation, 1)}`,
      ]);
    } finally {
      await server.stop();
    }
  }
  console.log(table(`Cold index through the daemon (${corpus.files} files, ${fixed(corpus.bytes / 1024 / 1024)} MiB)`, indexRows));
}

await main();
