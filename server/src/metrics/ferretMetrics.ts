import type { EmbedCall } from '../embed/observedEmbedder';
import type { AttemptOutcome, RouterObserver } from '../llm/routerReports';
import type { AskResult, SearchResult, StatusReport } from '../shared/protocol';
import { MetricsRegistry, type Histogram } from './metricsRegistry';

/** Embedding a query and searching a local index take milliseconds; a large batch, seconds. */
const QUICK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** A local model answers in seconds to minutes. */
const ANSWER_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * The daemon's metrics. Counts and latencies are recorded as things happen (embedder calls,
 * requests, provider attempts); sizes and states are read from the status report at each scrape.
 */
export class FerretMetrics implements RouterObserver {
  private readonly registry = new MetricsRegistry();
  private readonly info = this.registry.gauge('ferret_info', 'Always 1; the daemon version and the embedder in use.', ['version', 'embedder']);
  private readonly ready = this.registry.gauge('ferret_ready', '1 when a search now is answered in full (see ferret/status `ready`), else 0.');
  private readonly files = this.registry.gauge('ferret_index_files', 'Files in the index, per workspace folder.', ['folder']);
  private readonly chunks = this.registry.gauge('ferret_index_chunks', 'Chunks in the index, per workspace folder.', ['folder']);
  private readonly queue = this.registry.gauge('ferret_index_queue_files', 'Files waiting to be (re)indexed, per workspace folder.', ['folder']);
  private readonly pendingVectors = this.registry.gauge('ferret_index_pending_vectors', 'Vectors still to compute after an embedder change.');
  private readonly embedSeconds = this.registry.histogram(
    'ferret_embed_duration_seconds',
    'Duration of one embedder call: kind documents (indexing) or query (search); outcome ok or error.',
    ['kind', 'outcome'],
    QUICK_BUCKETS,
  );
  private readonly embeddedTexts = this.registry.counter('ferret_embedded_texts_total', 'Texts embedded, by kind (documents or query).', ['kind']);
  private readonly searchSeconds = this.registry.histogram(
    'ferret_search_duration_seconds',
    'Duration of ferret/search requests; outcome hybrid, fulltext (no query vector), failed or cancelled.',
    ['outcome'],
    QUICK_BUCKETS,
  );
  private readonly askSeconds = this.registry.histogram(
    'ferret_ask_duration_seconds',
    'Duration of ferret/ask requests; outcome answered, interrupted, sources_only (no model answered), failed or cancelled.',
    ['outcome'],
    ANSWER_BUCKETS,
  );
  private readonly firstTokenSeconds = this.registry.histogram(
    'ferret_ask_first_token_seconds',
    'From a question to the first token of its answer (retrieval included), by provider.',
    ['provider'],
    ANSWER_BUCKETS,
  );
  private readonly providerRequests = this.registry.counter(
    'ferret_provider_requests_total',
    'Chat provider attempts by outcome: success, circuit-open (skipped), cancelled, or the failure code (unreachable, timeout, server-error, ...).',
    ['provider', 'outcome'],
  );
  private readonly breakerState = this.registry.gauge('ferret_provider_breaker_state', 'Circuit breaker of each chat provider: 0 closed, 1 half-open, 2 open.', ['provider']);
  private readonly breakerOpens = this.registry.counter('ferret_provider_breaker_opened_total', 'Times a chat provider circuit breaker opened.', ['provider']);
  private readonly rss = this.registry.gauge('process_resident_memory_bytes', 'Resident memory size of the daemon in bytes.');
  private readonly startTime = this.registry.gauge('process_start_time_seconds', 'Start time of the daemon since the Unix epoch in seconds.');
  private readonly startedAt = Date.now() / 1000 - process.uptime();

  constructor(status: () => StatusReport) {
    this.registry.onCollect(() => this.sample(status()));
  }

  /** The metrics in the Prometheus text format. */
  expose(): string {
    return this.registry.expose();
  }

  embedCalled(call: EmbedCall): void {
    const failed = call.error !== undefined;
    this.embedSeconds.observe({ kind: call.kind, outcome: failed ? 'error' : 'ok' }, call.seconds);
    if (!failed) this.embeddedTexts.inc({ kind: call.kind }, call.texts);
  }

  timeSearch(signal: AbortSignal, run: () => Promise<SearchResult>): Promise<SearchResult> {
    return timed(this.searchSeconds, signal, run, (result) => result.mode);
  }

  async timeAsk(signal: AbortSignal, run: () => Promise<AskResult>): Promise<AskResult> {
    const result = await timed(this.askSeconds, signal, run, askOutcome);
    const firstTokenMs = result.timings.firstTokenMs;
    if (!result.sourcesOnly && firstTokenMs !== undefined) this.firstTokenSeconds.observe({ provider: result.provider }, firstTokenMs / 1000);
    return result;
  }

  attempted(provider: string, outcome: AttemptOutcome): void {
    this.providerRequests.inc({ provider, outcome });
  }

  breakerOpened(provider: string): void {
    this.breakerOpens.inc({ provider });
  }

  private sample(report: StatusReport): void {
    this.info.reset();
    this.info.set({ version: report.version, embedder: report.embedder.id }, 1);
    this.ready.set({}, report.ready ? 1 : 0);
    for (const gauge of [this.files, this.chunks, this.queue]) gauge.reset();
    for (const folder of report.folders) {
      this.files.set({ folder: folder.folder }, folder.files);
      this.chunks.set({ folder: folder.folder }, folder.chunks);
      this.queue.set({ folder: folder.folder }, folder.pending);
    }
    this.pendingVectors.set({}, report.embedder.pendingVectors);
    // Providers come and go with settings; a gauge must not keep reporting one that left.
    this.breakerState.reset();
    for (const provider of report.providers) this.breakerState.set({ provider: provider.id }, BREAKER_VALUE[provider.breaker]);
    this.rss.set({}, process.memoryUsage.rss());
    this.startTime.set({}, Math.round(this.startedAt));
  }
}

function askOutcome(result: AskResult): string {
  if (result.sourcesOnly) return 'sources_only';
  return result.interrupted !== undefined ? 'interrupted' : 'answered';
}

/** Runs a request and observes its duration under the outcome it had. */
async function timed<T>(histogram: Histogram<'outcome'>, signal: AbortSignal, run: () => Promise<T>, outcome: (result: T) => string): Promise<T> {
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  try {
    const result = await run();
    histogram.observe({ outcome: outcome(result) }, seconds());
    return result;
  } catch (error) {
    histogram.observe({ outcome: signal.aborted ? 'cancelled' : 'failed' }, seconds());
    throw error;
  }
}
