import type * as vscode from 'vscode';
import type { AskParams, AskResult, DefinitionsResult, ReferencesResult, SearchParams, SearchResult, StatusReport, SymbolParams } from '../../../server/src/shared/protocol';

/** What the daemon looks like to the rest of the extension (chat view, commands, status bar). */
export type DaemonState = 'starting' | 'running' | 'stopped' | 'failed';

/**
 * The daemon as seen by UI code. Implemented by {@link FerretDaemon}; tests and the chat view code
 * against this interface only, never against the LanguageClient.
 */
export interface DaemonApi {
  readonly state: DaemonState;
  /** Asks a question; `onText` receives each streamed piece of the answer in order. Rejects with {@link DaemonDownError} when the daemon is not running. */
  ask(params: AskParams, onText: (text: string) => void, token: vscode.CancellationToken): Promise<AskResult>;
  search(params: SearchParams, token?: vscode.CancellationToken): Promise<SearchResult>;
  definitions(params: SymbolParams, token?: vscode.CancellationToken): Promise<DefinitionsResult>;
  references(params: SymbolParams, token?: vscode.CancellationToken): Promise<ReferencesResult>;
  /** Called with every status report the daemon pushes. */
  onStatus(listener: (s: StatusReport) => void): vscode.Disposable;
  lastStatus(): StatusReport | undefined;
}

/** Thrown by {@link DaemonApi} requests when the daemon is not running; its message is meant for the user. */
export class DaemonDownError extends Error {
  constructor(state: DaemonState) {
    super(
      state === 'failed'
        ? 'The Ferret daemon stopped after repeated crashes. Run "Ferret: Restart Daemon" or open the logs.'
        : state === 'starting'
          ? 'The Ferret daemon is still starting. Try again in a moment.'
          : 'The Ferret daemon is not running. Run "Ferret: Restart Daemon".',
    );
    this.name = 'DaemonDownError';
  }
}
