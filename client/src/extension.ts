import * as vscode from 'vscode';
import { ChatViewProvider } from './chat/chatViewProvider';
import { EditorCitations } from './citations/editorCitations';
import { registerCommands } from './commands';
import { watchForRestart } from './config/restartPrompt';
import type { DaemonApi } from './daemon/daemonApi';
import { FerretDaemon } from './daemon/ferretDaemon';
import { registerChatParticipant } from './lm/chatParticipant';
import { registerFerretModels } from './lm/ferretModels';
import { registerSearchTool } from './lm/searchTool';
import { registerSymbolTools } from './lm/symbolTools';
import { StatusItem } from './status/statusItem';

/** What `activate` returns to other extensions and to the extension-host tests. */
export interface FerretApi {
  daemon: DaemonApi;
}

let daemon: FerretDaemon | undefined;

export function activate(context: vscode.ExtensionContext): FerretApi {
  const log = vscode.window.createOutputChannel('Ferret', { log: true });
  daemon = new FerretDaemon(context, log);
  const citations = new EditorCitations();
  const chat = new ChatViewProvider(context.extensionUri, context.workspaceState, daemon, citations, log);
  context.subscriptions.push(
    log,
    daemon,
    citations,
    chat,
    new StatusItem(daemon),
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewType, chat, { webviewOptions: { retainContextWhenHidden: false } }),
    ...registerCommands({ daemon, chat, citations, log }),
    ...watchForRestart(daemon),
    ...registerSearchTool(daemon, log),
    ...registerSymbolTools(daemon, log),
    ...registerChatParticipant(context.extensionUri, daemon, log),
    ...registerFerretModels(daemon, log),
  );
  // Not awaited: indexing runs in the background and never holds up the window.
  void daemon.start();
  return { daemon };
}

/** VS Code waits for the returned promise, so the daemon gets to close its index before the host exits. */
export function deactivate(): Promise<void> | undefined {
  return daemon?.stop();
}
