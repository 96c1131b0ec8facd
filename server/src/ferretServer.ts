import { promises as fs } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { version } from '../../package.json';
import { answerQuestion } from './answer/answerService';
import { createChunker, type Chunker } from './chunk/chunker';
import { folderIndexDir, resolveSettings } from './config/settings';
import type { Embedder } from './embed/embedder';
import { createEmbedder } from './embed/embedderFactory';
import { FolderIndex } from './index/folderIndex';
import { errorMessage, type Logger } from './log';
import { ChatRouter } from './llm/chatRouter';
import { createProviders, type OwnedChatModel } from './llm/providerFactory';
import type { AskParams, AskResult, AskSelection, FerretSettings, ReindexParams, ReindexResult, SearchParams, SearchResult, StatusReport } from './protocol';
import { queryVector } from './retrieve/queryVector';
import { describeStatus } from './status/describeStatus';

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
  private chunker: Chunker | undefined;
  private settings: FerretSettings | undefined;
  private statusTimer: NodeJS.Timeout | undefined;
  private progress: ProgressHandle | undefined;
  private providers: OwnedChatModel[] = [];
  private router: ChatRouter | undefined;

  constructor(
    private readonly client: ClientApi,
    private readonly log: Logger,
  ) {}

  async initialize(folderPaths: readonly string[], rawSettings: unknown): Promise<void> {
    const settings = resolveSettings(rawSettings, (m) => this.log.warn(m));
    this.settings = settings;
    this.chunker = await createChunker({ log: (m) => this.log.info(m) });
    const { embedder, reason } = await createEmbedder(settings, { log: (m) => this.log.info(m) });
    this.embedder = embedder;
    this.embedderReason = reason;
    this.log.info(reason);
    const deps = { chunker: this.chunker, embedder, settings, log: this.log, onChange: () => this.statusChanged() };
    this.folders = await Promise.all(folderPaths.map((folder) => FolderIndex.open(folder, folderIndexDir(settings, folder), deps)));
    this.providers = createProviders(settings, folderPaths, this.log);
    this.router = new ChatRouter(this.providers, { onChange: () => this.statusChanged() });
  }

  /** After the handshake: index what changed while nobody watched, then keep watching. */
  async start(): Promise<void> {
    const settings = this.requireSettings();
    if (settings.watch) await Promise.all(this.folders.map((f) => f.startWatching()));
    // Health checks only feed the breakers and the status; an answer never waits for them.
    void this.router?.checkHealth().catch((e: unknown) => this.log.warn(`Checking chat providers: ${errorMessage(e)}`));
    if (settings.autoIndex) await this.reindex({});
  }

  /** Answers a question from the index, streaming text through `onText` as it arrives. */
  async ask(params: AskParams, signal: AbortSignal, onText: (text: string) => void): Promise<AskResult> {
    const router = this.router;
    if (!router) throw new Error('The daemon has not been initialised.');
    const k = params.k ?? this.requireSettings().answerSources;
    return answerQuestion({ ...params, k }, { search: (p, s) => this.search(p, s), router, selectionText: (selection) => this.selectionText(selection) }, signal, onText);
  }

  get folderPaths(): string[] {
    return this.folders.map((f) => f.folder);
  }

  async search(params: Required<SearchParams>, signal: AbortSignal): Promise<SearchResult> {
    const embedder = this.requireEmbedder();
    const vector = await queryVector(embedder, params.query, signal);
    const searches = await Promise.all(this.folders.map((f) => f.search(params, vector.vector)));
    signal.throwIfAborted();
    const hits = this.folders
      .flatMap((folder, i) => searches[i]!.hits.map((hit) => ({ folder: folder.folder, hit })))
      .sort((a, b) => b.hit.score - a.hit.score)
      .slice(0, params.k);
    const reason = vector.reason ?? searches.find((s) => s.fullTextReason)?.fullTextReason;
    return {
      query: params.query,
      results: hits.map(({ folder, hit }) => ({
        folder,
        path: hit.chunk.path,
        startLine: hit.chunk.startLine,
        endLine: hit.chunk.endLine,
        language: hit.chunk.language,
        symbol: hit.chunk.symbol,
        kind: hit.chunk.kind,
        score: Number(hit.score.toFixed(6)),
        text: hit.chunk.text,
      })),
      mode: reason ? 'fulltext' : 'hybrid',
      ...(reason ? { modeReason: reason } : {}),
    };
  }

  async reindex(params: ReindexParams, signal?: AbortSignal): Promise<ReindexResult> {
    const targets = params.folder ? this.folders.filter((f) => f.folder === params.folder) : this.folders;
    this.progress ??= await this.client.beginProgress('Ferret: indexing');
    try {
      const summaries = await Promise.all(targets.map((f) => f.sync({ full: params.full === true, ...(signal ? { signal } : {}) })));
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
    return describeStatus({
      folders: this.folders.map((f) => f.status()),
      embedder: {
        id: embedder?.id ?? 'none',
        dimensions: embedder?.dimensions ?? 0,
        reason: this.embedderReason,
        pendingVectors: this.folders.reduce((n, f) => n + f.pendingVectors, 0),
      },
      providers: (this.router?.status().providers ?? []).map((p) => ({
        id: p.id,
        model: p.model,
        breaker: p.state,
        consecutiveFailures: p.consecutiveFailures,
        ...(p.lastError ? { lastError: p.lastError } : {}),
        streaming: p.streaming,
      })),
      lastAnswered: this.router?.status().lastAnswered,
      version,
    });
  }

  /**
   * The text of a selection a question is about: the client's, or read from disk. A file the
   * index would skip as a secret is never read or sent, even when the user selected it.
   */
  private async selectionText(selection: AskSelection): Promise<string | undefined> {
    for (const folder of this.folders) {
      const absolute = isAbsolute(selection.path) ? selection.path : join(folder.folder, selection.path);
      const rel = relative(folder.folder, absolute).split('\\').join('/');
      if (rel.startsWith('..') || isAbsolute(rel)) continue;
      if (folder.isSecret(rel)) return undefined;
      if (selection.text !== undefined) return selection.text;
      const lines = (await fs.readFile(absolute, 'utf8').catch(() => '')).split('\n');
      return lines.slice(selection.startLine - 1, selection.endLine).join('\n');
    }
    return undefined;
  }

  async shutdown(): Promise<void> {
    clearTimeout(this.statusTimer);
    await Promise.all(this.providers.map(async (p) => p.dispose?.()));
    await Promise.all(this.folders.map((f) => f.close().catch((e: unknown) => this.log.warn(errorMessage(e)))));
    this.chunker?.dispose();
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
