import * as vscode from 'vscode';
import { needsRestart } from './settings';

interface Restartable {
  restart(): Promise<void>;
}

/**
 * The daemon applies most settings live; a change to one it reads only at start (RESTART_KEYS)
 * asks for a restart rather than restarting behind the user's back (an index rebuild may follow).
 * A change of workspace folders restarts at once: the daemon serves the folders it was started with.
 */
export function watchForRestart(daemon: Restartable): vscode.Disposable[] {
  return [
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!needsRestart(event)) return;
      const choice = await vscode.window.showInformationMessage('Ferret settings changed. They take effect when the daemon restarts.', 'Restart now');
      if (choice === 'Restart now') await daemon.restart();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => daemon.restart()),
  ];
}
