// `ferret serve --stdio --metrics-port`: the bundled CLI runs the daemon; the test drives it over
// JSON-RPC like any client and scrapes its Prometheus endpoint like a scraper would. Needs
// `npm run build` first.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DaemonClient } from '../../server/src/daemonClient/daemonClient';
import type { FerretSettings } from '../../server/src/shared/protocol';
import { FakeOllama } from '../support/fakeOllama';
import { checkHistograms, parsePrometheusText, sampleSum, sampleValue, type MetricFamily } from '../support/prometheusText';
import { copyWorkspace } from '../support/workspaceCopy';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
const MODELS = ['nomic-embed-text', 'qwen2.5-coder:7b'];

interface MetricsDaemon {
  client: DaemonClient;
  workspace: string;
  port: number;
  stderr: string[];
}

/** Starts `ferret serve --stdio --metrics-port <port>` on a copy of the fixture workspace. */
async function metricsDaemon(settings: Partial<FerretSettings> = {}, port = 0): Promise<MetricsDaemon> {
  const { workspace, indexDir } = copyWorkspace();
  const stderr: string[] = [];
  const lineWaiters: Array<(line: string) => void> = [];
  const announced = new Promise<string>((resolve) => lineWaiters.push(resolve));
  const client = await DaemonClient.start({
    workspace,
    serverPath: CLI,
    serverArgs: ['serve', '--stdio', '--metrics-port', String(port)],
    settings: { indexDir, embedder: 'local', watch: false, autoIndex: false, ...settings },
    env: { ...process.env, LANCEDB_LOG: 'error', OLLAMA_HOST: 'http://127.0.0.1:9' },
    onStderrLine: (line) => {
      stderr.push(line);
      if (/metrics/i.test(line)) lineWaiters.splice(0).forEach((resolve) => resolve(line));
    },
  });
  after(() => client.shutdown());
  const line = await announced;
  const bound = /Serving metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(line);
  return { client, workspace, port: bound ? Number(bound[1]) : -1, stderr };
}

interface Reply {
  status: number;
  type: string;
  body: string;
}

