import * as vscode from 'vscode';
import {
  LanguageClient,
  ProgressType,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { onNotification, sendRequest, type PartialResultParams, type RequestType } from '../../../server/src/shared/messageTypes';
import {
  askRequest,
  chatModelsRequest,
  chatRequest,
  definitionsRequest,
  referencesRequest,
  reindexRequest,
  searchRequest,
  statusNotification,
  statusRequest,
  type AskParams,
  type AskPartial,
  type AskResult,
  type ChatModelsResult,
  type ChatParams,
  type ChatResult,
  type DefinitionsResult,
  type InitializationOptions,
  type ReferencesResult,
  type ReindexParams,
  type ReindexResult,
  type SearchParams,
  type SearchResult,
  type StatusReport,
  type SymbolParams,
} from '../../../server/src/shared/protocol';
import { FERRET_SECTION, ferretConfiguration } from '../config/configurationMiddleware';
import { indexDirectory, readSettings } from '../config/settings';
import { CrashPolicy, MAX_RESTARTS, RESTART_WINDOW_MS } from './crashPolicy';
import { DaemonDownError, type DaemonApi, type DaemonState } from './daemonApi';

const textPartial = new ProgressType<AskPartial>();

/**
 * Owns the daemon: one LanguageClient at a time over node IPC to `dist/server.js`, started,
 * stopped and restarted only here. Every failed or repeated start builds a fresh client.
 */
export class FerretDaemon implements DaemonApi, vscode.Disposable {
  private client: LanguageClient | undefined;
  private current: DaemonState = 'stopped';
  private status: StatusReport | undefined;
  private partialTokens = 0;
  private readonly statusEmitter = new vscode.EventEmitter<StatusReport>();
  private readonly stateEmitter = new vscode.EventEmitter<DaemonState>();
  private readonly crashPolicy = new CrashPolicy(
    () => this.setState('starting'),
    () => this.giveUp(),
  );
  /** Fires whenever {@link state} changes. */
  readonly onDidChangeState = this.stateEmitter.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get state(): DaemonState {
    return this.current;
  }

  lastStatus(): StatusReport | undefined {
    return this.status;
  }

  onStatus(listener: (s: StatusReport) => void): vscode.Disposable {
    return this.statusEmitter.event(listener);
  }

  async start(): Promise<void> {
    if (this.client) return;
    if (!vscode.workspace.workspaceFolders?.length) {
      this.log.info('No folder is open; the daemon starts when one is.');
      return;
    }
    this.setState('starting');
    const client = this.createClient();
    this.client = client;
    client.onDidChangeState(({ newState }) => {
      if (this.client !== client) return;
      if (newState === State.Running) {
        this.setState('running');
        // After a crash restart nothing else asks: fetch the state once, then notifications keep it current.
        sendRequest(client, statusRequest, undefined).then(
          (report) => this.publish(report),
          (error: unknown) => this.log.warn(`Reading the daemon status: ${describe(error)}`),
        );
      } else if (newState === State.Starting) this.setState('starting');
    });
    onNotification(client, statusNotification, (report) => this.publish(report));
    try {
      await client.start();
    } catch (error) {
      this.log.error(`The daemon did not start: ${describe(error)}`);
      this.client = undefined;
      this.setState('failed');
      void client.dispose().catch(() => undefined);
      void this.offerRecovery('The Ferret daemon did not start.');
    }
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.status = undefined;
    this.setState('stopped');
    if (client) await client.dispose(5000).catch((error: unknown) => this.log.warn(`Stopping the daemon: ${describe(error)}`));
  }

  /** A restart the user (or a settings change) asked for: a new process, settings read afresh, a fresh crash budget. */
  async restart(): Promise<void> {
    this.log.info('Restarting the daemon.');
    this.crashPolicy.reset();
    await this.stop();
    await this.start();
  }

  ask(params: AskParams, onText: (text: string) => void, token: vscode.CancellationToken): Promise<AskResult> {
    return this.streaming(askRequest, params, onText, token);
  }

  /** Lists the daemon's chat models (for VS Code's language models). */
  async chatModels(token?: vscode.CancellationToken): Promise<ChatModelsResult> {
    return sendRequest(this.running(), chatModelsRequest, undefined, token);
  }

  /** A plain completion from one of the daemon's models; `onText` receives the reply as it streams. */
  chat(params: ChatParams, onText: (text: string) => void, token: vscode.CancellationToken): Promise<ChatResult> {
    return this.streaming(chatRequest, params, onText, token);
  }

  /** Sends a request whose text streams as partial results on a token of its own. */
  private async streaming<P, R>(type: RequestType<P & PartialResultParams, R, AskPartial>, params: P, onText: (text: string) => void, token: vscode.CancellationToken): Promise<R> {
    const client = this.running();
    const partialResultToken = `ferret-text-${++this.partialTokens}`;
    const progress = client.onProgress(textPartial, partialResultToken, (partial) => onText(partial.text));
    try {
      return await sendRequest(client, type, { ...params, partialResultToken }, token);
    } finally {
      progress.dispose();
    }
  }

  async search(params: SearchParams, token?: vscode.CancellationToken): Promise<SearchResult> {
    return sendRequest(this.running(), searchRequest, params, token);
  }

  async definitions(params: SymbolParams, token?: vscode.CancellationToken): Promise<DefinitionsResult> {
    return sendRequest(this.running(), definitionsRequest, params, token);
  }

  async references(params: SymbolParams, token?: vscode.CancellationToken): Promise<ReferencesResult> {
    return sendRequest(this.running(), referencesRequest, params, token);
  }

  async reindex(params: ReindexParams, token?: vscode.CancellationToken): Promise<ReindexResult> {
    return sendRequest(this.running(), reindexRequest, params, token);
  }

  dispose(): void {
    void this.stop();
    this.statusEmitter.dispose();
    this.stateEmitter.dispose();
  }

  private running(): LanguageClient {
    if (this.current !== 'running' || !this.client) throw new DaemonDownError(this.current);
    return this.client;
  }

  private createClient(): LanguageClient {
    const module = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'server.js').fsPath;
    // glibc's per-thread malloc arenas make an idle daemon with LanceDB's thread pool hold
    // hundreds of MB it never returns; two arenas keep the resident size honest.
    const env = { ...process.env, MALLOC_ARENA_MAX: '2', LANCEDB_LOG: 'error' };
    const run = { module, transport: TransportKind.ipc, options: { env } };
    // A debug launch of the extension (F5) starts the daemon under the inspector, so its code can be stepped through.
    const debug = { ...run, options: { env, execArgv: ['--nolazy', '--inspect=6009'] } };
    const serverOptions: ServerOptions = { run, debug };
    const settings = () => readSettings(vscode.workspace.getConfiguration(FERRET_SECTION), indexDirectory(this.context));
    // Sent at start too, so the daemon's start-up work (and the CLI-compatible path) needs no pull.
    const initializationOptions: InitializationOptions = { settings: settings() };
    const clientOptions: LanguageClientOptions = {
      outputChannel: this.log,
      initializationOptions,
      errorHandler: this.crashPolicy,
      // The daemon pulls `ferret` when told it changed and gets the translated settings.
      middleware: { workspace: { configuration: ferretConfiguration(settings) } },
      synchronize: { configurationSection: FERRET_SECTION },
      // The daemon reads files from disk itself; it needs no document synchronisation.
      documentSelector: [],
      initializationFailedHandler: (error) => {
        this.log.error(`The daemon refused to initialise: ${describe(error)}`);
        return false;
      },
    };
    return new LanguageClient('ferret', 'Ferret', serverOptions, clientOptions);
  }

  private publish(report: StatusReport): void {
    this.status = report;
    this.statusEmitter.fire(report);
  }

  private setState(state: DaemonState): void {
    if (state === this.current) return;
    this.current = state;
    this.log.info(`Daemon ${state}.`);
    this.stateEmitter.fire(state);
  }

  private giveUp(): void {
    this.client = undefined;
    this.status = undefined;
    this.setState('failed');
    void this.offerRecovery(`The Ferret daemon crashed ${MAX_RESTARTS + 1} times in ${RESTART_WINDOW_MS / 60000} minutes and was not restarted again.`);
  }

  private async offerRecovery(message: string): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Logs', 'Restart');
    if (choice === 'Open Logs') this.log.show();
    else if (choice === 'Restart') await this.restart();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
