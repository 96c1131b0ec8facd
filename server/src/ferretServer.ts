import { version } from '../../package.json';
import { answerQuestion } from './answer/answerService';
import { selectionText } from './answer/selectionText';
import { restartPending } from './status/restartPending';
import { changedKeys, FILE_RULE_KEYS, folderIndexDir, PROVIDER_KEYS, resolveSettings, RESTART_ONLY_KEYS } from './config/settings';
import type { Embedder } from './embed/embedder';
import { createEmbedder } from './embed/embedderFactory';
import { observeEmbedder, type EmbedCall } from './embed/observedEmbedder';
import { FolderIndex } from './index/folderIndex';
import { createIndexChunker, type IndexChunker } from './index/indexChunker';
import { errorMessage, type Logger } from './log';
import { plainChat } from './llm/plainChat';
import { ProviderSet } from './llm/providerSet';
import { FerretMetrics } from './metrics/ferretMetrics';
import type {
  AskParams,
  AskResult,
  ChatModelsResult,
  ChatParams,
  ChatResult,
  DefinitionsResult,
  FerretSettings,
  IndexSummary,
  PublishParams,
  PublishResult,
  ReferencesResult,
  ReindexParams,
  ReindexResult,
  SearchParams,
  SearchResult,
  SettingKey,
  StatusReport,
  SymbolParams,
} from './shared/protocol';
import { describeEndpoints } from './status/endpoints';
import { describeStatus } from './status/describeStatus';
import { searchWorkspace } from './retrieve/workspaceSearch';
import { relatedDefinitions } from './symbols/relatedDefinitions';
import { findDefinitions, findReferences, type SymbolSource } from './symbols/symbolLookup';
import { hasCompleteIndex } from './status/readiness';
import { publishFolders, sharedSeeder } from './share/sharedWorkspace';

/** What the server needs from whoever connected to it; tests can provide their own. */
export interface ClientApi {
  notifyStatus(report: StatusReport): void;
  /** Opens a progress indicator in the client; undefined when the client has none. */
  beginProgress(title: string): Promise<ProgressHandle | undefined>;
}

export interface ProgressHandle {
  report(done: number, total: number): void;
  done(): void;
}

/** Coalesces status pushes: a pass changes status per file, a client wants a few updates a second. */
const STATUS_DEBOUNCE_MS = 100;

