import * as vscode from 'vscode';
import type { SettingKey, StatusReport } from '../../../server/src/shared/protocol';
import { restartMessage, settingsToOffer } from './restartPending';

interface Restartable {
  restart(): Promise<void>;
  onStatus(listener: (status: StatusReport) => void): vscode.Disposable;
}

/**
 * The daemon applies most settings live. Those it does not (it says which in its status: the
 * restart-only ones and the connection its embedder was built with) get one prompt each, rather
 * than a restart behind the user's back (an index rebuild may follow).
 * A change of workspace folders restarts at once: the daemon serves the folders it was started with.
 */
export function watchForRestart(daemon: Restartable): vscode.Disposable[] {
  const asked = new Set<SettingKey>();
  return [
    daemon.onStatus(async (status) => {
      const names = settingsToOffer(asked, status.restartPending ?? []);
      if (names.length === 0) return;
      const choice = await vscode.window.showInformationMessage(restartMessage(names), 'Restart now');
      if (choice === 'Restart now') await daemon.restart();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => daemon.restart()),
  ];
}
