import * as vscode from 'vscode';
import type { DaemonApi } from '../daemon/daemonApi';
import { statusView } from './statusView';

interface ActionItem extends vscode.QuickPickItem {
  command?: string;
}

/** "Ferret: Show Status": the full state as a list, with the actions that help from there. */
export async function showStatusDetails(daemon: DaemonApi): Promise<void> {
  const view = statusView(daemon.state, daemon.lastStatus());
  const facts: ActionItem[] = view.details.map((line) => ({ label: line.replace(/\*\*/g, '') }));
  const actions: ActionItem[] = [
    { label: '$(output) Open Logs', command: 'ferret.openLogs' },
    { label: '$(refresh) Reindex Workspace', command: 'ferret.reindex' },
    { label: '$(debug-restart) Restart Daemon', command: 'ferret.restartDaemon' },
  ];
  const picked = await vscode.window.showQuickPick<ActionItem>(
    [{ label: 'Status', kind: vscode.QuickPickItemKind.Separator }, ...facts, { label: 'Actions', kind: vscode.QuickPickItemKind.Separator }, ...actions],
    { title: view.text.replace(/\$\([^)]*\)\s*/g, ''), placeHolder: 'Pick an action' },
  );
  if (picked?.command) await vscode.commands.executeCommand(picked.command);
}