/** The daemon's core: folders, embedder, indexing and search, with no knowledge of the transport. */
export class FerretServer {
  private folders: FolderIndex[] = [];
  private embedder: Embedder | undefined;
  private embedderReason = '';
  /** Why the embedder's latest call failed; cleared by its next answer. */
  private embedderFailure: string | undefined;
  /** Folders whose live index holds a finished pass: found on disk at start, or finished since. */
  private readonly complete = new Set<string>();
  private readonly metrics = new FerretMetrics(() => this.status());
  private chunker: IndexChunker | undefined;
  private settings: FerretSettings | undefined;
  /** The settings the daemon started with: what restart-only keys and the embedder still use. */
  private startup: FerretSettings | undefined;
  /** Changed settings that wait for a restart; see {@link restartPending}. */
  private waitingForRestart: readonly SettingKey[] = [];
  private statusTimer: NodeJS.Timeout | undefined;
  private progress: ProgressHandle | undefined;
  private readonly chat: ProviderSet;
  private settingsUpdate: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: ClientApi,
    private readonly log: Logger,
  ) {
    this.chat = new ProviderSet(log, () => this.statusChanged(), this.metrics);
  }

  async initialize(folderPaths: readonly string[], rawSettings: unknown): Promise<void> {
    const settings = resolveSettings(rawSettings, (m) => this.log.warn(m));
    this.settings = settings;
    this.startup = settings;
    this.chunker = await createIndexChunker((m) => this.log.info(m));
    const { embedder: created, reason } = await createEmbedder(settings, { log: (m) => this.log.info(m) });
    const embedder = observeEmbedder(created, (call) => this.embedderCalled(call));
    this.embedder = embedder;
    this.embedderReason = reason;
    this.log.info(reason);
    const seed = sharedSeeder({ settings, folderCount: folderPaths.length, embedder });
    const deps = { chunker: this.chunker, embedder, settings, log: this.log, onChange: () => this.statusChanged(), ...(seed ? { seed } : {}) };
    this.folders = await Promise.all(folderPaths.map((folder) => FolderIndex.open(folder, folderIndexDir(settings, folder), deps)));
    for (const folder of this.folders) if (await hasCompleteIndex(folder.indexDir)) this.complete.add(folder.folder);
    this.chat.replace(settings, folderPaths);
  }

  /**
   * Applies settings a client sent after start-up. What can change live does; keys in
   * RESTART_ONLY_KEYS keep the values the daemon started with until it restarts.
   */
  updateSettings(raw: unknown): Promise<void> {
    // Serialised: two quick changes must not rebuild providers or rescan folders at once.
    const run = this.settingsUpdate.then(() => this.applySettings(raw));
    this.settingsUpdate = run.catch(() => undefined);
    return run;
  }

  /** After the handshake: index what changed while nobody watched, then keep watching. */
  async start(): Promise<void> {
    const settings = this.requireSettings();
    if (settings.watch) await Promise.all(this.folders.map((f) => f.startWatching()));
    if (settings.autoIndex) await this.reindex({});
  }

  /** Answers a question from the index, streaming text through `onText` as it arrives. */
  async ask(params: AskParams, signal: AbortSignal, onText: (text: string) => void): Promise<AskResult> {
    const k = params.k ?? this.requireSettings().answerSources;
    return this.metrics.timeAsk(signal, () =>
      this.chat.use((router) =>
        answerQuestion({ ...params, k }, { search: (p, s) => this.findRanges(p, s), router, related: (hits) => relatedDefinitions(this.symbolSources(), hits), selectionText: (selection) => selectionText(this.folders, selection) }, signal, onText),
      ),
    );
  }

  /** A `ferret/chatModels` request. */
  async chatModels(signal: AbortSignal): Promise<ChatModelsResult> {
    return { models: (await this.chat.router?.models(signal)) ?? [] };
  }

  /** A `ferret/chat` request: a plain completion from the provider the params name. */
  plainChat(params: ChatParams, signal: AbortSignal, onText: (text: string) => void): Promise<ChatResult> {
    return this.chat.use((router) => plainChat(router, params, signal, onText));
  }

  /** Ids of the chat providers, in the order they are tried. */
  get chatProviders(): string[] {
    return this.chat.router?.status().providers.map((p) => p.id) ?? [];
  }

  get folderPaths(): string[] {
    return this.folders.map((f) => f.folder);
  }

  /** A `ferret/search` request; the searches an answer makes are timed as part of the answer. */
  search(params: Required<SearchParams>, signal: AbortSignal): Promise<SearchResult> {
    return this.metrics.timeSearch(signal, () => this.findRanges(params, signal));
  }

  /** A `ferret/publish` request: each folder's live index, as the last pass left it, to a shared location. */
  publish(params: PublishParams): Promise<PublishResult> {
    const context = { settings: this.requireSettings(), folderCount: this.folders.length, embedder: this.requireEmbedder() };
    return publishFolders(this.folders, params.location, context, (m) => this.log.info(m));
  }

  /** A `ferret/definitions` request. */
  definitions(params: Required<SymbolParams>): DefinitionsResult {
    return findDefinitions(this.symbolSources(), params);
  }

  /** A `ferret/references` request. */
  references(params: Required<SymbolParams>): Promise<ReferencesResult> {
    return findReferences(this.symbolSources(), params);
  }

  private symbolSources(): SymbolSource[] {
    return this.folders.map((f) => ({ folder: f.folder, store: f.liveStore() }));
  }

  private findRanges(params: Required<SearchParams>, signal: AbortSignal): Promise<SearchResult> {
    return searchWorkspace(this.folders, this.requireEmbedder(), params, signal);
  }

  /** The daemon's metrics in the Prometheus text format, for the metrics endpoint. */
  metricsText(): string {
    return this.metrics.expose();
  }

  /** Port of the metrics endpoint the settings ask for; undefined when off. */
  get metricsPort(): number | undefined {
    return this.requireSettings().metricsPort || undefined;
  }

  async reindex(params: ReindexParams, signal?: AbortSignal): Promise<ReindexResult> {
    const targets = params.folder ? this.folders.filter((f) => f.folder === params.folder) : this.folders;
    this.progress ??= await this.client.beginProgress('Ferret: indexing');
    try {
      const summaries = await Promise.all(targets.map((f) => this.sync(f, params.full === true, signal)));
      return { summaries };
    } finally {
      if (this.folders.every((f) => f.pending === 0)) {
        this.progress?.done();
        this.progress = undefined;
      }
      this.statusChanged();
    }
  }

  status(): StatusReport {
    const embedder = this.embedder;
    const providers = this.chat.router?.status().providers ?? [];
    return describeStatus({
      folders: this.folders.map((f) => f.status()),
      complete: this.complete,
      ...(this.embedderFailure !== undefined ? { embedderFailure: this.embedderFailure } : {}),
      embedder: {
        id: embedder?.id ?? 'none',
        dimensions: embedder?.dimensions ?? 0,
        reason: this.embedderReason,
        pendingVectors: this.folders.reduce((n, f) => n + f.pendingVectors, 0),
      },
      providers: providers.map((p) => ({
        id: p.id,
        model: p.model,
        breaker: p.state,
        availability: p.availability,
        consecutiveFailures: p.consecutiveFailures,
        ...(p.lastError ? { lastError: p.lastError } : {}),
        streaming: p.streaming,
      })),
      lastAnswered: this.chat.router?.status().lastAnswered,
      endpoints: this.settings ? describeEndpoints(this.settings, embedder?.id ?? 'none', providers.map((p) => p.id)) : [],
      restartPending: this.waitingForRestart,
      version,
    });
  }

  async shutdown(): Promise<void> {
    clearTimeout(this.statusTimer);
    await this.chat.dispose();
    await Promise.all(this.folders.map((f) => f.close().catch((e: unknown) => this.log.warn(errorMessage(e)))));
    this.chunker?.dispose();
  }

  private async applySettings(raw: unknown): Promise<void> {
    const before = this.requireSettings();
    if (typeof raw !== 'object' || raw === null) {
      // Resolving nothing would reset every live key to its default; keep what runs instead.
      this.log.warn('The client sent no Ferret settings; keeping the current ones.');
      return;
    }
    const given = resolveSettings(raw, (m) => this.log.warn(m));
    const pinned = Object.fromEntries(RESTART_ONLY_KEYS.map((key) => [key, before[key]]));
    const after: FerretSettings = { ...given, ...pinned };
    const waiting = restartPending(this.startup ?? before, given, this.requireEmbedder().id);
    if (waiting.length) this.log.info(`Settings ${waiting.join(', ')} take effect when the daemon restarts.`);
    if (waiting.join() !== this.waitingForRestart.join()) {
      this.waitingForRestart = waiting;
      this.statusChanged();
    }
    const changed = changedKeys(before, after);
    if (changed.length === 0) return;
    this.settings = after;
    if (changed.some((key) => isIn(PROVIDER_KEYS, key))) this.chat.replace(after, this.folderPaths);
    if (changed.some((key) => isIn(FILE_RULE_KEYS, key))) await Promise.all(this.folders.map((f) => f.reconfigure(after)));
    this.log.info(`Applied settings: ${changed.join(', ')}.`);
    this.statusChanged();
  }

  /** One pass over a folder; a full one discards the index, which is complete again only once the pass ends. */
  private async sync(folder: FolderIndex, full: boolean, signal: AbortSignal | undefined): Promise<IndexSummary> {
    if (full) this.complete.delete(folder.folder);
    const summary = await folder.sync({ full, ...(signal ? { signal } : {}) });
    this.complete.add(folder.folder);
    return summary;
  }

  private embedderCalled(call: EmbedCall): void {
    this.metrics.embedCalled(call);
    const failure = call.error === undefined ? undefined : errorMessage(call.error);
    if (failure === this.embedderFailure) return;
    this.embedderFailure = failure;
    this.statusChanged();
  }

  private statusChanged(): void {
    if (this.progress) {
      const totals = this.folders.map((f) => f.status().progress).filter((p) => p !== undefined);
      if (totals.length) this.progress.report(totals.reduce((n, p) => n + p.done, 0), totals.reduce((n, p) => n + p.total, 0));
    }
    if (this.statusTimer) return;
    this.statusTimer = setTimeout(() => {
      this.statusTimer = undefined;
      this.client.notifyStatus(this.status());
    }, STATUS_DEBOUNCE_MS);
  }

  private requireSettings(): FerretSettings {
    if (!this.settings) throw new Error('The daemon has not been initialised.');
    return this.settings;
  }

  private requireEmbedder(): Embedder {
    if (!this.embedder) throw new Error('The daemon has not been initialised.');
    return this.embedder;
  }
}

function isIn(keys: readonly (keyof FerretSettings)[], key: keyof FerretSettings): boolean {
  return keys.includes(key);
}
