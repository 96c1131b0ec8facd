/**
 * The Ferret protocol: every custom JSON-RPC method between a client (the VS Code
 * extension, the `ferret` CLI) and the daemon, defined once with its param and result types.
 * Only method names and plain types live here, so client, server and webview code can all
 * import it without pulling in a JSON-RPC implementation.
 */
import { notification, request, type PartialResultParams } from './messageTypes';
import type { FerretSettings } from './settingsSchema';

export type { EmbedderChoice, FerretSettings, SettingKey } from './settingsSchema';
import type { SettingKey } from './settingsSchema';

/** client → daemon: copy each folder's index to a shared location (`ferret index --publish`). */
export const publishRequest = request<PublishParams, PublishResult>('ferret/publish');
/** client → daemon: hybrid search over the index. */
export const searchRequest = request<SearchParams, SearchResult>('ferret/search');
/** client → daemon: the daemon's health and index state. */
export const statusRequest = request<undefined, StatusReport>('ferret/status');
/** daemon → client: the same report as {@link statusRequest}, pushed when it changes (debounced). */
export const statusNotification = notification<StatusReport>(statusRequest.method);
/** client → daemon: bring the index up to date now (or rebuild it). */
export const reindexRequest = request<ReindexParams, ReindexResult>('ferret/reindex');
/**
 * client → daemon: answer a question from the index with a local model. While it runs, answer
 * text is streamed as `$/progress` notifications on the request's `partialResultToken`.
 */
export const askRequest = request<AskParams & PartialResultParams, AskResult, AskPartial>('ferret/ask');

/** client → daemon: where a name is defined, the definition named exactly as asked first. */
export const definitionsRequest = request<SymbolParams, DefinitionsResult>('ferret/definitions');
/** client → daemon: the functions, methods and classes that use a name (call it, name its type, import it). */
export const referencesRequest = request<SymbolParams, ReferencesResult>('ferret/references');
/**
 * client → daemon: the chat models the daemon can answer with, in the order it tries them. The
 * extension offers them to VS Code's chat as language models.
 */
export const chatModelsRequest = request<undefined, ChatModelsResult>('ferret/chatModels');
/**
 * client → daemon: a plain chat completion (no retrieval, no prompt of Ferret's) from one chosen
 * provider, through its circuit breaker and deadlines; it never fails over to another model. Text
 * is streamed as `$/progress` on the request's `partialResultToken`, like {@link askRequest}.
 */
export const chatRequest = request<ChatParams & PartialResultParams, ChatResult, AskPartial>('ferret/chat');

/** One earlier turn of the conversation, oldest first. */
export interface ConversationTurn {
  role: 'user' | 'assistant';
  content: string;
}

/** The editor selection a question is about. */
export interface AskSelection {
  /** Absolute path, or relative to a workspace folder. */
  path: string;
  startLine: number;
  endLine: number;
  /** The selected text; read from disk when absent. */
  text?: string;
}

/** Params of {@link askRequest}. */
export interface AskParams {
  question: string;
  history?: ConversationTurn[];
  selection?: AskSelection;
  /** How many ranges to retrieve as sources (1–50, default 8). */
  k?: number;
}

/** A source an answer cites as `[n]`. */
export interface Citation {
  n: number;
  folder: string;
  path: string;
  startLine: number;
  endLine: number;
  symbol: string;
}

/** A piece of answer text streamed while {@link askRequest} runs. */
export interface AskPartial {
  /** Text to append to what was streamed before. */
  text: string;
}

/** Result of {@link askRequest}. */
export interface AskResult {
  /** The answer in Markdown, markers `[n]` pointing at {@link AskResult.citations}; or the sources-only notice. */
  answer: string;
  citations: Citation[];
  /** Provider that answered (`mlx`, `ollama`, `openai`), or `none` for a sources-only answer. */
  provider: string;
  model: string;
  /** True when no model answered and the result lists the retrieved ranges instead. */
  sourcesOnly: boolean;
  /** Why the answer is sources only, when it is. */
  sourcesOnlyReason?: string;
  /** Set when the model stopped mid-answer: the text streamed so far is kept in `answer`, this says why it ended. */
  interrupted?: string;
  /** The retrieved ranges the answer was built from, in rank order. */
  sources: Hit[];
  timings: { retrievalMs: number; firstTokenMs?: number; totalMs: number };
  usage: { promptTokens?: number; completionTokens?: number };
}

