import { fileURLToPath } from 'node:url';
import {
  ErrorCodes,
  ProgressType,
  type ProgressToken,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { version } from '../../package.json';
import { FerretServer, type ClientApi } from './ferretServer';
import { errorMessage, type Logger } from './log';
import { startMetricsEndpoint, type MetricsServer } from './metrics/metricsServer';
import { sendNotification, type PartialOf, type RequestType } from './shared/messageTypes';
import { formatProgress } from './shared/counts';
import { askRequest, chatModelsRequest, chatRequest, definitionsRequest, publishRequest, referencesRequest, reindexRequest, searchRequest, statusNotification, statusRequest } from './shared/protocol';
import { InvalidParamsError, validateAskParams, validateChatParams, validatePublishParams, validateReindexParams, validateSearchParams, validateSymbolParams } from './requestValidation';

/** How the daemon was started, beyond what the client sends. */
export interface ServeOptions {
  /** `ferret serve --metrics-port`: wins over the `metricsPort` setting; 0 picks a free port. */
  metricsPort?: number;
}

/** Maps the JSON-RPC connection onto a {@link FerretServer}; no logic of its own beyond translating errors. */
export function serveConnection(connection: Connection, serveOptions: ServeOptions = {}): void {
  const log: Logger = {
    info: (m) => connection.console.info(m),
    warn: (m) => connection.console.warn(m),
    error: (m) => connection.console.error(m),
  };
  let supportsProgress = false;
  let pullsSettings = false;
  // The client answers with its translated `ferret` section (the client's readSettings), not raw editor values.
  const pullSettings = async () => server.updateSettings(await connection.workspace.getConfiguration('ferret'));
  const client: ClientApi = {
    notifyStatus: (report) => void sendNotification(connection, statusNotification, report),
    beginProgress: async (title) => {
      if (!supportsProgress) return undefined;
      const reporter = await connection.window.createWorkDoneProgress();
      reporter.begin(title, 0, undefined, false);
      return {
        report: (done, total) => reporter.report(total ? Math.floor((100 * done) / total) : 0, `${formatProgress(done, total)} files`),
        done: () => reporter.done(),
      };
    },
  };
  const server = new FerretServer(client, log);
  let metrics: MetricsServer | undefined;

  connection.onInitialize(async (params: InitializeParams): Promise<InitializeResult> => {
    supportsProgress = params.capabilities.window?.workDoneProgress === true;
    // Without it (the CLI) the daemon runs on initializationOptions alone.
    pullsSettings = params.capabilities.workspace?.configuration === true;
    const folders = workspaceFolders(params);
    if (folders.length === 0) throw new ResponseError(ErrorCodes.InvalidParams, 'Open a folder first: Ferret indexes workspace folders and none was given.');
    const options = params.initializationOptions as { settings?: unknown } | undefined;
    try {
      await server.initialize(folders, options?.settings);
    } catch (error) {
      throw new ResponseError(ErrorCodes.InternalError, errorMessage(error));
    }
    metrics = await startMetricsEndpoint(serveOptions.metricsPort ?? server.metricsPort, server, log, serveOptions.metricsPort !== undefined);
    return { capabilities: {}, serverInfo: { name: 'ferret', version } };
  });
  connection.onInitialized(() => {
    // Pull once before start-up work so it runs on the settings the client holds now.
    const confirmed = pullsSettings ? pullSettings().catch((error: unknown) => log.warn(`Reading settings from the client: ${errorMessage(error)}`)) : Promise.resolve();
    confirmed
      .then(() => server.start())
      .catch((error: unknown) => log.error(`Start-up indexing failed: ${errorMessage(error)}`));
  });
  // The notification's payload is ignored: the pulled section is the translated one.
  connection.onDidChangeConfiguration(() => {
    if (pullsSettings) pullSettings().catch((error: unknown) => log.error(`Applying changed settings: ${errorMessage(error)}`));
  });
  // Params arrive unchecked (the validators type them); the result type comes from the definition.
  const handle = <R>(type: RequestType<unknown, R, unknown>, handler: (params: unknown, signal: AbortSignal) => Promise<NoInfer<R>>) =>
    // A request sent without params reaches a generic handler as (token) alone, with params as (params, token).
    connection.onRequest(type.method, (...args: unknown[]) => {
      const token = args[args.length - 1] as CancellationToken;
      return answer(log, token, (signal) => handler(args.length > 1 ? args[0] : undefined, signal));
    });
  handle(searchRequest, (params, signal) => server.search(validateSearchParams(params), signal));
  handle(statusRequest, async () => server.status());
  handle(definitionsRequest, async (params) => server.definitions(validateSymbolParams(params)));
  handle(referencesRequest, (params) => server.references(validateSymbolParams(params)));
  handle(reindexRequest, (params, signal) => server.reindex(validateReindexParams(params, server.folderPaths), signal));
  handle(publishRequest, (params) => server.publish(validatePublishParams(params)));
  /** Streams text as `$/progress` on the request's partial-result token, when it named one. */
  const streamTo = (params: unknown) => {
    const token = (params as { partialResultToken?: ProgressToken } | undefined)?.partialResultToken;
    return (text: string) => {
      if (token !== undefined) void connection.sendProgress(askPartial, token, { text });
    };
  };
  handle(askRequest, (params, signal) => server.ask(validateAskParams(params), signal, streamTo(params)));
  handle(chatModelsRequest, (_params, signal) => server.chatModels(signal));
  handle(chatRequest, (params, signal) => server.plainChat(validateChatParams(params, server.chatProviders), signal, streamTo(params)));
  connection.onShutdown(async () => {
    await metrics?.close();
    await server.shutdown();
  });
  connection.listen();
}

/** `$/progress` values of a streaming `ferret/ask` or `ferret/chat`. */
const askPartial = new ProgressType<PartialOf<typeof askRequest>>();

/** Runs a handler with the request's cancellation as an AbortSignal and maps failures to JSON-RPC errors. */
async function answer<T>(log: Logger, token: CancellationToken, handler: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const subscription = token.onCancellationRequested(() => controller.abort());
  try {
    return await handler(controller.signal);
  } catch (error) {
    if (error instanceof InvalidParamsError) throw new ResponseError(ErrorCodes.InvalidParams, error.message);
    if (controller.signal.aborted) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'The request was cancelled.');
    log.error(errorMessage(error));
    throw new ResponseError(ErrorCodes.InternalError, errorMessage(error));
  } finally {
    subscription.dispose();
  }
}

function workspaceFolders(params: InitializeParams): string[] {
  const uris = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
  const paths = uris.filter((uri) => uri.startsWith('file:')).map((uri) => fileURLToPath(uri));
  if (paths.length === 0 && params.rootPath) paths.push(params.rootPath);
  return [...new Set(paths)];
}
