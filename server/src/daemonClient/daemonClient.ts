import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  createMessageConnection,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { onNotification, request, sendRequest, type PartialOf, type RequestType } from '../shared/messageTypes';
import {
  askRequest,
  definitionsRequest,
  referencesRequest,
  publishRequest,
  reindexRequest,
  searchRequest,
  statusNotification,
  statusRequest,
  type AskParams,
  type AskResult,
  type DefinitionsResult,
  type FerretSettings,
  type InitializationOptions,
  type ReferencesResult,
  type PublishParams,
  type PublishResult,
  type ReindexParams,
  type ReindexResult,
  type SearchParams,
  type SearchResult,
  type StatusReport,
  type SymbolParams,
} from '../shared/protocol';
import { DaemonExitedError, DaemonRequestError } from './errors';
import { lastMeaningfulLine } from './stderrTail';

export interface DaemonClientOptions {
  /** Absolute path of the workspace folder the daemon serves. */
  workspace: string;
  settings?: Partial<FerretSettings>;
  /** The daemon bundle; defaults to `server.js` beside this file (dist/ in the bundle). */
  serverPath?: string;
  /** Arguments after the script; `['--stdio']` by default (`['serve', '--stdio']` for the CLI bundle). */
  serverArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Receives every stderr line of the daemon (its log). */
  onStderrLine?: (line: string) => void;
  /** Receives every `window/logMessage`, from the handshake on (`onLog` only sees those after it). */
  onLogMessage?: (log: LogMessage) => void;
}

/** One `$/progress` notification of standard work-done progress. */
export interface WorkDoneProgress {
  token: string | number;
  kind: 'begin' | 'report' | 'end';
  title?: string;
  message?: string;
  percentage?: number;
}

/** A `window/logMessage` notification; type 1 error, 2 warning, 3 info, 4 log. */
export interface LogMessage {
  type: number;
  message: string;
}

type Listener<T> = (value: T) => void;

class Listeners<T> {
  private readonly listeners = new Set<Listener<T>>();
  add(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  fire(value: T): void {
    for (const listener of this.listeners) listener(value);
  }
}

/** The LSP handshake; its result (the server's capabilities) is not used. */
const initializeRequest = request<object, unknown>('initialize');

// Bounds on waiting for a daemon that does not leave by itself; not synchronisation.
const EXIT_GRACE_MS = 5000;
const CLOSE_SETTLE_MS = 2000;

type DaemonProcess = ChildProcessByStdio<Writable, Readable, Readable>;

/**
 * A Ferret daemon in a child process, spoken to over JSON-RPC on stdio: the same protocol the
 * VS Code extension uses. Requests reject with {@link DaemonRequestError} (the daemon said no)
 * or {@link DaemonExitedError} (the daemon is gone, with its last stderr line).
 */
export class DaemonClient {
  private readonly progress = new Listeners<WorkDoneProgress>();
  private readonly statusChanges = new Listeners<StatusReport>();
  private readonly logs = new Listeners<LogMessage>();
  /** Streams of answers in flight, by their partial-result token. */
  private readonly answers = new Map<string | number, (text: string) => void>();
  private askCount = 0;
  private leaving = false;
  private exitError: DaemonExitedError | undefined;
  /** Settles (never rejects) when the process has exited and its pipes are closed. */
  private readonly closed: Promise<void>;
  /** Rejects with the exit error if the daemon goes away while it is still needed. */
  private readonly lost: Promise<never>;