/** One chat model the daemon can answer with. */
export interface ChatModelInfo {
  /** Provider id (`mlx`, `ollama`, `openai`); names the model in {@link ChatParams.provider}. */
  provider: string;
  /** The model's name on that provider, e.g. `qwen2.5-coder:7b`. */
  model: string;
  /** Its context window in tokens, when the provider can tell. */
  contextWindow?: number;
  availability: Availability;
}

/** Result of {@link chatModelsRequest}. */
export interface ChatModelsResult {
  models: ChatModelInfo[];
}

/** Params of {@link chatRequest}. */
export interface ChatParams {
  /** Which provider answers (a {@link ChatModelInfo.provider}). */
  provider: string;
  /** The conversation, oldest first; the last message is usually the user's. */
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  /** Most tokens to generate. */
  maxTokens?: number;
}

/** Result of {@link chatRequest}. */
export interface ChatResult {
  /** The whole reply, as streamed. */
  text: string;
  /** Provider and model that answered. */
  provider: string;
  model: string;
  usage: { promptTokens?: number; completionTokens?: number };
}

/** Params of {@link searchRequest}. */
export interface SearchParams {
  /** What to look for: a question, a symbol, words from the code. */
  query: string;
  /** How many ranges to return (1–100, default 10). */
  k?: number;
  /** Only hits whose workspace-relative path matches one of these globs (e.g. `src/**`, `*.py`). */
  paths?: string[];
  /** Only hits in these languages (ids as in {@link Hit.language}, e.g. `typescript`, `python`). */
  languages?: string[];
}

/** One ranked range of a file. Lines are 1-based and inclusive. */
export interface Hit {
  /** Absolute path of the workspace folder that holds the file. */
  folder: string;
  /** Path relative to {@link Hit.folder}, with `/` separators. */
  path: string;
  startLine: number;
  endLine: number;
  language: string;
  /** The unit(s) the range holds, such as `Router.handle` (`A.find, A.total` for several), or '' when none is named. */
  symbol: string;
  /** What the range is: function, method, class, section, lines, … */
  kind: string;
  /**
   * Relevance, higher is better: every folder of the workspace is scored on one scale, so hits of
   * different folders in one list compare; scores of different queries do not.
   */
  score: number;
  /** The text of the range. */
  text: string;
}

/** How a search was answered: with vectors and full text, or with full text only (and why). */
export type SearchMode = 'hybrid' | 'fulltext';

/** Result of {@link searchRequest}. */
export interface SearchResult {
  query: string;
  results: Hit[];
  mode: SearchMode;
  /** Why the search fell back to full text only, when it did. */
  modeReason?: string;
}

/** Params of {@link definitionsRequest} and {@link referencesRequest}. */
export interface SymbolParams {
  /** A name (`parseHeader`) or a qualified one (`Router.handle`, `Vec::push`). */
  name: string;
  /** At most this many results (1–1000, default 100). */
  limit?: number;
}

/**
 * Kinds of definitions, coarser than each language's own so that one graph spans twelve:
 * - class: classes, and structs, unions, records (Java, C#), PHP traits;
 * - interface: interfaces, Rust traits, Java annotation types;
 * - type: aliases (TypeScript, Go, Rust, C typedefs, C++ `using`), other Go types, Rust
 *   associated types, C# delegates;
 * - function: functions, nested ones too, arrow functions bound to a name, Rust `macro_rules!`,
 *   C macros with arguments; a function in a class-like body, or named as a member
 *   (`Foo::bar`, `Foo.prototype.bar`), is a method;
 * - method: methods, constructors, interface and trait members, functions in object literals;
 * - constant: top-level `const` (JS/TS, Go), Rust `const`/`static`, Java `static final` and
 *   C# `const` fields, PHP and Ruby constants, Python's capitalised module names, C macros
 *   without arguments;
 * - module: namespaces, Rust `mod`, Ruby modules, TypeScript `declare module`.
 */