/** One HTTP request to the endpoint, with the Host header a scraper would send unless told otherwise. */
function get(port: number, path: string, options: { method?: string; host?: string; address?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: options.address ?? '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.host ? { Host: options.host } : {} }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function scrape(port: number): Promise<Map<string, MetricFamily>> {
  const reply = await get(port, '/metrics');
  assert.equal(reply.status, 200);
  assert.match(reply.type, /^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusText(reply.body);
  for (const family of families.values()) {
    assert.ok(family.help && family.type, `${family.name} has HELP and TYPE`);
  }
  checkHistograms(families);
  return families;
}

/** Whether a TCP connection to address:port is refused (nothing listens there for that address). */
function refused(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

test('metrics follow indexing and searches, and readiness turns on once the index is complete', async () => {
  const { client, workspace, port } = await metricsDaemon();
  assert.ok(port > 0, 'port 0 picks a free port and the daemon says which');

  assert.deepEqual(await get(port, '/healthz'), { status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' });
  const unready = await get(port, '/readyz');
  assert.equal(unready.status, 503);
  assert.match(unready.body, /has no complete index yet/);
  assert.equal(sampleValue(await scrape(port), 'ferret_ready'), 0);

  const { summaries } = await client.reindex({});
  const status = await client.status();
  assert.equal(status.ready, true, status.notReadyReason);
  assert.deepEqual(await get(port, '/readyz'), { status: 200, type: 'text/plain; charset=utf-8', body: 'ready\n' });

  const indexed = await scrape(port);
  const folder = { folder: workspace };
  assert.equal(sampleValue(indexed, 'ferret_ready'), 1);
  assert.equal(sampleValue(indexed, 'ferret_index_files', folder), status.folders[0]!.files);
  assert.equal(sampleValue(indexed, 'ferret_index_chunks', folder), status.folders[0]!.chunks);
  assert.ok(status.folders[0]!.chunks > 10);
  assert.equal(sampleValue(indexed, 'ferret_index_queue_files', folder), 0);
  assert.equal(sampleValue(indexed, 'ferret_embedded_texts_total', { kind: 'documents' }), summaries[0]!.embeddedChunks);
  assert.ok(sampleValue(indexed, 'ferret_embed_duration_seconds_count', { kind: 'documents', outcome: 'ok' }) >= 1);
  assert.equal(sampleValue(indexed, 'ferret_info', { embedder: status.embedder.id }), 1);
  assert.ok(sampleValue(indexed, 'process_resident_memory_bytes') > 10 * 1024 * 1024);
  assert.ok(Math.abs(sampleValue(indexed, 'process_start_time_seconds') - Date.now() / 1000) < 600);

  const queries = ['password hashing', 'session refresh', 'rate limiter', 'parse config', 'retry'];
  const searchesBefore = sampleSum(indexed, 'ferret_search_duration_seconds_count');
  const queryEmbedsBefore = sampleSum(indexed, 'ferret_embedded_texts_total', { kind: 'query' });
  for (const query of queries) await client.search({ query });
  const searched = await scrape(port);
  assert.equal(sampleSum(searched, 'ferret_search_duration_seconds_count') - searchesBefore, queries.length);
  assert.equal(sampleValue(searched, 'ferret_search_duration_seconds_count', { outcome: 'hybrid' }), queries.length);
  assert.equal(sampleValue(searched, 'ferret_search_duration_seconds_bucket', { outcome: 'hybrid', le: '+Inf' }), queries.length);
  assert.ok(sampleValue(searched, 'ferret_search_duration_seconds_sum', { outcome: 'hybrid' }) > 0);
  assert.equal(sampleSum(searched, 'ferret_embedded_texts_total', { kind: 'query' }) - queryEmbedsBefore, queries.length);
});

test('answers, first tokens and provider outcomes are counted; the breaker opens after repeated failures', async () => {
  const ollama = await FakeOllama.start({ models: MODELS, chatTokens: ['Passwords are hashed with scrypt ', '[1]', '.'] });
  after(() => ollama.close());
  const { client, port } = await metricsDaemon({ providers: ['ollama'], ollamaHost: ollama.url });
  await client.reindex({});
  const question = { question: 'How are passwords hashed?' };

  const answered = await client.ask(question, () => undefined);
  assert.equal(answered.provider, 'ollama');
  const first = await scrape(port);
  assert.equal(sampleValue(first, 'ferret_ask_duration_seconds_count', { outcome: 'answered' }), 1);
  assert.equal(sampleValue(first, 'ferret_ask_first_token_seconds_count', { provider: 'ollama' }), 1);
  assert.equal(sampleValue(first, 'ferret_provider_requests_total', { provider: 'ollama', outcome: 'success' }), 1);
  assert.equal(sampleValue(first, 'ferret_provider_breaker_state', { provider: 'ollama' }), 0);
  assert.equal(sampleSum(first, 'ferret_search_duration_seconds_count'), 0, 'the retrieval of an answer is not a ferret/search request');

  ollama.always('/api/chat', { kind: 'status', status: 500, message: 'the model runner crashed' });
  for (let i = 0; i < 3; i++) assert.equal((await client.ask(question, () => undefined)).sourcesOnly, true);
  const failing = await scrape(port);
  assert.equal(sampleValue(failing, 'ferret_provider_requests_total', { provider: 'ollama', outcome: 'server-error' }), 3);
  assert.equal(sampleValue(failing, 'ferret_ask_duration_seconds_count', { outcome: 'sources_only' }), 3);
  assert.equal(sampleValue(failing, 'ferret_provider_breaker_state', { provider: 'ollama' }), 2, 'open after three failures in a row');
  assert.equal(sampleValue(failing, 'ferret_provider_breaker_opened_total', { provider: 'ollama' }), 1);
  assert.equal((await client.status()).providers[0]!.breaker, 'open');

  const chatsBefore = ollama.count('/api/chat');
  await client.ask(question, () => undefined);
  assert.equal(ollama.count('/api/chat'), chatsBefore, 'the open breaker keeps the provider out');
  const skipped = await scrape(port);
  assert.equal(sampleValue(skipped, 'ferret_provider_requests_total', { provider: 'ollama', outcome: 'circuit-open' }), 1);
  assert.equal(sampleValue(skipped, 'ferret_provider_breaker_opened_total', { provider: 'ollama' }), 1);
  assert.equal(sampleValue(skipped, 'ferret_ask_first_token_seconds_count', { provider: 'ollama' }), 1, 'no first token without an answer');
});

test('the endpoint answers on 127.0.0.1 only; a port in use leaves the daemon serving stdio without metrics', async () => {
  const { port } = await metricsDaemon();
  const elsewhere = Object.values(networkInterfaces())
    .flatMap((addresses) => addresses ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
  // Linux routes all of 127/8 to loopback: a listener on every address would answer 127.0.0.2 too.
  if (process.platform === 'linux') elsewhere.push('127.0.0.2');
  for (const address of elsewhere) assert.equal(await refused(address, port), true, `nothing answers on ${address}:${port}`);
  assert.equal(await refused('127.0.0.1', port), false);

  const rebound = await get(port, '/metrics', { host: `attacker.example:${port}` });
  assert.equal(rebound.status, 403, 'a page that rebinds its DNS name to loopback is turned away');
  assert.equal((await get(port, '/metrics', { host: `localhost:${port}` })).status, 200);
  assert.equal((await get(port, '/metrics', { method: 'POST' })).status, 405);
  assert.equal((await get(port, '/nothing')).status, 404);

  const second = await metricsDaemon({}, port);
  assert.ok(second.stderr.includes(`ferret: Port ${port} on 127.0.0.1 is already in use, so Ferret serves no metrics; choose another metrics port.`), second.stderr.join('\n'));
  const status = await second.client.status();
  assert.equal(status.folders.length, 1, 'the daemon still answers on stdio');
});