  private constructor(
    private readonly child: DaemonProcess,
    private readonly connection: MessageConnection,
  ) {
    const stderrLines: string[] = [];
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderrLines.push(line);
      if (stderrLines.length > 50) stderrLines.shift();
    });
    this.closed = new Promise<void>((resolve) => {
      child.once('close', (code, signal) => {
        const how = signal ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`;
        const last = lastMeaningfulLine(stderrLines);
        this.exitError = new DaemonExitedError(
          last ? `The Ferret daemon ${how}: ${last}` : `The Ferret daemon ${how} without saying why.`,
        );
        resolve();
      });
      child.once('error', (error) => {
        this.exitError = new DaemonExitedError(`The Ferret daemon could not start: ${error.message}`);
        resolve();
      });
    });
    this.lost = this.closed.then(() => {
      throw this.exitError!;
    });
    // A request may be in flight when the daemon leaves on purpose; nobody awaits `lost` then.
    this.lost.catch(() => undefined);
    // Writing to a daemon that just died raises EPIPE here; the close handler reports it.
    child.stdin.on('error', () => undefined);

    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('$/progress', (params: { token: string | number; value: Omit<WorkDoneProgress, 'token'> | PartialOf<typeof askRequest> }) => {
      const answer = this.answers.get(params.token);
      if (answer && 'text' in params.value) answer(params.value.text);
      else if (params.value && 'kind' in params.value && typeof params.value.kind === 'string') this.progress.fire({ token: params.token, ...params.value });
    });
    onNotification(connection, statusNotification, (report) => this.statusChanges.fire(report));
    connection.onNotification('window/logMessage', (message: LogMessage) => this.logs.fire(message));
    connection.listen();
  }

  /** Starts a daemon for one workspace folder and completes the `initialize` handshake. */
  static async start(options: DaemonClientOptions): Promise<DaemonClient> {
    const serverPath = options.serverPath ?? join(__dirname, 'server.js');
    if (!existsSync(serverPath)) {
      throw new DaemonExitedError(`The Ferret daemon is missing at ${serverPath}; build it with "npm run build".`);
    }
    const env = { ...(options.env ?? process.env) };
    // LanceDB otherwise writes a warning line per query to the daemon's stderr.
    env.LANCEDB_LOG ??= 'error';
    // LanceDB's writer threads each get a glibc arena that is rarely returned; two arenas cut the
    // daemon's resident memory by about a quarter at no measurable cost in speed.
    env.MALLOC_ARENA_MAX ??= '2';
    const child = spawn(process.execPath, [serverPath, ...(options.serverArgs ?? ['--stdio'])], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env,
    });
    if (options.onStderrLine) createInterface({ input: child.stderr }).on('line', options.onStderrLine);
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new DaemonClient(child, connection);
    if (options.onLogMessage) client.onLog(options.onLogMessage);
    const initializationOptions: InitializationOptions = { settings: options.settings ?? {} };
    try {
      await client.request(initializeRequest, {
        processId: process.pid,
        rootUri: null,
        capabilities: { window: { workDoneProgress: true } },
        workspaceFolders: [{ uri: pathToFileURL(options.workspace).href, name: basename(options.workspace) }],
        initializationOptions,
      });
      await connection.sendNotification('initialized', {});
    } catch (error) {
      await client.kill();
      throw error;
    }
    return client;
  }

  /** Process id of the daemon (for measurements such as peak RSS). */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** An aborted `signal` cancels the request in the daemon (`$/cancelRequest`); ask and reindex take one too. */
  search(params: SearchParams, signal?: AbortSignal): Promise<SearchResult> {
    return this.request(searchRequest, params, signal);
  }

  /** Asks a question; answer text arrives through `onText` as the model streams it. */
  async ask(params: AskParams, onText: (text: string) => void, signal?: AbortSignal): Promise<AskResult> {
    const token = `ask-${++this.askCount}`;
    this.answers.set(token, onText);
    try {
      return await this.request(askRequest, { ...params, partialResultToken: token }, signal);
    } finally {
      this.answers.delete(token);
    }
  }

  definitions(params: SymbolParams, signal?: AbortSignal): Promise<DefinitionsResult> {
    return this.request(definitionsRequest, params, signal);
  }

  references(params: SymbolParams, signal?: AbortSignal): Promise<ReferencesResult> {
    return this.request(referencesRequest, params, signal);
  }

  status(): Promise<StatusReport> {
    return this.request(statusRequest, undefined);
  }

  /** Copies each folder's index to a shared location; resolves when every folder is published. */
  publish(params: PublishParams): Promise<PublishResult> {
    return this.request(publishRequest, params);
  }

  /** Resolves when the pass is done. */
  reindex(params: ReindexParams = {}, signal?: AbortSignal): Promise<ReindexResult> {
    return this.request(reindexRequest, params, signal);
  }

  onProgress(listener: Listener<WorkDoneProgress>): () => void {
    return this.progress.add(listener);
  }

  onStatus(listener: Listener<StatusReport>): () => void {
    return this.statusChanges.add(listener);
  }

  onLog(listener: Listener<LogMessage>): () => void {
    return this.logs.add(listener);
  }

  /** `shutdown` then `exit`, as the LSP asks; kills the daemon if it does not leave in time. */
  async shutdown(): Promise<void> {
    if (this.leaving) return this.closed;
    this.leaving = true;
    if (!this.exitError) {
      try {
        await Promise.race([this.connection.sendRequest('shutdown'), this.lost]);
        await this.connection.sendNotification('exit');
      } catch {
        // The daemon is already gone or refused: the kill below still ends it.
      }
    }
    await this.kill();
  }

  private async kill(): Promise<void> {
    this.leaving = true;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_GRACE_MS);
    if (this.child.exitCode === null && this.child.signalCode === null && !this.exitError) this.child.stdin.end();
    await this.closed;
    clearTimeout(timer);
    this.connection.dispose();
  }

  private async request<P, R>(type: RequestType<P, R, unknown>, params: NoInfer<P>, signal?: AbortSignal): Promise<R> {
    const cancellation = new CancellationTokenSource();
    const cancel = () => cancellation.cancel();
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      if (signal?.aborted) cancel();
      return await Promise.race([sendRequest(this.connection, type, params, cancellation.token), this.lost]);
    } catch (error) {
      if (error instanceof ResponseError) throw new DaemonRequestError(error.message, error.code);
      if (error instanceof DaemonExitedError) throw error;
      // The connection noticed the closed pipe before the process reported its exit: wait for
      // the exit so the error carries the daemon's last words.
      await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, CLOSE_SETTLE_MS).unref())]);
      throw this.exitError ?? error;
    } finally {
      signal?.removeEventListener('abort', cancel);
      cancellation.dispose();
    }
  }
}