export type SymbolKind = 'function' | 'method' | 'class' | 'interface' | 'type' | 'enum' | 'constant' | 'module';

/** Where a name is defined. Lines are 1-based and inclusive. */
export interface Definition {
  folder: string;
  path: string;
  startLine: number;
  endLine: number;
  name: string;
  kind: SymbolKind;
  /** Qualified name of what holds it (`Router`, `impl Vec`, a module), '' at top level. */
  container: string;
}

/** A unit that uses a name; the range is the unit's (a function, a method), not the use's line, except for top-level code (imports, mostly), which is placed on the line of its first use. */
export interface Reference {
  folder: string;
  path: string;
  startLine: number;
  endLine: number;
  /** Qualified name of the unit, '' for a file's top-level code. */
  symbol: string;
}

/** Result of {@link definitionsRequest}. */
export interface DefinitionsResult {
  name: string;
  definitions: Definition[];
  /** Set while some folder's index is still being built, so the lists may be incomplete. */
  incompleteReason?: string;
}

/** Result of {@link referencesRequest}. */
export interface ReferencesResult {
  name: string;
  references: Reference[];
  /** True when more units use the name than the limit let through. */
  truncated: boolean;
  incompleteReason?: string;
}

/** Params of {@link reindexRequest}. */
export interface ReindexParams {
  /** Absolute path of one workspace folder; all folders when absent. */
  folder?: string;
  /** Drop the index and build it again from nothing, instead of only what changed. */
  full?: boolean;
}

/** Why a file was not indexed. */
export type SkipReason =
  | 'ignored'
  | 'secret'
  | 'binary'
  | 'too-large'
  | 'minified'
  | 'lockfile'
  | 'invalid-utf8'
  | 'unreadable'
  | 'outside-workspace';

/** What one indexing pass over a folder did. */
export interface IndexSummary {
  folder: string;
  /** Files in the index after the pass. */
  files: number;
  /** Chunks in the index after the pass. */
  chunks: number;
  /** Files read, chunked and stored in this pass. */
  indexedFiles: number;
  /** Files whose rows were removed in this pass (deleted, renamed away, newly ignored). */
  removedFiles: number;
  /** Chunks whose vectors were computed in this pass. */
  embeddedChunks: number;
  /** Chunks whose vectors were reused because their content had not changed. */
  reusedChunks: number;
  /** Bytes read in this pass. */
  bytes: number;
  /** Files left out, counted by reason. */
  skipped: Partial<Record<SkipReason, number>>;
  /** Files that fell back to line windows because their parse failed, counted by reason. */
  parseFallbacks: Record<string, number>;
  /** Files whose rows were copied from the shared index (`ferret.sharedIndex`) instead of indexed. */
  seededFiles: number;
  /** Chunks copied from the shared index, vectors included. */
  seededChunks: number;
  durationMs: number;
}

/** Result of {@link reindexRequest}. */
export interface ReindexResult {
  summaries: IndexSummary[];
}

export type Health = 'ok' | 'warning' | 'error';

export type FolderState = 'starting' | 'scanning' | 'indexing' | 'ready' | 'error';

export interface FolderStatus {
  folder: string;
  state: FolderState;
  files: number;
  chunks: number;
  /** Files waiting to be (re)indexed. */
  pending: number;
  /** Grows each time stored content changes; a client that saw revision n and now sees a larger one knows search results may differ. */
  revision: number;
  /** Progress of the current pass, when one runs. */
  progress?: { done: number; total: number };
  /** Where the index of this folder lives on disk. */
  indexDir: string;
  /** The last error of this folder, as one sentence. */
  error?: string;
  /** How seeding from the shared index (`ferret.sharedIndex`) went, as one sentence; absent when none is set. */
  sharedIndex?: string;
  /** Why changes are found by periodic rescanning instead of at once (a system limit on file watching was hit), as one sentence; absent while watching works. */
  watching?: string;
  /** Skip counts of the last pass. */
  skipped: Partial<Record<SkipReason, number>>;
}

