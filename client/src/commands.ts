import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AskSelection } from '../../server/src/shared/protocol';
import type { CitationSink } from './citations/citationSink';
import { DaemonDownError } from './daemon/daemonApi';
import type { FerretDaemon } from './daemon/ferretDaemon';
import { searchWorkspace } from './search/searchQuickPick';
import { showStatusDetails } from './status/statusDetails';

/** The chat view as the commands see it: it takes a question, shows it and streams the answer. */
export interface AskTarget {
  ask(question: string, selection?: AskSelection): Promise<void>;
}

export interface CommandDeps {
  daemon: FerretDaemon;
  chat: AskTarget;
  citations: CitationSink;
  log: vscode.LogOutputChannel;
}

/** Registers every `ferret.*` command; each one tells the user when the daemon cannot serve it. */
export function registerCommands({ daemon, chat, citations, log }: CommandDeps): vscode.Disposable[] {
  const register = (id: string, run: () => Promise<void> | void) =>
    vscode.commands.registerCommand(id, async () => {
      try {
        await run();
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!(error instanceof DaemonDownError)) log.error(`${id}: ${message}`);
        const choice = await vscode.window.showErrorMessage(message, ...(error instanceof DaemonDownError ? ['Restart Daemon'] : ['Open Logs']));
        if (choice === 'Restart Daemon') await daemon.restart();
        else if (choice === 'Open Logs') log.show();
      }
    });

  return [
    register('ferret.ask', async () => {
      const question = await askFor('Ask Ferret about the workspace');
      if (question) await sendToChat(chat, question);
    }),
    register('ferret.askSelection', async () => {
      const selection = currentSelection();
      if (!selection) {
        void vscode.window.showInformationMessage('Select some code first, then ask about it.');
        return;
      }
      const question = await askFor(`Ask Ferret about ${path.basename(selection.path)}:${selection.startLine}-${selection.endLine}`);
      if (question) await sendToChat(chat, question, selection);
    }),
    register('ferret.search', () => {
      requireRunning(daemon);
      return searchWorkspace(daemon);
    }),
    register('ferret.reindex', async () => {
      requireRunning(daemon);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Ferret: reindexing the workspace', cancellable: true },
        (_progress, token) => daemon.reindex({}, token),
      );
      const files = result.summaries.reduce((n, s) => n + s.indexedFiles, 0);
      const chunks = result.summaries.reduce((n, s) => n + s.chunks, 0);
      void vscode.window.showInformationMessage(`Ferret reindexed ${files} changed files; the index holds ${chunks} chunks.`);
    }),
    register('ferret.showStatus', () => showStatusDetails(daemon)),
    register('ferret.openLogs', () => log.show()),
    register('ferret.restartDaemon', () => daemon.restart()),
    register('ferret.clearCitations', () => citations.clear()),
  ];
}

function requireRunning(daemon: FerretDaemon): void {
  if (daemon.state !== 'running') throw new DaemonDownError(daemon.state);
}

function askFor(prompt: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({ prompt, placeHolder: 'e.g. how is a request authenticated?', ignoreFocusOut: true }).then((q) => q?.trim() || undefined);
}

async function sendToChat(chat: AskTarget, question: string, selection?: AskSelection): Promise<void> {
  await vscode.commands.executeCommand('ferret.chat.focus');
  await chat.ask(question, selection);
}

/** The active editor's selection, widened to whole lines, as the daemon takes it. */
function currentSelection(): AskSelection | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.selection.isEmpty || editor.document.uri.scheme !== 'file') return undefined;
  const { start, end } = editor.selection;
  // A selection that ends at column 0 of the next line does not include that line.
  const lastLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  return {
    path: editor.document.uri.fsPath,
    startLine: start.line + 1,
    endLine: lastLine + 1,
    text: editor.document.getText(editor.selection),
  };
}