export interface EmbedderStatus {
  /** Embedder id, e.g. `local:hash-v1`, `ollama:nomic-embed-text`. */
  id: string;
  dimensions: number;
  /** Why this embedder is in use (e.g. "Ollama did not answer at http://127.0.0.1:11434, using the built-in local embedder"). */
  reason: string;
  /** Vectors still to compute after an embedder change; search uses full text until this is 0. */
  pendingVectors: number;
}

/** An HTTP address the daemon sends code or questions to. */
export interface Endpoint {
  purpose: 'embeddings' | 'chat';
  provider: 'ollama' | 'openai';
  url: string;
  /** Off this machine (not loopback): only ever there because a setting or OLLAMA_HOST named it. */
  remote: boolean;
}

/**
 * What a provider's latest answer or health check showed: `available` it answered, `unavailable`
 * it failed (a refused connection, a missing model…) or its breaker is open, `unchecked` neither
 * has happened yet. A failed question turns it `unavailable` at once; the next answer or
 * successful probe turns it back.
 */
export type Availability = 'available' | 'unavailable' | 'unchecked';

/** One chat provider as the router sees it. */
export interface ProviderState {
  id: string;
  model: string;
  availability: Availability;
  /** Circuit breaker: `closed` (in use), `open` (paused after failures), `half-open` (being probed). */
  breaker: 'closed' | 'open' | 'half-open';
  consecutiveFailures: number;
  /** The latest failure, as one sentence. */
  lastError?: string;
  /** Whether an answer is streaming from it now. */
  streaming: boolean;
}

/** Result of {@link statusRequest} and payload of {@link statusNotification}. */
export interface StatusReport {
  /**
   * The index's health (`warning` also while a model's breaker is open). Whether each chat model
   * works right now is {@link ProviderState.availability}.
   */
  health: Health;
  /** True when no indexing work is queued or running. */
  quiescent: boolean;
  /**
   * True when a search sent now is answered in full: every folder has a complete index (a catch-up
   * pass may run over it), none is in error, and queries get vectors (the embedder answered its
   * latest call, no vectors are being recomputed). `ferret status` exits 3 when false.
   */
  ready: boolean;
  /** Why {@link StatusReport.ready} is false, as sentences a person can act on. */
  notReadyReason?: string;
  /** One sentence for a person. */
  message: string;
  folders: FolderStatus[];
  embedder: EmbedderStatus;
  /** Chat providers in the order they are tried. */
  providers: ProviderState[];
  /** The provider and model that produced the latest answer. */
  lastAnswered?: { provider: string; model: string };
  /** Every HTTP address code or questions may be sent to; all loopback unless configured otherwise. */
  endpoints: Endpoint[];
  /**
   * Settings changed since the daemon started whose new values it uses only after a restart
   * (restart-only keys, and the connection its embedder was built with); absent when none. The
   * extension offers a restart when one appears.
   */
  restartPending?: SettingKey[];
  version: string;
}

/** `initializationOptions` a client sends with `initialize`. */
export interface InitializationOptions {
  settings?: Partial<FerretSettings>;
}

/** Params of {@link publishRequest}. */
export interface PublishParams {
  /** `s3://bucket/prefix`, `gs://…`, `az://…` or a folder; credentials come from the daemon's environment or settings. */
  location: string;
}

/** What one folder's publish wrote. */
export interface PublishedFolder {
  folder: string;
  /** Where, as shown to people (no credentials). */
  location: string;
  files: number;
  chunks: number;
  /** The commit the folder's checkout was at, when it is a git checkout. */
  commit?: string;
  durationMs: number;
}

/** Result of {@link publishRequest}. */
export interface PublishResult {
  published: PublishedFolder[];
}
